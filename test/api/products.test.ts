import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectError, startTestSim, TEST_KEY, type TestSim } from '../helpers/sim.js';
import type { PriceRecord } from '../../src/store/types.js';

let sim: TestSim;
beforeEach(async () => {
  sim = await startTestSim();
});
afterEach(() => sim.close());

/** Marks a price as referenced by a line item, as checkout sessions and payment links do. */
async function markUsed(priceId: string): Promise<void> {
  await sim.get('/account'); // make sure the namespace exists
  const ns = sim.sim.namespaces.get(TEST_KEY)!;
  const price = ns.db.prices.get(priceId) as PriceRecord;
  ns.db.prices.set(priceId, { ...price, _used: true });
}

describe('creating products', () => {
  it('creates a product with an image URL and a default price, answering 201 with a ProductListItem', async () => {
    const res = await sim.post('/products', {
      name: 'Alexandria Olive Oil',
      description: 'Cold pressed',
      image: 'https://cdn.example.com/oil.png',
      unitLabel: 'bottle',
      metadata: { sku: 'OIL-1' },
      defaultPrice: { currency: 'EGP', unitAmount: 32000 },
    });
    expect(res.status).toBe(201);
    expect(res.body.id).toMatch(/^prod_[A-Za-z0-9]{22}$/);
    expect(res.body).toMatchObject({ name: 'Alexandria Olive Oil', image: 'https://cdn.example.com/oil.png', active: true, isSystemCreated: false, metadata: { sku: 'OIL-1' } });
    expect(res.body.prices).toHaveLength(1);
    expect(res.body.prices[0]).toMatchObject({ currency: 'EGP', unitAmount: 32000, type: 'ONE_TIME' });
    expect(res.body.prices[0].id).toMatch(/^price_test_/);
    expect(res.body).not.toHaveProperty('defaultPriceId'); // ProductListItem, not ProductResponse
    const full = await sim.get(`/products/${res.body.id}`);
    expect(full.body.defaultPriceId).toBe(res.body.prices[0].id);
  });

  it('needs a name', async () => {
    expectError(await sim.post('/products', { description: 'nameless' }), 400, 'parameter_missing', 'name');
    expectError(await sim.post('/products', { name: '  ' }), 400, 'parameter_missing', 'name');
  });

  it('refuses a malformed image URL', async () => {
    expectError(await sim.post('/products', { name: 'X', image: 'not a url' }), 400, 'parameter_invalid', 'image');
    expectError(await sim.post('/products', { name: 'X', image: 'ftp://example.com/a.png' }), 400, 'parameter_invalid', 'image');
  });

  it('refuses an invalid default price and stores nothing', async () => {
    expectError(await sim.post('/products', { name: 'X', defaultPrice: { currency: 'EGP' } }), 400, 'parameter_missing', 'defaultPrice.unitAmount');
    expect((await sim.get('/products?search=X')).body.totalCount).toBe(0);
  });

  it('accepts metadata as a JSON string and active as a string', async () => {
    const res = await sim.post('/products', { name: 'Tea', metadata: '{"tier":"gold"}', active: 'false' });
    expect(res.body).toMatchObject({ metadata: { tier: 'gold' }, active: false });
  });
});

