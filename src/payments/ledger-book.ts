// The namespace's ledger and balance transactions: posting entries, settling pending money by
// the clock, and the balance-transaction records every charge and refund gets.
import { assertBalanced, chargePostings, refundPostings, settlementPostings, type LedgerEntry, type Posting } from '../core/ledger.js';
import { chargeFee } from '../core/fees.js';
import type { Namespace } from '../store/namespace.js';
import type { OpenRecord } from '../store/types.js';
import type { BalanceTransactionRecord, ChargeRecord } from './types.js';

/** How long charge money stays pending before it is available (configurable; default 0 = at once). */
export const SETTLEMENT_DELAY_KEY = 'settlementDelayMs';

const PENDING_FLAG = 'hasPendingBalance';

export function settlementDelayMs(ns: Namespace): number {
  return (ns.extensions.get(SETTLEMENT_DELAY_KEY) as number | undefined) ?? 0;
}

export function postEntry(ns: Namespace, kind: LedgerEntry['kind'], sourceId: string, balanceTransactionId: string | null, postings: Posting[]): LedgerEntry {
  assertBalanced(postings);
  const entry: LedgerEntry = { id: ns.ids.next('le'), createdAt: ns.nowIso(), kind, sourceId, balanceTransactionId, postings };
  ns.db.ledgerEntries.set(entry.id, entry as unknown as OpenRecord);
  return entry;
}

export function ledgerEntries(ns: Namespace): LedgerEntry[] {
  return [...ns.db.ledgerEntries.values()] as unknown as LedgerEntry[];
}

export function balanceTransactions(ns: Namespace): BalanceTransactionRecord[] {
  return [...ns.db.balanceTransactions.values()] as unknown as BalanceTransactionRecord[];
}

/** Balance transaction + ledger entry for a charge that just succeeded. Returns the transaction. */
export function recordChargeBalance(ns: Namespace, charge: ChargeRecord, paymentIntentId: string): BalanceTransactionRecord {
  const method = charge.paymentMethodDetails?.type ?? 'card';
  const fee = chargeFee(charge.amount, charge.currency, method);
  const delay = settlementDelayMs(ns);
  const settled = delay === 0;
  const now = ns.clock.now();
  const txn: BalanceTransactionRecord = {
    id: ns.ids.next('txn'),
    object: 'balance_transaction',
    amount: charge.amount,
    availableOn: new Date(now + delay).toISOString(),
    createdAt: new Date(now).toISOString(),
    currency: charge.currency,
    description: `Payment ${paymentIntentId}`,
    fee: fee.total,
    net: charge.amount - fee.total,
    feeDetails: [
      { amount: fee.processing, currency: charge.currency, description: `XPay ${method} processing fee`, type: 'XPAY_FEE', application: null },
      { amount: fee.vat, currency: charge.currency, description: 'VAT on processing fee', type: 'TAX_FEE', application: null },
    ],
    status: settled ? 'AVAILABLE' : 'PENDING',
    type: 'CHARGE',
    reportingCategory: 'charge',
    exchangeRate: null,
    source: charge.id,
    payoutBatch: null,
    paymentIntentId,
    merchantId: ns.merchantId,
  };
  ns.db.balanceTransactions.set(txn.id, txn as unknown as OpenRecord);
  if (!settled) ns.extensions.set(PENDING_FLAG, true);
  postEntry(ns, 'charge', charge.id, txn.id, chargePostings(charge.currency, charge.amount, fee.total, settled));
  return txn;
}

/**
 * Balance transaction + ledger entry for a succeeded refund: negative, available at once,
 * debiting the merchant's available balance; the platform keeps its fee.
 */
export function recordRefundBalance(ns: Namespace, refundId: string, charge: ChargeRecord, amount: number): BalanceTransactionRecord {
  const now = ns.nowIso();
  const txn: BalanceTransactionRecord = {
    id: ns.ids.next('txn'),
    object: 'balance_transaction',
    amount: -amount,
    availableOn: now,
    createdAt: now,
    currency: charge.currency,
    description: `Refund of ${charge.id}`,
    fee: 0,
    net: -amount,
    feeDetails: [],
    status: 'AVAILABLE',
    type: 'REFUND',
    reportingCategory: 'refund',
    exchangeRate: null,
    source: refundId,
    payoutBatch: null,
    paymentIntentId: charge.paymentIntentId,
    merchantId: ns.merchantId,
  };
  ns.db.balanceTransactions.set(txn.id, txn as unknown as OpenRecord);
  postEntry(ns, 'refund', refundId, txn.id, refundPostings(charge.currency, amount));
  return txn;
}

/** The earliest instant pending money becomes available, so clock moves stop exactly there. */
export function nextSettlement(ns: Namespace): number | undefined {
  if (!ns.extensions.get(PENDING_FLAG)) return undefined;
  let earliest: number | undefined;
  for (const txn of balanceTransactions(ns)) {
    if (txn.status !== 'PENDING' || !txn.availableOn) continue;
    const at = Date.parse(txn.availableOn);
    if (earliest === undefined || at < earliest) earliest = at;
  }
  return earliest;
}

/** Due work: pending balance transactions whose availableOn has passed become available. */
export function settleDueBalances(ns: Namespace): void {
  // Cheap when nothing is pending, which is always the case with the default delay of 0.
  if (!ns.extensions.get(PENDING_FLAG)) return;
  const now = ns.clock.now();
  let stillPending = false;
  for (const txn of balanceTransactions(ns)) {
    if (txn.status !== 'PENDING') continue;
    if (txn.availableOn && Date.parse(txn.availableOn) <= now) {
      ns.db.balanceTransactions.set(txn.id, { ...txn, status: 'AVAILABLE' } as unknown as OpenRecord);
      postEntry(ns, 'settlement', txn.source, txn.id, settlementPostings(txn.currency, txn.net));
    } else stillPending = true;
  }
  ns.extensions.set(PENDING_FLAG, stillPending);
}
