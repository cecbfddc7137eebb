import { afterEach, describe, expect, it } from 'vitest';
import { dispatcherOf, drainDeliveries } from '../../src/webhooks/outbox.js';
import { configuredSecret } from '../../src/webhooks/signer.js';
import { expectError, FROZEN_NOW, startTestSim, TEST_KEY, type TestSim } from '../helpers/sim.js';
import { startReceiver, verifyXPaySignature, type Receiver } from '../helpers/webhook-receiver.js';

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});

const FROZEN_SEC = Date.parse(FROZEN_NOW) / 1000;

async function simWith(config: Parameters<typeof startTestSim>[0] = {}): Promise<TestSim> {
  const sim = await startTestSim(config);
  cleanup.push(() => sim.close());
  return sim;
}

/** The receiver's notion of "now" follows the simulator's namespace clock. */
async function receiverFor(sim: TestSim | undefined, secret?: string): Promise<Receiver> {
  const nowSec = () => {
    const ns = sim?.sim.namespaces.get(TEST_KEY);
    return ns ? Math.floor(ns.clock.now() / 1000) : FROZEN_SEC;
  };
  const receiver = await startReceiver({ secret, nowSec });
  cleanup.push(() => receiver.close());
  return receiver;
}

async function subscribe(sim: TestSim, receiver: Receiver, enabledEvents: string[] = ['*']): Promise<{ id: string; secret: string }> {
  const res = await sim.post('/webhook-endpoints', { url: receiver.url, enabledEvents });
  expect(res.status).toBe(201);
  receiver.secret = res.body.secret;
  return res.body;
}

const drain = (sim: TestSim) => drainDeliveries(sim.sim);

/** Moves the namespace clock as POST /_sim/clock/advance does: time first, then due work. */
async function advance(sim: TestSim, ms: number): Promise<void> {
  const ns = sim.sim.namespaces.get(TEST_KEY)!;
  ns.clock.advance(ms);
  sim.sim.runDue(ns);
  await drain(sim);
}

