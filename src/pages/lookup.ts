// Pages carry no API key: find which namespace holds a session, link or charge by its id.
// Ids are unique per seed + key, so the first namespace holding the id is the right one.
import type { Simulator } from '../simulator.js';
import type { Collections, Namespace } from '../store/namespace.js';
import { sessionsOf, type SessionRecord } from '../checkout/session-record.js';
import type { ChargeRecord } from '../payments/types.js';

type CollectionName = 'checkoutSessions' | 'paymentLinks' | 'charges';

// Remembered hits, re-checked on use (a namespace reset replaces the Namespace object).
const hits = new WeakMap<Simulator, Map<string, Namespace>>();

function locate(sim: Simulator, collection: CollectionName, id: string): Namespace | undefined {
  let index = hits.get(sim);
  if (!index) hits.set(sim, (index = new Map()));
  const known = index.get(id);
  if (known && sim.namespaces.get(known.key) === known && (known.db[collection] as Collections[CollectionName]).has(id)) return known;
  index.delete(id);
  for (const ns of sim.namespaces.values()) {
    if ((ns.db[collection] as Collections[CollectionName]).has(id)) {
      index.set(id, ns);
      return ns;
    }
  }
  // A namespace evicted to disk (--limit namespaces) comes back for its shopper's page.
  const revived = sim.reviveHolding(id);
  return revived && (revived.db[collection] as Collections[CollectionName]).has(id) ? revived : undefined;
}

/** The session and its namespace, with the namespace's due work (expiry) run first. */
export function findSessionAnywhere(sim: Simulator, id: string): { ns: Namespace; session: SessionRecord } | undefined {
  const ns = locate(sim, 'checkoutSessions', id);
  if (!ns) return undefined;
  sim.runDue(ns);
  const session = sessionsOf(ns).get(id);
  return session ? { ns, session } : undefined;
}

export function findLinkAnywhere(sim: Simulator, id: string): { ns: Namespace; link: Record<string, unknown> & { id: string } } | undefined {
  const ns = locate(sim, 'paymentLinks', id);
  if (!ns) return undefined;
  sim.runDue(ns);
  const link = ns.db.paymentLinks.get(id);
  return link ? { ns, link } : undefined;
}

export function findChargeAnywhere(sim: Simulator, id: string): { ns: Namespace; charge: ChargeRecord } | undefined {
  const ns = locate(sim, 'charges', id);
  if (!ns) return undefined;
  const charge = ns.db.charges.get(id) as unknown as ChargeRecord | undefined;
  return charge ? { ns, charge } : undefined;
}
