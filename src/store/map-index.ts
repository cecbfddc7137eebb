// Secondary indexes over a namespace collection (`ns.db.<name>` Map), kept in step with it.
// An index is keyed on the Map's identity: snapshots/restores that swap `ns.db` get fresh,
// lazily built indexes; writes through set/delete/clear on an indexed Map update it in place.

/** One stored record plus its position in the Map's iteration order. */
export interface Entry<R> {
  readonly seq: number;
  rec: R;
}

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

/** Position of the entry with `seq` in a seq-sorted list, or where it would be inserted. */
export function seqPosition<R>(list: ReadonlyArray<Entry<R>>, seq: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid]!.seq < seq) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Inserts in seq order; an entry already present is not added twice. */
export function insertSorted<R>(list: Array<Entry<R>>, entry: Entry<R>): void {
  const last = list[list.length - 1];
  if (!last || last.seq < entry.seq) list.push(entry);
  else {
    const at = seqPosition(list, entry.seq);
    if (list[at] !== entry) list.splice(at, 0, entry);
  }
}

export function removeSorted<R>(list: Array<Entry<R>>, entry: Entry<R>): void {
  const at = seqPosition(list, entry.seq);
  if (list[at] === entry) list.splice(at, 1);
}

type KeyFn<R> = (rec: R) => string | null | undefined;
/** Most keys (an email, a phone) hold one record: stored bare, an array only once shared. */
type Slot<R> = Entry<R> | Array<Entry<R>>;

/**
 * Records in the Map's iteration order, plus named groups (records sharing a key, in the same
 * order), e.g. customers by type or by email, charges by customer. Group keys are recomputed
 * from the stored record; a record edited in place (against the store's rules) is found by a scan.
 */
export class OrderedIndex<R> implements MapObserver<R> {
  private readonly byId = new Map<string, Entry<R>>();
  private all: Array<Entry<R>> = [];
  private readonly groups: Array<Map<string, Slot<R>>>;
  private nextSeq = 0;
  private readonly names: string[];
  private readonly fns: Array<KeyFn<R>>;

  constructor(map: Map<string, R>, keys: Record<string, KeyFn<R>>) {
    this.names = Object.keys(keys);
    this.fns = Object.values(keys);
    this.groups = this.names.map(() => new Map());
    // The prototype's iterator: building an index reads records without handing them out to change.
    for (const [id, rec] of Map.prototype.entries.call(map) as IterableIterator<[string, R]>) this.set(id, rec);
  }

  /** All records, oldest first (the Map's order). Read-only: do not mutate. */
  entries(): ReadonlyArray<Entry<R>> {
    return this.all;
  }

  /** Records whose `name` key equals `key`, oldest first. */
  group(name: string, key: string): ReadonlyArray<Entry<R>> {
    const slot = this.groups[this.names.indexOf(name)]?.get(key);
    return slot === undefined ? EMPTY : Array.isArray(slot) ? slot : [slot];
  }

  entry(id: string): Entry<R> | undefined {
    return this.byId.get(id);
  }

  set(id: string, rec: R): void {
    const existing = this.byId.get(id);
    if (existing) {
      for (let i = 0; i < this.fns.length; i++) {
        const fn = this.fns[i]!;
        const after = fn(rec) ?? null;
        if (existing.rec === rec) this.purge(i, existing);
        else {
          const before = fn(existing.rec) ?? null;
          if (before === after) continue;
          if (before !== null) this.ungroup(i, before, existing);
        }
        if (after !== null) this.regroup(i, after, existing);
      }
      existing.rec = rec;
      return;
    }
    const entry: Entry<R> = { seq: this.nextSeq++, rec };
    this.byId.set(id, entry);
    this.all.push(entry);
    for (let i = 0; i < this.fns.length; i++) {
      const key = this.fns[i]!(rec);
      if (key != null) this.regroup(i, key, entry);
    }
  }

  delete(id: string): void {
    const entry = this.byId.get(id);
    if (!entry) return;
    this.byId.delete(id);
    removeSorted(this.all, entry);
    for (let i = 0; i < this.fns.length; i++) {
      const key = this.fns[i]!(entry.rec);
      if (key != null) this.ungroup(i, key, entry);
      else this.purge(i, entry);
    }
  }

  clear(): void {
    this.byId.clear();
    this.all = [];
    for (const g of this.groups) g.clear();
  }

  private regroup(i: number, key: string, entry: Entry<R>): void {
    const g = this.groups[i]!;
    const slot = g.get(key);
    if (slot === undefined) g.set(key, entry);
    else if (Array.isArray(slot)) insertSorted(slot, entry);
    else if (slot !== entry) {
      const list = [slot];
      insertSorted(list, entry);
      g.set(key, list);
    }
  }

  private ungroup(i: number, key: string, entry: Entry<R>): void {
    const g = this.groups[i]!;
    const slot = g.get(key);
    if (slot === entry) g.delete(key);
    else if (Array.isArray(slot) && slot[seqPosition(slot, entry.seq)] === entry) {
      removeSorted(slot, entry);
      if (slot.length === 0) g.delete(key);
    } else this.purge(i, entry); // filed under a key the record no longer shows
  }

  private purge(i: number, entry: Entry<R>): void {
    const g = this.groups[i]!;
    for (const [key, slot] of g) {
      if (slot === entry) g.delete(key);
      else if (Array.isArray(slot)) {
        removeSorted(slot, entry);
        if (slot.length === 0) g.delete(key);
      }
    }
  }
}

const EMPTY: ReadonlyArray<never> = Object.freeze([]);
