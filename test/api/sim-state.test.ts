import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import YAML from 'yaml';
import { expectError, startTestSim, TEST_KEY, type TestSim } from '../helpers/sim.js';

let sim: TestSim;
beforeEach(async () => {
  sim = await startTestSim();
});
afterEach(() => sim.close());

const OTHER = 'sk_test_state_other';
const ADMIN_KEY = 'admin-key-for-state-tests';

async function ids(path: string, key?: string, on: TestSim = sim): Promise<string[]> {
  const res = await on.get(`${path}?limit=100`, key ? { key } : {});
  return res.body.data.map((r: { id: string }) => r.id);
}

describe('reset', () => {
  it('resets only the caller\'s namespace with a key, and every namespace only with the admin key', async () => {
    const fixtures = await ids('/customers');
    const mine = await sim.post('/customers', { email: 'mine@example.com' });
    const theirs = await sim.post('/customers', { email: 'theirs@example.com' }, { key: OTHER });
    const reset = await sim.del('/_sim/data');
    expect(reset.body).toEqual({ object: 'sim.reset', scope: 'namespace', livemode: false });
    expect(await ids('/customers')).toEqual(fixtures);
    expect(await ids('/customers', OTHER)).toContain(theirs.body.id);
    expect(await ids('/customers')).not.toContain(mine.body.id);
    // Without a key and without the admin key: refused, and nothing changes.
    expectError(await sim.del('/_sim/data', { key: null }), 401, 'authentication_required');
    expect(await ids('/customers', OTHER)).toContain(theirs.body.id);
    const admin = await startTestSim({ adminKey: ADMIN_KEY });
    try {
      await admin.post('/customers', { email: 'theirs@example.com' }, { key: OTHER });
      expect((await admin.del('/_sim/data', { key: null, headers: { 'XPay-Sim-Admin': ADMIN_KEY } })).body).toEqual({ object: 'sim.reset', scope: 'all' });
      expect(await ids('/customers', OTHER, admin)).toEqual(fixtures);
    } finally {
      await admin.close();
    }
  });

  it('forgets idempotency keys and moves the clock back to its start on reset', async () => {
    await sim.post('/customers', { email: 'k@example.com' }, { headers: { 'Idempotency-Key': 'reset-me' } });
    await sim.post('/_sim/clock/advance', { by: '2h' });
    await sim.del('/_sim/data');
    expect((await sim.get('/_sim/clock')).body.now).toBe('2026-03-01T10:00:00.000Z');
    const again = await sim.post('/customers', { email: 'k@example.com' }, { headers: { 'Idempotency-Key': 'reset-me' } });
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBeNull();
  });
});

