// GET /_sim/ledger: the namespace's ledger balances, postings and invariant checks.
import { errors } from '../core/errors.js';
import { readBoolean } from '../core/pagination.js';
import type { Handler } from '../http/types.js';
import { ledgerReport } from '../payments/ledger-invariants.js';

export const getSimLedger: Handler = (ctx) => {
  // The ledger belongs to one namespace, and only the key names it.
  if (!ctx.ns) throw errors.auth('GET /_sim/ledger needs an API key: the ledger belongs to the namespace of that key.');
  const includeEntries = readBoolean(ctx.query.entries, 'entries') ?? true;
  return { status: 200, body: ledgerReport(ctx.ns, includeEntries) };
};
