// Column index of payment links per namespace (creation time, amount, active, search text), so
// list filters scan compact arrays instead of 100k scattered records. Rebuilt whenever the
// collection was replaced or changed size behind the payment-links module's back.
import type { Namespace } from '../store/namespace.js';

interface LinkFacts {
  id: string;
  active: boolean;
  computedAmount: number;
  _createdMs: number;
  _search: string;
}

interface LinkIndex {
  map: Map<string, unknown>;
  ids: string[];
  position: Map<string, number>;
  created: Float64Array;
  amount: Float64Array;
  active: Uint8Array;
  text: Int32Array;
  texts: string[];
  textIds: Map<string, number>;
}

const KEY = 'paymentLinks.index';

function grow<T extends Float64Array | Uint8Array | Int32Array>(a: T, size: number): T {
  if (size <= a.length) return a;
  const next = new (a.constructor as new (n: number) => T)(Math.max(size, a.length * 2, 1024));
  next.set(a);
  return next;
}

function put(index: LinkIndex, link: LinkFacts): void {
  let pos = index.position.get(link.id);
  if (pos === undefined) {
    pos = index.ids.length;
    index.ids.push(link.id);
    index.position.set(link.id, pos);
    index.created = grow(index.created, pos + 1);
    index.amount = grow(index.amount, pos + 1);
    index.active = grow(index.active, pos + 1);
    index.text = grow(index.text, pos + 1);
  }
  let textId = index.textIds.get(link._search);
  if (textId === undefined) {
    textId = index.texts.length;
    index.texts.push(link._search);
    index.textIds.set(link._search, textId);
  }
  index.created[pos] = link._createdMs;
  index.amount[pos] = link.computedAmount;
  index.active[pos] = link.active ? 1 : 0;
  index.text[pos] = textId;
}

function current(ns: Namespace): LinkIndex {
  const map = ns.db.paymentLinks as unknown as Map<string, LinkFacts>;
  const cached = ns.extensions.get(KEY) as LinkIndex | undefined;
  if (cached && cached.map === map && cached.ids.length === map.size) return cached;
  const index: LinkIndex = {
    map, ids: [], position: new Map(), created: new Float64Array(0), amount: new Float64Array(0), active: new Uint8Array(0),
    text: new Int32Array(0), texts: [], textIds: new Map(),
  };
  for (const link of map.values()) put(index, link);
  ns.extensions.set(KEY, index);
  return index;
}

/** Stores a created or updated link and keeps the index in step (no full rebuild per write). */
export function storeLink<T extends LinkFacts>(ns: Namespace, link: T): void {
  const index = current(ns);
  put(index, link);
  (index.map as Map<string, T>).set(link.id, link);
}

export interface LinkQuery {
  active?: boolean;
  amount?: (v: number) => boolean;
  created?: (ms: number) => boolean;
  terms: string[];
  offset: number;
  limit: number;
}

/** Ids of one page of matches, newest created first, and the number of all matches. */
export function queryLinks(ns: Namespace, q: LinkQuery): { ids: string[]; totalCount: number } {
  const index = current(ns);
  const textHit = q.terms.length > 0 ? index.texts.map((t) => q.terms.some((term) => t.includes(term))) : undefined;
  const wantActive = q.active === undefined ? -1 : q.active ? 1 : 0;
  const ids: string[] = [];
  let totalCount = 0;
  for (let i = index.ids.length - 1; i >= 0; i--) {
    if (wantActive >= 0 && index.active[i] !== wantActive) continue;
    if (textHit && !textHit[index.text[i]!]) continue;
    if (q.amount && !q.amount(index.amount[i]!)) continue;
    if (q.created && !q.created(index.created[i]!)) continue;
    if (totalCount >= q.offset && ids.length < q.limit) ids.push(index.ids[i]!);
    totalCount++;
  }
  return { ids, totalCount };
}
