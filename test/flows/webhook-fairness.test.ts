// Webhook delivery under load and abuse: the timeout runs only while a request is on the wire,
// each (tenant, endpoint) has its own lane and bounded queue, attempts are sent by a worker thread
// that stops with the server, and events and deliveries stay within their limits.
import { afterEach, describe, expect, it } from 'vitest';
import { dispatcherOf, drainDeliveries } from '../../src/webhooks/outbox.js';
import { FROZEN_NOW, expectError, startTestSim, TEST_KEY, type TestSim } from '../helpers/sim.js';
import { startReceiver, type Receiver } from '../helpers/webhook-receiver.js';

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});

const FROZEN_SEC = Date.parse(FROZEN_NOW) / 1000;
const KEY_A = 'sk_test_fairness_tenant_a';
const KEY_B = 'sk_test_fairness_tenant_b';

async function simWith(config: Parameters<typeof startTestSim>[0] = {}): Promise<TestSim> {
  const sim = await startTestSim(config);
  cleanup.push(() => sim.close());
  return sim;
}

async function receiver(options: Partial<Pick<Receiver, 'delayMs' | 'hang'>> = {}): Promise<Receiver> {
  const r = await startReceiver({ nowSec: () => FROZEN_SEC, ...options });
  cleanup.push(() => r.close());
  return r;
}

async function subscribe(sim: TestSim, url: string, key = TEST_KEY): Promise<string> {
  const res = await sim.post('/webhook-endpoints', { url, enabledEvents: ['customer.created'] }, { key });
  expect(res.status).toBe(201);
  return res.body.id;
}

let serial = 0;
async function customers(sim: TestSim, n: number, key = TEST_KEY): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const res = await sim.post('/customers', { name: `Customer ${++serial}`, email: `c${serial}@example.com` }, { key });
    expect(res.status).toBe(201);
    ids.push(res.body.id);
  }
  return ids;
}

async function deliveries(sim: TestSim, key = TEST_KEY): Promise<any[]> {
  const res = await sim.get('/_sim/deliveries?limit=100', { key });
  expect(res.status).toBe(200);
  return res.body.data;
}

