// Caps on what one request may store (src/control/limits.ts): line items, custom fields, dropdown
// options and metadata, each refused with 400 parameter_out_of_range naming the field and the
// limit, leaving nothing behind; `--limit` moves each cap.
import { afterEach, describe, expect, it } from 'vitest';
import { expectError, startTestSim, TEST_KEY, type TestSim } from '../helpers/sim.js';
import type { Limits } from '../../src/control/limits.js';

let sim: TestSim | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

async function simWith(limits: Partial<Limits> = {}): Promise<TestSim> {
  sim = await startTestSim({ limits });
  return sim;
}

const redirect = { type: 'redirect', redirect: { url: 'https://shop.example/done' } };
const line = (i: number) => ({ priceData: { currency: 'EGP', unitAmount: 100 + i, productData: { name: `Item ${i}` } }, quantity: 1 });
const lines = (n: number) => Array.from({ length: n }, (_, i) => line(i));
const field = (i: number) => ({ label: `Field ${i}`, type: 'TEXT' });
const linkBody = (extra: Record<string, unknown> = {}) => ({
  lineItems: [{ priceId: 'price_coffee_beans_egp', quantity: 1 }],
  afterCompletion: { type: 'hosted_confirmation', hostedConfirmation: { customMessage: 'Thanks' } },
  ...extra,
});
const keys = (n: number, prefix = 'k') => Object.fromEntries(Array.from({ length: n }, (_, i) => [`${prefix}${i}`, 'v']));

function expectCap(res: Awaited<ReturnType<TestSim['post']>>, param: string, limit: string, max: number): void {
  const error = expectError(res, 400, 'parameter_out_of_range', param);
  expect(error.message).toContain(`maximum is ${max} (limit ${limit})`);
}

const sessionCount = (s: TestSim) => s.sim.namespaces.get(TEST_KEY)?.db.checkoutSessions.size ?? 0;

describe('line items', () => {
  it('takes 100 line items in a session and refuses 101, storing nothing', async () => {
    const s = await simWith();
    const ok = await s.post('/checkout/sessions', { afterCompletion: redirect, lineItems: lines(100) });
    expect(ok.status).toBe(201);
    expect(ok.body.lineItems).toHaveLength(100);
    const before = sessionCount(s);
    expectCap(await s.post('/checkout/sessions', { afterCompletion: redirect, lineItems: lines(101) }), 'lineItems', 'lineItems', 100);
    expect(sessionCount(s)).toBe(before);
  });

  it('applies the cap to session updates and payment links, and follows --limit lineItems', async () => {
    const s = await simWith({ lineItems: 2 });
    const created = await s.post('/checkout/sessions', { afterCompletion: redirect, lineItems: lines(2) });
    expect(created.status).toBe(201);
    expectCap(await s.patch(`/checkout/sessions/${created.body.id}`, { lineItems: lines(3) }), 'lineItems', 'lineItems', 2);
    expect((await s.get(`/checkout/sessions/${created.body.id}`)).body.lineItems).toHaveLength(2);
    const link = linkBody({ lineItems: Array.from({ length: 3 }, () => ({ priceId: 'price_coffee_beans_egp', quantity: 1 })) });
    expectCap(await s.post('/payment-links', link), 'lineItems', 'lineItems', 2);
  });
});

describe('custom fields', () => {
  it('takes 3 custom fields on a session and refuses 4 (limit customFields)', async () => {
    const s = await simWith();
    expect((await s.post('/checkout/sessions', { afterCompletion: redirect, lineItems: lines(1), customFields: [0, 1, 2].map(field) })).status).toBe(201);
    expectCap(await s.post('/checkout/sessions', { afterCompletion: redirect, lineItems: lines(1), customFields: [0, 1, 2, 3].map(field) }), 'customFields', 'customFields', 3);
  });

  it('refuses a 4th custom field on a payment link, as XPay documents', async () => {
    const s = await simWith();
    expectError(await s.post('/payment-links', linkBody({ customFields: [0, 1, 2, 3].map(field) })), 400, 'parameter_out_of_range', 'customFields');
  });

  it('refuses a field or option label longer than customFieldLabelLength (100), on sessions and links', async () => {
    const s = await simWith();
    const long = 'L'.repeat(101);
    expect((await s.post('/checkout/sessions', { afterCompletion: redirect, lineItems: lines(1), customFields: [{ label: 'L'.repeat(100), type: 'TEXT' }] })).status).toBe(201);
    expectCap(await s.post('/checkout/sessions', { afterCompletion: redirect, lineItems: lines(1), customFields: [field(0), { label: long, type: 'TEXT' }] }), 'customFields[1].label', 'customFieldLabelLength', 100);
    const dropdown = { label: 'Size', type: 'DROPDOWN', isOptional: false, dropdownOptions: [{ label: 'S' }, { label: long }] };
    expectCap(await s.post('/payment-links', linkBody({ customFields: [dropdown] })), 'customFields[0].dropdownOptions[1].label', 'customFieldLabelLength', 100);
  });

  it('refuses more dropdown options than customFieldOptions', async () => {
    const s = await simWith({ customFieldOptions: 5 });
    const dropdown = (n: number) => ({ label: 'Size', type: 'DROPDOWN', dropdownOptions: Array.from({ length: n }, (_, i) => ({ label: `S${i}` })) });
    expect((await s.post('/checkout/sessions', { afterCompletion: redirect, lineItems: lines(1), customFields: [dropdown(5)] })).status).toBe(201);
    expectCap(await s.post('/checkout/sessions', { afterCompletion: redirect, lineItems: lines(1), customFields: [dropdown(6)] }), 'customFields[0].dropdownOptions', 'customFieldOptions', 5);
  });
});

