import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { waiterCount } from '../../src/webhooks/waiters.js';
import { expectError, startTestSim, TEST_KEY, type TestSim } from '../helpers/sim.js';

let sim: TestSim;
beforeEach(async () => {
  sim = await startTestSim();
});
afterEach(() => sim.close());

describe('GET /_sim/events', () => {
  it('lists the namespace events newest first, filtered by exact type or family, paginated', async () => {
    const customer = await sim.post('/customers', { email: 'a@example.com' });
    const product = await sim.post('/products', { name: 'Tea' });
    await sim.patch(`/products/${product.body.id}`, { name: 'Green tea' });
    const all = await sim.get('/_sim/events');
    expect(all.status).toBe(200);
    expect(all.body).toMatchObject({ totalCount: 3, page: 1, limit: 20, totalPages: 1 });
    expect(all.body.data.map((e: { type: string }) => e.type)).toEqual(['product.updated', 'product.created', 'customer.created']);
    expect(all.body.data[2].data.object).toEqual(customer.body);
    expect((await sim.get('/_sim/events?type=product.*')).body.totalCount).toBe(2);
    expect((await sim.get('/_sim/events?type=customer.created')).body.data[0].data.object.id).toBe(customer.body.id);
    const page2 = await sim.get('/_sim/events?limit=2&page=2');
    expect(page2.body.data.map((e: { type: string }) => e.type)).toEqual(['customer.created']);
    expect(page2.body.totalPages).toBe(2);
    expectError(await sim.get('/_sim/events?limit=0'), 400, 'parameter_out_of_range', 'limit');
  });

  it('finds events by resource id, including events that only mention it', async () => {
    const product = await sim.post('/products', { name: 'Tea' });
    await sim.post('/customers', { email: 'b@example.com' });
    const price = await sim.post(`/prices?productId=${product.body.id}`, { currency: 'EGP', unitAmount: 1000 });
    const byProduct = await sim.get(`/_sim/events?resourceId=${product.body.id}`);
    expect(byProduct.body.data.length).toBeGreaterThanOrEqual(1);
    expect(byProduct.body.data.every((e: { type: string }) => e.type.startsWith('product.'))).toBe(true);
    expect(price.status).toBe(201);
    await sim.patch(`/products/${product.body.id}`, { defaultPrice: price.body.id });
    const byPrice = await sim.get(`/_sim/events?resourceId=${price.body.id}`);
    expect(byPrice.body.data.length).toBeGreaterThanOrEqual(1);
    for (const e of byPrice.body.data) expect([e.type, e.data.object.id]).toEqual(['product.updated', product.body.id]);
  });

  it('keeps namespaces apart and needs a key', async () => {
    await sim.post('/customers', { email: 'c@example.com' });
    expect((await sim.get('/_sim/events', { key: 'sk_test_other' })).body.totalCount).toBe(0);
    expectError(await sim.get('/_sim/events', { key: null }), 401, 'authentication_required');
  });
});

describe('GET /_sim/events/wait', () => {
  it('answers at once when a matching event already exists', async () => {
    const customer = await sim.post('/customers', { email: 'd@example.com' });
    const res = await sim.get('/_sim/events/wait?type=customer.created');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ object: 'event', type: 'customer.created', data: { object: { id: customer.body.id } } });
  });

  it('waits for an event that arrives while it is parked', async () => {
    await sim.get('/_sim/events');
    const waiting = sim.get('/_sim/events/wait?type=product.*&timeout=5000');
    const ns = sim.sim.namespaces.get(TEST_KEY)!;
    while (waiterCount(ns) === 0) await new Promise((r) => setTimeout(r, 5));
    const product = await sim.post('/products', { name: 'Coffee' });
    const res = await waiting;
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ type: 'product.created', data: { object: { id: product.body.id } } });
    expect(waiterCount(ns)).toBe(0);
  });

  it('counts only events after `after`, oldest first', async () => {
    const first = await sim.post('/customers', { email: 'e@example.com' });
    const firstEvent = (await sim.get('/_sim/events/wait?type=customer.created')).body;
    expect(firstEvent.data.object.id).toBe(first.body.id);
    const second = await sim.post('/customers', { email: 'f@example.com' });
    await sim.post('/customers', { email: 'g@example.com' });
    const next = await sim.get(`/_sim/events/wait?type=customer.created&after=${firstEvent.id}`);
    expect(next.body.data.object.id).toBe(second.body.id);
    expectError(await sim.get('/_sim/events/wait?after=evt_test_nope'), 404, 'resource_missing', 'after');
  });

  it('gives up with 408 in the XPay envelope after the timeout and forgets the waiter', async () => {
    const res = await sim.get('/_sim/events/wait?type=refund.failed&timeout=30');
    expectError(res, 408, 'request_timeout');
    expect(waiterCount(sim.sim.namespaces.get(TEST_KEY)!)).toBe(0);
    expectError(await sim.get('/_sim/events/wait?timeout=-1'), 400, 'parameter_invalid', 'timeout');
  });

  it('drops the waiter when the client disconnects', async () => {
    await sim.get('/_sim/events');
    const ns = sim.sim.namespaces.get(TEST_KEY)!;
    const abort = new AbortController();
    const pending = fetch(`${sim.url}/_sim/events/wait?type=refund.created&timeout=60000`, {
      headers: { Authorization: `Bearer ${TEST_KEY}` },
      signal: abort.signal,
    }).catch((e: Error) => e);
    while (waiterCount(ns) === 0) await new Promise((r) => setTimeout(r, 5));
    abort.abort();
    expect(await pending).toBeInstanceOf(Error);
    for (let i = 0; i < 100 && waiterCount(ns) > 0; i++) await new Promise((r) => setTimeout(r, 5));
    expect(waiterCount(ns)).toBe(0);
  });
});
