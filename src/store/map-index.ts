// Secondary indexes over a namespace collection (`ns.db.<name>` Map), kept in step with it.
// An index is keyed on the Map's identity: snapshots/restores that swap `ns.db` get fresh,
// lazily built indexes; writes through set/delete/clear on an indexed Map update it in place.

/** Told about every write to an observed Map, after it happened. */
export interface MapObserver<R> {
  set(id: string, rec: R, previous: R | undefined): void;
  delete(id: string, previous: R): void;
  clear(): void;
}

interface Observers {
  byName: Map<string, MapObserver<unknown>>;
  /** The same observers in registration order, iterated on every write. */
  list: Array<MapObserver<unknown>>;
}

const observers = new WeakMap<Map<string, unknown>, Observers>();

/**
 * The observer registered on `map` under `name`, created (and filled from the Map's current
 * content by the factory) on first use. The Map's own set/delete/clear are wrapped once.
 */
export function observed<R, O extends MapObserver<R>>(map: Map<string, R>, name: string, factory: (map: Map<string, R>) => O): O {
  let found = observers.get(map as Map<string, unknown>);
  if (!found) {
    found = { byName: new Map(), list: [] };
    observers.set(map as Map<string, unknown>, found);
    wrap(map as Map<string, unknown>, found.list);
  }
  let observer = found.byName.get(name) as O | undefined;
  if (!observer) {
    observer = factory(map);
    found.byName.set(name, observer as MapObserver<unknown>);
    found.list.push(observer as MapObserver<unknown>);
  }
  return observer;
}

function wrap(map: Map<string, unknown>, list: Array<MapObserver<unknown>>): void {
  const get = Map.prototype.get;
  // Whatever set/delete/clear the Map has now (another wrapper, e.g. persistence's change tracking) stays in the chain.
  const { set, delete: del, clear } = map;
  // Own properties shadow the prototype for this one Map; copies (new Map(m), structuredClone) are plain Maps.
  Object.defineProperties(map, {
    set: {
      configurable: true,
      writable: true,
      value(id: string, rec: unknown) {
        const previous = get.call(map, id);
        set.call(map, id, rec);
        for (let i = 0; i < list.length; i++) list[i]!.set(id, rec, previous);
        return map;
      },
    },
    delete: {
      configurable: true,
      writable: true,
      value(id: string) {
        if (!map.has(id)) return false;
        const previous = get.call(map, id);
        del.call(map, id);
        for (let i = 0; i < list.length; i++) list[i]!.delete(id, previous);
        return true;
      },
    },
    clear: {
      configurable: true,
      writable: true,
      value() {
        clear.call(map);
        for (let i = 0; i < list.length; i++) list[i]!.clear();
      },
    },
  });
}

/** Position of `seq` in an ascending list of seqs, or where it would be inserted. */
export function seqPosition(list: ReadonlyArray<number>, seq: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid]! < seq) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Inserts in ascending order; a seq already present is not added twice. */
export function insertSorted(list: number[], seq: number): void {
  const n = list.length;
  if (n === 0 || list[n - 1]! < seq) list.push(seq);
  else {
    const at = seqPosition(list, seq);
    if (list[at] !== seq) list.splice(at, 0, seq);
  }
}

export function removeSorted(list: number[], seq: number): void {
  const at = seqPosition(list, seq);
  if (list[at] === seq) list.splice(at, 1);
}

type KeyFn<R> = (rec: R) => string | null | undefined;
/** Most keys (an email, a phone) hold one record: its seq stored bare, an array only once shared. */
type Slot = number | number[];

/**
 * Records in the Map's iteration order, plus named groups (records sharing a key, in the same
 * order), e.g. customers by type or by email, charges by customer. Every record gets a sequence
 * number when first stored; lists hold those numbers (plain small integers, no object per record),
 * and a record is read back through the Map by its id. Memory per record is two array slots and a
 * 4-byte id hash: no entry object and no second id Map. The price is that finding a record's seq
 * from its id scans the hashes (a tight loop over a typed array, newest first), paid only when a
 * record is deleted or a grouped or searched field changes.
 * Group keys are recomputed from the stored record; a record edited in place (against the store's
 * rules) is found by a scan.
 */
export class OrderedIndex<R> implements MapObserver<R> {
  /** Ids in the Map's order, and their seqs (ascending) at the same positions. */
  private ids: string[] = [];
  private seqs: number[] = [];
  /** A hash of each id at the same positions: scanning small integers is many times faster than comparing id strings. */
  private hashes = new Int32Array(INITIAL_CAPACITY);
  private readonly groups: Array<Map<string, Slot>>;
  private nextSeq = 0;
  private readonly names: string[];
  private readonly fns: Array<KeyFn<R>>;
  /** The record removed by the latest delete, so observers notified after this one can still place it. */
  private removed: { id: string; seq: number } | null = null;

  constructor(
    private readonly map: Map<string, R>,
    keys: Record<string, KeyFn<R>>,
  ) {
    this.names = Object.keys(keys);
    this.fns = Object.values(keys);
    this.groups = this.names.map(() => new Map());
    // The prototype's iterator: building an index reads records without handing them out to change.
    for (const [id, rec] of Map.prototype.entries.call(map) as IterableIterator<[string, R]>) this.set(id, rec, undefined);
  }

  /** Seqs of all records, oldest first (the Map's order). Read-only: do not mutate. */
  entries(): ReadonlyArray<number> {
    return this.seqs;
  }