describe('snapshots', () => {
  it('saves the namespace and restores it later, ids and id sequence included', async () => {
    const kept = await sim.post('/customers', { email: 'kept@example.com' });
    const saved = await sim.post('/_sim/snapshots', { name: 'prepared' });
    expect(saved.status).toBe(201);
    expect(saved.body).toMatchObject({ object: 'sim.snapshot', name: 'prepared', livemode: false, takenAt: '2026-03-01T10:00:00.000Z' });
    const next = await sim.post('/customers', { email: 'after@example.com' });
    const restored = await sim.post('/_sim/snapshots/prepared/restore');
    expect(restored.status).toBe(200);
    const now = await ids('/customers');
    expect(now).toContain(kept.body.id);
    expect(now).not.toContain(next.body.id);
    // The id stream was restored too: the same create yields the same id again.
    expect((await sim.post('/customers', { email: 'after@example.com' })).body.id).toBe(next.body.id);
    expect((await sim.get('/_sim/snapshots')).body.data.map((s: { name: string }) => s.name)).toEqual(['prepared']);
  });

  it('forks a snapshot taken with one key into another key\'s namespace', async () => {
    const made = await sim.post('/customers', { email: 'fork@example.com' });
    await sim.post('/_sim/snapshots', { name: 'fork-me' });
    // The owner names the target key; the other key cannot restore it by name (it is not its snapshot).
    expectError(await sim.post('/_sim/snapshots/fork-me/restore', undefined, { key: OTHER }), 404, 'resource_missing', 'name');
    const forked = await sim.post('/_sim/snapshots/fork-me/restore', { into: OTHER });
    expect(forked.status).toBe(200);
    const fetched = await sim.get(`/customers/${made.body.id}`, { key: OTHER });
    expect(fetched.body).toEqual(made.body);
    // The two namespaces stay independent afterwards.
    await sim.post('/customers', { email: 'only-other@example.com' }, { key: OTHER });
    expect((await ids('/customers')).length + 1).toBe((await ids('/customers', OTHER)).length);
  });

  it('carries extension state: plain values, Maps and Sets, but not caches holding the collections', async () => {
    const ns = sim.sim.namespace({ raw: TEST_KEY, kind: 'secret', livemode: false });
    ns.extensions.set('test.flag', { on: true });
    ns.extensions.set('test.map', new Map([['a', { n: 1 }]]));
    ns.extensions.set('test.set', new Set(['x']));
    ns.extensions.set('test.cache', { db: ns.db, next: 5 });
    await sim.post('/_sim/snapshots', { name: 'ext' });
    ns.extensions.clear();
    await sim.post('/_sim/snapshots/ext/restore');
    expect(ns.extensions.get('test.flag')).toEqual({ on: true });
    expect((ns.extensions.get('test.map') as Map<string, unknown>).get('a')).toEqual({ n: 1 });
    expect((ns.extensions.get('test.set') as Set<string>).has('x')).toBe(true);
    expect(ns.extensions.has('test.cache')).toBe(false);
  });

  it('refuses to fork test data into a live namespace, or live data into a test one', async () => {
    await sim.post('/_sim/snapshots', { name: 'test-data' });
    expectError(await sim.post('/_sim/snapshots/test-data/restore', { into: 'sk_live_state' }), 400, 'parameter_invalid', 'into');
    await sim.post('/_sim/snapshots', { name: 'live-data' }, { key: 'sk_live_state' });
    expectError(await sim.post('/_sim/snapshots/live-data/restore', { into: TEST_KEY }, { key: 'sk_live_state' }), 400, 'parameter_invalid', 'into');
  });

  it('answers 404 for an unknown snapshot and 400 for a bad name', async () => {
    expectError(await sim.post('/_sim/snapshots/nope/restore'), 404, 'resource_missing', 'name');
    expectError(await sim.post('/_sim/snapshots', { name: 'no spaces' }), 400, 'parameter_invalid', 'name');
    expectError(await sim.post('/_sim/snapshots', {}), 400, 'parameter_missing', 'name');
  });

  it('needs a key to take or restore a snapshot', async () => {
    expectError(await sim.post('/_sim/snapshots', { name: 'x' }, { key: null }), 401, 'authentication_required');
  });
});

describe('export', () => {
  it('exports a fixture document that a new simulator loads with --fixtures', async () => {
    const customer = await sim.post('/customers', { name: 'Export Me', email: 'export@example.com' });
    const product = await sim.post('/products', { name: 'Exported Tea', defaultPrice: { currency: 'EGP', unitAmount: 1500 } });
    const exported = await sim.get('/_sim/export');
    expect(exported.status).toBe(200);
    const dir = mkdtempSync(join(tmpdir(), 'xpay-sim-export-'));
    try {
      writeFileSync(join(dir, 'exported.yaml'), YAML.stringify(exported.body));
      const copy = await startTestSim({ fixturesDir: dir });
      try {
        for (const path of ['/customers', '/products']) {
          const a = await sim.get(`${path}?limit=100`);
          const b = await copy.get(`${path}?limit=100`);
          expect(b.body.data).toEqual(a.body.data);
        }
        expect((await copy.get(`/customers/${customer.body.id}`)).body).toEqual(customer.body);
        const coupons = await sim.get('/_sim/coupons', { unchecked: true });
        if (coupons.status === 200) expect((await copy.get('/_sim/coupons', { unchecked: true })).body).toEqual(coupons.body);
        expect((await copy.get(`/products/${product.body.id}`)).body).toEqual((await sim.get(`/products/${product.body.id}`)).body);
      } finally {
        await copy.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
