// Currencies and minor units. Amounts are always integers in the currency's minor unit.
export const CURRENCIES = ['EGP', 'USD', 'EUR', 'GBP', 'SAR', 'AED', 'QAR', 'KWD', 'JOD', 'OMR', 'BHD', 'LYD', 'AUD', 'CAD', 'CNY'] as const;
export type Currency = (typeof CURRENCIES)[number];

const THREE_DECIMALS = new Set<string>(['KWD', 'JOD', 'OMR', 'BHD', 'LYD']);

export function decimalsOf(currency: string): number {
  return THREE_DECIMALS.has(currency) ? 3 : 2;
}

export function isCurrency(value: unknown): value is Currency {
  return typeof value === 'string' && (CURRENCIES as readonly string[]).includes(value);
}

/** Building an Intl.NumberFormat costs ≈ 50 µs; a page of 100 lines prints hundreds of amounts. */
const formatters = new Map<string, Intl.NumberFormat>();

/** "1,499.00 EGP" for display on hosted pages; never used for arithmetic. */
export function formatAmount(amount: number, currency: string, locale = 'en'): string {
  const decimals = decimalsOf(currency);
  const tag = locale === 'ar' ? 'ar-EG' : 'en-US';
  const key = `${tag} ${currency}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    formatter = new Intl.NumberFormat(tag, { style: 'currency', currency, minimumFractionDigits: decimals, maximumFractionDigits: decimals });
    // Currencies come from a fixed list, so the cache stays small; the guard only bounds mistakes.
    if (formatters.size < 256) formatters.set(key, formatter);
  }
  return formatter.format(amount / 10 ** decimals);
}

/** Integer basis-point share of an amount, rounded half up (fees, VAT, percentage discounts). */
export function basisPoints(amount: number, bps: number): number {
  return Math.floor((amount * bps + 5000) / 10000);
}
