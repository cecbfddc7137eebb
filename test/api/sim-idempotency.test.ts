import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connect } from 'node:net';
import type { RequestContext } from '../../src/http/types.js';
import { idempotencyInterceptor } from '../../src/control/idempotency.js';
import { expectError, startTestSim, TEST_KEY, type TestSim } from '../helpers/sim.js';

let sim: TestSim;
beforeEach(async () => {
  sim = await startTestSim();
});
afterEach(() => sim.close());

const withKey = (key: string) => ({ headers: { 'Idempotency-Key': key } });

async function customerCount(key = TEST_KEY): Promise<number> {
  const res = await sim.get('/customers?limit=100', { key });
  return res.body.data.length;
}

/** fetch cannot send a header twice; a raw socket can. */
function postWithRepeatedKey(path: string, body: unknown): Promise<{ status: number; body: any }> {
  const url = new URL(sim.url);
  const data = JSON.stringify(body);
  const head = [
    `POST ${path} HTTP/1.1`, `Host: ${url.host}`, `Authorization: Bearer ${TEST_KEY}`, 'Content-Type: application/json',
    `Content-Length: ${Buffer.byteLength(data)}`, 'Idempotency-Key: dup', 'Idempotency-Key: dup', 'Connection: close',
  ].join('\r\n');
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname, () => socket.end(`${head}\r\n\r\n${data}`));
    let text = '';
    socket.on('data', (c) => (text += c));
    socket.on('error', reject);
    socket.on('end', () => resolve({ status: Number(text.split(' ')[1]), body: JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4)) }));
  });
}