  /** Seqs of the records whose `name` key equals `key`, oldest first. */
  group(name: string, key: string): ReadonlyArray<number> {
    const slot = this.groups[this.names.indexOf(name)]?.get(key);
    return slot === undefined ? EMPTY : typeof slot === 'number' ? [slot] : slot;
  }

  /** The stored record with this seq, or undefined once it is deleted. Read-only: do not mutate. */
  record(seq: number): R | undefined {
    const at = seqPosition(this.seqs, seq);
    return this.seqs[at] === seq ? (GET.call(this.map, this.ids[at]!) as R | undefined) : undefined;
  }

  /**
   * The seq of a stored id (or of the id deleted last). `filed` is the record as the groups
   * currently file it: its smallest group (one email, one customer's charges) is searched first.
   */
  seqOf(id: string, filed?: R): number | undefined {
    if (this.removed?.id === id && !MAP_HAS.call(this.map, id)) return this.removed.seq;
    const at = this.positionOf(id, filed);
    return at < 0 ? undefined : this.seqs[at];
  }

  private positionOf(id: string, filed: R | undefined): number {
    const smallest = filed === undefined ? undefined : this.smallestGroup(filed);
    // Each candidate costs a binary search; past that point the linear scan below is cheaper.
    if (smallest !== undefined && smallest.length * 20 < this.ids.length) {
      for (const seq of smallest) {
        const at = seqPosition(this.seqs, seq);
        if (this.seqs[at] === seq && this.ids[at] === id) return at;
      }
    }
    const h = hashId(id);
    const { hashes, ids } = this;
    for (let i = ids.length - 1; i >= 0; i--) if (hashes[i] === h && ids[i] === id) return i;
    return -1;
  }

  set(id: string, rec: R, previous: R | undefined): void {
    if (previous === undefined) {
      const seq = this.nextSeq++;
      const n = this.ids.length;
      if (n === this.hashes.length) {
        const grown = new Int32Array(n * 2);
        grown.set(this.hashes);
        this.hashes = grown;
      }
      this.hashes[n] = hashId(id);
      this.ids.push(id);
      this.seqs.push(seq);
      for (let i = 0; i < this.fns.length; i++) {
        const key = this.fns[i]!(rec);
        if (key != null) this.regroup(i, key, seq);
      }
      return;
    }
    let seq: number | undefined;
    for (let i = 0; i < this.fns.length; i++) {
      const fn = this.fns[i]!;
      const after = fn(rec) ?? null;
      const before = previous === rec ? undefined : (fn(previous) ?? null);
      if (before === after) continue;
      // Found before any group changes, through the groups that still file `previous`.
      seq ??= this.seqOf(id, previous);
      if (seq === undefined) return;
      if (before === undefined) this.purge(i, seq);
      else if (before !== null) this.ungroup(i, before, seq);
      if (after !== null) this.regroup(i, after, seq);
    }
  }

  delete(id: string, previous: R): void {
    const at = this.positionOf(id, previous);
    if (at < 0) return;
    const seq = this.seqs[at]!;
    this.hashes.copyWithin(at, at + 1, this.ids.length);
    this.ids.splice(at, 1);
    this.seqs.splice(at, 1);
    this.removed = { id, seq };
    for (let i = 0; i < this.fns.length; i++) {
      const key = this.fns[i]!(previous);
      if (key != null) this.ungroup(i, key, seq);
      else this.purge(i, seq);
    }
  }

  clear(): void {
    this.ids = [];
    this.seqs = [];
    this.hashes = new Int32Array(INITIAL_CAPACITY);
    this.removed = null;
    for (const g of this.groups) g.clear();
  }

  private smallestGroup(rec: R): ReadonlyArray<number> | undefined {
    let best: ReadonlyArray<number> | undefined;
    for (let i = 0; i < this.fns.length; i++) {
      const key = this.fns[i]!(rec);
      const slot = key == null ? undefined : this.groups[i]!.get(key);
      if (slot === undefined) continue;
      if (typeof slot === 'number') return [slot];
      if (!best || slot.length < best.length) best = slot;
    }
    return best;
  }

  private regroup(i: number, key: string, seq: number): void {
    const g = this.groups[i]!;
    const slot = g.get(key);
    if (slot === undefined) g.set(key, seq);
    else if (typeof slot !== 'number') insertSorted(slot, seq);
    else if (slot !== seq) {
      const list = [slot];
      insertSorted(list, seq);
      g.set(key, list);
    }
  }

  private ungroup(i: number, key: string, seq: number): void {
    const g = this.groups[i]!;
    const slot = g.get(key);
    if (slot === seq) g.delete(key);
    else if (typeof slot !== 'number' && slot !== undefined && slot[seqPosition(slot, seq)] === seq) {
      removeSorted(slot, seq);
      if (slot.length === 0) g.delete(key);
    } else this.purge(i, seq); // filed under a key the record no longer shows
  }

  private purge(i: number, seq: number): void {
    const g = this.groups[i]!;
    for (const [key, slot] of g) {
      if (slot === seq) g.delete(key);
      else if (typeof slot !== 'number') {
        removeSorted(slot, seq);
        if (slot.length === 0) g.delete(key);
      }
    }
  }
}

const INITIAL_CAPACITY = 16;

/** FNV-1a over the id's UTF-16 code units: cheap, and spreads ids that share a prefix. */
function hashId(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  return h | 0;
}

const GET = Map.prototype.get;
const MAP_HAS = Map.prototype.has;
const EMPTY: ReadonlyArray<never> = Object.freeze([]);
