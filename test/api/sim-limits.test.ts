// Caps on the request log and on snapshots (src/control/limits.ts): oldest log entries evicted first,
// long bodies truncated with their size, snapshots past a cap refused with 400 naming the limit.
import { afterEach, describe, expect, it } from 'vitest';
import { expectError, startTestSim, type TestSim } from '../helpers/sim.js';

let sim: TestSim | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

const logPaths = async (s: TestSim) => (await s.get('/_sim/requests?limit=1000')).body.data.map((e: { path: string }) => e.path);

describe('request log caps', () => {
  it('keeps at most requestLogEntries entries, evicting the oldest first', async () => {
    sim = await startTestSim({ limits: { requestLogEntries: 3 } });
    for (let i = 1; i <= 5; i++) await sim.get(`/customers/cus_${i}`);
    expect(await logPaths(sim)).toEqual(['/customers/cus_5', '/customers/cus_4', '/customers/cus_3']);
  });

  it('keeps at most requestLogBytes bytes, evicting the oldest first', async () => {
    sim = await startTestSim({ limits: { requestLogBytes: 8 * 1024 } });
    for (let i = 1; i <= 20; i++) await sim.post('/customers', { email: `c${i}@example.com`, metadata: { note: 'x'.repeat(300) } });
    const data = (await sim.get('/_sim/requests?limit=1000')).body.data;
    expect(data.length).toBeGreaterThan(2);
    expect(data.length).toBeLessThan(20);
    // Newest first, and what is kept is the most recent run of requests.
    const emails = data.map((e: { requestBody: { email: string } }) => e.requestBody.email);
    expect(emails).toEqual(Array.from({ length: data.length }, (_, i) => `c${20 - i}@example.com`));
    expect(JSON.stringify(data).length).toBeLessThan(8 * 1024 + 4096);
  });

  it('logs nothing with requestLogEntries=0', async () => {
    sim = await startTestSim({ limits: { requestLogEntries: 0 } });
    await sim.get('/customers');
    expect(await logPaths(sim)).toEqual([]);
  });

  it('replaces bodies longer than requestLogBodyBytes by a marker with the original size', async () => {
    sim = await startTestSim({ limits: { requestLogBodyBytes: 200 } });
    const note = 'n'.repeat(400);
    await sim.post('/customers', { email: 'long@example.com', metadata: { note } });
    const [entry] = (await sim.get('/_sim/requests')).body.data;
    expect(entry.requestBody).toMatchObject({ object: 'sim.truncated_body', originalBytes: JSON.stringify({ email: 'long@example.com', metadata: { note } }).length });
    expect(entry.requestBody.preview.length).toBeLessThanOrEqual(200);
    expect(entry.requestBody.preview.startsWith('{"email":"long@example.com"')).toBe(true);
    expect(entry.responseBody.object).toBe('sim.truncated_body');
    expect(entry.responseBody.originalBytes).toBeGreaterThan(400);
    // Short bodies stay whole.
    await sim.get('/_sim/clock');
    expect((await sim.get('/_sim/requests')).body.data[0].responseBody.object).toBe('sim.clock');
  });

  it('keeps large invalid requests as short previews, so they cannot fill memory', async () => {
    sim = await startTestSim();
    const big = '{"email": "' + 'x'.repeat(200_000);
    for (let i = 0; i < 20; i++) expectError(await sim.request('POST', '/customers', { rawBody: big, headers: { 'Content-Type': 'application/json' } }), 400, 'invalid_request');
    const data = (await sim.get('/_sim/requests?limit=1000')).body.data;
    expect(data).toHaveLength(20);
    for (const e of data) expect(e.requestBody).toMatchObject({ object: 'sim.truncated_body', originalBytes: big.length });
    expect(JSON.stringify(data).length).toBeLessThan(20 * 2048);
  });

  it('keeps nothing for requests refused before a namespace is known', async () => {
    sim = await startTestSim();
    for (let i = 0; i < 50; i++) expectError(await sim.get('/customers', { key: `sk_bad_${i}` }), 401, 'authentication_required');
    for (let i = 0; i < 50; i++) await sim.request('POST', '/customers', { key: null, rawBody: '{not json', headers: { 'Content-Type': 'application/json' } });
    expect(sim.sim.namespaces.size).toBe(0);
  });
});

