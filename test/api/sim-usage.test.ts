// Caps on stored state in this area (idempotency keys, namespaces in memory) and GET /_sim/usage.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expectError, startTestSim, TEST_KEY, type TestSim } from '../helpers/sim.js';
import { processUsage } from '../../src/control/usage.js';
import { pagePath, sessionBody } from '../helpers/pages.js';

const running: TestSim[] = [];
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'xpay-sim-caps-'));
});
afterEach(async () => {
  for (const s of running.splice(0)) await s.close();
  rmSync(dir, { recursive: true, force: true });
});

async function start(config: Parameters<typeof startTestSim>[0] = {}): Promise<TestSim> {
  const sim = await startTestSim(config);
  running.push(sim);
  return sim;
}

/** Makes every namespace look idle for an hour (eviction only takes namespaces idle past the threshold). */
function ageNamespaces(sim: TestSim): void {
  for (const ns of sim.sim.namespaces.values()) sim.sim.lastUsed.set(ns, performance.now() - 3600_000);
}

describe('GET /_sim/usage', () => {
  it("shows the caller's record counts, idempotency keys, approximate bytes and the caps", async () => {
    const sim = await start({ limits: { idempotencyKeys: 50 } });
    const before = await sim.get('/_sim/usage');
    expect(before.status).toBe(200);
    await sim.post('/customers', { email: 'u1@example.com' }, { headers: { 'Idempotency-Key': 'u1' } });
    await sim.post('/customers', { email: 'u2@example.com' }, { key: 'sk_test_other_usage' });
    const after = (await sim.get('/_sim/usage')).body;
    expect(after).toMatchObject({ object: 'sim.usage', livemode: false, idempotencyKeys: 1, limits: { idempotencyKeys: 50, namespaces: 1000 } });
    expect(after.records.customers).toBe(before.body.records.customers + 1);
    expect(after.approxBytes).toBeGreaterThan(before.body.approxBytes);
    expectError(await sim.get('/_sim/usage', { key: null }), 401, 'authentication_required');
  });

  it('adds process totals only for the admin key', async () => {
    const sim = await start({ adminKey: 'admin-secret' });
    await sim.get('/customers');
    expect((await sim.get('/_sim/usage')).body.process).toBeUndefined();
    const admin = await sim.get('/_sim/usage', { key: null, headers: { 'XPay-Sim-Admin': 'admin-secret' } });
    expect(admin.status).toBe(200);
    expect(admin.body.process.namespaces).toBe(1);
    expect(admin.body.process.rssBytes).toBeGreaterThan(1024 * 1024);
    expect(processUsage(sim.sim).namespaces).toBe(1);
    expectError(await sim.get('/_sim/usage', { headers: { 'XPay-Sim-Admin': 'wrong' } }), 403, 'permission_denied');
  });
});

describe('idempotency key cap', () => {
  it('keeps at most the cap, forgetting the oldest key first', async () => {
    const sim = await start({ limits: { idempotencyKeys: 3 } });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await sim.post('/customers', { email: `k${i}@example.com` }, { headers: { 'Idempotency-Key': `key-${i}` } })).body.id);
    expect((await sim.get('/_sim/usage')).body.idempotencyKeys).toBe(3);
    // key-2..4 still replay; key-0 was evicted, so the same request creates again.
    const replay = await sim.post('/customers', { email: 'k4@example.com' }, { headers: { 'Idempotency-Key': 'key-4' } });
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.body.id).toBe(ids[4]);
    const forgotten = await sim.post('/customers', { email: 'k0@example.com' }, { headers: { 'Idempotency-Key': 'key-0' } });
    // The key no longer replays the first answer: the create runs again and meets the taken email.
    expect(forgotten.status).toBe(409);
    expect(forgotten.body.error.code).toBe('resource_invalid_state');
    expect(forgotten.headers.get('idempotent-replayed')).toBeNull();
  });
});

describe('namespace cap', () => {
  it('refuses a new key with 503 naming the limit while every namespace is in use', async () => {
    const sim = await start({ limits: { namespaces: 2 } });
    await sim.get('/customers');
    await sim.get('/customers', { key: 'sk_test_second' });
    const refused = await sim.get('/customers', { key: 'sk_test_third', unchecked: true });
    expect(refused.status).toBe(503);
    expect(refused.body.error).toMatchObject({ type: 'api_error', code: 'internal_error' });
    expect(refused.body.error.message).toContain('--limit namespaces');
    // Known keys keep working.
    expect((await sim.get('/customers', { key: 'sk_test_second' })).status).toBe(200);
  });

  it('without --data evicts the namespace idle the longest (its data is dropped)', async () => {
    const sim = await start({ limits: { namespaces: 2 }, dataFile: undefined });
    await sim.post('/customers', { email: 'first@example.com' });
    await sim.post('/customers', { email: 'second@example.com' }, { key: 'sk_test_second' });
    ageNamespaces(sim);
    // Both idle; the second was used more recently, so the first one goes.
    sim.sim.lastUsed.set(sim.sim.namespaces.get('sk_test_second')!, performance.now() - 1800_000);
    expect((await sim.get('/customers', { key: 'sk_test_third' })).status).toBe(200);
    expect([...sim.sim.namespaces.keys()].sort()).toEqual(['sk_test_second', 'sk_test_third']);
    const back = await sim.get('/customers?limit=100');
    expect(back.body.data.map((c: { email: string }) => c.email)).not.toContain('first@example.com');
  });

  it('with --data evicts idle namespaces to disk and loads them back on their next request', async () => {
    const sim = await start({ limits: { namespaces: 2 }, dataFile: join(dir, 'state.json') });
    await sim.post('/customers', { email: 'first@example.com' }, { headers: { 'Idempotency-Key': 'first' } });
    await sim.post('/customers', { email: 'second@example.com' }, { key: 'sk_test_second' });
    ageNamespaces(sim);
    expect((await sim.get('/customers', { key: 'sk_test_third' })).status).toBe(200);
    expect(sim.sim.namespaces.has(TEST_KEY)).toBe(false);
    ageNamespaces(sim);
    const back = await sim.get('/customers?limit=100');
    expect(back.body.data.map((c: { email: string }) => c.email)).toContain('first@example.com');
    const replay = await sim.post('/customers', { email: 'first@example.com' }, { headers: { 'Idempotency-Key': 'first' } });
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(sim.sim.namespaces.size).toBe(2);
  });

  it("brings an evicted namespace back for a shopper's hosted page (no key)", async () => {
    const sim = await start({ limits: { namespaces: 2 }, dataFile: join(dir, 'state.json') });
    const session = (await sim.post('/checkout/sessions', sessionBody())).body;
    await sim.get('/customers', { key: 'sk_test_second' });
    ageNamespaces(sim);
    await sim.get('/customers', { key: 'sk_test_third' });
    expect(sim.sim.namespaces.has(TEST_KEY)).toBe(false);
    ageNamespaces(sim);
    const page = await fetch(`${sim.url}${pagePath(session)}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Custom order #4231');
    expect(sim.sim.namespaces.has(TEST_KEY)).toBe(true);
    expect((await sim.get(`/checkout/sessions/${session.id}`)).body.status).toBe('open');
  });
});
