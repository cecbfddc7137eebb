// What changed in one namespace since the journal last recorded it (decision 0008): the records
// its collections' change tracking saw touched, inserted or deleted, a moved clock, a drawn id
// stream, and changed extensions (entry by entry for Map-valued ones, whole values otherwise).
// persistence.ts decides when to write and where; this file only tells what.
import { dumpNamespace, extensionData, isEntryMapExtension, type NamespaceDump } from '../control/ns-state.js';
import { trackMap, type EpochSource, type MapChanges, type MapOp } from './change-tracking.js';
import type { NamespaceChange } from './journal-format.js';
import { COLLECTION_NAMES, type Namespace } from './namespace.js';

/** What the journal last recorded about one namespace, to tell what changed since. */
export interface NamespaceTrack {
  ns: Namespace;
  db: Namespace['db'];
  maps: Map<string, MapChanges>;
  clock: string;
  random: string;
  /** Extensions journaled as whole values: their last JSON. */
  extJson: Map<string, string>;
  /** Extensions journaled entry by entry: the tracked Map. */
  extMaps: Map<string, MapChanges>;
}

function clockSignature(ns: Namespace): string {
  const c = ns.clock.persisted();
  return `${c.mode}:${c.mode === 'real' ? c.offset : c.now}`;
}

/** Starts watching a namespace whose current state the journal holds (nothing of it is pending). */
export function startTracking(ns: Namespace, epochs: EpochSource): NamespaceTrack {
  const maps = new Map<string, MapChanges>();
  for (const [name, map] of Object.entries(ns.db) as Array<[string, Map<string, unknown>]>) {
    const changes = trackMap(map, epochs);
    changes.written(Infinity);
    maps.set(name, changes);
  }
  const t: NamespaceTrack = { ns, db: ns.db, maps, clock: clockSignature(ns), random: ns.random.state().join(), extJson: new Map(), extMaps: new Map() };
  for (const [name, value] of ns.extensions) {
    if (isEntryMapExtension(name, value)) {
      const changes = trackMap(value, epochs);
      changes.written(Infinity);
      t.extMaps.set(name, changes);
    } else {
      const data = extensionData(ns, name, value);
      if (data !== undefined) t.extJson.set(name, JSON.stringify(data));
    }
  }
  return t;
}

/** True while neither the clock nor the id stream moved since `t` recorded them. */
export function clockAndIdsUnchanged(t: NamespaceTrack, ns: Namespace): boolean {
  return t.random === ns.random.state().join() && t.clock === clockSignature(ns);
}

/** False once the namespace was reset or restored (new objects): it must be journaled whole. */
export function sameShape(t: NamespaceTrack, ns: Namespace): boolean {
  if (t.ns !== ns || t.db !== ns.db) return false;
  for (const name of COLLECTION_NAMES) if (t.maps.get(name)?.map !== ns.db[name]) return false;
  return true;
}

/** A new or reset namespace: journaled whole, once. */
export function fullChange(ns: Namespace): NamespaceChange {
  return { key: ns.key, full: dumpNamespace(ns) };
}

/** The namespace's changes since `t` last recorded it (and `t` updated to now), or undefined. */
export function changeOf(t: NamespaceTrack, ns: Namespace, epochs: EpochSource): NamespaceChange | undefined {
  const change: { key: string; clock?: NamespaceDump['clock']; random?: NamespaceDump['random']; db?: Record<string, MapOp[]>; ext?: Record<string, { value: unknown } | { ops: MapOp[] } | null> } = { key: ns.key };
  let any = false;
  const clock = clockSignature(ns);
  if (clock !== t.clock) {
    change.clock = ns.clock.persisted();
    t.clock = clock;
    any = true;
  }
  const random = ns.random.state();
  if (random.join() !== t.random) {
    change.random = random;
    t.random = random.join();
    any = true;
  }
  for (const [name, m] of t.maps) {
    if (!m.pending) continue;
    const ops = m.operations();
    if (ops.length === 0) continue;
    (change.db ??= {})[name] = ops;
    any = true;
  }
  const ext = extensionChanges(t, ns, epochs);
  if (ext) {
    change.ext = ext;
    any = true;
  }
  return any ? change : undefined;
}

function extensionChanges(t: NamespaceTrack, ns: Namespace, epochs: EpochSource): Record<string, { value: unknown } | { ops: MapOp[] } | null> | undefined {
  const ext: Record<string, { value: unknown } | { ops: MapOp[] } | null> = {};
  let anyExt = false;
  const seen = new Set<string>();
  for (const [name, value] of ns.extensions) {
    if (isEntryMapExtension(name, value)) {
      seen.add(name);
      const m = t.extMaps.get(name);
      if (m && m.map === value) {
        if (!m.pending) continue;
        const ops = m.operations();
        if (ops.length > 0) (ext[name] = { ops }), (anyExt = true);
        continue;
      }
      const tracked = trackMap(value, epochs);
      tracked.written(Infinity);
      t.extMaps.set(name, tracked);
      t.extJson.delete(name);
      ext[name] = { value: extensionData(ns, name, value) };
      anyExt = true;
      continue;
    }
    const data = extensionData(ns, name, value);
    if (data === undefined) continue;
    seen.add(name);
    const json = JSON.stringify(data);
    if (t.extJson.get(name) === json) continue;
    t.extJson.set(name, json);
    t.extMaps.delete(name);
    ext[name] = { value: data };
    anyExt = true;
  }
  for (const name of [...t.extJson.keys(), ...t.extMaps.keys()]) {
    if (seen.has(name)) continue;
    t.extJson.delete(name);
    t.extMaps.delete(name);
    ext[name] = null;
    anyExt = true;
  }
  return anyExt ? ext : undefined;
}