describe('webhook delivery', () => {
  it('posts the exact event JSON, signed with the endpoint secret, and the receiver verifies it independently', async () => {
    const sim = await simWith();
    const receiver = await receiverFor(sim);
    const endpoint = await subscribe(sim, receiver, ['customer.*']);
    const created = await sim.post('/customers', { name: 'Nour', email: 'nour@example.com' });
    await sim.post('/products', { name: 'Not subscribed' });
    await drain(sim);
    expect(receiver.received).toHaveLength(1);
    const got = receiver.received[0]!;
    expect(got.verified).toBe(true);
    expect(got.answered).toBe(200);
    expect(got.headers['content-type']).toBe('application/json');
    expect(got.headers['user-agent']).toMatch(/XPay/);
    expect(got.headers['xpay-signature']).toMatch(new RegExp(`^t=${FROZEN_SEC},v1=[0-9a-f]{64}$`));
    expect(got.body).toMatchObject({ object: 'event', api_version: '3.1.0', type: 'customer.created', livemode: false, created: FROZEN_NOW });
    expect(got.body.id).toMatch(/^evt_test_[A-Za-z0-9]{22}$/);
    expect(got.body.data.object).toEqual(created.body);
    // The bytes delivered are the bytes recorded, and a changed byte breaks the signature.
    const deliveries = await sim.get(`/_sim/deliveries?eventId=${got.body.id}`);
    expect(deliveries.body.data[0]).toMatchObject({ endpointId: endpoint.id, status: 'succeeded', attemptCount: 1, requestBody: got.raw });
    expect(deliveries.body.data[0].attempts[0]).toMatchObject({ attempt: 1, trigger: 'automatic', responseStatus: 200, responseBody: '{"received":true}', error: null });
    // The attempt shows the headers exactly as the receiver got them (the worker signs as it sends).
    expect(deliveries.body.data[0].attempts[0].requestHeaders).toEqual({
      'Content-Type': got.headers['content-type'],
      'User-Agent': got.headers['user-agent'],
      'XPay-Signature': got.headers['xpay-signature'],
    });
    const tampered = got.raw.replace('"Nour"', '"Noor"');
    expect(verifyXPaySignature(endpoint.secret, got.headers['xpay-signature'] as string, tampered, FROZEN_SEC)).toBe(false);
    expect(verifyXPaySignature('whsec_wrong', got.headers['xpay-signature'] as string, got.raw, FROZEN_SEC)).toBe(false);
    expect(verifyXPaySignature(endpoint.secret, got.headers['xpay-signature'] as string, got.raw, FROZEN_SEC + 301)).toBe(false);
  });

  it('fans one event out to every subscribed endpoint and skips disabled ones', async () => {
    const sim = await simWith();
    const a = await receiverFor(sim);
    const b = await receiverFor(sim);
    const c = await receiverFor(sim);
    await subscribe(sim, a, ['product.created']);
    await subscribe(sim, b, []);
    const off = await subscribe(sim, c, ['*']);
    await sim.patch(`/webhook-endpoints/${off.id}`, { status: 'disabled' });
    await sim.post('/products', { name: 'Tea' });
    await drain(sim);
    expect(a.received.map((r) => r.body.type)).toEqual(['product.created']);
    expect(b.received.map((r) => r.body.type)).toEqual(['product.created']);
    expect(b.received[0]!.raw).toBe(a.received[0]!.raw);
    expect(c.received).toHaveLength(0);
    const all = await sim.get('/_sim/deliveries');
    expect(all.body.totalCount).toBe(2);
    const onlyA = await sim.get(`/_sim/deliveries?endpointId=${all.body.data[1].endpointId}&status=succeeded`);
    expect(onlyA.body.data.map((d: { id: string }) => d.id)).toEqual([all.body.data[1].id]);
    expect((await sim.get(`/_sim/deliveries?eventId=${a.received[0]!.body.id}`)).body.totalCount).toBe(2);
    expect((await sim.get('/_sim/deliveries?status=failed')).body.totalCount).toBe(0);
    expectError(await sim.get('/_sim/deliveries?status=lost'), 400, 'parameter_invalid', 'status');
  });

  it('answers the API without waiting for the receiver', async () => {
    const sim = await simWith();
    const receiver = await receiverFor(sim);
    await subscribe(sim, receiver);
    const res = await sim.post('/customers', { email: 'fast@example.com' });
    expect(res.status).toBe(201);
    expect(receiver.received).toHaveLength(0);
    await drain(sim);
    expect(receiver.received).toHaveLength(1);
  });

  it('leaves the deliveries of a request just answered to their own turn: the next request does not build or send them', async () => {
    const sim = await simWith();
    const receiver = await receiverFor(sim);
    await subscribe(sim, receiver);
    const ns = sim.sim.namespaces.get(TEST_KEY)!;
    const stored = ns.db.deliveries as Map<string, unknown>;
    const before = stored.size;
    // As a handler does: an event, then (the next request arriving in the same turn) its due work.
    sim.sim.emit(ns, 'customer.created', { id: 'cus_turn', object: 'customer', email: 'turn@example.com' });
    sim.sim.runDue(ns);
    expect(stored.size).toBe(before);
    expect(dispatcherOf(sim.sim).inFlight).toBe(0);
    // The next turn builds and sends it.
    await new Promise((resolve) => setImmediate(resolve));
    await drain(sim);
    expect(receiver.received.map((r) => r.body.data.object.id)).toEqual(['cus_turn']);
  });

  it('retries on the namespace clock at +1 min, +5 min, +30 min and +2 h, then fails once with delivery_failed and keeps the endpoint enabled', async () => {
    const sim = await simWith();
    const receiver = await receiverFor(sim);
    receiver.defaultStatus = 500;
    const endpoint = await subscribe(sim, receiver);
    await sim.post('/customers', { email: 'retry@example.com' });
    await drain(sim);
    const count = () => receiver.received.filter((r) => r.body.type === 'customer.created').length;
    expect(count()).toBe(1);
    await advance(sim, 59_000);
    expect(count()).toBe(1);
    await advance(sim, 1_000);
    expect(count()).toBe(2);
    await advance(sim, 5 * 60_000 - 1);
    expect(count()).toBe(2);
    await advance(sim, 1);
    expect(count()).toBe(3);
    await advance(sim, 30 * 60_000);
    expect(count()).toBe(4);
    const pending = (await sim.get('/_sim/deliveries?status=pending')).body.data[0];
    expect(pending).toMatchObject({ attemptCount: 4, nextAttemptAt: '2026-03-01T12:36:00.000Z', lastError: 'HTTP 500' });
    await advance(sim, 2 * 3600_000);
    expect(count()).toBe(5);
    expect(receiver.received.every((r) => r.verified)).toBe(true);

    const delivery = (await sim.get('/_sim/deliveries?status=failed')).body.data[0];
    expect(delivery).toMatchObject({ status: 'failed', attemptCount: 5, nextAttemptAt: null, lastError: 'HTTP 500' });
    expect(delivery.attempts.map((a: { startedAt: string }) => a.startedAt)).toEqual([
      '2026-03-01T10:00:00.000Z', '2026-03-01T10:01:00.000Z', '2026-03-01T10:06:00.000Z', '2026-03-01T10:36:00.000Z', '2026-03-01T12:36:00.000Z',
    ]);
    expect(delivery.attempts[0].responseBody).toBe('{"error":"answered 500"}');
    const failed = (await sim.get('/_sim/events?type=webhook_endpoint.delivery_failed')).body.data;
    expect(failed).toHaveLength(1);
    expect(failed[0].data.object).toMatchObject({
      object: 'webhook_delivery', webhookEndpointId: endpoint.id, url: receiver.url, eventId: delivery.eventId, eventType: 'customer.created',
      attemptCount: 5, lastError: 'HTTP 500', lastResponseStatus: 500,
    });
    // The failing endpoint also gets (and fails) the delivery_failed event; that never announces itself again.
    for (let i = 0; i < 6; i++) await advance(sim, 3 * 3600_000);
    expect((await sim.get('/_sim/events?type=webhook_endpoint.*')).body.totalCount).toBe(1);
    expect((await sim.get(`/webhook-endpoints/${endpoint.id}`)).body.status).toBe('enabled');
  });

  it('with a real clock, retries fire by themselves when they fall due', async () => {
    const sim = await simWith({ clockMode: 'real', now: undefined });
    const receiver = await receiverFor(sim);
    receiver.script = [500, 200];
    await subscribe(sim, receiver, ['customer.created']);
    await sim.post('/customers', { email: 'real@example.com' });
    await drain(sim);
    expect(receiver.received).toHaveLength(1);
    // Move the real clock to 20 ms before the retry; from there only the outbox timer can send it.
    const ns = sim.sim.namespaces.get(TEST_KEY)!;
    const due = Date.parse((await sim.get('/_sim/deliveries')).body.data[0].nextAttemptAt);
    ns.clock.advance(due - ns.clock.now() - 20);
    sim.sim.runDue(ns);
    expect(receiver.received).toHaveLength(1);
    for (let i = 0; i < 400 && receiver.received.length < 2; i++) await new Promise((r) => setTimeout(r, 5));
    expect(receiver.received.map((r) => r.answered)).toEqual([500, 200]);
    await drain(sim);
    expect((await sim.get('/_sim/deliveries')).body.data[0]).toMatchObject({ status: 'succeeded', attemptCount: 2 });
  });

  it('stops retrying as soon as an attempt gets a 2xx', async () => {
    const sim = await simWith();
    const receiver = await receiverFor(sim);
    receiver.script = [503, 204];
    await subscribe(sim, receiver, ['customer.created']);
    await sim.post('/customers', { email: 'second@example.com' });
    await drain(sim);
    await advance(sim, 60_000);
    await advance(sim, 3 * 3600_000);
    expect(receiver.received.map((r) => r.answered)).toEqual([503, 204]);
    expect((await sim.get('/_sim/deliveries')).body.data[0]).toMatchObject({ status: 'succeeded', attemptCount: 2, nextAttemptAt: null });
  });

  it('records connection errors as failed attempts', async () => {
    const sim = await simWith();
    const receiver = await receiverFor(sim);
    const url = receiver.url;
    await receiver.close();
    await sim.post('/webhook-endpoints', { url, enabledEvents: ['*'] });
    await sim.post('/customers', { email: 'down@example.com' });
    await drain(sim);
    const attempt = (await sim.get('/_sim/deliveries')).body.data[0].attempts[0];
    expect(attempt).toMatchObject({ responseStatus: null, responseBody: null });
    expect(attempt.error).toMatch(/ECONNREFUSED/);
  });

  it('redelivers a failed delivery on request, as a manual attempt that does not count toward the five', async () => {
    const sim = await simWith();
    const receiver = await receiverFor(sim);
    receiver.defaultStatus = 500;
    await subscribe(sim, receiver, ['customer.created']);
    await sim.post('/customers', { email: 'again@example.com' });
    await drain(sim);
    for (const ms of [60_000, 300_000, 1_800_000, 7_200_000]) await advance(sim, ms);
    const failed = (await sim.get('/_sim/deliveries')).body.data[0];
    expect(failed.status).toBe('failed');
    receiver.defaultStatus = 200;
    const res = await sim.post(`/_sim/deliveries/${failed.id}/redeliver`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: failed.id, status: 'succeeded', attemptCount: 5 });
    expect(res.body.attempts).toHaveLength(6);
    expect(res.body.attempts[5]).toMatchObject({ attempt: 6, trigger: 'manual', responseStatus: 200 });
    expect(receiver.received.at(-1)!.raw).toBe(receiver.received[0]!.raw);
    expect(receiver.received.at(-1)!.verified).toBe(true);
  });

  it('answers 404 for an unknown delivery and 409 when its endpoint was deleted', async () => {
    const sim = await simWith();
    const receiver = await receiverFor(sim);
    const endpoint = await subscribe(sim, receiver);
    await sim.post('/customers', { email: 'gone@example.com' });
    await drain(sim);
    const delivery = (await sim.get('/_sim/deliveries')).body.data[0];
    await sim.del(`/webhook-endpoints/${endpoint.id}`);
    expectError(await sim.post('/_sim/deliveries/whdel_nope/redeliver'), 404, 'resource_missing', 'id');
    expectError(await sim.post(`/_sim/deliveries/${delivery.id}/redeliver`), 409, 'resource_invalid_state', 'id');
  });
});

