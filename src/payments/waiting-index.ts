// Ids of records still waiting for something (a 3-D Secure challenge, a pay-later payment, a
// refund), kept per namespace so the clock's due work need not scan every record on every request.
// Keyed by the identity of ns.db: a snapshot restore swaps it and the set is rebuilt from the records.
import type { Namespace } from '../store/namespace.js';

interface WaitingIndex {
  db: object;
  ids: Set<string>;
}

/** The set of ids under `key`; `records` lists the collection to rebuild it from. Callers re-check each id. */
export function waitingIds<T extends { id: string }>(ns: Namespace, key: string, records: () => Iterable<T>, isWaiting: (record: T) => boolean): Set<string> {
  let index = ns.extensions.get(key) as WaitingIndex | undefined;
  if (!index || index.db !== ns.db) {
    const ids = new Set<string>();
    for (const r of records()) if (isWaiting(r)) ids.add(r.id);
    index = { db: ns.db, ids };
    ns.extensions.set(key, index);
  }
  return index.ids;
}
