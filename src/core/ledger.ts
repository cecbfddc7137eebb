// Double-entry ledger math (pure). Every entry's postings sum to zero per currency, so money
// is never created or lost; balances per account are sums of postings.
export type LedgerAccount =
  /** The outside world: customers' cards and the processor network. Money enters and leaves here. */
  | 'customer_funds'
  /** Merchant money not yet settled (availableOn in the future). */
  | 'merchant_pending'
  /** Merchant money available to pay out; refunds debit it at once. */
  | 'merchant_available'
  /** XPay's processing fees (and the tax on them), kept even when a charge is refunded. */
  | 'platform_fees';

export const LEDGER_ACCOUNTS: readonly LedgerAccount[] = ['customer_funds', 'merchant_pending', 'merchant_available', 'platform_fees'];

export interface Posting {
  account: LedgerAccount;
  currency: string;
  /** Signed minor units: positive credits the account, negative debits it. */
  amount: number;
}

export interface LedgerEntry {
  id: string;
  createdAt: string;
  /** What caused it: charge, refund or settlement. */
  kind: 'charge' | 'refund' | 'settlement' | 'refund_failure';
  /** Id of the charge or refund behind the entry. */
  sourceId: string;
  balanceTransactionId: string | null;
  postings: Posting[];
}

export class UnbalancedEntryError extends Error {}

/** Throws unless every currency's postings sum to exactly zero and amounts are integers. */
export function assertBalanced(postings: Posting[]): void {
  const sums = new Map<string, number>();
  for (const p of postings) {
    if (!Number.isSafeInteger(p.amount)) throw new UnbalancedEntryError(`posting amount ${p.amount} is not an integer`);
    sums.set(p.currency, (sums.get(p.currency) ?? 0) + p.amount);
  }
  for (const [currency, sum] of sums) {
    if (sum !== 0) throw new UnbalancedEntryError(`postings in ${currency} sum to ${sum}, not 0`);
  }
}

/** Balances per account and currency: `{ merchant_available: { EGP: 1200 } }`. */
export function accountBalances(entries: Iterable<LedgerEntry>): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  for (const account of LEDGER_ACCOUNTS) out[account] = {};
  for (const e of entries) {
    for (const p of e.postings) {
      const byCurrency = out[p.account]!;
      byCurrency[p.currency] = (byCurrency[p.currency] ?? 0) + p.amount;
    }
  }
  return out;
}

/** A successful charge: the customer pays `amount`; the merchant gets amount − fee; XPay keeps the fee. */
export function chargePostings(currency: string, amount: number, fee: number, settled: boolean): Posting[] {
  return [
    { account: 'customer_funds', currency, amount: -amount },
    { account: settled ? 'merchant_available' : 'merchant_pending', currency, amount: amount - fee },
    { account: 'platform_fees', currency, amount: fee },
  ];
}

/** Pending merchant money becoming available. */
export function settlementPostings(currency: string, net: number): Posting[] {
  return [
    { account: 'merchant_pending', currency, amount: -net },
    { account: 'merchant_available', currency, amount: net },
  ];
}

/** A refund returns `amount` to the customer from the merchant's available balance; fees are not returned. */
export function refundPostings(currency: string, amount: number): Posting[] {
  return [
    { account: 'merchant_available', currency, amount: -amount },
    { account: 'customer_funds', currency, amount },
  ];
}
