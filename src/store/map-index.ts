// Secondary indexes over a namespace collection (`ns.db.<name>` Map), kept in step with it.
// An index is keyed on the Map's identity: snapshots/restores that swap `ns.db` get fresh,
// lazily built indexes; writes through set/delete/clear on an indexed Map update it in place.

/** One stored record plus its position in the Map's iteration order. */
export interface Entry<R> {
  readonly seq: number;
  rec: R;
  /** The group keys this entry is filed under (one per key function), so in-place edits can't strand it. */
  keys?: Array<string | null>;
}

/** Told about every write to an observed Map, after it happened. */
export interface MapObserver<R> {
  set(id: string, rec: R, previous: R | undefined): void;
  delete(id: string, previous: R): void;
  clear(): void;
}

const observers = new WeakMap<Map<string, unknown>, Map<string, MapObserver<unknown>>>();

/**
 * The observer registered on `map` under `name`, created (and filled from the Map's current
 * content by the factory) on first use. The Map's own set/delete/clear are wrapped once.
 */
export function observed<R, O extends MapObserver<R>>(map: Map<string, R>, name: string, factory: (map: Map<string, R>) => O): O {
  let byName = observers.get(map as Map<string, unknown>);
  if (!byName) {
    byName = new Map();
    observers.set(map as Map<string, unknown>, byName);
    wrap(map as Map<string, unknown>, byName);
  }
  let observer = byName.get(name) as O | undefined;
  if (!observer) {
    observer = factory(map);
    byName.set(name, observer as MapObserver<unknown>);
  }
  return observer;
}

function wrap(map: Map<string, unknown>, byName: Map<string, MapObserver<unknown>>): void {
  const { set, delete: del, clear } = Map.prototype;
  // Own properties shadow the prototype for this one Map; copies (new Map(m), structuredClone) are plain Maps.
  Object.defineProperties(map, {
    set: {
      configurable: true,
      writable: true,
      value(id: string, rec: unknown) {
        const previous = map.get(id);
        set.call(map, id, rec);
        for (const o of byName.values()) o.set(id, rec, previous);
        return map;
      },
    },
    delete: {
      configurable: true,
      writable: true,
      value(id: string) {
        if (!map.has(id)) return false;
        const previous = map.get(id);
        del.call(map, id);
        for (const o of byName.values()) o.delete(id, previous);
        return true;
      },
    },
    clear: {
      configurable: true,
      writable: true,
      value() {
        clear.call(map);
        for (const o of byName.values()) o.clear();
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

export function insertSorted<R>(list: Array<Entry<R>>, entry: Entry<R>): void {
  const last = list[list.length - 1];
  if (!last || last.seq < entry.seq) list.push(entry);
  else list.splice(seqPosition(list, entry.seq), 0, entry);
}

export function removeSorted<R>(list: Array<Entry<R>>, entry: Entry<R>): void {
  const at = seqPosition(list, entry.seq);
  if (list[at] === entry) list.splice(at, 1);
}

type KeyFn<R> = (rec: R) => string | null | undefined;

/**
 * Records in the Map's iteration order, plus named groups (records sharing a key, in the same
 * order), e.g. customers by type or by email, charges by customer.
 */
export class OrderedIndex<R> implements MapObserver<R> {
  private readonly byId = new Map<string, Entry<R>>();
  private all: Array<Entry<R>> = [];
  private readonly groups = new Map<string, Map<string, Array<Entry<R>>>>();
  private nextSeq = 0;
  private readonly names: string[];
  private readonly fns: Array<KeyFn<R>>;

  constructor(map: Map<string, R>, keys: Record<string, KeyFn<R>>) {
    this.names = Object.keys(keys);
    this.fns = Object.values(keys);
    for (const name of this.names) this.groups.set(name, new Map());
    for (const [id, rec] of map) this.set(id, rec);
  }

  /** All records, oldest first (the Map's order). Read-only: do not mutate. */
  entries(): ReadonlyArray<Entry<R>> {
    return this.all;
  }

  /** Records whose `name` key equals `key`, oldest first. */
  group(name: string, key: string): ReadonlyArray<Entry<R>> {
    return this.groups.get(name)?.get(key) ?? EMPTY;
  }

  entry(id: string): Entry<R> | undefined {
    return this.byId.get(id);
  }

  set(id: string, rec: R): void {
    const existing = this.byId.get(id);
    if (existing) {
      this.names.forEach((name, i) => {
        const before = existing.keys![i] ?? null;
        const after = this.fns[i]!(rec) ?? null;
        if (before === after) return;
        if (before !== null) this.ungroup(name, before, existing);
        if (after !== null) this.regroup(name, after, existing);
        existing.keys![i] = after;
      });
      existing.rec = rec;
      return;
    }
    const entry: Entry<R> = { seq: this.nextSeq++, rec, keys: this.fns.map((fn) => fn(rec) ?? null) };
    this.byId.set(id, entry);
    this.all.push(entry);
    this.names.forEach((name, i) => {
      const key = entry.keys![i];
      if (key != null) this.regroup(name, key, entry);
    });
  }

  delete(id: string): void {
    const entry = this.byId.get(id);
    if (!entry) return;
    this.byId.delete(id);
    removeSorted(this.all, entry);
    this.names.forEach((name, i) => {
      const key = entry.keys![i];
      if (key != null) this.ungroup(name, key, entry);
    });
  }

  clear(): void {
    this.byId.clear();
    this.all = [];
    for (const g of this.groups.values()) g.clear();
  }

  private regroup(name: string, key: string, entry: Entry<R>): void {
    const g = this.groups.get(name)!;
    const list = g.get(key);
    if (list) insertSorted(list, entry);
    else g.set(key, [entry]);
  }

  private ungroup(name: string, key: string, entry: Entry<R>): void {
    const g = this.groups.get(name)!;
    const list = g.get(key);
    if (!list) return;
    removeSorted(list, entry);
    if (list.length === 0) g.delete(key);
  }
}

const EMPTY: ReadonlyArray<never> = Object.freeze([]);
