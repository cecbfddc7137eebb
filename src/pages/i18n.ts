// The hosted pages' catalogue in the two locales XPay sessions take (en, ar): every text a
// shopper reads comes from strings-en.ts / strings-ar.ts through here.
import { en, type Strings } from './strings-en.js';
import { ar } from './strings-ar.js';

export type Locale = 'en' | 'ar';
export type { Strings };

export const CATALOGUES: Readonly<Record<Locale, Strings>> = { en, ar };

/**
 * The language of a page that has no session to take it from (a payment link, an unknown or refused
 * page): the browser's Accept-Language, English unless Arabic is preferred.
 */
export function browserLocale(req: { acceptsLanguages(...langs: string[]): string | false }): Locale {
  return req.acceptsLanguages('en', 'ar') === 'ar' ? 'ar' : 'en';
}

export function stringsFor(locale: string | null | undefined): Strings {
  return locale === 'ar' ? ar : en;
}

/** `fill('Pay before {date}', { date })`: a catalogue template with its placeholders replaced. */
export function fill(template: string, params: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/**
 * The Intl locale of a page locale. Arabic pages use Western digits (`-u-nu-latn`), like the
 * card numbers, phones and references a shopper types and reads there: one digit system per page
 * (docs/assumptions.md).
 */
export function intlLocale(locale: string | null | undefined): string {
  return locale === 'ar' ? 'ar-EG-u-nu-latn' : 'en-US';
}
