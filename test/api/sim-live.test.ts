// GET /_sim/live: the namespace's live stream (Server-Sent Events) the Workbench reads with fetch.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectError, startTestSim, TEST_KEY, type TestSim } from '../helpers/sim.js';
import { createSession, pagePath } from '../helpers/pages.js';
import { watcherCount } from '../../src/sim/live.js';
import { readEvents } from '../../src/workbench/live.js';
import { startReceiver } from '../helpers/webhook-receiver.js';

const OTHER_KEY = 'sk_test_live_other_tenant';

let sim: TestSim;
beforeEach(async () => {
  sim = await startTestSim({ limits: { liveSubscribers: 2 } });
});
afterEach(() => sim.close());

interface Stream {
  messages: Array<{ event: string; data: any }>;
  status: number;
  contentType: string | null;
  /** Resolves once a message passes `pick` (bounded by the test timeout). */
  until(pick: (m: { event: string; data: any }) => boolean): Promise<{ event: string; data: any }>;
  close(): void;
}

async function open(key = TEST_KEY, headers: Record<string, string> = {}): Promise<Stream> {
  const controller = new AbortController();
  const res = await fetch(`${sim.url}/_sim/live`, { headers: { Authorization: `Bearer ${key}`, ...headers }, signal: controller.signal });
  const stream: Stream = { messages: [], status: res.status, contentType: res.headers.get('content-type'), until: async () => undefined as never, close: () => controller.abort() };
  const waiters: Array<() => void> = [];
  if (res.ok && res.body) {
    // Read with the Workbench's own parser, so the format and the client are checked together.
    void readEvents(res.body, (m) => {
      stream.messages.push(m);
      for (const wake of waiters.splice(0)) wake();
    }).catch(() => undefined); // aborted by close()
  }
  stream.until = async (pick) => {
    for (;;) {
      const hit = stream.messages.find(pick);
      if (hit) return hit;
      await new Promise<void>((resolve) => waiters.push(resolve));
    }
  };
  return stream;
}

const namespace = () => sim.sim.namespaces.get(TEST_KEY)!;

describe('GET /_sim/live', () => {
  it('says it is ready, then tells of each finished request, emitted event and webhook attempt of the namespace', async () => {
    const receiver = await startReceiver({ nowSec: () => Date.now() / 1000 });
    await sim.post('/webhook-endpoints', { url: `${receiver.url}/hooks`, enabledEvents: ['checkout.session.completed'] });
    const live = await open();
    expect(live.status).toBe(200);
    expect(live.contentType).toBe('text/event-stream; charset=utf-8');
    await live.until((m) => m.event === 'ready');
    const session = await createSession(sim);
    const created = await live.until((m) => m.event === 'request' && m.data.path === '/checkout/sessions');
    expect(created.data).toMatchObject({ method: 'POST', status: 201, client: null });
    expect(typeof created.data.requestId).toBe('string');
    // A shopper opening the hosted page is a request of the namespace too.
    expect((await fetch(sim.url + pagePath(session))).status).toBe(200);
    const page = await live.until((m) => m.event === 'request' && m.data.path.startsWith('/c/'));
    expect(page.data).toMatchObject({ method: 'GET', status: 200, path: pagePath(session) });
    await sim.post(`/_sim/checkout/sessions/${session.id}/pay`, { card: { number: '4242424242424242', exp: '01/39', cvc: '100' }, customerDetails: { email: 'mona@example.com' } }, { headers: { 'XPay-Sim-Client': 'workbench' } });
    const completed = await live.until((m) => m.event === 'event' && m.data.type === 'checkout.session.completed');
    expect(completed.data.id).toMatch(/^evt_test_/);
    const pay = await live.until((m) => m.event === 'request' && m.data.path.endsWith('/pay'));
    expect(pay.data.client).toBe('workbench');
    // The webhook attempt happens outside any request: it is told as a change.
    await expect.poll(() => receiver.received.length, { timeout: 10_000 }).toBe(1);
    await live.until((m) => m.event === 'change');
    live.close();
    await receiver.close();
  });

  it('never tells one namespace about another', async () => {
    const mine = await open();
    const theirs = await open(OTHER_KEY);
    await mine.until((m) => m.event === 'ready');
    await theirs.until((m) => m.event === 'ready');
    await sim.post('/customers', { email: 'other@example.com' }, { key: OTHER_KEY });
    await theirs.until((m) => m.event === 'event' && m.data.type === 'customer.created');
    await sim.post('/customers', { email: 'mine@example.com' });
    await mine.until((m) => m.event === 'event' && m.data.type === 'customer.created');
    expect(mine.messages.filter((m) => m.event !== 'ready')).toHaveLength(2);
    expect(theirs.messages.filter((m) => m.event !== 'ready')).toHaveLength(2);
    mine.close();
    theirs.close();
  });

  it('caps open streams per namespace with a 429 naming the limit, and frees the slot when one closes', async () => {
    const first = await open();
    const second = await open();
    await first.until((m) => m.event === 'ready');
    await second.until((m) => m.event === 'ready');
    const refused = await sim.get('/_sim/live');
    const error = expectError(refused, 429, 'rate_limit');
    expect(error.message).toContain('liveSubscribers');
    expect(refused.headers.get('retry-after')).toBe('5');
    // Another namespace has its own slots.
    const other = await open(OTHER_KEY);
    expect(other.status).toBe(200);
    other.close();
    first.close();
    await expect.poll(() => watcherCount(namespace())).toBe(1);
    const third = await open();
    expect(third.status).toBe(200);
    second.close();
    third.close();
  });

  it('needs the key of the namespace to watch', async () => {
    expectError(await sim.get('/_sim/live', { key: null }), 401, 'authentication_required');
  });
});