/** Polls until `check` holds (bounded: the test fails with the last state instead of hanging). */
async function eventually<T>(read: () => Promise<T>, check: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (check(value)) return value;
    if (Date.now() > until) throw new Error(`condition not met within ${timeoutMs} ms; last value: ${JSON.stringify(value).slice(0, 2000)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('delivery timeout and queueing', () => {
  it('counts a slow answer within the timeout as a success even when the attempt first waited in its queue longer than the timeout', async () => {
    // One connection per endpoint: the 4th attempt waits ≈ 3 × 600 ms for its turn, longer than
    // the 1.5 s timeout, but each sent request is answered in 600 ms.
    const sim = await simWith({ webhookConcurrency: 1, webhookTimeoutMs: 1500 });
    const slow = await receiver({ delayMs: 600 });
    await subscribe(sim, slow.url);
    await customers(sim, 4);
    await drainDeliveries(sim.sim);
    const list = await deliveries(sim);
    expect(list).toHaveLength(4);
    for (const d of list) {
      expect(d).toMatchObject({ status: 'succeeded', attemptCount: 1, lastError: null });
      expect(d.attempts[0]).toMatchObject({ responseStatus: 200, error: null });
    }
    const waited = Math.max(...list.map((d) => d.attempts[0].queuedMs));
    expect(waited).toBeGreaterThan(1500);
    expect(slow.received).toHaveLength(4);
  });

  it('times out an attempt whose request gets no answer within the timeout once sent', async () => {
    const sim = await simWith({ webhookTimeoutMs: 300 });
    const hanging = await receiver({ hang: true });
    await subscribe(sim, hanging.url);
    await customers(sim, 1);
    await drainDeliveries(sim.sim);
    const [d] = await deliveries(sim);
    expect(d).toMatchObject({ status: 'pending', attemptCount: 1 });
    expect(d.attempts[0].error).toMatch(/no response within 0\.3 s/);
    expect(d.nextAttemptAt).toBe(new Date(Date.parse(FROZEN_NOW) + 60_000).toISOString());
  });

  it("delivers tenant B's events while tenant A's endpoint on the same host hangs with a full queue", async () => {
    const sim = await simWith({ webhookConcurrency: 2, webhookTimeoutMs: 20_000 });
    // One receiver, two paths: A's endpoint hangs, B's answers at once.
    const shared = await receiver({ hang: (path) => path.startsWith('/hang') });
    await subscribe(sim, shared.url.replace('/hooks', '/hang'), KEY_A);
    await subscribe(sim, shared.url.replace('/hooks', '/ok'), KEY_B);
    await customers(sim, 6, KEY_A);
    // A's two connections are stuck and four attempts wait behind them.
    await eventually(async () => shared.open, (open) => open === 2);
    await customers(sim, 3, KEY_B);
    const bDone = await eventually(() => deliveries(sim, KEY_B), (list) => list.length === 3 && list.every((d) => d.status !== 'pending'));
    for (const d of bDone) expect(d).toMatchObject({ status: 'succeeded', attemptCount: 1 });
    // …while every one of A's deliveries is still waiting: none was answered, none timed out.
    const a = await deliveries(sim, KEY_A);
    expect(a).toHaveLength(6);
    for (const d of a) expect(d).toMatchObject({ status: 'pending', attemptCount: 0, attempts: [] });
    expect(shared.received).toHaveLength(5);
  });

  it('counts a receiver that takes 2 s as a success under a 3 s timeout, though the third attempt waited 4 s for its connection', async () => {
    const sim = await simWith({ webhookConcurrency: 1, webhookTimeoutMs: 3000 });
    const slow = await receiver({ delayMs: 2000 });
    await subscribe(sim, slow.url);
    await customers(sim, 3);
    await drainDeliveries(sim.sim);
    const list = await deliveries(sim);
    expect(list.map((d) => d.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
    for (const d of list) {
      expect(d.attempts).toHaveLength(1);
      expect(d.attempts[0].latencyMs).toBeGreaterThanOrEqual(1900);
      expect(d.attempts[0].latencyMs).toBeLessThan(3000);
    }
    expect(Math.max(...list.map((d) => d.attempts[0].queuedMs))).toBeGreaterThan(3000);
  });

  it("gets tenant B's deliveries to its receiver within 1.5 s while tenant A's endpoint on another port of the same host hangs", async () => {
    const timeoutMs = 5000;
    const sim = await simWith({ webhookTimeoutMs: timeoutMs });
    const hanging = await receiver({ hang: true });
    const quick = await receiver();
    await subscribe(sim, hanging.url, KEY_A);
    await subscribe(sim, quick.url, KEY_B);
    // A fills its receiver with open requests first (every connection it may use is stuck).
    await customers(sim, 40, KEY_A);
    await eventually(async () => hanging.open, (open) => open >= 16);
    const latencies: number[] = [];
    for (let i = 0; i < 5; i++) {
      const sent = Date.now();
      await customers(sim, 1, KEY_B);
      await eventually(async () => quick.received.length, (n) => n === i + 1, timeoutMs);
      latencies.push(Date.now() - sent);
    }
    // Well before A's timeout: B never waits behind A's connections or queue.
    expect(Math.max(...latencies)).toBeLessThan(1500);
    const a = await deliveries(sim, KEY_A);
    expect(a.every((d) => d.status === 'pending' && d.attempts.length === 0)).toBe(true);
  });

  it('fails the oldest waiting attempts with an error naming the limit when an endpoint queue overflows', async () => {
    const sim = await simWith({ webhookConcurrency: 1, webhookTimeoutMs: 20_000, limits: { webhookQueue: 2 } });
    const hanging = await receiver({ hang: true });
    await subscribe(sim, hanging.url);
    const ids = await customers(sim, 5);
    // #1 is on the wire; #2 and #3 queued; #4 and #5 push #2 and #3 out.
    const list = await eventually(() => deliveries(sim), (l) => l.filter((d) => d.attempts.length > 0).length === 2);
    const byCustomer = new Map(list.map((d) => [JSON.parse(d.requestBody).data.object.id, d]));
    for (const id of [ids[1], ids[2]]) {
      const d = byCustomer.get(id)!;
      expect(d).toMatchObject({ status: 'pending', attemptCount: 1, nextAttemptAt: new Date(Date.parse(FROZEN_NOW) + 60_000).toISOString() });
      expect(d.attempts[0]).toMatchObject({ responseStatus: null, latencyMs: null });
      expect(d.attempts[0].error).toMatch(/more than 2 attempts were waiting for this endpoint \(limit webhookQueue\)/);
      expect(d.lastError).toBe(d.attempts[0].error);
    }
    for (const id of [ids[0], ids[3], ids[4]]) expect(byCustomer.get(id)).toMatchObject({ status: 'pending', attemptCount: 0, attempts: [] });
    await eventually(async () => hanging.received.length, (n) => n === 1);
  });
});

describe('the delivery worker', () => {
  it('starts with the first attempt and stops when the server closes, leaving unfinished attempts pending', async () => {
    const sim = await startTestSim();
    const dispatcher = dispatcherOf(sim.sim);
    expect(dispatcher.thread).toBeUndefined();
    const hanging = await receiver({ hang: true });
    await subscribe(sim, hanging.url);
    await customers(sim, 1);
    await eventually(async () => hanging.received.length, (n) => n === 1);
    const worker = dispatcher.thread!;
    expect(worker.threadId).toBeGreaterThan(0);
    expect(dispatcher.inFlight).toBe(1);
    const ns = sim.sim.namespaces.get(TEST_KEY)!;
    await sim.close();
    expect(worker.threadId).toBe(-1);
    expect(dispatcher.thread).toBeUndefined();
    expect(dispatcher.inFlight).toBe(0);
    // Nothing was recorded for the attempt cut short: it is sent again after a restart.
    await drainDeliveries(sim.sim, ns);
    const [d] = [...ns.db.deliveries.values()] as any[];
    expect(d).toMatchObject({ status: 'pending', attemptCount: 0, attempts: [] });
  });
});

describe('bounded events and deliveries', () => {
  it('keeps the newest events up to limit events and answers 404 naming the limit for an evicted one', async () => {
    const sim = await simWith({ limits: { events: 3 } });
    const ids = await customers(sim, 5);
    const events = await sim.get('/_sim/events?limit=100');
    expect(events.body.totalCount).toBe(3);
    expect(events.body.data.map((e: any) => e.data.object.id)).toEqual([ids[4], ids[3], ids[2]]);
    const oldest = events.body.data[2].id;
    const after = await sim.get(`/_sim/events/wait?after=${oldest}&timeout=0`, {});
    expect(after.status).toBe(200);
    expect(after.body.data.object.id).toBe(ids[3]);
    // An evicted event id: the answer says why it may be unknown.
    const more = await customers(sim, 1);
    const gone = await sim.get(`/_sim/events/wait?after=${oldest}&timeout=0`);
    const error = expectError(gone, 404, 'resource_missing', 'after');
    expect(error.message).toMatch(/newest 3 events \(limit events\)/);
    expect((await sim.get('/_sim/events?limit=100')).body.data[0].data.object.id).toBe(more[0]);
  });

  it('evicts the deliveries that finished first, and keeps a delivery after its event is evicted', async () => {
    const sim = await simWith({ limits: { deliveries: 3, events: 2 } });
    const ok = await receiver();
    await subscribe(sim, ok.url);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      ids.push(...(await customers(sim, 1)));
      await drainDeliveries(sim.sim);
    }
    const list = await deliveries(sim);
    expect(list.map((d) => JSON.parse(d.requestBody).data.object.id)).toEqual([ids[4], ids[3], ids[2]]);
    for (const d of list) expect(d.status).toBe('succeeded');
    // The event of the oldest kept delivery is gone (limit events 2), its delivery still resends.
    const oldest = list[2];
    expect((await sim.get('/_sim/events?limit=100')).body.data.map((e: any) => e.id)).not.toContain(oldest.eventId);
    const resent = await sim.post(`/_sim/deliveries/${oldest.id}/redeliver`);
    expect(resent.status).toBe(200);
    expect(resent.body.attempts).toHaveLength(2);
    expect(resent.body.attempts[1]).toMatchObject({ trigger: 'manual', responseStatus: 200 });
    expect(ok.received.at(-1)!.raw).toBe(oldest.requestBody);
  });

  it('never drops a pending delivery unseen: when all are pending, the oldest fails with an error naming the limit', async () => {
    const sim = await simWith({ webhookConcurrency: 1, webhookTimeoutMs: 20_000, limits: { deliveries: 2 } });
    const hanging = await receiver({ hang: true });
    await subscribe(sim, hanging.url);
    const ids = await customers(sim, 3);
    let list = await deliveries(sim);
    const of = (l: any[], id: string) => l.find((d) => JSON.parse(d.requestBody).data.object.id === id);
    expect(list).toHaveLength(3);
    expect(of(list, ids[0]!)).toMatchObject({ status: 'failed', nextAttemptAt: null });
    expect(of(list, ids[0]!).lastError).toMatch(/more than 2 webhook deliveries, all pending \(limit deliveries\)/);
    expect(of(list, ids[1]!).status).toBe('pending');
    expect(of(list, ids[2]!).status).toBe('pending');
    // The next one pushes the failed delivery out and gives up on the next oldest.
    await customers(sim, 1);
    list = await deliveries(sim);
    expect(list).toHaveLength(3);
    expect(of(list, ids[0]!)).toBeUndefined();
    expect(of(list, ids[1]!).status).toBe('failed');
    const gone = await sim.post(`/_sim/deliveries/whdel_doesnotexist/redeliver`);
    expect(expectError(gone, 404, 'resource_missing', 'id').message).toMatch(/limit deliveries/);
  });
});
