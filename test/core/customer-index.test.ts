// The customer indexes must give exactly what a full scan gives, whatever writes happen to the Map.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { normalizeEmail, normalizePhone } from '../../src/core/contact.js';
import { matchesAnyTerm } from '../../src/core/pagination.js';
import { firstByContact, queryCustomers } from '../../src/store/customer-index.js';
import type { Namespace } from '../../src/store/namespace.js';
import type { CustomerRecord } from '../../src/store/types.js';

const NAMES = ['Amina Hassan', 'Omar Farouk', 'Laila', null, 'NOUR ali', 'İbrahim'];
const EMAILS = ['a@x.com', 'B@x.com', 'nour@example.com', null, 'amina@EXAMPLE.com'];
const PHONES = ['+201001234567', '01001234567', '+201112223334', null];

function customer(id: string, n: number): CustomerRecord {
  return {
    id,
    object: 'customer',
    type: n % 3 === 0 ? 'guest' : 'registered',
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    name: NAMES[n % NAMES.length]!,
    email: EMAILS[(n >> 1) % EMAILS.length]!,
    phone: PHONES[(n >> 2) % PHONES.length]!,
    address: null,
    guestFingerprint: null,
    metadata: null,
    merchantId: 'merch_x',
    _currency: 'EGP',
  };
}

function scanQuery(map: Map<string, CustomerRecord>, terms: string[], type?: string): string[] {
  const out: string[] = [];
  for (const c of map.values()) {
    if (type && c.type !== type) continue;
    if (matchesAnyTerm(terms, [c.id, c.name, c.email, c.phone])) out.push(c.id);
  }
  return out.reverse();
}

function scanContact(map: Map<string, CustomerRecord>, email: string | null, phone: string | null): string | undefined {
  for (const c of map.values()) {
    if (email && c.email && normalizeEmail(c.email) === email) return c.id;
    if (phone && c.phone && normalizePhone(c.phone) === phone) return c.id;
  }
  return undefined;
}

const op = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), id: fc.integer({ min: 0, max: 12 }), n: fc.nat(200) }),
  fc.record({ kind: fc.constant('delete' as const), id: fc.integer({ min: 0, max: 12 }) }),
  fc.record({ kind: fc.constant('edit-in-place' as const), id: fc.integer({ min: 0, max: 12 }), n: fc.nat(200) }),
  fc.record({ kind: fc.constant('query' as const), terms: fc.subarray(['am', 'ami', 'x.com', 'cus_1', '0123', 'nour', 'i̇b', 'zzz', 'a']), type: fc.constantFrom(undefined, 'guest', 'registered') }),
  fc.record({ kind: fc.constant('contact' as const), e: fc.constantFrom(null, 'a@x.com', 'b@x.com', 'amina@example.com'), p: fc.constantFrom(null, '+201001234567', '+201112223334') }),
  fc.record({ kind: fc.constant('swap' as const) }),
  fc.record({ kind: fc.constant('clear' as const) }),
);

