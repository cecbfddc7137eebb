// Named snapshots (each namespace has its own, by name; forking one into another key is explicit)
// and the export of a namespace as a fixture document `--fixtures` can load.
// @assumption Snapshots live in memory only (not in --data) and survive resets of their namespace.
import { errors } from '../core/errors.js';
import { SeededRandom } from '../core/ids.js';
import type { Simulator } from '../simulator.js';
import type { Namespace } from '../store/namespace.js';
import { newSecret } from '../webhooks/signer.js';
import { IDEMPOTENCY_EXTENSION } from './idempotency.js';
import { dumpNamespace, recordCounts, restoreNamespace, type NamespaceDump } from './ns-state.js';
import { namespaceToken } from './page-urls.js';

export interface Snapshot {
  name: string;
  livemode: boolean;
  /** The namespace clock when it was taken. */
  takenAt: string;
  /** The dump as JSON: an independent copy, compact, and its length is what the byte cap counts. */
  json: string;
  /** UTF-8 size of `json`, counted against `snapshotBytes`. */
  bytes: number;
  counts: Record<string, number>;
}

/** Simulator → owner key → name → snapshot. */
const snapshots = new WeakMap<Simulator, Map<string, Map<string, Snapshot>>>();

/** The snapshots of one namespace (created empty on first use). */
export function snapshotsOf(sim: Simulator, ns: Namespace): Map<string, Snapshot> {
  let all = snapshots.get(sim);
  if (!all) snapshots.set(sim, (all = new Map()));
  let own = all.get(ns.key);
  if (!own) all.set(ns.key, (own = new Map()));
  return own;
}

/**
 * Saves (or overwrites) a snapshot; refuses with 400 past the `snapshots` / `snapshotBytes` caps.
 * An overwrite replaces the old copy, so it does not count twice.
 */
export function takeSnapshot(sim: Simulator, ns: Namespace, name: string): Snapshot {
  const own = snapshotsOf(sim, ns);
  const dump = dumpNamespace(ns);
  const json = JSON.stringify(dump);
  const snapshot: Snapshot = { name, livemode: ns.livemode, takenAt: ns.nowIso(), json, bytes: Buffer.byteLength(json), counts: recordCounts(dump) };
  const previous = own.get(name);
  const { snapshots: maxCount, snapshotBytes: maxBytes } = sim.config.limits;
  if (!previous && own.size >= maxCount) {
    throw errors.invalidState(`This namespace already keeps ${own.size} snapshots (limit snapshots=${maxCount}); delete one (DELETE /_sim/snapshots/{name}) or overwrite an existing name.`, 'name', 400);
  }
  let used = snapshot.bytes;
  for (const s of own.values()) if (s !== previous) used += s.bytes;
  if (used > maxBytes) {
    throw errors.invalidState(`Saving ${name} would keep ${used} bytes of snapshots in this namespace (limit snapshotBytes=${maxBytes}); delete one (DELETE /_sim/snapshots/{name}) first.`, 'name', 400);
  }
  own.set(name, snapshot);
  return snapshot;
}

export function deleteSnapshot(sim: Simulator, ns: Namespace, name: string): boolean {
  return snapshotsOf(sim, ns).delete(name);
}

/**
 * Restores `snapshot` (owned by `owner`) into `target`: the owner's own namespace as it was, or,
 * when forking into another key, without the owner's webhook signing secrets (new ones, drawn
 * deterministically for the target key), idempotency keys or webhook deliveries, and with page
 * URLs naming the target's namespace token. Records keep their ids.
 */
export function restoreSnapshot(sim: Simulator, owner: Namespace, target: Namespace, snapshot: Snapshot): void {
  if (owner === target) return restoreNamespace(target, JSON.parse(snapshot.json) as NamespaceDump);
  // Stored URLs (receipt, 3-D Secure, uploads) name the owner's namespace token: point them at the target.
  const json = snapshot.json.split(namespaceToken(sim, owner.key)).join(namespaceToken(sim, target.key));
  const dump = JSON.parse(json) as NamespaceDump;
  dump.key = target.key;
  delete dump.extensions[IDEMPOTENCY_EXTENSION];
  dump.db.deliveries = [];
  const random = new SeededRandom(`${sim.config.seed}\u0000fork\u0000${target.key}\u0000${snapshot.name}`);
  for (const [, endpoint] of dump.db.webhookEndpoints ?? []) {
    const e = endpoint as { _secret?: string; _fromConfig?: boolean };
    // The --webhook-url endpoint's secret is the operator's, the same in every namespace.
    if (!e._fromConfig) e._secret = newSecret((n) => random.hex(n));
  }
  restoreNamespace(target, dump);
}

export function describeSnapshot(s: Snapshot): Record<string, unknown> {
  return { object: 'sim.snapshot', name: s.name, livemode: s.livemode, takenAt: s.takenAt, bytes: s.bytes, counts: s.counts };
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
