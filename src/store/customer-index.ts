// Indexes over a namespace's customers: Map order, type, normalized email/phone, and a 2-/3-gram
// index for `search` (built on the first search). Lists, searches and duplicate checks cost
// O(page + matches) instead of a scan of every customer.
import { normalizeEmail, normalizePhone } from '../core/contact.js';
import { matchesAnyTerm } from '../core/pagination.js';
import type { Namespace } from './namespace.js';
import type { CustomerRecord } from './types.js';
import { insertSorted, observed, OrderedIndex, removeSorted, type MapObserver } from './map-index.js';

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
  let best: { seq: number; id: string } | undefined;
  for (const [name, key] of [['email', email], ['phone', phone]] as const) {
    if (!key) continue;
    for (const seq of index.group(name, key)) {
      const id = index.record(seq)?.id;
      if (id === undefined || id === except) continue;
      if (!best || seq < best.seq) best = { seq, id };
      break;
    }
  }
  // Read back through the Map: the caller may edit the customer, and persistence watches Map reads.
  return best ? ns.db.customers.get(best.id) : undefined;
}

/** A newest-first result: its size and any slice of it. */
export interface ResultView<R> {
  totalCount: number;
  slice(start: number, end: number): R[];
}

/** `list` holds seqs of stored customers (oldest first); a page reads its records back from the index. */
function newestFirst(index: OrderedIndex<CustomerRecord>, list: ReadonlyArray<number>): ResultView<CustomerRecord> {
  return {
    totalCount: list.length,
    slice(start, end) {
      const out: CustomerRecord[] = [];
      for (let i = list.length - 1 - start; i >= 0 && i > list.length - 1 - end; i--) out.push(index.record(list[i]!)!);
      return out;
    },
  };
}

/** Customers matching an optional type and any of the (lower-cased) search terms, newest first. */
export function queryCustomers(ns: Namespace, terms: string[], type: string | undefined): ResultView<CustomerRecord> {
  const index = ordered(ns.db.customers);
  const pool = type ? index.group('type', type) : index.entries();
  if (terms.length === 0) return newestFirst(index, pool);
  let candidates: ReadonlyArray<number> = pool;
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
  const matches: number[] = [];
  for (const seq of candidates) {
    // Gram lists may hold stale seqs after in-place edits; the live index has the final word.
    const c = fromGrams ? index.record(seq) : index.record(seq)!;
    if (!c) continue;
    if (type && c.type !== type) continue;
    if (matchesAnyTerm(terms, [c.id, c.name, c.email, c.phone])) matches.push(seq);
  }
  return newestFirst(index, matches);
}

function union(lists: Array<ReadonlyArray<number>>): number[] {
  const all = new Set<number>();
  for (const list of lists) for (const seq of list) all.add(seq);
  return [...all].sort((a, b) => a - b);
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
  /** Gram → seqs (ascending) of the customers showing it. */
  private readonly lists = new Map<number, number[]>();

  constructor(
    private readonly order: OrderedIndex<CustomerRecord>,
    private readonly size: 2 | 3,
  ) {
    for (const seq of order.entries()) this.walk(order.record(seq)!, seq, true);
  }

  shortestList(term: string): ReadonlyArray<number> {
    let best: ReadonlyArray<number> | undefined;
    for (let i = 0; i + this.size <= term.length; i++) {
      const list = this.lists.get(gramAt(term, i, this.size)) ?? EMPTY;
      if (!best || list.length < best.length) best = list;
      if (best.length === 0) break;
    }
    return best ?? EMPTY;
  }

  set(id: string, rec: CustomerRecord, previous: CustomerRecord | undefined): void {
    // Most edits leave every searchable field as it was: nothing to refile, no seq to look up.
    if (previous && previous !== rec && SEARCHED.every((f) => previous[f] === rec[f])) return;
    // The ordered index has filed `rec` already (it observes first).
    const seq = this.order.seqOf(id, rec);
    if (seq === undefined) return;
    if (previous && previous !== rec) this.walk(previous, seq, false);
    this.walk(rec, seq, true);
  }

  delete(id: string, previous: CustomerRecord): void {
    // The ordered index has dropped the record already but still answers for the id it deleted last.
    const seq = this.order.seqOf(id);
    if (seq !== undefined) this.walk(previous, seq, false);
  }

  clear(): void {
    this.lists.clear();
  }

  /** Files (or unfiles) `e` under every gram of the record's searchable fields; both are idempotent. */
  private walk(c: CustomerRecord, seq: number, add: boolean): void {
    for (const field of SEARCHED.map((f) => c[f])) {
      if (field == null) continue;
      const text = field.toLowerCase();
      for (let i = 0; i + this.size <= text.length; i++) {
        const gram = gramAt(text, i, this.size);
        const list = this.lists.get(gram);
        if (add) {
          if (list) insertSorted(list, seq);
          else this.lists.set(gram, [seq]);
        } else if (list) {
          removeSorted(list, seq);
          if (list.length === 0) this.lists.delete(gram);
        }
      }
    }
  }
}

/** The fields `search` looks in. */
const SEARCHED = ['id', 'name', 'email', 'phone'] as const;
const EMPTY: ReadonlyArray<never> = Object.freeze([]);
