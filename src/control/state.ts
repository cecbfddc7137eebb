// Named snapshots (each namespace has its own, by name; forking one into another key is explicit)
// and the export of a namespace as a fixture document `--fixtures` can load.
// @assumption Snapshots survive resets of their namespace. Without --data they live in memory;
// with --data each is a file (src/store/snapshot-files.ts) and memory keeps only what lists show.
import { errors, XPayError } from '../core/errors.js';
import { SeededRandom } from '../core/ids.js';
import type { Simulator } from '../simulator.js';
import type { Namespace } from '../store/namespace.js';
import { DataFileProblem } from '../store/journal-files.js';
import type { SnapshotFiles, SnapshotMeta } from '../store/snapshot-files.js';
import { newSecret } from '../webhooks/signer.js';
import { IDEMPOTENCY_EXTENSION } from './idempotency.js';
import { dumpNamespace, dumpProblem, recordCounts, restoreNamespace, type NamespaceDump } from './ns-state.js';
import { namespaceToken } from './page-urls.js';

export interface Snapshot {
  name: string;
  livemode: boolean;
  /** The namespace clock when it was taken. */
  takenAt: string;
  /** UTF-8 size of the dump's JSON, counted against `snapshotBytes`. */
  bytes: number;
  counts: Record<string, number>;
  /** The dump as JSON (an independent copy), without --data; with it the JSON is in a file. */
  json?: string;
}

/** Simulator → owner key → name → snapshot. */
const snapshots = new WeakMap<Simulator, Map<string, Map<string, Snapshot>>>();

/** With --data: the snapshot files, and how to make the namespace's own changes durable first. */
interface DiskSnapshots {
  files: SnapshotFiles;
  durable: () => Promise<void>;
}
const onDisk = new WeakMap<Simulator, DiskSnapshots>();

function ownedBy(sim: Simulator, key: string): Map<string, Snapshot> {
  let all = snapshots.get(sim);
  if (!all) snapshots.set(sim, (all = new Map()));
  let own = all.get(key);
  if (!own) all.set(key, (own = new Map()));
  return own;
}

/** The snapshots of one namespace (created empty on first use). */
export function snapshotsOf(sim: Simulator, ns: Namespace): Map<string, Snapshot> {
  return ownedBy(sim, ns.key);
}

/** --data: snapshots are kept in `files` from now on; `loaded` are the ones found there at start. */
export function keepSnapshotsOnDisk(sim: Simulator, files: SnapshotFiles, durable: () => Promise<void>, loaded: SnapshotMeta[]): void {
  onDisk.set(sim, { files, durable });
  for (const { key, ...snapshot } of loaded) ownedBy(sim, key).set(snapshot.name, snapshot);
}

function diskFailed(e: unknown, what: string): XPayError {
  if (e instanceof XPayError) return e;
  const code = (e as NodeJS.ErrnoException)?.code ?? 'EIO';
  return new XPayError(503, 'api_error', 'internal_error', `The simulator could not ${what} in its data directory (${code}); nothing was changed. Retry later.`, undefined, { 'Retry-After': '1' });
}

/** Refuses with 400 past the `snapshots` / `snapshotBytes` caps; an overwrite does not count twice. */
function checkCaps(sim: Simulator, own: Map<string, Snapshot>, snapshot: Snapshot): void {
  const previous = own.get(snapshot.name);
  const { snapshots: maxCount, snapshotBytes: maxBytes } = sim.config.limits;
  if (!previous && own.size >= maxCount) {
    throw errors.invalidState(`This namespace already keeps ${own.size} snapshots (limit snapshots=${maxCount}); delete one (DELETE /_sim/snapshots/{name}) or overwrite an existing name.`, 'name', 400);
  }
  let used = snapshot.bytes;
  for (const s of own.values()) if (s !== previous) used += s.bytes;
  if (used > maxBytes) {
    throw errors.invalidState(`Saving ${snapshot.name} would keep ${used} bytes of snapshots in this namespace (limit snapshotBytes=${maxBytes}); delete one (DELETE /_sim/snapshots/{name}) first.`, 'name', 400);
  }
}

