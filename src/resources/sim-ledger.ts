// GET /_sim/ledger: the namespace's ledger balances, postings and invariant checks.
import { readBoolean } from '../core/pagination.js';
import type { Handler } from '../http/types.js';
import { ledgerReport } from '../payments/ledger-invariants.js';
import { simNamespace } from '../sim/events.js';

export const getSimLedger: Handler = (ctx) => {
  const includeEntries = readBoolean(ctx.query.entries, 'entries') ?? true;
  return { status: 200, body: ledgerReport(simNamespace(ctx), includeEntries) };
};
