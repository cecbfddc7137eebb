// Indexes over a namespace's customers: Map order, type, normalized email/phone, and a trigram
// index for `search` (built on the first search). Lists, searches and duplicate checks cost
// O(page + matches) instead of a scan of every customer.
import { normalizeEmail, normalizePhone } from '../core/contact.js';
import { matchesAnyTerm } from '../core/pagination.js';
import type { Namespace } from './namespace.js';
import type { CustomerRecord } from './types.js';
import { insertSorted, observed, OrderedIndex, removeSorted, type Entry, type MapObserver } from './map-index.js';

type Customers = Map<string, CustomerRecord>;

function ordered(map: Customers): OrderedIndex<CustomerRecord> {
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
  return best?.rec;
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
  if (terms.every((t) => t.length >= GRAM)) {
    const grams = observed(ns.db.customers, 'customers:grams', (m) => new GramIndex(m, ordered(m)));
    candidates = grams.candidates(terms);
  }
  const matches: Array<Entry<CustomerRecord>> = [];
  for (const e of candidates) {
    const c = e.rec;
    if (type && c.type !== type) continue;
    if (matchesAnyTerm(terms, [c.id, c.name, c.email, c.phone])) matches.push(e);
  }
  return newestFirst(matches);
}

const GRAM = 3;

function gramsOf(c: CustomerRecord): Set<string> {
  const out = new Set<string>();
  for (const field of [c.id, c.name, c.email, c.phone]) {
    if (field == null) continue;
    const text = field.toLowerCase();
    for (let i = 0; i + GRAM <= text.length; i++) out.add(text.slice(i, i + GRAM));
  }
  return out;
}

/**
 * Trigram → customers whose id, name, email or phone (lower-cased) contains it. A term of
 * three or more characters can only match customers listed under every one of its trigrams,
 * so the shortest such list is a complete candidate set; candidates are then checked exactly.
 */
class GramIndex implements MapObserver<CustomerRecord> {
  private readonly postings = new Map<string, Array<Entry<CustomerRecord>>>();
  /** What each customer is filed under, so updates and deletes remove exactly that. */
  private readonly filed = new Map<string, { e: Entry<CustomerRecord>; grams: Set<string> }>();

  constructor(
    map: Customers,
    private readonly order: OrderedIndex<CustomerRecord>,
  ) {
    for (const [id] of map) this.set(id);
  }

  candidates(terms: string[]): ReadonlyArray<Entry<CustomerRecord>> {
    const lists = terms.map((t) => this.shortestList(t));
    if (lists.length === 1) return lists[0]!;
    const union = new Set<Entry<CustomerRecord>>();
    for (const list of lists) for (const e of list) union.add(e);
    return [...union].sort((a, b) => a.seq - b.seq);
  }

  private shortestList(term: string): ReadonlyArray<Entry<CustomerRecord>> {
    let best: ReadonlyArray<Entry<CustomerRecord>> | undefined;
    for (let i = 0; i + GRAM <= term.length; i++) {
      const list = this.postings.get(term.slice(i, i + GRAM)) ?? [];
      if (!best || list.length < best.length) best = list;
      if (best.length === 0) break;
    }
    return best ?? [];
  }

  set(id: string): void {
    const e = this.order.entry(id);
    if (!e) return;
    this.delete(id);
    this.add(id, e);
  }

  delete(id: string): void {
    const filed = this.filed.get(id);
    if (!filed) return;
    this.filed.delete(id);
    for (const g of filed.grams) {
      const list = this.postings.get(g);
      if (!list) continue;
      removeSorted(list, filed.e);
      if (list.length === 0) this.postings.delete(g);
    }
  }

  clear(): void {
    this.postings.clear();
    this.filed.clear();
  }

  private add(id: string, e: Entry<CustomerRecord>): void {
    const grams = gramsOf(e.rec);
    this.filed.set(id, { e, grams });
    for (const g of grams) {
      const list = this.postings.get(g);
      if (list) insertSorted(list, e);
      else this.postings.set(g, [e]);
    }
  }
}
