// Pages carry no API key: the URL names the namespace by its opaque token (src/control/page-urls.ts)
// and the id is looked up in that namespace only. An id without a token (old-style URL), or with a
// token of another namespace, is not found: two forked namespaces hold the same ids.
import type { Simulator } from '../simulator.js';
import type { Namespace } from '../store/namespace.js';
import { sessionsOf, type SessionRecord } from '../checkout/session-record.js';
import type { ChargeRecord } from '../payments/types.js';
import { namespaceByToken } from '../control/page-urls.js';

/**
 * The session a page (or, later, the browser SDK) may act on, with its namespace's due work
 * (expiry) run first. `nsToken` comes from the URL the API handed out.
 */
export function findSessionForPage(sim: Simulator, nsToken: string, sessionId: string): { ns: Namespace; session: SessionRecord } | undefined {
  const ns = namespaceByToken(sim, nsToken);
  if (!ns || !ns.db.checkoutSessions.has(sessionId)) return undefined;
  sim.runDue(ns);
  const session = sessionsOf(ns).get(sessionId);
  return session ? { ns, session } : undefined;
}

/** A session of `ns` whose clientSecret is `clientSecret` (for the SDK, which knows the namespace by its pk_ key). */
export function findSessionByClientSecret(sim: Simulator, ns: Namespace, clientSecret: string): SessionRecord | undefined {
  // A clientSecret starts with its session's id, so one look-up finds the only candidate.
  const id = clientSecret.split('_secret_')[0]!;
  if (!ns.db.checkoutSessions.has(id)) return undefined;
  sim.runDue(ns);
  const session = sessionsOf(ns).get(id);
  return session?.clientSecret === clientSecret ? session : undefined;
}

export function findLinkForPage(sim: Simulator, nsToken: string, id: string): { ns: Namespace; link: Record<string, unknown> & { id: string } } | undefined {
  const ns = namespaceByToken(sim, nsToken);
  if (!ns) return undefined;
  sim.runDue(ns);
  const link = ns.db.paymentLinks.get(id);
  return link ? { ns, link } : undefined;
}

export function findChargeForPage(sim: Simulator, nsToken: string, id: string): { ns: Namespace; charge: ChargeRecord } | undefined {
  const ns = namespaceByToken(sim, nsToken);
  const charge = ns?.db.charges.get(id) as unknown as ChargeRecord | undefined;
  return ns && charge ? { ns, charge } : undefined;
}
