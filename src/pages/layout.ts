// The page shell shared by every hosted page (doctype, viewport, locale direction, stylesheet)
// and the plain message pages (not found, expired, complete).
import { html, type SafeHtml } from './html.js';
import { stringsFor, type Locale } from './i18n.js';

export interface ShellOptions {
  title: string;
  locale?: Locale;
  merchantName?: string;
  testMode?: boolean;
  /** Hides the header in `?embed=true` windows (the SDK frame has its own chrome). */
  embed?: boolean;
  /** Merchant's primary brand colour (already validated as a hex colour). */
  primary?: string | null;
  /** What the SDK window shows (form, failed attempt, complete…), read by the frame script to tell the merchant page. */
  embedState?: EmbedState;
}

/** The state of an SDK window page, handed to its frame script (src/sdk/frame) in a meta tag. */
export type EmbedState =
  | { state: 'form' | 'challenge' | 'expired' | 'element' }
  | { state: 'failed'; error: { type: string; code: string | null; declineCode: string | null; message: string } }
  | { state: 'complete'; sessionId: string; paymentIntentId: string | null; redirectUrl: string | null; paymentStatus: string };

const HEX = /^#(?:[0-9a-fA-F]{3,4}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$/;

export function brandColour(branding: unknown): string | null {
  const colors = (branding as { colors?: { primary?: unknown } } | null)?.colors;
  return typeof colors?.primary === 'string' && HEX.test(colors.primary) ? colors.primary : null;
}

/** The page up to `<main>` (doctype, head, the merchant header) and from `</main>` on. */
function shellEdges(o: ShellOptions): [SafeHtml, SafeHtml] {
  const locale = o.locale ?? 'en';
  const t = stringsFor(locale);
  const style = o.primary ? html`<style>:root{--primary:${o.primary}}</style>` : '';
  const start = html`<!doctype html>
<html lang="${locale}" dir="${locale === 'ar' ? 'rtl' : 'ltr'}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${o.title}</title>
<link rel="icon" href="/assets/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/assets/checkout.css">
${style}
${o.embed ? html`<meta name="xpay-embed-state" content="${JSON.stringify(o.embedState ?? { state: 'form' })}">
<script src="/assets/sdk-frame.js" defer></script>` : ''}
</head>
<body${o.embed ? html` class="embed"` : ''}>
${o.embed ? '' : html`<header class="top"><span class="merchant"><bdi>${o.merchantName ?? ''}</bdi></span>${o.testMode ? html`<span class="badge">${t.testMode}</span>` : ''}</header>`}
<main>
`;
  const end = html`
</main>
<footer class="foot">${t.poweredBy}</footer>
</body>
</html>
`;
  return [start, end];
}

export function shell(o: ShellOptions, body: SafeHtml): string {
  const [start, end] = shellEdges(o);
  return start.value + body.value + end.value;
}

/** The same page as pieces, for pages large enough to be sent in chunks (send-page.ts). */
export function* shellParts(o: ShellOptions, body: Iterable<SafeHtml>): Generator<SafeHtml> {
  const [start, end] = shellEdges(o);
  yield start;
  yield* body;
  yield end;
}

/** A page with a heading, a sentence and an optional link: errors and end states. */
export function messagePage(o: ShellOptions & { heading: string; text: string; link?: { href: string; label: string } | null }): string {
  return shell(
    o,
    html`<section class="card message">
<h1>${o.heading}</h1>
<p>${o.text}</p>
${o.link ? html`<p><a class="button" href="${o.link.href}">${o.link.label}</a></p>` : ''}
</section>`,
  );
}

export function notFoundPage(locale: Locale = 'en'): string {
  const t = stringsFor(locale);
  return messagePage({ title: t.notFound, locale, heading: t.notFound, text: t.notFoundBody });
}
