import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectError, startTestSim, TEST_KEY, type TestSim } from '../helpers/sim.js';
import type { PriceRecord } from '../../src/store/types.js';

let sim: TestSim;
beforeEach(async () => {
  sim = await startTestSim();
});
afterEach(() => sim.close());

async function markUsed(priceId: string): Promise<void> {
  await sim.get('/account');
  const ns = sim.sim.namespaces.get(TEST_KEY)!;
  ns.db.prices.set(priceId, { ...(ns.db.prices.get(priceId) as PriceRecord), _used: true });
}

describe('creating prices', () => {
  it('creates a price for the product named by ?productId= and lists it on the product', async () => {
    const res = await sim.post('/prices?productId=prod_nile_tshirt', { name: 'Sale', currency: 'USD', unitAmount: 1500, stock: 10 });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ object: 'price', productId: 'prod_nile_tshirt', currency: 'USD', unitAmount: 1500, type: 'ONE_TIME', stock: 10, active: true, recurring: null, customUnitAmount: null });
    expect(res.body.id).toMatch(/^price_test_[A-Za-z0-9]{22}$/);
    expect(res.body).not.toHaveProperty('metadata');
    const product = await sim.get('/products/prod_nile_tshirt');
    expect(product.body.prices.map((p: { id: string }) => p.id)).toEqual(['price_tshirt_egp', res.body.id]);
  });

  it('answers 404 with param productId for an unknown product and 400 parameter_missing without one', async () => {
    expectError(await sim.post('/prices?productId=prod_nope', { unitAmount: 100 }), 404, 'resource_missing', 'productId');
    expectError(await sim.post('/prices', { unitAmount: 100 }), 400, 'parameter_missing', 'productId');
  });

  it('requires unitAmount for ONE_TIME prices', async () => {
    expectError(await sim.post('/prices?productId=prod_nile_tshirt', { currency: 'EGP' }), 400, 'parameter_missing', 'unitAmount');
  });

  it('requires recurring for RECURRING prices and refuses it elsewhere', async () => {
    expectError(await sim.post('/prices?productId=prod_streaming_plan', { type: 'RECURRING', unitAmount: 9900 }), 400, 'parameter_missing', 'recurring');
    const ok = await sim.post('/prices?productId=prod_streaming_plan', { type: 'RECURRING', unitAmount: 99000, recurring: { interval: 'YEAR' } });
    expect(ok.body.recurring).toEqual({ interval: 'YEAR', intervalCount: 1 });
    expectError(await sim.post('/prices?productId=prod_streaming_plan', { unitAmount: 9900, recurring: { interval: 'MONTH' } }), 400, 'parameter_invalid', 'recurring');
  });

  it('refuses unitAmount on CUSTOM prices and checks the custom bounds', async () => {
    expectError(await sim.post('/prices?productId=prod_donation', { type: 'CUSTOM', unitAmount: 500 }), 400, 'parameter_invalid', 'unitAmount');
    expectError(
      await sim.post('/prices?productId=prod_donation', { type: 'CUSTOM', customUnitAmount: { minimum: 500, maximum: 100 } }),
      400, 'parameter_invalid', 'customUnitAmount.minimum',
    );
    const ok = await sim.post('/prices?productId=prod_donation', { type: 'CUSTOM', customUnitAmount: { minimum: 100, preset: 200 } });
    expect(ok.body).toMatchObject({ unitAmount: null, customUnitAmount: { minimum: 100, maximum: null, preset: 200 } });
  });

  it('refuses a start date not before the expiration date with price_date_range_invalid', async () => {
    const res = await sim.post('/prices?productId=prod_nile_tshirt', { unitAmount: 100, startDate: '2026-05-01T00:00:00Z', expirationDate: '2026-04-01T00:00:00Z' });
    expectError(res, 400, 'price_date_range_invalid', 'expirationDate');
    const ok = await sim.post('/prices?productId=prod_nile_tshirt', { unitAmount: 100, startDate: '2026-04-01T00:00:00Z', expirationDate: '2026-05-01T00:00:00Z' });
    expect(ok.body).toMatchObject({ startDate: '2026-04-01T00:00:00.000Z', expirationDate: '2026-05-01T00:00:00.000Z' });
    expectError(await sim.post('/prices?productId=prod_nile_tshirt', { unitAmount: 100, startDate: 'soon' }), 400, 'parameter_invalid', 'startDate');
  });

  it('rejects unknown fields, unknown currencies and negative amounts', async () => {
    expectError(await sim.post('/prices?productId=prod_nile_tshirt', { unitAmount: 100, amount: 5 }), 400, 'parameter_unknown', 'amount');
    expectError(await sim.post('/prices?productId=prod_nile_tshirt', { unitAmount: 100, currency: 'XYZ' }), 400, 'parameter_invalid', 'currency');
    expectError(await sim.post('/prices?productId=prod_nile_tshirt', { unitAmount: -1 }), 400, 'parameter_out_of_range', 'unitAmount');
  });
});