describe('snapshot caps', () => {
  it('refuses a snapshot past the snapshots count with 400 naming the limit; overwriting does not count twice', async () => {
    sim = await startTestSim({ limits: { snapshots: 2 } });
    expect((await sim.post('/_sim/snapshots', { name: 'one' })).status).toBe(201);
    expect((await sim.post('/_sim/snapshots', { name: 'two' })).status).toBe(201);
    const refused = expectError(await sim.post('/_sim/snapshots', { name: 'three' }), 400, 'resource_invalid_state', 'name');
    expect(refused.message).toContain('snapshots=2');
    expect((await sim.post('/_sim/snapshots', { name: 'one' })).status).toBe(201);
    expect((await sim.get('/_sim/snapshots')).body.data.map((s: { name: string }) => s.name)).toEqual(['one', 'two']);
    // Another namespace has its own count.
    expect((await sim.post('/_sim/snapshots', { name: 'three' }, { key: 'sk_test_limits_other' })).status).toBe(201);
  });

  it('frees room when a snapshot is deleted', async () => {
    sim = await startTestSim({ limits: { snapshots: 1 } });
    await sim.post('/_sim/snapshots', { name: 'one' });
    expectError(await sim.post('/_sim/snapshots', { name: 'two' }), 400, 'resource_invalid_state', 'name');
    expect((await sim.del('/_sim/snapshots/one')).body).toEqual({ object: 'sim.snapshot', name: 'one', deleted: true });
    expectError(await sim.del('/_sim/snapshots/one'), 404, 'resource_missing', 'name');
    expectError(await sim.post('/_sim/snapshots/one/restore'), 404, 'resource_missing', 'name');
    expect((await sim.post('/_sim/snapshots', { name: 'two' })).status).toBe(201);
  });

  it('refuses a snapshot past snapshotBytes with 400 naming the limit', async () => {
    const probe = await startTestSim();
    const size = (await probe.post('/_sim/snapshots', { name: 'probe' })).body.bytes as number;
    await probe.close();
    expect(size).toBeGreaterThan(1000);
    sim = await startTestSim({ limits: { snapshotBytes: Math.floor(size * 1.5) } });
    expect((await sim.post('/_sim/snapshots', { name: 'first' })).body.bytes).toBe(size);
    const refused = expectError(await sim.post('/_sim/snapshots', { name: 'second' }), 400, 'resource_invalid_state', 'name');
    expect(refused.message).toContain(`snapshotBytes=${Math.floor(size * 1.5)}`);
    // Replacing the one kept fits: the old copy is not counted beside the new one.
    expect((await sim.post('/_sim/snapshots', { name: 'first' })).status).toBe(201);
    expect((await sim.get('/_sim/snapshots')).body.data).toHaveLength(1);
  });
});

describe('request log reads are bounded', () => {
  it('examines at most requestLogScanBytes per call and continues from nextStartingAfter until the whole log is read', async () => {
    sim = await startTestSim({ limits: { requestLogScanBytes: 4096 } });
    const target = (await sim.post('/customers', { email: 'needle@example.com' })).body.id as string;
    // ≈ 1 KB per entry: each read can examine about four before it must answer.
    for (let i = 0; i < 30; i++) await sim.post('/customers', { email: `hay${i}@example.com`, metadata: { note: 'h'.repeat(400) } });
    await sim.get(`/customers/${target}`);
    const found: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: { status: number; body: any } = await sim.get(`/_sim/requests?resource=${target}${cursor ? `&startingAfter=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      pages++;
      found.push(...res.body.data.map((e: { method: string; path: string }) => `${e.method} ${e.path}`));
      expect(res.body.nextStartingAfter === null).toBe(!res.body.hasMore);
      cursor = res.body.nextStartingAfter;
    } while (cursor && pages < 100);
    expect(found).toEqual([`GET /customers/${target}`, 'POST /customers']);
    expect(pages).toBeGreaterThan(5);
    // Without a filter the pages together hold every entry exactly once, newest first.
    const paths: string[] = [];
    cursor = null;
    do {
      const res: { status: number; body: any } = await sim.get(`/_sim/requests?limit=1000${cursor ? `&startingAfter=${cursor}` : ''}`);
      paths.push(...res.body.data.map((e: { requestId: string }) => e.requestId));
      cursor = res.body.nextStartingAfter;
    } while (cursor);
    expect(paths).toHaveLength(32);
    expect(new Set(paths).size).toBe(32);
  });

  it('never finds an entry by a secret it only holds redacted', async () => {
    sim = await startTestSim();
    const endpoint = await sim.post('/webhook-endpoints', { url: 'http://127.0.0.1:9/hooks', enabledEvents: ['*'] });
    const secret = endpoint.body.secret as string;
    expect(secret).toMatch(/^whsec_/);
    expect((await sim.get(`/_sim/requests?resource=${secret}`)).body.data).toEqual([]);
    expect((await sim.get(`/_sim/requests?resource=${endpoint.body.id}`)).body.data).toHaveLength(1);
  });

  it('refuses a cursor that is not in the log with parameter_invalid on startingAfter', async () => {
    sim = await startTestSim();
    expectError(await sim.get('/_sim/requests?startingAfter=req_gone'), 400, 'parameter_invalid', 'startingAfter');
  });
});