describe('customer indexes', () => {
  it('answer lists, searches and contact look-ups exactly like a scan after any sequence of writes', () => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 10, maxLength: 80, size: 'max' }), (ops) => {
        const ns = { db: { customers: new Map<string, CustomerRecord>() } } as unknown as Namespace;
        for (const o of ops) {
          const map = ns.db.customers;
          if (o.kind === 'set') map.set(`cus_${o.id}`, customer(`cus_${o.id}`, o.n));
          else if (o.kind === 'delete') map.delete(`cus_${o.id}`);
          else if (o.kind === 'edit-in-place') {
            // Against the store's rules, but a later set() of the same object must still re-file it.
            const rec = map.get(`cus_${o.id}`);
            if (rec) map.set(rec.id, Object.assign(rec, { ...customer(rec.id, o.n), id: rec.id }));
          }
          else if (o.kind === 'clear') map.clear();
          else if (o.kind === 'swap') ns.db.customers = new Map(map); // what a snapshot restore does
          else if (o.kind === 'contact') expect(firstByContact(ns, o.e, o.p)?.id).toBe(scanContact(map, o.e, o.p));
          else {
            const found = queryCustomers(ns, o.terms, o.type);
            const expected = scanQuery(map, o.terms, o.type);
            expect(found.totalCount).toBe(expected.length);
            expect(found.slice(0, 1000).map((c) => c.id)).toEqual(expected);
            expect(found.slice(1, 3).map((c) => c.id)).toEqual(expected.slice(1, 3));
          }
        }
      }),
      { numRuns: 400 },
    );
  });

  it('stay exact in a large store, where a changed or deleted customer is found through its email or phone group', () => {
    // Hundreds of customers, three to an email or a phone: the index locates an edited record through
    // that small group instead of scanning; customers with neither take the scan.
    const unique = (i: number, n: number): CustomerRecord => ({
      ...customer(`cus_${i}`, n),
      email: i % 5 === 0 ? null : `user${Math.floor(i / 3)}.${n}@example.com`,
      phone: i % 5 === 0 && i % 10 !== 0 ? `+2010${String(Math.floor(i / 3) * 1000 + n).padStart(8, '0')}` : null,
    });
    const bigOp = fc.oneof(
      fc.record({ kind: fc.constant('set' as const), id: fc.integer({ min: 0, max: 399 }), n: fc.nat(3) }),
      fc.record({ kind: fc.constant('delete' as const), id: fc.integer({ min: 0, max: 399 }) }),
      fc.record({ kind: fc.constant('search' as const), id: fc.integer({ min: 0, max: 399 }), n: fc.nat(3) }),
    );
    fc.assert(
      fc.property(fc.array(bigOp, { minLength: 20, maxLength: 120 }), (ops) => {
        const ns = { db: { customers: new Map<string, CustomerRecord>() } } as unknown as Namespace;
        const map = ns.db.customers;
        for (let i = 0; i < 400; i++) map.set(`cus_${i}`, unique(i, 0));
        expect(queryCustomers(ns, ['user1'], undefined).totalCount).toBe(scanQuery(map, ['user1']).length); // builds the gram index
        for (const o of ops) {
          if (o.kind === 'set') map.set(`cus_${o.id}`, unique(o.id, o.n));
          else if (o.kind === 'delete') map.delete(`cus_${o.id}`);
          else {
            const { email, phone } = unique(o.id, o.n);
            expect(firstByContact(ns, email && normalizeEmail(email), phone && normalizePhone(phone))?.id).toBe(
              scanContact(map, email && normalizeEmail(email), phone && normalizePhone(phone)),
            );
            const terms = [`user${Math.floor(o.id / 3)}.`];
            expect(queryCustomers(ns, terms, undefined).slice(0, 1000).map((c) => c.id)).toEqual(scanQuery(map, terms));
            expect(queryCustomers(ns, [], 'guest').slice(0, 1000).map((c) => c.id)).toEqual(scanQuery(map, [], 'guest'));
          }
        }
        expect(queryCustomers(ns, [], undefined).slice(0, 1000).map((c) => c.id)).toEqual(scanQuery(map, []));
      }),
      { numRuns: 60 },
    );
  });

  it('keeps a customer findable by its new email after the record is replaced', () => {
    const ns = { db: { customers: new Map<string, CustomerRecord>() } } as unknown as Namespace;
    ns.db.customers.set('cus_1', customer('cus_1', 0));
    expect(queryCustomers(ns, ['amina'], undefined).totalCount).toBe(1);
    ns.db.customers.set('cus_1', { ...customer('cus_1', 0), name: 'Someone Else', email: 'new@y.org' });
    expect(queryCustomers(ns, ['amina'], undefined).totalCount).toBe(0);
    expect(queryCustomers(ns, ['new@y'], undefined).slice(0, 1)[0]!.email).toBe('new@y.org');
    expect(firstByContact(ns, 'new@y.org', null)?.id).toBe('cus_1');
    expect(firstByContact(ns, 'a@x.com', null)).toBeUndefined();
  });
});
