// Which records of a Map changed since the last journal write. Records are often edited in place
// (a delivery gains an attempt, an intent changes status), so a write through `set` is not the
// only sign of change: every record handed out by `get` or by iteration counts as possibly changed
// and is journaled whole. Inserts, deletes and clears are recorded as they happen, so the journal
// can replay the Map's exact iteration order.

/** The changes of one tracked Map since the last journal write. */
export class MapChanges {
  /** Records handed out (or written) and the journal epoch in which that last happened. */
  readonly touched = new Map<string, number>();
  /** Keys inserted (not present before), in insertion order; a key may repeat. */
  appended: string[] = [];
  readonly deleted = new Set<string>();
  cleared = false;

  constructor(
    readonly map: Map<string, unknown>,
    private readonly clock: EpochSource,
  ) {}

  touch(id: string): void {
    if (this.clock.readOnly()) return;
    this.touched.set(id, this.clock.epoch);
    this.clock.active.add(this);
  }

  inserted(id: string): void {
    this.appended.push(id);
    this.clock.active.add(this);
  }

  removed(id: string): void {
    this.deleted.add(id);
    this.clock.active.add(this);
  }

  emptied(): void {
    this.cleared = true;
    this.appended = [];
    this.clock.active.add(this);
  }

  get pending(): boolean {
    return this.cleared || this.appended.length > 0 || this.deleted.size > 0 || this.touched.size > 0;
  }

  /**
   * The operations that turn the journaled Map into the live one, replayed with Map semantics:
   * `["c"]` clear, `["d", id]` delete, `["s", id, record]` set (an existing key keeps its place,
   * a new one goes last). Deletes come first, then in-place updates, then inserts in order.
   */
  operations(): MapOp[] {
    const ops: MapOp[] = [];
    const has = Map.prototype.has;
    const get = Map.prototype.get;
    if (this.cleared) ops.push(['c']);
    for (const id of this.deleted) ops.push(['d', id]);
    const inserts = new Map<string, true>();
    for (const id of this.appended) {
      inserts.delete(id);
      inserts.set(id, true);
    }
    for (const id of this.touched.keys()) {
      if (!inserts.has(id) && has.call(this.map, id)) ops.push(['s', id, get.call(this.map, id)]);
    }
    for (const id of inserts.keys()) if (has.call(this.map, id)) ops.push(['s', id, get.call(this.map, id)]);
    return ops;
  }

  /**
   * After a journal write: forgets what was written, but keeps records handed out since
   * `keepFrom` (an operation still running may hold them and edit them after this write).
   */
  written(keepFrom: number): void {
    this.cleared = false;
    this.appended = [];
    this.deleted.clear();
    for (const [id, epoch] of this.touched) if (epoch < keepFrom) this.touched.delete(id);
  }
}

export type MapOp = ['c'] | ['d', string] | ['s', string, unknown];

/** The journal's epoch counter and the set of Maps with pending changes (owned by persistence). */
export interface EpochSource {
  epoch: number;
  active: Set<MapChanges>;
  /** True while code that cannot change anything runs (a GET handler): its reads are not changes. */
  readOnly(): boolean;
}

const tracked = new WeakMap<Map<string, unknown>, MapChanges>();

export function changesOf(map: Map<string, unknown>): MapChanges | undefined {
  return tracked.get(map);
}

/** Marks a record as possibly changed (for code that edits a record it got earlier). */
export function touchRecord(map: Map<string, unknown>, id: string): void {
  tracked.get(map)?.touch(id);
}

/**
 * Starts tracking `map` (idempotent). Methods are wrapped as own properties of this one Map and
 * call whatever was there before, so other wrappers (index observers) keep working in any order.
 */
export function trackMap(map: Map<string, unknown>, clock: EpochSource): MapChanges {
  const existing = tracked.get(map);
  if (existing) return existing;
  const changes = new MapChanges(map, clock);
  tracked.set(map, changes);
  const has = Map.prototype.has;
  const prev = { get: map.get, set: map.set, delete: map.delete, clear: map.clear, values: map.values, entries: map.entries, forEach: map.forEach };
  const entries = function* (): IterableIterator<[string, unknown]> {
    for (const pair of prev.entries.call(map)) {
      changes.touch(pair[0]);
      yield pair;
    }
  };
  Object.defineProperties(map, {
    get: {
      configurable: true,
      writable: true,
      value(id: string) {
        const rec = prev.get.call(map, id);
        if (rec !== undefined) changes.touch(id);
        return rec;
      },
    },
    set: {
      configurable: true,
      writable: true,
      value(id: string, rec: unknown) {
        if (has.call(map, id)) changes.touch(id);
        else changes.inserted(id);
        prev.set.call(map, id, rec);
        return map;
      },
    },
    delete: {
      configurable: true,
      writable: true,
      value(id: string) {
        if (!has.call(map, id)) return false;
        changes.removed(id);
        return prev.delete.call(map, id);
      },
    },
    clear: {
      configurable: true,
      writable: true,
      value() {
        changes.emptied();
        prev.clear.call(map);
      },
    },
    entries: { configurable: true, writable: true, value: entries },
    [Symbol.iterator]: { configurable: true, writable: true, value: entries },
    values: {
      configurable: true,
      writable: true,
      value: function* () {
        for (const [id, rec] of entries()) yield rec;
      },
    },
    forEach: {
      configurable: true,
      writable: true,
      value(fn: (rec: unknown, id: string, m: Map<string, unknown>) => void, thisArg?: unknown) {
        for (const [id, rec] of entries()) fn.call(thisArg, rec, id, map);
      },
    },
  });
  return changes;
}
