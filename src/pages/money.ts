// Amounts and dates as the pages print them, through Intl in the page's locale (intlLocale).
// Plain spaces, so "Pay EGP 1,499.00" reads (and matches) the same everywhere; CSS keeps amounts
// from wrapping.
import { decimalsOf } from '../core/money.js';
import { intlLocale } from './i18n.js';

const LATIN = /[A-Za-z]/;

export function money(amount: number, currency: string, locale = 'en'): string {
  const decimals = decimalsOf(currency);
  const format = (currencyDisplay: 'symbol' | 'name') =>
    new Intl.NumberFormat(intlLocale(locale), { style: 'currency', currency, currencyDisplay, minimumFractionDigits: decimals, maximumFractionDigits: decimals })
      .format(amount / 10 ** decimals)
      .replace(/[\u00a0\u202f]/g, ' ');
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
