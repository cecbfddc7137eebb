// /p/{linkId}: the payment link page. The shopper picks quantities (where the link allows) and
// answers custom fields; continuing creates a checkout session from the link and opens /c/{id}.
import type { Request, Response, Router } from 'express';
import { XPayError } from '../core/errors.js';
import type { Simulator } from '../simulator.js';
import type { PaymentLinkRecord } from '../resources/payment-links.js';
import { html, type SafeHtml } from './html.js';
import { browserLocale, stringsFor, type Locale } from './i18n.js';
import { refusalMessage } from './shopper-errors.js';
import type { Namespace } from '../store/namespace.js';
import { customFields, emptyState, field, type FormState } from './form-fields.js';
import { formValues, refill } from './form-input.js';
import { brandColour, messagePage, notFoundPage, shellParts } from './layout.js';
import { money } from './money.js';
import { sendHtml, sendPage } from './send-page.js';
import { rememberPrefill } from './form-prefill.js';
import { findLinkForPage } from './lookup.js';
import { refuseForeignOrigin } from './security.js';
import { pagePaths } from '../control/page-urls.js';
import { MERCHANT_DISPLAY_NAME } from '../core/merchant.js';
import { createSessionFromPaymentLink } from './link-session.js';


/** One payment link page being answered: where its form posts, and in which language. */
interface LinkView {
  ns: Namespace;
  action: string;
  link: PaymentLinkRecord;
  testMode: boolean;
  locale: Locale;
}

/** The link page as pieces, one per line item, rendered as they are sent (send-page.ts). */
function linkPage(v: LinkView, state: FormState, alert: string | null): Iterable<SafeHtml> {
  const { link, locale } = v;
  const t = stringsFor(locale);
  const price = (n: number) => money(n, link.currency, locale);
  const quantityOf = (l: PaymentLinkRecord['lineItems'][number]) => {
    const typed = Number(state.values[`qty_${l.id}`]);
    return l.adjustableQuantity?.enabled && Number.isSafeInteger(typed) && typed > 0 ? typed : l.quantity;
  };
  const total = link.lineItems.reduce((a, l) => a + l._unitAmount * quantityOf(l), 0);
  const focus = Object.keys(state.errors)[0] ?? null;
  const item = (l: PaymentLinkRecord['lineItems'][number]) => {
    const aq = l.adjustableQuantity?.enabled ? l.adjustableQuantity : null;
    const name = `qty_${l.id}`;
    const qty = aq
      ? html`<div class="qty-form">${field({ name, label: html`${t.quantity}: <bdi>${l.product.name}</bdi>`, type: 'number', inputmode: 'numeric', min: aq.minimum, max: aq.maximum, required: true }, { values: { [name]: state.values[name] ?? String(l.quantity) }, errors: state.errors, focus }, t)}</div>`
      : html`<div class="item-meta">${t.qtyShort} ${l.quantity}</div>`;
    return html`<li><div><div class="item-name"><bdi>${l.product.name}</bdi></div>${l.product.description ? html`<div class="item-meta"><bdi>${l.product.description}</bdi></div>` : ''}<div class="item-meta">${price(l._unitAmount)} ${t.each}</div>${qty}</div><div class="item-total">${price(l._unitAmount * quantityOf(l))}</div></li>`;
  };
  function* body(): Generator<SafeHtml> {
    yield html`<form method="post" action="${v.action}"><section class="card" style="max-width:560px;margin:0 auto" aria-labelledby="link-h">
${alert ? html`<div class="alert" role="alert" id="errors" tabindex="-1" autofocus><p>${alert}</p></div>` : ''}
<h1 id="link-h"><bdi>${MERCHANT_DISPLAY_NAME}</bdi></h1>
<p class="amount-big">${price(total)}</p>
<ul class="items">`;
    for (const l of link.lineItems) yield item(l);
    yield html`</ul>\n`;
    yield* customFields(link.customFields, { ...state, focus }, t);
    yield html`\n<button class="pay" type="submit">${t.continue}</button>
</section></form>`;
  }
  return shellParts({ title: `${t.title} – ${MERCHANT_DISPLAY_NAME}`, locale, merchantName: MERCHANT_DISPLAY_NAME, testMode: v.testMode, primary: brandColour(link.brandingSettings) }, body());
}