describe('with the control plane', () => {
  it('runs retries when POST /_sim/clock/advance moves the clock past them', async () => {
    const sim = await simWith();
    const receiver = await receiverFor(sim);
    receiver.defaultStatus = 500;
    await subscribe(sim, receiver, ['customer.created']);
    await sim.post('/customers', { email: 'clock@example.com' });
    await drain(sim);
    expect((await sim.post('/_sim/clock/advance', { by: '30s' })).status).toBe(200);
    await drain(sim);
    expect(receiver.received).toHaveLength(1);
    await sim.post('/_sim/clock/advance', { by: '30s' });
    await drain(sim);
    expect(receiver.received).toHaveLength(2);
    expect(receiver.received[1]!.headers['xpay-signature']).toMatch(new RegExp(`^t=${FROZEN_SEC + 60},`));
  });

  it('makes all four retries at their own instants when one advance jumps past them all', async () => {
    const sim = await simWith();
    const receiver = await receiverFor(sim);
    receiver.defaultStatus = 500;
    receiver.secret = undefined; // the receiver's clock is 3 h ahead of the stamped instants here
    await sim.post('/webhook-endpoints', { url: receiver.url, enabledEvents: ['customer.created'] });
    await sim.post('/customers', { email: 'jump@example.com' });
    await drain(sim);
    await sim.post('/_sim/clock/advance', { by: '3h' });
    await drain(sim);
    const stamps = receiver.received.map((r) => Number(/^t=(\d+),/.exec(r.headers['xpay-signature'] as string)![1]) - FROZEN_SEC);
    expect(stamps).toEqual([0, 60, 360, 2160, 9360]);
    expect((await sim.get('/_sim/deliveries')).body.data[0]).toMatchObject({ status: 'failed', attemptCount: 5 });
    expect((await sim.get('/_sim/events?type=webhook_endpoint.delivery_failed')).body.totalCount).toBe(1);
  });

  it('keeps endpoints and deliveries in snapshots, and delivers again after a restore', async () => {
    const sim = await simWith();
    const receiver = await receiverFor(sim);
    await subscribe(sim, receiver, ['customer.created']);
    await sim.post('/customers', { email: 'snap@example.com' });
    await drain(sim);
    expect((await sim.post('/_sim/snapshots', { name: 'one-delivery' })).status).toBe(201);
    await sim.post('/customers', { email: 'later@example.com' });
    await drain(sim);
    expect((await sim.get('/_sim/deliveries')).body.totalCount).toBe(2);
    expect((await sim.post('/_sim/snapshots/one-delivery/restore')).status).toBe(200);
    expect((await sim.get('/_sim/deliveries')).body.totalCount).toBe(1);
    expect((await sim.get('/webhook-endpoints')).body.data).toHaveLength(1);
    await sim.post('/customers', { email: 'after@example.com' });
    await drain(sim);
    expect(receiver.received.map((r) => r.body.data.object.email)).toEqual(['snap@example.com', 'later@example.com', 'after@example.com']);
    expect(receiver.received.every((r) => r.verified)).toBe(true);
  });
});

