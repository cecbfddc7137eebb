// `--webhook-allow` on a shared instance: endpoint URLs outside the list are refused with 400 on
// `url`, deliveries re-check the address just before connecting (so a target that became
// disallowed after it was saved is never contacted), and receivers' reply excerpts exist only for
// allowed targets. Without the flag any URL works, as before.
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../src/config.js';
import { drainDeliveries } from '../../src/webhooks/outbox.js';
import { endpointsOf, type WebhookEndpointRecord } from '../../src/webhooks/records.js';
import { FROZEN_NOW, expectError, startTestSim, TEST_KEY, type TestSim } from '../helpers/sim.js';
import { startReceiver, type Receiver } from '../helpers/webhook-receiver.js';

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});

async function simAllowing(webhookAllow?: string[]): Promise<TestSim> {
  const sim = await startTestSim({ webhookAllow });
  cleanup.push(() => sim.close());
  return sim;
}

async function receiver(): Promise<Receiver> {
  const r = await startReceiver({ nowSec: () => Date.parse(FROZEN_NOW) / 1000 });
  cleanup.push(() => r.close());
  return r;
}

const subscribe = (sim: TestSim, url: string) => sim.post('/webhook-endpoints', { url, enabledEvents: ['customer.created'] });

async function oneDelivery(sim: TestSim): Promise<any> {
  await sim.post('/customers', { email: `allow${Math.random()}@example.com` });
  await drainDeliveries(sim.sim);
  const list = (await sim.get('/_sim/deliveries')).body.data;
  expect(list).toHaveLength(1);
  return list[0];
}

/** Saves an endpoint as if it had been allowed when created (an older --data file, or DNS since changed). */
function plantEndpoint(sim: TestSim, url: string): void {
  const ns = sim.sim.namespace({ raw: TEST_KEY, mode: 'test' } as never);
  const now = ns.nowIso();
  const record: WebhookEndpointRecord = {
    id: 'we_planted', object: 'webhook_endpoint', url, description: null, status: 'enabled', enabledEvents: ['customer.created'],
    livemode: false, metadata: {}, createdAt: now, updatedAt: now, _secret: 'whsec_planted',
  };
  endpointsOf(ns).set(record.id, record);
}

