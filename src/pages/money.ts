// Amounts and dates as the pages print them, through Intl in the page's locale (intlLocale).
// Plain spaces, so "Pay EGP 1,499.00" reads (and matches) the same everywhere; CSS keeps amounts
// from wrapping.
import { decimalsOf } from '../core/money.js';
import { intlLocale } from './i18n.js';

const LATIN = /[A-Za-z]/;

/** Building an Intl.NumberFormat costs ≈ 50 µs; a page of 100 lines prints hundreds of amounts. */
const formatters = new Map<string, Intl.NumberFormat>();

function formatter(locale: string, currency: string, currencyDisplay: 'symbol' | 'name'): Intl.NumberFormat {
  const key = `${locale} ${currency} ${currencyDisplay}`;
  let f = formatters.get(key);
  if (!f) {
    const decimals = decimalsOf(currency);
    f = new Intl.NumberFormat(intlLocale(locale), { style: 'currency', currency, currencyDisplay, minimumFractionDigits: decimals, maximumFractionDigits: decimals });
    // Locales and currencies come from fixed lists, so the cache stays small; the guard only bounds mistakes.
    if (formatters.size < 256) formatters.set(key, f);
  }
  return f;
}

export function money(amount: number, currency: string, locale = 'en'): string {
  const format = (display: 'symbol' | 'name') => formatter(locale, currency, display).format(amount / 10 ** decimalsOf(currency)).replace(/[\u00a0\u202f]/g, ' ');
  const text = format('symbol');
  // Arabic has no symbol of its own for some currencies (US$, UK£): its name reads in Arabic.
  return locale === 'ar' && LATIN.test(text) ? format('name') : text;
}

/** "1 March 2026" (the namespace clock's instant, in UTC). */
export function longDate(iso: string, locale = 'en'): string {
  return new Intl.DateTimeFormat(intlLocale(locale), { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(iso));
}

/** "1 March 2026, 10:30" in UTC; the caller adds the catalogue's word for UTC. */
export function dateTime(iso: string, locale = 'en'): string {
  return new Intl.DateTimeFormat(intlLocale(locale), { day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: 'UTC' }).format(new Date(iso));
}
