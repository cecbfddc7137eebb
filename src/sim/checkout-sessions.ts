// GET /_sim/checkout/sessions: the namespace's checkout sessions, newest first, each exactly as
// GET /checkout/sessions/{id} renders it. XPay has no list of sessions; the Workbench's Payments
// panel needs one to show what an integration created.
import { matchesAnyTerm, paginate, readPage, searchTerms } from '../core/pagination.js';
import { renderSession, sessionsOf, type SessionRecord } from '../checkout/session-record.js';
import type { Handler } from '../http/types.js';
import { simNamespace } from './events.js';

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export const listSimCheckoutSessions: Handler = (ctx) => {
  const ns = simNamespace(ctx);
  const page = readPage(ctx.query);
  const status = str(ctx.query.status);
  const paymentStatus = str(ctx.query.paymentStatus);
  const terms = searchTerms(ctx.query.search);
  const matches: SessionRecord[] = [];
  for (const s of sessionsOf(ns).values()) {
    if (status && s.status !== status) continue;
    if (paymentStatus && s.paymentStatus !== paymentStatus) continue;
    if (!matchesAnyTerm(terms, [s.id, s._paymentIntentId, s.customerId, s.customerDetails?.email, s.customerDetails?.name, s.paymentLinkId])) continue;
    matches.push(s);
  }
  const listed = paginate(matches.reverse(), page);
  return { status: 200, body: { ...listed, data: listed.data.map((s) => renderSession(ctx.sim, ns, s)) } };
};