describe('endpoint URLs under --webhook-allow', () => {
  it('accepts an allowed address and refuses others with parameter_invalid on url, naming the list', async () => {
    const sim = await simAllowing(['127.0.0.1']);
    const r = await receiver();
    expect((await subscribe(sim, r.url)).status).toBe(201);
    const refused = expectError(await subscribe(sim, r.url.replace('127.0.0.1', '127.0.0.2')), 400, 'parameter_invalid', 'url');
    expect(refused.message).toBe("The webhook URL's address 127.0.0.2 is not allowed by --webhook-allow (127.0.0.1).");
    expect((await sim.get('/webhook-endpoints')).body.data).toHaveLength(1);
  });

  it('matches CIDR ranges, IPv6 addresses and listed host names', async () => {
    const sim = await simAllowing(['10.0.0.0/8', '::1', 'receiver.internal', '*.ci.example']);
    expectError(await subscribe(sim, 'http://127.0.0.1:9/hooks'), 400, 'parameter_invalid', 'url');
    expect((await subscribe(sim, 'http://10.20.30.40:9/hooks')).status).toBe(201);
    expect((await subscribe(sim, 'http://[::1]:9/hooks')).status).toBe(201);
    expect((await subscribe(sim, 'https://receiver.internal/hooks')).status).toBe(201);
    expect((await subscribe(sim, 'https://shop.ci.example/hooks')).status).toBe(201);
    expectError(await subscribe(sim, 'http://11.0.0.1/hooks'), 400, 'parameter_invalid', 'url');
  });

  it('judges an unlisted host name by the addresses it resolves to', async () => {
    const sim = await simAllowing(['10.0.0.0/8']);
    const refused = expectError(await subscribe(sim, 'http://localhost:9/hooks'), 400, 'parameter_invalid', 'url');
    expect(refused.message).toMatch(/^The webhook URL's host localhost resolves to (127\.0\.0\.1|::1), which is not allowed by --webhook-allow \(10\.0\.0\.0\/8\)\.$/);
    const loopback = await simAllowing(['127.0.0.0/8', '::1']);
    expect((await subscribe(loopback, 'http://localhost:9/hooks')).status).toBe(201);
  });

  it('refuses an update to a disallowed URL and keeps the old one', async () => {
    const sim = await simAllowing(['127.0.0.1']);
    const r = await receiver();
    const created = await subscribe(sim, r.url);
    expectError(await sim.patch(`/webhook-endpoints/${created.body.id}`, { url: 'http://192.168.1.1/hooks' }), 400, 'parameter_invalid', 'url');
    expect((await sim.get(`/webhook-endpoints/${created.body.id}`)).body.url).toBe(r.url);
  });

  it('takes any URL when the flag is not set', async () => {
    const sim = await simAllowing();
    expect((await subscribe(sim, 'http://192.168.1.1/hooks')).status).toBe(201);
  });
});

describe('deliveries under --webhook-allow', () => {
  it('delivers to an allowed receiver and keeps its reply excerpt', async () => {
    const sim = await simAllowing(['127.0.0.1']);
    const r = await receiver();
    await subscribe(sim, r.url);
    const d = await oneDelivery(sim);
    expect(d).toMatchObject({ status: 'succeeded' });
    expect(d.attempts[0]).toMatchObject({ responseStatus: 200, responseBody: '{"received":true}', error: null });
    expect(r.received).toHaveLength(1);
  });

  it('never connects to a saved endpoint whose address is no longer allowed, and keeps no excerpt', async () => {
    const sim = await simAllowing(['10.0.0.0/8']);
    const r = await receiver();
    plantEndpoint(sim, r.url);
    const d = await oneDelivery(sim);
    expect(d.attempts[0]).toMatchObject({ responseStatus: null, responseBody: null, error: 'not sent: 127.0.0.1 is not allowed by --webhook-allow' });
    expect(r.received).toHaveLength(0);
  });

  it('re-checks what a host name resolves to at send time and fails the attempt before connecting', async () => {
    const sim = await simAllowing(['10.0.0.0/8']);
    const r = await receiver();
    plantEndpoint(sim, r.url.replace('127.0.0.1', 'localhost'));
    const d = await oneDelivery(sim);
    expect(d.attempts[0]).toMatchObject({ responseStatus: null, responseBody: null });
    expect(d.attempts[0].error).toMatch(/localhost resolved to (127\.0\.0\.1|::1), which --webhook-allow does not allow; not connected/);
    expect(r.received).toHaveLength(0);
  });
});

describe('the --webhook-allow flag', () => {
  it('reads a comma-separated list from the flag or XPAY_SIM_WEBHOOK_ALLOW', () => {
    expect(parseConfig(['--webhook-allow', 'receiver, 10.0.0.0/8'], {})).toMatchObject({ webhookAllow: ['receiver', '10.0.0.0/8'] });
    expect(parseConfig([], { XPAY_SIM_WEBHOOK_ALLOW: '127.0.0.1' })).toMatchObject({ webhookAllow: ['127.0.0.1'] });
  });

  it('refuses bad entries, and a --webhook-url it does not allow, at start-up', () => {
    expect(() => parseConfig(['--webhook-allow', '10.0.0.0/33'], {})).toThrow(ConfigError);
    expect(() => parseConfig(['--webhook-allow', 'http://x'], {})).toThrow(/neither a host name, an IP address nor a CIDR range/);
    expect(() => parseConfig(['--webhook-allow', '10.0.0.0/8', '--webhook-url', 'http://127.0.0.1:3000/hooks'], {})).toThrow(/--webhook-url http:\/\/127\.0\.0\.1:3000\/hooks: The webhook URL's address 127\.0\.0\.1 is not allowed/);
    expect(() => parseConfig(['--webhook-allow', 'shop', '--webhook-url', 'http://shop:3000/hooks'], {})).not.toThrow();
  });
});
