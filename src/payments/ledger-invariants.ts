// Invariants of a namespace's money: entries balance, the merchant's ledger matches its balance
// transactions, refunds stay within charges, and nothing is created or lost. Used by
// GET /_sim/ledger, the tests and the benchmark (in-process, via checkLedgerInvariants).
import { LEDGER_ACCOUNTS, accountBalances, type LedgerEntry } from '../core/ledger.js';
import type { Namespace } from '../store/namespace.js';
import { balanceTransactions, ledgerEntries } from './ledger-book.js';
import type { RefundRecord } from './refund-service.js';
import type { ChargeRecord } from './types.js';

export interface Check<D> {
  ok: boolean;
  details: D[];
}

export interface LedgerInvariants {
  ok: boolean;
  /** Every entry's postings sum to zero per currency (details: the entries that do not). */
  entriesBalanced: Check<{ entryId: string; currency: string; sum: number }> & { checked: number };
  /** Per currency: merchant pending/available in the ledger = net of PENDING/AVAILABLE balance transactions. */
  merchantMatchesBalanceTransactions: Check<{
    currency: string;
    ledgerPending: number;
    ledgerAvailable: number;
    transactionsPending: number;
    transactionsAvailable: number;
    ok: boolean;
  }>;
  /** Every charge's amountRefunded = its succeeded refunds ≤ amountCaptured (details: the charges that break it). */
  refundsWithinCharges: Check<{ chargeId: string; amountCaptured: number; amountRefunded: number; succeededRefunds: number }> & { checked: number };
  /** Per currency: the sum over all accounts is zero, so no money was created or lost. */
  moneyConserved: Check<{ currency: string; sum: number; ok: boolean }>;
}

function add(map: Map<string, number>, key: string, amount: number): void {
  map.set(key, (map.get(key) ?? 0) + amount);
}

function checkEntries(entries: LedgerEntry[]): LedgerInvariants['entriesBalanced'] {
  const details: LedgerInvariants['entriesBalanced']['details'] = [];
  for (const e of entries) {
    const sums = new Map<string, number>();
    for (const p of e.postings) add(sums, p.currency, Number.isSafeInteger(p.amount) ? p.amount : NaN);
    for (const [currency, sum] of sums) if (sum !== 0) details.push({ entryId: e.id, currency, sum });
  }
  return { ok: details.length === 0, checked: entries.length, details };
}

function checkMerchant(ns: Namespace, balances: Record<string, Record<string, number>>): LedgerInvariants['merchantMatchesBalanceTransactions'] {
  const pending = new Map<string, number>();
  const available = new Map<string, number>();
  for (const txn of balanceTransactions(ns)) add(txn.status === 'PENDING' ? pending : available, txn.currency, txn.net);
  const currencies = new Set([...pending.keys(), ...available.keys(), ...Object.keys(balances.merchant_pending!), ...Object.keys(balances.merchant_available!)]);
  const details = [...currencies].sort().map((currency) => {
    const row = {
      currency,
      ledgerPending: balances.merchant_pending![currency] ?? 0,
      ledgerAvailable: balances.merchant_available![currency] ?? 0,
      transactionsPending: pending.get(currency) ?? 0,
      transactionsAvailable: available.get(currency) ?? 0,
    };
    return { ...row, ok: row.ledgerPending === row.transactionsPending && row.ledgerAvailable === row.transactionsAvailable };
  });
  return { ok: details.every((d) => d.ok), details };
}

function checkRefunds(ns: Namespace): LedgerInvariants['refundsWithinCharges'] {
  const succeeded = new Map<string, number>();
  for (const r of ns.db.refunds.values() as Iterable<unknown> as Iterable<RefundRecord>) {
    if (r.status === 'SUCCEEDED') add(succeeded, r.chargeId, r.amount);
  }
  const details: LedgerInvariants['refundsWithinCharges']['details'] = [];
  let checked = 0;
  for (const c of ns.db.charges.values() as Iterable<unknown> as Iterable<ChargeRecord>) {
    checked++;
    const sum = succeeded.get(c.id) ?? 0;
    if (c.amountRefunded !== sum || c.amountRefunded > c.amountCaptured || c.amountRefunded < 0) {
      details.push({ chargeId: c.id, amountCaptured: c.amountCaptured, amountRefunded: c.amountRefunded, succeededRefunds: sum });
    }
  }
  // Refunds pointing at a charge that does not exist are broken too.
  for (const [chargeId, sum] of succeeded) {
    if (!ns.db.charges.has(chargeId)) details.push({ chargeId, amountCaptured: 0, amountRefunded: 0, succeededRefunds: sum });
  }
  return { ok: details.length === 0, checked, details };
}

function checkConserved(balances: Record<string, Record<string, number>>): LedgerInvariants['moneyConserved'] {
  const sums = new Map<string, number>();
  for (const account of LEDGER_ACCOUNTS) for (const [currency, amount] of Object.entries(balances[account]!)) add(sums, currency, amount);
  const details = [...sums.keys()].sort().map((currency) => ({ currency, sum: sums.get(currency)!, ok: sums.get(currency) === 0 }));
  return { ok: details.every((d) => d.ok), details };
}

export function checkLedgerInvariants(ns: Namespace): LedgerInvariants {
  const entries = ledgerEntries(ns);
  const balances = accountBalances(entries);
  const entriesBalanced = checkEntries(entries);
  const merchantMatchesBalanceTransactions = checkMerchant(ns, balances);
  const refundsWithinCharges = checkRefunds(ns);
  const moneyConserved = checkConserved(balances);
  const ok = entriesBalanced.ok && merchantMatchesBalanceTransactions.ok && refundsWithinCharges.ok && moneyConserved.ok;
  return { ok, entriesBalanced, merchantMatchesBalanceTransactions, refundsWithinCharges, moneyConserved };
}

/** The whole ledger view of GET /_sim/ledger. */
export function ledgerReport(ns: Namespace, includeEntries: boolean): Record<string, unknown> {
  const entries = ledgerEntries(ns);
  return {
    object: 'ledger',
    balances: accountBalances(entries),
    entryCount: entries.length,
    entries: includeEntries ? entries : [],
    invariants: checkLedgerInvariants(ns),
  };
}