describe('reading and updating products', () => {
  it('gets a product with all its prices and its default price id', async () => {
    const res = await sim.get('/products/prod_cairo_coffee_beans');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ object: 'product', defaultPriceId: 'price_coffee_beans_egp' });
    expect(res.body.prices.map((p: { id: string }) => p.id)).toEqual(['price_coffee_beans_egp', 'price_coffee_beans_usd']);
    expectError(await sim.get('/products/prod_missing'), 404, 'resource_missing', 'id');
  });

  it('updates only the fields sent and merges metadata', async () => {
    const res = await sim.patch('/products/prod_cairo_coffee_beans', { name: 'Cairo Dark Roast', metadata: { sku: null, roast: 'dark' } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ name: 'Cairo Dark Roast', unitLabel: 'bag', metadata: { category: 'grocery', roast: 'dark' } });
    expect(res.body.metadata).not.toHaveProperty('sku');
    const cleared = await sim.patch('/products/prod_cairo_coffee_beans', { metadata: null });
    expect(cleared.body.metadata).toBeNull();
  });

  it('sets the default price by id and clears it with "" or null', async () => {
    const set = await sim.patch('/products/prod_cairo_coffee_beans', { defaultPrice: 'price_coffee_beans_usd' });
    expect(set.body.defaultPriceId).toBe('price_coffee_beans_usd');
    expect((await sim.patch('/products/prod_cairo_coffee_beans', { defaultPrice: '' })).body.defaultPriceId).toBeNull();
    await sim.patch('/products/prod_cairo_coffee_beans', { defaultPrice: 'price_coffee_beans_egp' });
    expect((await sim.patch('/products/prod_cairo_coffee_beans', { defaultPrice: null })).body.defaultPriceId).toBeNull();
  });

  it('refuses a default price that does not exist or belongs to another product', async () => {
    expectError(await sim.patch('/products/prod_cairo_coffee_beans', { defaultPrice: 'price_nope' }), 404, 'resource_missing', 'defaultPrice');
    expectError(await sim.patch('/products/prod_cairo_coffee_beans', { defaultPrice: 'price_tshirt_egp' }), 400, 'parameter_invalid', 'defaultPrice');
  });

  it('changes and removes the image, and refuses an empty name', async () => {
    const res = await sim.patch('/products/prod_nile_tshirt', { image: 'https://cdn.example.com/shirt.jpg' });
    expect(res.body.image).toBe('https://cdn.example.com/shirt.jpg');
    expect((await sim.patch('/products/prod_nile_tshirt', { image: null })).body.image).toBeNull();
    expectError(await sim.patch('/products/prod_nile_tshirt', { name: '' }), 400, 'parameter_invalid', 'name');
    expectError(await sim.patch('/products/prod_nile_tshirt', { colour: 'red' }), 400, 'parameter_unknown', 'colour');
  });

  it('keeps a __proto__ metadata key as plain data when merging', async () => {
    const res = await sim.patch('/products/prod_nile_tshirt', { metadata: JSON.parse('{"__proto__":{"polluted":"yes"}}') });
    expect(res.status).toBe(200);
    expect(Object.keys(res.body.metadata)).toContain('__proto__');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((await sim.get('/products?metadata={"polluted":"yes"}')).body.totalCount).toBe(0);
  });
});

describe('listing products', () => {
  it('lists newest first with page-number pagination', async () => {
    await sim.post('/products', { name: 'Newest' });
    const res = await sim.get('/products?limit=2');
    expect(res.body).toMatchObject({ totalCount: 6, page: 1, limit: 2, totalPages: 3 });
    expect(res.body.data[0].name).toBe('Newest');
    const last = await sim.get('/products?limit=2&page=3');
    expect(last.body.data.map((p: { id: string }) => p.id)).toEqual(['prod_nile_tshirt', 'prod_cairo_coffee_beans']);
    expect((await sim.get('/products?limit=2&page=4')).body.data).toEqual([]);
    expectError(await sim.get('/products?limit=0'), 400, 'parameter_out_of_range', 'limit');
  });

  it('filters by active given as a boolean string', async () => {
    await sim.patch('/products/prod_donation', { active: false });
    const inactive = await sim.get('/products?active=false');
    expect(inactive.body.data.map((p: { id: string }) => p.id)).toEqual(['prod_donation']);
    expect((await sim.get('/products?active=true')).body.totalCount).toBe(4);
    expectError(await sim.get('/products?active=maybe'), 400, 'parameter_invalid', 'active');
  });

  it('filters by metadata given as a JSON string', async () => {
    const res = await sim.get(`/products?metadata=${encodeURIComponent('{"category":"apparel"}')}`);
    expect(res.body.data.map((p: { id: string }) => p.id)).toEqual(['prod_nile_tshirt']);
    expectError(await sim.get('/products?metadata=notjson'), 400, 'parameter_invalid', 'metadata');
  });

  it('searches name, description and unitLabel with comma-separated terms', async () => {
    const res = await sim.get('/products?search=coffee,SEAT');
    expect(res.body.data.map((p: { id: string }) => p.id).sort()).toEqual(['prod_cairo_coffee_beans', 'prod_workshop_ticket']);
    expect((await sim.get('/products?search=egyptian cotton')).body.data[0].id).toBe('prod_nile_tshirt');
    expect((await sim.get('/products?search=zzz')).body.totalCount).toBe(0);
  });

  it('shows prices in the short list form', async () => {
    const res = await sim.get('/products?search=workshop');
    expect(Object.keys(res.body.data[0].prices[0]).sort()).toEqual(['createdAt', 'currency', 'customUnitAmount', 'id', 'recurring', 'stock', 'type', 'unitAmount']);
  });
});