describe('payment events', () => {
  it('delivers checkout.session.completed with the paid session, signed, to a checkout.* subscriber', async () => {
    const sim = await simWith();
    const receiver = await receiverFor(sim);
    await subscribe(sim, receiver, ['checkout.*']);
    const session = await sim.post('/checkout/sessions', {
      afterCompletion: { type: 'redirect', redirect: { url: 'https://shop.example/done' } },
      lineItems: [{ priceData: { currency: 'EGP', unitAmount: 149900, productData: { name: 'Order 42' } }, quantity: 1 }],
      metadata: { orderId: '42' },
    });
    expect(session.status).toBe(201);
    const paid = await sim.post(`/_sim/checkout/sessions/${session.body.id}/pay`, {
      card: { number: '5123450000000008', exp: '01/39', cvc: '100', name: 'Amina Hassan' },
      customerDetails: { email: 'amina@example.com' },
    });
    expect(paid.status).toBe(200);
    await drain(sim);
    const completed = receiver.received.filter((r) => r.body.type === 'checkout.session.completed');
    expect(completed).toHaveLength(1);
    expect(completed[0]!.verified).toBe(true);
    expect(completed[0]!.body.data.object).toMatchObject({ id: session.body.id, status: 'complete', metadata: { orderId: '42' } });
    expect(receiver.received.every((r) => r.body.type.startsWith('checkout.'))).toBe(true);
    const waited = await sim.get(`/_sim/events/wait?type=checkout.session.completed&resourceId=${session.body.id}`);
    expect(waited.body.id).toBe(completed[0]!.body.id);
  });
});