describe('updating prices', () => {
  it('changes only the fields sent', async () => {
    const res = await sim.patch('/prices/price_tshirt_egp', { name: 'Summer', stock: 5 });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: 'price_tshirt_egp', name: 'Summer', stock: 5, unitAmount: 49900, currency: 'EGP', active: true });
    expect((await sim.patch('/prices/price_tshirt_egp', { active: false })).body).toMatchObject({ name: 'Summer', active: false });
  });

  it('keeps the type fixed', async () => {
    expectError(await sim.patch('/prices/price_tshirt_egp', { type: 'CUSTOM' }), 400, 'parameter_invalid', 'type');
    expect((await sim.patch('/prices/price_tshirt_egp', { type: 'ONE_TIME' })).status).toBe(200);
  });

  it('checks the merged price: an update cannot break the date range', async () => {
    await sim.patch('/prices/price_tshirt_egp', { expirationDate: '2026-06-01T00:00:00.000Z' });
    expectError(await sim.patch('/prices/price_tshirt_egp', { startDate: '2026-07-01T00:00:00.000Z' }), 400, 'price_date_range_invalid', 'expirationDate');
  });

  it('refuses amount and currency changes once a line item used the price, but allows the rest', async () => {
    await markUsed('price_tshirt_egp');
    expectError(await sim.patch('/prices/price_tshirt_egp', { unitAmount: 100 }), 400, 'price_immutable_while_used', 'unitAmount');
    expectError(await sim.patch('/prices/price_tshirt_egp', { currency: 'USD' }), 400, 'price_immutable_while_used', 'currency');
    const ok = await sim.patch('/prices/price_tshirt_egp', { unitAmount: 49900, name: 'Renamed', active: false });
    expect(ok.body).toMatchObject({ name: 'Renamed', active: false, unitAmount: 49900 });
  });

  it('treats resending the same recurring settings of a used price as no change', async () => {
    await markUsed('price_streaming_monthly_egp');
    const same = await sim.patch('/prices/price_streaming_monthly_egp', { recurring: { interval: 'MONTH' }, currency: 'EGP', name: 'Monthly' });
    expect(same.status).toBe(200);
    expectError(await sim.patch('/prices/price_streaming_monthly_egp', { recurring: { interval: 'MONTH', intervalCount: 3 } }), 400, 'price_immutable_while_used', 'recurring');
  });

  it('answers 404 for an unknown price', async () => {
    expectError(await sim.patch('/prices/price_nope', { name: 'x' }), 404, 'resource_missing', 'id');
  });
});

describe('deleting prices', () => {
  it('deletes an unused price and removes it from its product', async () => {
    expect((await sim.del('/prices/price_coffee_beans_usd')).status).toBe(204);
    const product = await sim.get('/products/prod_cairo_coffee_beans');
    expect(product.body.prices.map((p: { id: string }) => p.id)).toEqual(['price_coffee_beans_egp']);
    expect(product.body.defaultPriceId).toBe('price_coffee_beans_egp');
    expectError(await sim.del('/prices/price_coffee_beans_usd'), 404, 'resource_missing', 'id');
  });

  it("clears the product's default when the default price is deleted", async () => {
    expect((await sim.del('/prices/price_coffee_beans_egp')).status).toBe(204);
    expect((await sim.get('/products/prod_cairo_coffee_beans')).body.defaultPriceId).toBeNull();
  });

  it('refuses with 400 resource_invalid_state once the price was used', async () => {
    await markUsed('price_workshop_usd');
    expectError(await sim.del('/prices/price_workshop_usd'), 400, 'resource_invalid_state');
    expect((await sim.get('/products/prod_workshop_ticket')).body.prices).toHaveLength(2);
  });
});

describe('price events', () => {
  it('records product.updated only when a price deletion changes the product, not on create', async () => {
    const events = () => [...sim.sim.namespaces.get(TEST_KEY)!.db.events.values()] as unknown as Array<{ type: string; data: { object: { prices: Array<{ id: string }> } } }>;
    const created = await sim.post('/prices?productId=prod_nile_tshirt', { unitAmount: 100 });
    expect(events()).toHaveLength(0);
    await sim.del(`/prices/${created.body.id}`);
    expect(events().map((e) => e.type)).toEqual(['product.updated']);
    expect(events()[0]!.data.object.prices.map((p) => p.id)).toEqual(['price_tshirt_egp']);
  });
});
