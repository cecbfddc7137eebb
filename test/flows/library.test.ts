// The importable library (`import … from 'xpay-sim'`), used as an integrator's tests would:
// startSimulator, a client per test, pay, advanceClock, waitForEvent, a verifying webhook receiver,
// reset, and the per-test namespace helper of `xpay-sim/vitest`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, freshKey, startSimulator, verifySignature, webhookReceiver, XPayApiError, type Simulator } from '../../src/index.js';
import { useXPaySim } from '../../src/testing/vitest.js';
import { useXPaySim as useXPaySimWithHooks } from '../../src/index.js';
import { computeSignature } from '../../src/webhooks/signer.js';

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ seed: 'library-test', now: '2026-03-01T10:00:00Z' });
});
afterAll(() => sim.close());

const session = (client: ReturnType<Simulator['client']>) =>
  client.post('/checkout/sessions', { afterCompletion: { type: 'hosted_confirmation' }, lineItems: [{ price: 'price_coffee_beans_egp', quantity: 1 }] });

describe('startSimulator', () => {
  it('listens on a free 127.0.0.1 port with the bundled fixtures and a frozen clock when given now', async () => {
    expect(sim.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const client = sim.client();
    expect((await client.get('/products/prod_cairo_coffee_beans')).id).toBe('prod_cairo_coffee_beans');
    expect(await client.get('/_sim/clock')).toMatchObject({ mode: 'frozen', now: '2026-03-01T10:00:00.000Z' });
  });

  it('refuses a `now` that is not an instant', async () => {
    await expect(startSimulator({ now: 'yesterday' })).rejects.toThrow(/now must be an ISO instant/);
  });
});

describe('the test client', () => {
  it('binds each client to a fresh key, so clients never see each other\'s data', async () => {
    const a = sim.client();
    const b = sim.client();
    expect(a.key).not.toBe(b.key);
    expect(a.key).toMatch(/^sk_test_[0-9a-f]{24}$/);
    const created = await a.post('/customers', { email: 'only-in-a@example.com' });
    expect((await a.request('GET', `/customers/${created.id}`)).status).toBe(200);
    expect((await b.request('GET', `/customers/${created.id}`)).status).toBe(404);
  });

  it('throws XPay\'s error code, type and param for a refused request', async () => {
    const error = await sim.client().post('/customers', { email: 'not-an-email' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(XPayApiError);
    expect(error).toMatchObject({ status: 400, type: 'invalid_request_error', param: 'email' });
    expect((error as XPayApiError).message).toMatch(/^POST \/customers answered 400 invalid_request_error\//);
  });

  it('pays a session with the success card by default, and with any magic card', async () => {
    const client = sim.client();
    const paid = await client.pay((await session(client)).id);
    expect(paid).toMatchObject({ status: 'complete', paymentStatus: 'paid' });
    const declined = await client.pay((await session(client)).id, '4000 0000 0000 9995');
    expect(declined.status).toBe('open');
    expect((declined.paymentIntent as any).lastPaymentError.declineCode).toBe('insufficient_funds');
    const amex = await client.pay((await session(client)).id, { number: '378282246310005', exp: '12/30' });
    expect(amex.paymentStatus).toBe('paid');
  });

  it('waits for an event, and advances the clock past a session\'s expiry', async () => {
    const client = sim.client();
    const open = await session(client);
    const paidSession = await session(client);
    await client.pay(paidSession.id);
    const completed = await client.waitForEvent('checkout.session.completed', { resourceId: paidSession.id });
    expect(completed.data.object.id).toBe(paidSession.id);
    const clock = await client.advanceClock('25h');
    expect(clock.now).toBe('2026-03-02T11:00:00.000Z');
    const expired = await client.waitForEvent('checkout.session.expired', { resourceId: open.id, timeoutMs: 1000 });
    expect(expired.data.object.status).toBe('expired');
    await expect(client.waitForEvent('refund.created', { timeoutMs: 200 })).rejects.toMatchObject({ status: 408 });
  });

  it('resets its namespace back to the fixtures', async () => {
    const client = sim.client();
    const created = await client.post('/customers', { email: 'gone@example.com' });
    await client.reset();
    expect((await client.request('GET', `/customers/${created.id}`)).status).toBe(404);
    expect((await client.get('/customers/cus_demo_amina')).id).toBe('cus_demo_amina');
  });

  it('works against any simulator URL with a given key', async () => {
    const key = freshKey();
    const first = createClient({ url: sim.url + '/', key });
    await first.post('/customers', { email: 'shared@example.com' });
    const again = createClient({ url: sim.url, key });
    expect((await again.get('/customers?search=shared@example.com')).totalCount).toBe(1);
  });
});

describe('webhookReceiver', () => {
  it('registers itself, verifies each signature, and hands out the events', async () => {
    const client = sim.client();
    const hooks = await webhookReceiver();
    try {
      await hooks.register(client, ['checkout.session.completed']);
      expect(hooks.secret).toMatch(/^whsec_/);
      const s = await session(client);
      await client.pay(s.id);
      const event = await hooks.waitFor('checkout.session.completed');
      expect(event.data.object.id).toBe(s.id);
      expect(hooks.received.every((r) => r.verified && r.status === 200)).toBe(true);
    } finally {
      await hooks.close();
    }
  });

  it('answers 401 to a request whose signature does not verify, and never counts it as an event', async () => {
    const hooks = await webhookReceiver({ secret: 'whsec_receiver_test' });
    try {
      const body = JSON.stringify({ id: 'evt_forged', object: 'event', type: 'charge.succeeded', data: { object: {} } });
      const forged = await fetch(hooks.url, { method: 'POST', headers: { 'Content-Type': 'application/json', 'XPay-Signature': `t=1,v1=${computeSignature('whsec_other', 1, body)}` }, body });
      expect(forged.status).toBe(401);
      const genuine = await fetch(hooks.url, { method: 'POST', headers: { 'Content-Type': 'application/json', 'XPay-Signature': `t=1,v1=${computeSignature('whsec_receiver_test', 1, body)}` }, body });
      expect(genuine.status).toBe(200);
      expect(hooks.events().map((e) => e.id)).toEqual(['evt_forged']);
      expect(hooks.received.map((r) => r.verified)).toEqual([false, true]);
      await expect(hooks.waitFor('refund.created', 50)).rejects.toThrow(/no verified refund.created webhook within 50 ms; received: charge.succeeded \(signature did not verify\), charge.succeeded/);
    } finally {
      await hooks.close();
    }
  });
});

describe('verifySignature', () => {
  const body = '{"id":"evt_1"}';
  const header = `t=1772359200,v1=${computeSignature('whsec_x', 1772359200, body)}`;
  it('accepts the right secret and body, and refuses anything changed', () => {
    expect(verifySignature('whsec_x', header, body)).toBe(true);
    expect(verifySignature('whsec_y', header, body)).toBe(false);
    expect(verifySignature('whsec_x', header, body + ' ')).toBe(false);
    expect(verifySignature('whsec_x', undefined, body)).toBe(false);
    expect(verifySignature('whsec_x', 't=abc,v1=00', body)).toBe(false);
  });
  it('checks the timestamp only when given a tolerance', () => {
    expect(verifySignature('whsec_x', header, body, { toleranceSec: 300, nowSec: 1772359200 + 299 })).toBe(true);
    expect(verifySignature('whsec_x', header, body, { toleranceSec: 300, nowSec: 1772359200 + 301 })).toBe(false);
  });
});

describe('xpay-sim/vitest useXPaySim', () => {
  const xpay = useXPaySim({ now: '2026-03-01T10:00:00Z' });
  const seen: string[] = [];

  it('gives each test its own namespace (first test)', async () => {
    seen.push(xpay.client.key);
    await xpay.client.post('/customers', { email: 'per-test@example.com' });
    expect((await xpay.client.get('/customers?search=per-test@example.com')).totalCount).toBe(1);
  });

  it('gives each test its own namespace (second test sees none of the first\'s data)', async () => {
    seen.push(xpay.client.key);
    expect(seen[0]).not.toBe(seen[1]);
    expect((await xpay.client.get('/customers?search=per-test@example.com')).totalCount).toBe(0);
    expect(xpay.url).toBe(xpay.simulator!.url);
  });
});

describe('useXPaySim with any runner\'s hooks', () => {
  it('uses the simulator at XPAY_API_URL (or `url`) instead of starting one, still one fresh key per test', async () => {
    const registered: Record<string, Array<() => unknown>> = { beforeAll: [], beforeEach: [], afterAll: [] };
    const hooks = { beforeAll: (fn: () => unknown) => registered.beforeAll!.push(fn), beforeEach: (fn: () => unknown) => registered.beforeEach!.push(fn), afterAll: (fn: () => unknown) => registered.afterAll!.push(fn) };
    const previous = process.env.XPAY_API_URL;
    process.env.XPAY_API_URL = sim.url;
    let xpay;
    try {
      xpay = useXPaySimWithHooks({}, hooks);
    } finally {
      if (previous === undefined) delete process.env.XPAY_API_URL;
      else process.env.XPAY_API_URL = previous;
    }
    expect(() => xpay.client).toThrow(/only available inside a test/);
    for (const fn of registered.beforeAll!) await fn();
    for (const fn of registered.beforeEach!) await fn();
    const first = xpay.client.key;
    for (const fn of registered.beforeEach!) await fn();
    expect(xpay.client.key).not.toBe(first);
    expect(xpay.url).toBe(sim.url);
    expect(xpay.simulator).toBeUndefined();
    expect((await xpay.client.get('/customers')).totalCount).toBeGreaterThan(0);
    for (const fn of registered.afterAll!) await fn();
  });
});
