// Named snapshots (shared by all keys of one simulator, so a prepared setup can be forked into
// any namespace) and the export of a namespace as a fixture document `--fixtures` can load.
import type { Simulator } from '../simulator.js';
import type { Namespace } from '../store/namespace.js';
import { cloneDump, dumpNamespace, recordCounts, restoreNamespace, type NamespaceDump } from './ns-state.js';

export interface Snapshot {
  name: string;
  livemode: boolean;
  /** The namespace clock when it was taken. */
  takenAt: string;
  dump: NamespaceDump;
}

const snapshots = new WeakMap<Simulator, Map<string, Snapshot>>();

export function snapshotsOf(sim: Simulator): Map<string, Snapshot> {
  let map = snapshots.get(sim);
  if (!map) snapshots.set(sim, (map = new Map()));
  return map;
}

export function takeSnapshot(sim: Simulator, ns: Namespace, name: string): Snapshot {
  const snapshot: Snapshot = { name, livemode: ns.livemode, takenAt: ns.nowIso(), dump: cloneDump(dumpNamespace(ns)) };
  snapshotsOf(sim).set(name, snapshot);
  return snapshot;
}

/** Restores into `ns` (possibly another key's namespace); records keep their ids. */
export function restoreSnapshot(ns: Namespace, snapshot: Snapshot): void {
  restoreNamespace(ns, cloneDump(snapshot.dump));
}

export function describeSnapshot(s: Snapshot): Record<string, unknown> {
  return { object: 'sim.snapshot', name: s.name, livemode: s.livemode, takenAt: s.takenAt, counts: recordCounts(s.dump) };
}

/** Collections the fixture loader reads in its own authoring form. */
const LOADER_COLLECTIONS = new Set(['customers', 'products', 'prices', 'coupons', 'promotionCodes']);

const stripInternal = (record: Record<string, unknown>): Record<string, unknown> => {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(record)) if (!k.startsWith('_')) out[k] = v;
  return out;
};

/**
 * Catalog and customers are written in the authoring form fixtures use (prices nested under
 * their product, customer `currency`); every other collection is written record for record.
 */
export function exportNamespace(ns: Namespace): Record<string, unknown[]> {
  const doc: Record<string, unknown[]> = {};
  doc.customers = [...ns.db.customers.values()].map((c) => {
    const { merchantId: _m, ...rest } = stripInternal(c as unknown as Record<string, unknown>);
    return { ...rest, currency: c._currency };
  });
  doc.products = [...ns.db.products.values()].map((p) => {
    const { merchantId: _m, ...rest } = stripInternal(p as unknown as Record<string, unknown>);
    const prices = p._priceIds.flatMap((id) => {
      const price = ns.db.prices.get(id);
      if (!price) return [];
      const { productId: _p, ...shape } = stripInternal(price as unknown as Record<string, unknown>);
      return [{ ...shape, ...(price._metadata ? { metadata: price._metadata } : {}), ...(price._used ? { _used: true } : {}) }];
    });
    return { ...rest, prices };
  });
  for (const [name, map] of Object.entries(ns.db) as Array<[string, Map<string, unknown>]>) {
    if (name === 'customers' || name === 'products' || name === 'prices') continue;
    // Collections with an authoring form of their own are written as stored records under `_name`.
    doc[LOADER_COLLECTIONS.has(name) ? `_${name}` : name] = [...map.values()];
  }
  return doc;
}

/**
 * The fixture loader knows catalog, customers and coupons; this completes a namespace with the
 * other collections an export contains, and with which prices were already used.
 */
export function addExportedCollections(sim: Simulator, ns: Namespace): void {
  const maps = ns.db as unknown as Record<string, Map<string, unknown>>;
  for (const { doc } of sim.fixtures) {
    for (const [key, list] of Object.entries(doc)) {
      const name = key.startsWith('_') && LOADER_COLLECTIONS.has(key.slice(1)) ? key.slice(1) : key;
      if ((name === key && LOADER_COLLECTIONS.has(name)) || !(maps[name] instanceof Map) || !Array.isArray(list)) continue;
      for (const r of list as Array<Record<string, unknown>>) {
        const id = r?.id ?? r?.token;
        if (typeof id === 'string') maps[name]!.set(id, structuredClone(r));
      }
    }
    for (const product of doc.products ?? []) {
      for (const price of product.prices ?? []) {
        const record = price._used === true ? ns.db.prices.get(String(price.id)) : undefined;
        if (record) record._used = true;
      }
    }
  }
}