/**
 * Saves (or overwrites) a snapshot of the namespace as it is now. With --data the namespace's
 * changes so far are made durable first (a snapshot never holds a change the journal lacks), then
 * the snapshot's file, all before the save is answered.
 */
export async function takeSnapshot(sim: Simulator, ns: Namespace, name: string): Promise<Snapshot> {
  const own = snapshotsOf(sim, ns);
  const dump = dumpNamespace(ns);
  const json = JSON.stringify(dump);
  const snapshot: Snapshot = { name, livemode: ns.livemode, takenAt: ns.nowIso(), bytes: Buffer.byteLength(json), counts: recordCounts(dump) };
  const disk = onDisk.get(sim);
  if (!disk) {
    checkCaps(sim, own, snapshot);
    own.set(name, { ...snapshot, json });
    return snapshot;
  }
  return disk.files.serial(async () => {
    checkCaps(sim, own, snapshot);
    try {
      await disk.durable();
      await disk.files.write({ key: ns.key, ...snapshot }, json);
    } catch (e) {
      throw diskFailed(e, `save snapshot ${name}`);
    }
    own.set(name, snapshot);
    return snapshot;
  });
}

/** Deletes a snapshot (its file first, with --data); false when there is none by that name. */
export async function deleteSnapshot(sim: Simulator, ns: Namespace, name: string): Promise<boolean> {
  const own = snapshotsOf(sim, ns);
  const disk = onDisk.get(sim);
  if (!disk) return own.delete(name);
  return disk.files.serial(async () => {
    if (!own.has(name)) return false;
    try {
      await disk.files.remove(ns.key, name);
    } catch (e) {
      throw diskFailed(e, `delete snapshot ${name}`);
    }
    return own.delete(name);
  });
}

/** The dump of a snapshot as JSON: from memory, or read and checked from its file. */
async function snapshotJson(sim: Simulator, owner: Namespace, snapshot: Snapshot): Promise<string> {
  const disk = onDisk.get(sim);
  if (snapshot.json !== undefined || !disk) return snapshot.json ?? '';
  return disk.files.serial(() => {
    try {
      return disk.files.read({ key: owner.key, ...snapshot });
    } catch (e) {
      const problem = e instanceof DataFileProblem ? e.problem : (e as Error).message;
      throw new XPayError(500, 'api_error', 'internal_error', `Snapshot ${snapshot.name} cannot be read from the data directory (${problem}); nothing was changed.`);
    }
  });
}

function parseDump(json: string, name: string): NamespaceDump {
  const dump = JSON.parse(json) as NamespaceDump;
  const problem = dumpProblem(dump);
  if (problem) throw new XPayError(500, 'api_error', 'internal_error', `Snapshot ${name} holds a namespace that cannot be loaded (${problem}); nothing was changed.`);
  return dump;
}

/**
 * Restores `snapshot` (owned by `owner`) into `target`: the owner's own namespace as it was, or,
 * when forking into another key, without the owner's webhook signing secrets (new ones, drawn
 * deterministically for the target key), idempotency keys or webhook deliveries, and with page
 * URLs naming the target's namespace token. Records keep their ids.
 */
export async function restoreSnapshot(sim: Simulator, owner: Namespace, target: Namespace, snapshot: Snapshot): Promise<void> {
  const saved = await snapshotJson(sim, owner, snapshot);
  if (owner === target) return restoreNamespace(target, parseDump(saved, snapshot.name));
  // Stored URLs (receipt, 3-D Secure, uploads) name the owner's namespace token: point them at the target.
  const json = saved.split(namespaceToken(sim, owner.key)).join(namespaceToken(sim, target.key));
  const dump = parseDump(json, snapshot.name);
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
  ns.settle();
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
