import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectError, startTestSim, type TestSim } from '../helpers/sim.js';
import { parseFaultSpec, pathPattern } from '../../src/control/faults.js';

let sim: TestSim;
beforeEach(async () => {
  sim = await startTestSim();
});
afterEach(() => sim.close());

const fault = (spec: string, extra: Record<string, string> = {}) => ({ headers: { 'XPay-Sim-Fault': spec, ...extra }, unchecked: true });

async function customerCount(): Promise<number> {
  return (await sim.get('/customers?limit=100')).body.data.length;
}

describe('fault injection by header', () => {
  it('answers 429 rate_limit with Retry-After, without running the request', async () => {
    const before = await customerCount();
    const res = await sim.post('/customers', { email: 'limited@example.com' }, fault('status=429; retry-after=3'));
    const error = expectError(res, 429, 'rate_limit');
    expect(error.type).toBe('rate_limit_error');
    expect(res.headers.get('retry-after')).toBe('3');
    expect(await customerCount()).toBe(before);
  });

  it('answers 500 internal_error and 503 in the XPay envelope', async () => {
    expect(expectError(await sim.get('/customers', fault('status=500')), 500, 'internal_error').type).toBe('api_error');
    const unavailable = await sim.get('/customers', fault('status=503'));
    expectError(unavailable, 503, 'internal_error');
    expect(unavailable.headers.get('retry-after')).toBe('1');
  });

  it('adds latency and then answers normally', async () => {
    const started = performance.now();
    const res = await sim.get('/customers', fault('latency=60ms'));
    expect(res.status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(55);
  });

  it('drops the connection without an answer', async () => {
    await expect(sim.get('/customers', fault('drop'))).rejects.toThrow();
  });

  it('applies the change, then drops the connection', async () => {
    const before = await customerCount();
    await expect(sim.post('/customers', { email: 'applied-drop@example.com' }, fault('applied=drop'))).rejects.toThrow();
    expect(await customerCount()).toBe(before + 1);
  });

  it('applies the change, then answers 500', async () => {
    const before = await customerCount();
    expectError(await sim.post('/customers', { email: 'applied@example.com' }, fault('applied=500')), 500, 'internal_error');
    expect(await customerCount()).toBe(before + 1);
  });

  it('rejects a malformed fault spec with 400 parameter_invalid', async () => {
    expectError(await sim.get('/customers', fault('explode')), 400, 'parameter_invalid', 'XPay-Sim-Fault');
    expectError(await sim.get('/customers', fault('status=99')), 400, 'parameter_invalid', 'XPay-Sim-Fault');
    expect(() => parseFaultSpec('rate=2')).toThrow();
  });
});

describe('fault rules', () => {
  it('fails twice, then succeeds', async () => {
    const rule = await sim.post('/_sim/faults', { method: 'POST', path: '/customers', fault: 'status=503', times: 2 });
    expect(rule.status).toBe(201);
    expect(rule.body).toMatchObject({ object: 'sim.fault', method: 'POST', path: '/customers', fault: 'status=503', times: 2, after: 0, fired: 0 });
    expectError(await sim.post('/customers', { email: 'r1@example.com' }, { unchecked: true }), 503, 'internal_error');
    expectError(await sim.post('/customers', { email: 'r1@example.com' }, { unchecked: true }), 503, 'internal_error');
    expect((await sim.post('/customers', { email: 'r1@example.com' })).status).toBe(201);
    expect((await sim.get('/_sim/faults')).body.data[0]).toMatchObject({ matched: 3, fired: 2 });
  });

  it('lets the first requests through with after, and matches path templates and globs', async () => {
    await sim.post('/_sim/faults', { path: '/customers/{id}', fault: 'status=500', after: 1 });
    const id = (await sim.get('/customers')).body.data[0].id;
    expect((await sim.get(`/customers/${id}`)).status).toBe(200);
    expectError(await sim.get(`/customers/${id}`, { unchecked: true }), 500, 'internal_error');
    expect((await sim.get('/customers')).status).toBe(200);
    expect(pathPattern('/products/*/stats').test('/products/prod_1/stats')).toBe(true);
    expect(pathPattern('/**').test('/a/b/c')).toBe(true);
    expect(pathPattern('/customers/*').test('/customers/a/b')).toBe(false);
  });

  it('keeps a keyed caller\'s rules inside its namespace unless global', async () => {
    await sim.post('/_sim/faults', { fault: 'status=500', path: '/customers' });
    expect((await sim.get('/customers', { key: 'sk_test_faults_other' })).status).toBe(200);
    // A tenant cannot make a global rule; the admin can.
    expectError(await sim.post('/_sim/faults', { fault: 'status=429', path: '/products', global: true }), 403, 'permission_denied');
    expect((await sim.get('/products', { key: 'sk_test_faults_other' })).status).toBe(200);
    const admin = await startTestSim({ adminKey: 'faults-admin-key-0123' });
    try {
      const rule = await admin.post('/_sim/faults', { fault: 'status=429', path: '/products', global: true }, { key: null, headers: { 'XPay-Sim-Admin': 'faults-admin-key-0123' } });
      expect(rule.status).toBe(201);
      expectError(await admin.get('/products', { key: 'sk_test_faults_other', unchecked: true }), 429, 'rate_limit');
    } finally {
      await admin.close();
    }
  });

  it('lists and clears rules, and rejects bad ones', async () => {
    await sim.post('/_sim/faults', { fault: 'latency=1ms' });
    expect((await sim.get('/_sim/faults')).body.data).toHaveLength(1);
    expect((await sim.del('/_sim/faults')).body).toEqual({ object: 'sim.faults_cleared', deleted: 1 });
    expect((await sim.get('/_sim/faults')).body.data).toEqual([]);
    expectError(await sim.post('/_sim/faults', { fault: 'boom' }), 400, 'parameter_invalid', 'fault');
    expectError(await sim.post('/_sim/faults', {}), 400, 'parameter_missing', 'fault');
    expectError(await sim.post('/_sim/faults', { fault: 'drop', times: 0 }), 400, 'parameter_out_of_range', 'times');
  });

  it('caps rules per namespace at --limit faultRules, naming the limit, without touching other namespaces', async () => {
    const capped = await startTestSim({ limits: { faultRules: 3 } });
    try {
      for (let i = 0; i < 3; i++) expect((await capped.post('/_sim/faults', { path: `/products/p${i}`, fault: 'status=500' })).status).toBe(201);
      const over = expectError(await capped.post('/_sim/faults', { path: '/products', fault: 'status=500' }), 400, 'invalid_request');
      expect(over.message).toContain('maximum of 3 fault rules');
      expect(over.message).toContain('faultRules');
      expect((await capped.get('/_sim/faults')).body.data).toHaveLength(3);
      // Another tenant has its own room; clearing frees the first tenant's.
      expect((await capped.post('/_sim/faults', { path: '/products', fault: 'status=500' }, { key: 'sk_test_faults_other' })).status).toBe(201);
      expect((await capped.del('/_sim/faults')).body.deleted).toBe(3);
      expect((await capped.post('/_sim/faults', { path: '/products', fault: 'status=500' })).status).toBe(201);
    } finally {
      await capped.close();
    }
  });

  it('picks by rule order through the index: counters move only on rules that match, up to the one that fires', async () => {
    const broad = (await sim.post('/_sim/faults', { fault: 'status=502', after: 1 })).body.id;
    const exact = (await sim.post('/_sim/faults', { method: 'GET', path: '/customers/{id}', fault: 'status=503' })).body.id;
    const other = (await sim.post('/_sim/faults', { method: 'GET', path: '/products', fault: 'status=504' })).body.id;
    // First request: the broad rule counts it but lets it through (after: 1); the exact rule fires.
    expectError(await sim.get('/customers/cus_x', { unchecked: true }), 503, 'internal_error');
    // From now on the broad rule comes first and fires, so later rules are not even counted.
    expectError(await sim.get('/customers/cus_x', { unchecked: true }), 502, 'internal_error');
    expectError(await sim.get('/products', { unchecked: true }), 502, 'internal_error');
    const byId = Object.fromEntries((await sim.get('/_sim/faults')).body.data.map((r: { id: string }) => [r.id, r]));
    expect(byId[broad]).toMatchObject({ matched: 3, fired: 2 });
    expect(byId[exact]).toMatchObject({ matched: 1, fired: 1 });
    expect(byId[other]).toMatchObject({ matched: 0, fired: 0 });
  });

  it('fires a rate-limited rule the same way on every run with the same seed', async () => {
    const pattern = async (s: TestSim) => {
      await s.post('/_sim/faults', { path: '/customers', fault: 'status=500; rate=0.5' });
      const out: number[] = [];
      for (let i = 0; i < 12; i++) out.push((await s.get('/customers', { unchecked: true })).status);
      return out;
    };
    const first = await pattern(sim);
    const other = await startTestSim();
    try {
      expect(await pattern(other)).toEqual(first);
    } finally {
      await other.close();
    }
    expect(first).toContain(500);
    expect(first).toContain(200);
  });
});
