// Indexes over a namespace's customers: Map order, type, normalized email/phone, and a 2-/3-gram
// index for `search` (built on the first search). Lists, searches and duplicate checks cost
// O(page + matches) instead of a scan of every customer.
import { normalizeEmail, normalizePhone } from '../core/contact.js';
import { matchesAnyTerm } from '../core/pagination.js';
import type { Namespace } from './namespace.js';
import type { CustomerRecord } from './types.js';
import { insertSorted, observed, OrderedIndex, removeSorted, type Entry, type MapObserver } from './map-index.js';

function ordered(map: Map<string, CustomerRecord>): OrderedIndex<CustomerRecord> {
  return observed(map, 'customers', (m) =>
    new OrderedIndex(m, {
      type: (c) => c.type,
      email: (c) => (c.email ? normalizeEmail(c.email) : null),
      phone: (c) => (c.phone ? normalizePhone(c.phone) : null),
    }),
  );
}

/** The first customer in store order (skipping `except`) using this normalized email or phone. */
export function firstByContact(ns: Namespace, email: string | null, phone: string | null, except?: string): CustomerRecord | undefined {
  const index = ordered(ns.db.customers);
  let best: Entry<CustomerRecord> | undefined;
  for (const [name, key] of [['email', email], ['phone', phone]] as const) {
    if (!key) continue;
    for (const e of index.group(name, key)) {
      if (e.rec.id === except) continue;
      if (!best || e.seq < best.seq) best = e;
      break;
    }
  }
  // Read back through the Map: the caller may edit the customer, and persistence watches Map reads.
  return best ? ns.db.customers.get(best.rec.id) : undefined;
}

/** A newest-first result: its size and any slice of it. */
export interface ResultView<R> {
  totalCount: number;
  slice(start: number, end: number): R[];
}

function newestFirst(list: ReadonlyArray<Entry<CustomerRecord>>): ResultView<CustomerRecord> {
  return {
    totalCount: list.length,
    slice(start, end) {
      const out: CustomerRecord[] = [];
      for (let i = list.length - 1 - start; i >= 0 && i > list.length - 1 - end; i--) out.push(list[i]!.rec);
      return out;
    },
  };
}

/** Customers matching an optional type and any of the (lower-cased) search terms, newest first. */
export function queryCustomers(ns: Namespace, terms: string[], type: string | undefined): ResultView<CustomerRecord> {
  const index = ordered(ns.db.customers);
  const pool = type ? index.group('type', type) : index.entries();
  if (terms.length === 0) return newestFirst(pool);
  let candidates: ReadonlyArray<Entry<CustomerRecord>> = pool;
  let fromGrams = false;
  if (terms.every((t) => t.length >= 2)) {
    // Two-character terms read the bigram index, longer ones the trigram index (rarer grams, shorter lists).
    const lists = terms.map((t) => {
      const size = t.length === 2 ? 2 : 3;
      return observed(ns.db.customers, `customers:grams${size}`, (m) => new GramIndex(ordered(m), size)).shortestList(t);
    });
    candidates = lists.length === 1 ? lists[0]! : union(lists);
    fromGrams = true;
  }
  const matches: Array<Entry<CustomerRecord>> = [];
  for (const e of candidates) {
    const c = e.rec;
    if (type && c.type !== type) continue;
    // Gram lists may hold stale entries after in-place edits; the live index has the final word.
    if (fromGrams && index.entry(c.id) !== e) continue;
    if (matchesAnyTerm(terms, [c.id, c.name, c.email, c.phone])) matches.push(e);
  }
  return newestFirst(matches);
}

function union(lists: Array<ReadonlyArray<Entry<CustomerRecord>>>): Array<Entry<CustomerRecord>> {
  const all = new Set<Entry<CustomerRecord>>();
  for (const list of lists) for (const e of list) all.add(e);
  return [...all].sort((a, b) => a.seq - b.seq);
}

// Grams are hashed into small integers (V8 keeps them unboxed, unlike 48-bit exact codes); two
// grams sharing a hash only merge their lists, which the exact check afterwards absorbs.
const MOD = 1_073_741_789; // a prime below 2^30

function gramAt(text: string, i: number, size: 2 | 3): number {
  const ab = text.charCodeAt(i) * 65_599 + text.charCodeAt(i + 1);
  return (size === 2 ? ab : ab * 1031 + text.charCodeAt(i + 2)) % MOD;
}

/**
 * Gram → customers whose id, name, email or phone (lower-cased) contains it, one index per gram
 * size, each built on the first search that needs it. A term can only match customers listed
 * under every one of its grams, so the shortest such list is a complete candidate set;
 * candidates are then checked exactly.
 */
class GramIndex implements MapObserver<CustomerRecord> {
  private readonly lists = new Map<number, Array<Entry<CustomerRecord>>>();

  constructor(
    private readonly order: OrderedIndex<CustomerRecord>,
    private readonly size: 2 | 3,
  ) {
    for (const e of order.entries()) this.walk(e.rec, e, true);
  }

  shortestList(term: string): ReadonlyArray<Entry<CustomerRecord>> {
    let best: ReadonlyArray<Entry<CustomerRecord>> | undefined;
    for (let i = 0; i + this.size <= term.length; i++) {
      const list = this.lists.get(gramAt(term, i, this.size)) ?? EMPTY;
      if (!best || list.length < best.length) best = list;
      if (best.length === 0) break;
    }
    return best ?? EMPTY;
  }

  set(id: string, rec: CustomerRecord, previous: CustomerRecord | undefined): void {
    const e = this.order.entry(id);
    if (!e) return;
    if (previous && previous !== rec) this.walk(previous, e, false);
    this.walk(rec, e, true);
  }

  delete(_id: string, previous: CustomerRecord): void {
    // The ordered index has dropped the entry already: find it under its id's first gram.
    const id = previous.id.toLowerCase();
    if (id.length < this.size) return;
    const entry = this.lists.get(gramAt(id, 0, this.size))?.find((x) => x.rec === previous);
    if (entry) this.walk(previous, entry, false);
  }

  clear(): void {
    this.lists.clear();
  }

  /** Files (or unfiles) `e` under every gram of the record's searchable fields; both are idempotent. */
  private walk(c: CustomerRecord, e: Entry<CustomerRecord>, add: boolean): void {
    for (const field of [c.id, c.name, c.email, c.phone]) {
      if (field == null) continue;
      const text = field.toLowerCase();
      for (let i = 0; i + this.size <= text.length; i++) {
        const gram = gramAt(text, i, this.size);
        const list = this.lists.get(gram);
        if (add) {
          if (list) insertSorted(list, e);
          else this.lists.set(gram, [e]);
        } else if (list) {
          removeSorted(list, e);
          if (list.length === 0) this.lists.delete(gram);
        }
      }
    }
  }
}

const EMPTY: ReadonlyArray<never> = Object.freeze([]);