describe('idempotency keys', () => {
  it('replays the first answer for the same key and body, marked Idempotent-Replayed, without creating twice', async () => {
    const before = await customerCount();
    const first = await sim.post('/customers', { email: 'once@example.com' }, withKey('wc_1001_a1'));
    expect(first.status).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    const again = await sim.post('/customers', { email: 'once@example.com' }, withKey('wc_1001_a1'));
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(await customerCount()).toBe(before + 1);
  });

  it('accepts every key format XPay\'s plugin sends', async () => {
    const keys = ['wc_42_a1', 'wc_42_a1p', 'wc_42_a1r', `cartnew_${'a1'.repeat(16)}`, 'cartupd_cs_test_abc_3_150000', 'expire_cs_test_abc', 'wcref_42_n0_5000'];
    for (const [i, key] of keys.entries()) {
      const res = await sim.post('/customers', { email: `fmt${i}@example.com` }, withKey(key));
      expect(res.status).toBe(201);
    }
  });

  it('remembers a 4xx answer from the handler and replays it', async () => {
    await sim.post('/customers', { email: 'taken@example.com' });
    const first = await sim.post('/customers', { email: 'taken@example.com' }, withKey('k-409'));
    expectError(first, 409, 'resource_invalid_state', 'email');
    const again = await sim.post('/customers', { email: 'taken@example.com' }, withKey('k-409'));
    expectError(again, 409, 'resource_invalid_state', 'email');
    expect(again.headers.get('idempotent-replayed')).toBe('true');
  });

  it('refuses the same key with a different body or path with 400 idempotency_key_in_use (definitive, unlike the in-flight 409)', async () => {
    await sim.post('/customers', { email: 'a@example.com' }, withKey('k1'));
    const body = expectError(await sim.post('/customers', { email: 'b@example.com' }, withKey('k1')), 400, 'idempotency_key_in_use');
    expect(body.type).toBe('idempotency_error');
    expect(body.param).toBeUndefined();
    expect(body.message).toMatch(/different parameters/);
    const path = expectError(await sim.post('/products', { name: 'Tea' }, withKey('k1')), 400, 'idempotency_key_in_use');
    expect(path.type).toBe('idempotency_error');
    expect(path.param).toBeUndefined();
    // Nothing was created by the refused requests.
    const list = await sim.get('/customers?search=b@example.com');
    expect(list.body.data).toEqual([]);
  });

  it('does not remember validation failures, so the key can be used for the corrected request', async () => {
    expectError(await sim.post('/customers', { email: 'not-an-email' }, withKey('fix-me')), 400, 'parameter_invalid', 'email');
    const fixed = await sim.post('/customers', { email: 'fixed@example.com' }, withKey('fix-me'));
    expect(fixed.status).toBe(201);
    expect(fixed.headers.get('idempotent-replayed')).toBeNull();
  });

  it('scopes keys per namespace', async () => {
    const a = await sim.post('/customers', { email: 'same@example.com' }, withKey('shared'));
    const b = await sim.post('/customers', { email: 'same@example.com' }, { key: 'sk_test_other_namespace', headers: { 'Idempotency-Key': 'shared' } });
    expect(b.status).toBe(201);
    expect(b.headers.get('idempotent-replayed')).toBeNull();
    expect(a.status).toBe(201);
  });

  it('forgets a key after 24 hours of the namespace clock', async () => {
    await sim.post('/customers', { email: 'day@example.com' }, withKey('daily'));
    await sim.post('/_sim/clock/advance', { by: '23h' });
    expect((await sim.post('/customers', { email: 'day@example.com' }, withKey('daily'))).headers.get('idempotent-replayed')).toBe('true');
    await sim.post('/_sim/clock/advance', { by: '1h' });
    const later = await sim.post('/customers', { email: 'day@example.com' }, withKey('daily'));
    expect(later.headers.get('idempotent-replayed')).toBeNull();
    expectError(later, 409, 'resource_invalid_state', 'email');
  });

  it('rejects an empty, over-long or repeated Idempotency-Key with 400 parameter_invalid', async () => {
    expectError(await sim.post('/customers', { email: 'e@example.com' }, withKey('')), 400, 'parameter_invalid', 'Idempotency-Key');
    expectError(await sim.post('/customers', { email: 'e@example.com' }, withKey('x'.repeat(256))), 400, 'parameter_invalid', 'Idempotency-Key');
    const ok = await sim.post('/customers', { email: 'e@example.com' }, withKey('x'.repeat(255)));
    expect(ok.status).toBe(201);
    const repeated = await postWithRepeatedKey('/customers', { email: 'r@example.com' });
    expect(repeated.status).toBe(400);
    expect(repeated.body.error).toMatchObject({ code: 'parameter_invalid', param: 'Idempotency-Key' });
  });

  it('ignores the key on GET', async () => {
    const res = await sim.get('/customers', withKey(''));
    expect(res.status).toBe(200);
  });

  it('creates exactly one object from 50 parallel identical creates with one key', async () => {
    const before = await customerCount();
    const results = await Promise.all(
      Array.from({ length: 50 }, () => sim.post('/customers', { email: 'parallel@example.com' }, withKey('burst'))),
    );
    const created = results.filter((r) => r.status === 201);
    for (const r of results) expect([201, 409]).toContain(r.status);
    for (const r of results.filter((x) => x.status === 409)) expectError(r, 409, 'idempotency_key_in_use');
    expect(new Set(created.map((r) => r.body.id)).size).toBe(1);
    expect(created.filter((r) => r.headers.get('idempotent-replayed') === null)).toHaveLength(1);
    expect(await customerCount()).toBe(before + 1);
  });

  it('answers 409 idempotency_key_in_use while the first request with the key is still running', async () => {
    const ns = sim.sim.namespace({ raw: TEST_KEY, kind: 'secret', livemode: false });
    const ctx = (): RequestContext => ({
      sim: sim.sim, requestId: 'req_x', operationId: 'createCustomer', pathTemplate: '/customers', method: 'POST', path: '/customers', params: {}, query: {},
      body: { email: 'slow@example.com' }, rawBody: undefined, headers: { 'idempotency-key': 'busy' }, rawHeaders: ['Idempotency-Key', 'busy'],
      res: undefined as never, startedAt: 0, key: undefined, ns,
    });
    let release!: () => void;
    const first = idempotencyInterceptor(ctx(), () => new Promise((resolve) => (release = () => resolve({ status: 201, body: { id: 'cus_1' } }))));
    const err = await idempotencyInterceptor(ctx(), async () => ({ status: 201, body: { id: 'cus_2' } })).catch((e) => e);
    expect(err).toMatchObject({ status: 409, type: 'idempotency_error', code: 'idempotency_key_in_use' });
    release();
    expect(await first).toMatchObject({ status: 201 });
    const replay = await idempotencyInterceptor(ctx(), async () => ({ status: 201, body: { id: 'cus_3' } }));
    expect(replay.headers?.['Idempotent-Replayed']).toBe('true');
    expect(JSON.parse(String(replay.raw?.data))).toEqual({ id: 'cus_1' });
  });

  it('replays the real result after an applied-then-failed fault, so a retry with the key is safe', async () => {
    const before = await customerCount();
    const failed = await sim.post('/customers', { email: 'retry@example.com' }, { headers: { 'Idempotency-Key': 'wcref_9_n0_100', 'XPay-Sim-Fault': 'applied=500' } });
    expectError(failed, 500, 'internal_error');
    const retry = await sim.post('/customers', { email: 'retry@example.com' }, withKey('wcref_9_n0_100'));
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(await customerCount()).toBe(before + 1);
  });
});