describe('webhooks from configuration', () => {
  it('delivers every namespace event to --webhook-url signed with --webhook-secret', async () => {
    const receiver = await receiverFor(undefined, 'whsec_from_config');
    const sim = await simWith({ webhookUrl: receiver.url, webhookSecret: 'whsec_from_config' });
    await sim.post('/customers', { email: 'cfg@example.com' });
    await sim.post('/customers', { email: 'other@example.com' }, { key: 'sk_test_another_namespace' });
    await drain(sim);
    expect(receiver.received.map((r) => [r.body.type, r.verified])).toEqual([['customer.created', true], ['customer.created', true]]);
    const list = await sim.get('/webhook-endpoints');
    expect(list.body.data).toHaveLength(1);
    expect(list.body.data[0]).toMatchObject({ url: receiver.url, enabledEvents: ['*'], status: 'enabled' });
  });

  it('signs with a secret derived from the seed when none is configured', async () => {
    const secret = configuredSecret('test-seed');
    expect(secret).toMatch(/^whsec_[0-9a-f]{48}$/);
    const receiver = await receiverFor(undefined, secret);
    const sim = await simWith({ webhookUrl: receiver.url });
    await sim.post('/customers', { email: 'seed@example.com' });
    await drain(sim);
    expect(receiver.received[0]!.verified).toBe(true);
  });
});

describe('determinism', () => {
  it('sends byte-identical bodies and signatures in two runs with the same seed and a frozen clock', async () => {
    const run = async () => {
      const sim = await simWith();
      const receiver = await receiverFor(sim);
      // The receiver's port differs between runs, so the endpoint URL is the only thing allowed to.
      await subscribe(sim, receiver);
      await sim.post('/customers', { name: 'Same', email: 'same@example.com' });
      await sim.post('/products', { name: 'Same product' });
      await drain(sim);
      return receiver.received.map((r) => ({ body: r.raw, signature: r.headers['xpay-signature'], secret: receiver.secret }));
    };
    const first = await run();
    const second = await run();
    expect(first).toHaveLength(2);
    expect(second).toEqual(first);
  });
});
