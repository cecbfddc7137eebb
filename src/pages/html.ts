// The one HTML templating helper of the pages: a tagged template that escapes every
// interpolated value unless it is already-rendered markup (SafeHtml).
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

type Part = SafeHtml | string | number | boolean | null | undefined | Part[];

function renderPart(part: Part): string {
  if (part === null || part === undefined || part === false || part === true) return '';
  if (part instanceof SafeHtml) return part.value;
  if (Array.isArray(part)) return part.map(renderPart).join('');
  return escapeHtml(String(part));
}

/** `html\`<p>${name}</p>\`` escapes `name`; nest html`` results or arrays of them freely. */
export function html(strings: TemplateStringsArray, ...values: Part[]): SafeHtml {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += renderPart(values[i]!) + strings[i + 1]!;
  return new SafeHtml(out);
}

/** Markup that is trusted as is (only for constants written in this code base). */
export function raw(markup: string): SafeHtml {
  return new SafeHtml(markup);
}

/** An attribute that is present or absent: `${attr('required', isRequired)}`. */
export function attr(name: string, on: boolean): SafeHtml {
  return new SafeHtml(on ? ` ${name}` : '');
}

/** Merchant-given links go into href only as http(s) URLs (never `javascript:` and friends). */
export function safeHref(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? url : null;
  } catch {
    return null;
  }
}