describe('metadata', () => {
  it('takes 50 keys of 40 characters with values of 500, and refuses one more of each', async () => {
    const s = await simWith();
    const full = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [String(i).padStart(40, 'k'), 'v'.repeat(500)]));
    const ok = await s.post('/customers', { email: 'full@example.com', metadata: full });
    expect(ok.status).toBe(201);
    expect(Object.keys(ok.body.metadata)).toHaveLength(50);
    const customers = s.sim.namespaces.get(TEST_KEY)!.db.customers.size;
    expectCap(await s.post('/customers', { email: 'a@example.com', metadata: keys(51) }), 'metadata', 'metadataKeys', 50);
    const longKey = 'k'.repeat(41);
    expectCap(await s.post('/customers', { email: 'b@example.com', metadata: { [longKey]: 'v' } }), `metadata[${'k'.repeat(40)}]`, 'metadataKeyLength', 40);
    expectCap(await s.post('/customers', { email: 'c@example.com', metadata: { note: 'v'.repeat(501) } }), 'metadata[note]', 'metadataValueLength', 500);
    // A non-string value counts by its JSON text.
    expectCap(await s.post('/customers', { email: 'd@example.com', metadata: { cart: { lines: 'x'.repeat(500) } } }), 'metadata[cart]', 'metadataValueLength', 500);
    expect(s.sim.namespaces.get(TEST_KEY)!.db.customers.size).toBe(customers);
  });

  it('applies to every place metadata is accepted: products (also as a JSON string), prices, links, sessions (also arrays), refunds, webhook endpoints and nested price data', async () => {
    const s = await simWith({ metadataKeys: 2 });
    const three = keys(3);
    expectCap(await s.post('/products', { name: 'P', metadata: JSON.stringify(three) }), 'metadata', 'metadataKeys', 2);
    expectCap(await s.post('/prices?productId=prod_nile_tshirt', { currency: 'EGP', unitAmount: 100, metadata: three }), 'metadata', 'metadataKeys', 2);
    expectCap(await s.post('/payment-links', linkBody({ metadata: three })), 'metadata', 'metadataKeys', 2);
    expectCap(await s.post('/checkout/sessions', { afterCompletion: redirect, lineItems: lines(1), metadata: ['a', 'b', 'c'] }), 'metadata', 'metadataKeys', 2);
    expectCap(await s.post('/webhook-endpoints', { url: 'http://127.0.0.1:9/hooks', enabledEvents: ['*'], metadata: three }), 'metadata', 'metadataKeys', 2);
    expectCap(await s.post('/refunds', { chargeId: 'ch_missing', metadata: three }), 'metadata', 'metadataKeys', 2);
    const nested = { ...line(0), priceData: { ...line(0).priceData, metadata: three } };
    expectCap(await s.post('/checkout/sessions', { afterCompletion: redirect, lineItems: [nested] }), 'lineItems[0].priceData.metadata', 'metadataKeys', 2);
  });

  it('counts the keys an update leaves after merging, and lets an update remove keys', async () => {
    const s = await simWith({ metadataKeys: 3 });
    const product = await s.post('/products', { name: 'P', metadata: keys(3) });
    expect(product.status).toBe(201);
    expectCap(await s.patch(`/products/${product.body.id}`, { metadata: { extra: 'x' } }), 'metadata', 'metadataKeys', 3);
    expect(Object.keys((await s.get(`/products/${product.body.id}`)).body.metadata)).toEqual(['k0', 'k1', 'k2']);
    const swapped = await s.patch(`/products/${product.body.id}`, { metadata: { k0: null, extra: 'x' } });
    expect(swapped.status).toBe(200);
    expect(Object.keys(swapped.body.metadata).sort()).toEqual(['extra', 'k1', 'k2']);
    const session = await s.post('/checkout/sessions', { afterCompletion: redirect, lineItems: lines(1), metadata: keys(3) });
    expectCap(await s.patch(`/checkout/sessions/${session.body.id}`, { metadata: { more: '1' } }), 'metadata', 'metadataKeys', 3);
    // An update that does not touch metadata is never refused for it.
    expect((await s.patch(`/products/${product.body.id}`, { name: 'Renamed' })).status).toBe(200);
  });
});
