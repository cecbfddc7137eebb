// What a customer has done: spend figures, latest payment method and stats, derived from charges.
// Charges carry `_customerId` (set by the payments capability when a charge is created).
import type { Namespace } from '../store/namespace.js';
import type { CustomerRecord, OpenRecord } from '../store/types.js';
import { observed, OrderedIndex } from '../store/map-index.js';

interface ChargeView {
  id: string;
  status: string;
  amount: number;
  amountRefunded: number;
  currency: string;
  createdAt: string;
  paymentMethodId?: string | null;
  paymentMethodDetails?: { type: string; card?: Record<string, unknown> | null; valu?: unknown; fawry?: unknown } | null;
}

function chargesOf(ns: Namespace, customerId: string): ChargeView[] {
  const index = observed(ns.db.charges, 'charges', (m) => new OrderedIndex<OpenRecord>(m, { customer: (c) => c._customerId as string | undefined }));
  return index.group('customer', customerId).map((seq) => index.record(seq) as unknown as ChargeView);
}

const PAID = new Set(['SUCCEEDED', 'PARTIALLY_REFUNDED', 'REFUNDED']);

export function customerSpend(ns: Namespace, customer: CustomerRecord): Record<string, unknown> {
  const paid = chargesOf(ns, customer.id).filter((c) => PAID.has(c.status) && c.currency === customer._currency);
  const gross = paid.reduce((s, c) => s + c.amount, 0);
  const refunded = paid.reduce((s, c) => s + c.amountRefunded, 0);
  const dates = paid.map((c) => c.createdAt).sort();
  return {
    amountDisputeLosses: 0,
    amountRefunded: refunded,
    averageOrderValue: paid.length === 0 ? 0 : Math.round(gross / paid.length),
    currency: customer._currency,
    firstPurchaseAt: dates[0] ?? '',
    grossSpend: gross,
    lastPurchaseAt: dates[dates.length - 1] ?? '',
    netSpend: gross - refunded,
    numPayments: paid.length,
  };
}

export function latestPaymentMethod(ns: Namespace, customerId: string): Record<string, unknown> | null {
  const charges = chargesOf(ns, customerId).filter((c) => c.paymentMethodDetails);
  const latest = charges[charges.length - 1];
  if (!latest?.paymentMethodDetails) return null;
  const pm = latest.paymentMethodDetails;
  const card = pm.card
    ? {
        brand: pm.card.brand,
        last4: pm.card.last4,
        expMonth: pm.card.expMonth,
        expYear: pm.card.expYear,
        cardholderName: (pm.card._cardholderName as string | undefined) ?? null,
        funding: pm.card.funding ?? null,
        country: pm.card.country ?? null,
        fingerprint: pm.card.fingerprint ?? null,
      }
    : null;
  return { id: latest.paymentMethodId ?? `pm_${latest.id}`, type: pm.type, card, valu: pm.valu ?? null, fawry: pm.fawry ?? null };
}

export function customerStats(ns: Namespace, customerId: string): Record<string, unknown> {
  const charges = chargesOf(ns, customerId);
  const totals = new Map<string, number>();
  const methods = new Map<string, { type: string; brand: string | null; last4: string | null; count: number }>();
  for (const c of charges) {
    if (PAID.has(c.status)) totals.set(c.currency, (totals.get(c.currency) ?? 0) + c.amount - c.amountRefunded);
    const pm = c.paymentMethodDetails;
    if (!pm) continue;
    const brand = (pm.card?.brand as string | undefined) ?? null;
    const last4 = (pm.card?.last4 as string | undefined) ?? null;
    const key = `${pm.type}|${brand}|${last4}`;
    const entry = methods.get(key) ?? { type: pm.type, brand, last4, count: 0 };
    entry.count++;
    methods.set(key, entry);
  }
  return {
    customerId,
    transactionCount: charges.length,
    succeededCount: charges.filter((c) => PAID.has(c.status)).length,
    failedCount: charges.filter((c) => c.status === 'FAILED').length,
    refundedCount: charges.filter((c) => c.amountRefunded > 0).length,
    totalSpent: [...totals].map(([currency, amount]) => ({ currency, amount })),
    paymentMethods: [...methods.values()],
  };
}