/** Inactive or expired links get a page that says so instead of a form. */
function sendClosedLink(res: Response, link: PaymentLinkRecord, nowMs: number, locale: Locale): boolean {
  const expired = link.expiresAt !== null && Date.parse(link.expiresAt) <= nowMs;
  if (link.active && !expired) return false;
  const t = stringsFor(locale);
  const heading = link.active ? t.linkExpired : t.linkInactive;
  sendHtml(res, 410, messagePage({ title: heading, heading, text: t.expiredBody, merchantName: MERCHANT_DISPLAY_NAME, locale }));
  return true;
}

/** The link page's view for this request, or undefined after answering 404 / the closed-link page. */
function openLink(sim: Simulator, req: Request, res: Response): LinkView | undefined {
  const locale = browserLocale(req);
  const found = findLinkForPage(sim, req.params.ns as string, req.params.id as string);
  if (!found) return void sendHtml(res, 404, notFoundPage(locale));
  const link = found.link as unknown as PaymentLinkRecord;
  if (sendClosedLink(res, link, found.ns.clock.now(), locale)) return undefined;
  return { ns: found.ns, action: pagePaths.paymentLink(sim, found.ns, link.id), link, testMode: !found.ns.livemode, locale };
}

export function mountLinkRoutes(app: Router, sim: Simulator): void {
  app.get('/p/:ns/:id', (req, res) => {
    const view = openLink(sim, req, res);
    if (view) sendPage(res, 200, linkPage(view, emptyState(), null));
  });

  app.post('/p/:ns/:id', (req, res) => {
    if (refuseForeignOrigin(sim, req, res)) return;
    const view = openLink(sim, req, res);
    if (!view) return;
    const { link, ns } = view;
    const t = stringsFor(view.locale);
    const values = formValues(req.body);
    const state: FormState = { values: refill(values), errors: {} };
    const quantities: Record<string, number> = {};
    for (const l of link.lineItems) {
      const raw = values[`qty_${l.id}`];
      if (!l.adjustableQuantity?.enabled || raw === undefined) continue;
      if (!/^\d+$/.test(raw.trim())) state.errors[`qty_${l.id}`] = t.badNumber;
      else quantities[l.id] = Number(raw);
    }
    for (const f of link.customFields) if (!f.isOptional && !values[`custom_${f.key}`]?.trim()) state.errors[`custom_${f.key}`] = t.required;
    if (Object.keys(state.errors).length > 0) return sendPage(res, 400, linkPage(view, state, null));
    try {
      const session = createSessionFromPaymentLink(sim, ns, link, { quantities, locale: view.locale });
      const answers = Object.fromEntries(link.customFields.map((f) => [`custom_${f.key}`, values[`custom_${f.key}`] ?? '']).filter(([, v]) => v !== ''));
      rememberPrefill(ns, session.id, answers);
      res.redirect(303, pagePaths.checkout(sim, ns, session.id));
    } catch (e) {
      if (!(e instanceof XPayError)) throw e;
      // Errors name the line by index (lineItems[1].quantity): put them next to that line's input.
      const line = /^lineItems\[(\d+)\]\.quantity/.exec(e.param ?? '');
      const item = line ? link.lineItems[Number(line[1])] : undefined;
      const field = item?.adjustableQuantity?.enabled ? `qty_${item.id}` : null;
      const bounds = { min: item?.adjustableQuantity?.minimum ?? 1, max: item?.adjustableQuantity?.maximum ?? '' };
      const message = refusalMessage(e.code, { field, params: bounds }, t);
      if (field) sendPage(res, 400, linkPage(view, { ...state, errors: { [field]: message } }, null));
      else sendPage(res, e.status === 404 ? 400 : e.status, linkPage(view, state, message));
    }
  });
}
