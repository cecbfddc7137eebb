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

/** Integer basis-point share of an amount, rounded half up (fees, VAT, percentage discounts). */
export function basisPoints(amount: number, bps: number): number {
  return Math.floor((amount * bps + 5000) / 10000);
}
