// One codec for a namespace's whole state (collections, clock, id stream, extensions) as plain
// JSON-able data. Snapshots, persistence and rollback all go through it, so they never drift apart.
import { Clock, clockInRange, type ClockMode } from '../core/clock.js';
import { emptyCollections, type Collections, type Namespace } from '../store/namespace.js';

export interface NamespaceDump {
  key: string;
  livemode: boolean;
  /** `offset` only matters in real mode: how far the namespace runs ahead of the wall clock. */
  clock: { mode: ClockMode; now: number; offset: number };
  random: [number, number, number, number];
  /** Collection name → [map key, record] pairs, in insertion order. */
  db: Record<string, Array<[string, unknown]>>;
  extensions: Record<string, unknown>;
}

/** How an `ns.extensions` value that is not plain data becomes plain data and back. */
export interface ExtensionCodec {
  dump(value: unknown): unknown;
  load(data: unknown): unknown;
}

const codecs = new Map<string, ExtensionCodec>();

/**
 * Extension values without a codec must be plain data, Maps or Sets (of plain data); values that
 * hold `ns.db` itself are treated as caches and dropped; a codec returning undefined drops a value.
 */
export function registerExtensionCodec(name: string, codec: ExtensionCodec): void {
  codecs.set(name, codec);
}

export const mapCodec: ExtensionCodec = {
  dump: (value) => [...(Map.prototype.entries.call(value as Map<unknown, unknown>) as IterableIterator<[unknown, unknown]>)],
  load: (data) => new Map(data as Array<[unknown, unknown]>),
};

/** The namespace's state; records are shared by reference, so clone it before keeping it. */
export function dumpNamespace(ns: Namespace): NamespaceDump {
  ns.settle();
  const db: NamespaceDump['db'] = {};
  // The prototype's iterator: a dump reads records without handing them out (persistence counts
  // records handed out as possibly changed, see src/store/change-tracking.ts).
  for (const [name, map] of Object.entries(ns.db) as Array<[string, Map<string, unknown>]>) db[name] = [...(Map.prototype.entries.call(map) as IterableIterator<[string, unknown]>)];
  const extensions: Record<string, unknown> = {};
  for (const [name, value] of ns.extensions) {
    const data = extensionData(ns, name, value);
    if (data !== undefined) extensions[name] = data;
  }
  return {
    key: ns.key,
    livemode: ns.livemode,
    clock: ns.clock.persisted(),
    random: ns.random.state(),
    db,
    extensions,
  };
}

/** An extension value as plain data, or undefined when it is not kept (a cache, a function). */
export function extensionData(ns: Namespace, name: string, value: unknown): unknown {
  if (value === undefined || typeof value === 'function' || refersToDb(value, ns)) return undefined;
  const codec = codecs.get(name);
  return codec ? codec.dump(value) : plain(value);
}

/**
 * Whether an extension is a Map dumped entry by entry (no codec, or the plain Map codec), so a
 * journal can record changes of single entries instead of the whole value.
 */
export function isEntryMapExtension(name: string, value: unknown): value is Map<string, unknown> {
  const codec = codecs.get(name);
  return value instanceof Map && (codec === undefined || codec === mapCodec);
}

/** Caches keyed by the identity of `ns.db` are invalid after any restore, so they are not kept. */
function refersToDb(value: unknown, ns: Namespace): boolean {
  return !!value && typeof value === 'object' && Object.values(value).includes(ns.db);
}

/** Maps and Sets without a codec survive JSON as tagged entry lists. */
function plain(value: unknown): unknown {
  if (value instanceof Map) return { $map: [...(Map.prototype.entries.call(value) as IterableIterator<[unknown, unknown]>)] };
  if (value instanceof Set) return { $set: [...value] };
  return value;
}

function unplain(data: unknown): unknown {
  if (data && typeof data === 'object' && !Array.isArray(data)) {
    if (Array.isArray((data as { $map?: unknown }).$map)) return new Map((data as { $map: Array<[unknown, unknown]> }).$map);
    if (Array.isArray((data as { $set?: unknown }).$set)) return new Set((data as { $set: unknown[] }).$set);
  }
  return data;
}

export function clockFromDump(clock: NamespaceDump['clock']): Clock {
  const restored = new Clock(clock.mode, clock.now);
  // Real mode keeps its lead over the wall clock rather than jumping back to the saved instant.
  if (clock.mode === 'real') restored.set('real', Date.now() + clock.offset);
  return restored;
}

/** Replaces the namespace's state in place (the object stays, so hooks holding it keep working). */
export function restoreNamespace(ns: Namespace, dump: NamespaceDump): void {
  // Work deferred by earlier requests belongs to the state being replaced: done there, then dropped.
  ns.settle();
  const db = emptyCollections() as unknown as Record<string, Map<string, unknown>>;
  for (const [name, entries] of Object.entries(dump.db)) db[name] = new Map(entries);
  ns.db = db as unknown as Collections;
  ns.clock = clockFromDump(dump.clock);
  ns.random.restore(dump.random);
  ns.extensions.clear();
  for (const [name, data] of Object.entries(dump.extensions)) {
    const codec = codecs.get(name);
    ns.extensions.set(name, codec ? codec.load(data) : unplain(data));
  }
}

/** A deep, independent copy (for snapshots: restoring twice must give the same state twice). */
export function cloneDump(dump: NamespaceDump): NamespaceDump {
  return structuredClone(dump);
}

export function recordCounts(dump: NamespaceDump): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const [name, entries] of Object.entries(dump.db)) counts[name] = entries.length;
  return counts;
}

/** Checks the shape of untrusted dump data (a data file); returns a reason or undefined. */
export function dumpProblem(value: unknown): string | undefined {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return 'namespace is not an object';
  const d = value as Partial<NamespaceDump>;
  if (typeof d.key !== 'string' || typeof d.livemode !== 'boolean') return 'namespace without key/livemode';
  const c = d.clock as Partial<NamespaceDump['clock']> | undefined;
  if (!c || !['real', 'frozen', 'manual'].includes(c.mode as string) || typeof c.now !== 'number' || typeof c.offset !== 'number') {
    return `namespace ${d.key}: bad clock`;
  }
  // A clock a Date cannot show would break every later request of the namespace.
  if (!clockInRange(c.mode === 'real' ? Date.now() + c.offset : c.now)) return `namespace ${d.key}: clock out of range (${String(c.mode === 'real' ? `offset ${c.offset}` : c.now)})`;
  if (!Array.isArray(d.random) || d.random.length !== 4 || !d.random.every((n) => Number.isInteger(n))) return `namespace ${d.key}: bad random state`;
  if (!d.db || typeof d.db !== 'object') return `namespace ${d.key}: no collections`;
  for (const [name, entries] of Object.entries(d.db)) {
    if (!Array.isArray(entries)) return `namespace ${d.key}: collection ${name} is not a list`;
    for (const e of entries) if (!Array.isArray(e) || e.length !== 2 || typeof e[0] !== 'string') return `namespace ${d.key}: bad entry in ${name}`;
  }
  if (!d.extensions || typeof d.extensions !== 'object') return `namespace ${d.key}: no extensions`;
  return undefined;
}