describe('deleting products', () => {
  it('deletes a product and all its prices in one step', async () => {
    const res = await sim.del('/products/prod_cairo_coffee_beans');
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    expectError(await sim.get('/products/prod_cairo_coffee_beans'), 404, 'resource_missing', 'id');
    expectError(await sim.patch('/prices/price_coffee_beans_usd', { name: 'x' }), 404, 'resource_missing', 'id');
    expectError(await sim.del('/products/prod_cairo_coffee_beans'), 404, 'resource_missing', 'id');
  });

  it('refuses with 400 resource_invalid_state once a price was referenced by a line item', async () => {
    await markUsed('price_coffee_beans_usd');
    expectError(await sim.del('/products/prod_cairo_coffee_beans'), 400, 'resource_invalid_state');
    expect((await sim.get('/products/prod_cairo_coffee_beans')).body.prices).toHaveLength(2);
    const archived = await sim.patch('/products/prod_cairo_coffee_beans', { active: false });
    expect(archived.body.active).toBe(false);
  });
});

describe('products used by checkout', () => {
  it('refuses to delete a product whose price a real checkout session used, and counts the session in stats', async () => {
    const session = await sim.post('/checkout/sessions', {
      afterCompletion: { type: 'redirect', redirect: { url: 'https://shop.example.com/done' } },
      lineItems: [{ price: 'price_tshirt_egp', quantity: 2 }],
    });
    expect(session.status).toBe(201);
    expectError(await sim.del('/products/prod_nile_tshirt'), 400, 'resource_invalid_state');
    expectError(await sim.del('/prices/price_tshirt_egp'), 400, 'resource_invalid_state');
    expectError(await sim.patch('/prices/price_tshirt_egp', { unitAmount: 1 }), 400, 'price_immutable_while_used', 'unitAmount');
    const stats = await sim.get('/products/prod_nile_tshirt/stats');
    expect(stats.body.prices[0]).toMatchObject({ priceId: 'price_tshirt_egp', checkoutSessions: 1, quantitySold: 0 });
  });
});

describe('product stats', () => {
  it('reports per-price usage, zero before any checkout', async () => {
    const res = await sim.get('/products/prod_workshop_ticket/stats');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      productId: 'prod_workshop_ticket',
      prices: [
        { priceId: 'price_workshop_usd', checkoutSessions: 0, paymentLinks: 0, quantitySold: 0, amountCollected: 0 },
        { priceId: 'price_workshop_kwd', checkoutSessions: 0, paymentLinks: 0, quantitySold: 0, amountCollected: 0 },
      ],
    });
    expectError(await sim.get('/products/prod_nope/stats'), 404, 'resource_missing', 'id');
  });
});

describe('rendering', () => {
  it('renders fixture and created products and prices with the same keys in the same order', async () => {
    const created = await sim.post('/products', { name: 'Fresh', defaultPrice: { unitAmount: 100 } });
    const [fixture, fresh] = [(await sim.get('/products/prod_nile_tshirt')).body, (await sim.get(`/products/${created.body.id}`)).body];
    expect(Object.keys(fresh)).toEqual(Object.keys(fixture));
    expect(Object.keys(fresh)[0]).toBe('id');
    expect(Object.keys(fresh.prices[0])).toEqual(Object.keys(fixture.prices[0]));
    expect(Object.keys(fresh.prices[0])[0]).toBe('id');
  });
});
