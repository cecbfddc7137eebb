// Amounts as the pages print them: formatAmount with plain spaces, so "Pay EGP 1,499.00" reads
// (and matches) the same everywhere; CSS keeps amounts from wrapping.
import { formatAmount } from '../core/money.js';

export function money(amount: number, currency: string, locale = 'en'): string {
  return formatAmount(amount, currency, locale).replace(/[\u00a0\u202f]/g, ' ');
}
