// `--data` under hard kills, as a user meets them: a simulator process is killed with SIGKILL while
// pages, uploads and webhook retries are in flight; every change it acknowledged must be there after
// the restart, and the ledger must still balance. Also: the journal's torn tail and corrupt middle,
// the lock across pid namespaces, and the clock's range.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestSim, type TestSim } from '../helpers/sim.js';
import { api, form, killHard, startDataCli } from '../helpers/data-process.js';
import { GOOD_CARD, linkPath, pagePath, sessionBody } from '../helpers/pages.js';
import { startSimulator } from '../../src/server.js';
import { DataFileError } from '../../src/store/persistence.js';
import { persistenceOf } from '../../src/store/durable-requests.js';

/** The CLI on the test's data file, stopped (SIGKILL) after the test. */
const startCli = (args: string[], wrap: string[] = [], env: NodeJS.ProcessEnv = {}) => startDataCli(cleanup, args, wrap, env);

let dir: string;
let file: string;
const cleanup: Array<() => Promise<unknown> | unknown> = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'xpay-sim-durable-'));
  file = join(dir, 'state.json');
});
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
  rmSync(dir, { recursive: true, force: true });
});

/** A webhook receiver that always fails, so every delivery is retried. */
async function failingReceiver(): Promise<{ url: string; hits: () => number }> {
  let hits = 0;
  const server: Server = createServer((req, res) => {
    req.resume();
    hits++;
    res.writeHead(500).end('down');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanup.push(() => new Promise((r) => server.close(r)));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}/hook`, hits: () => hits };
}

const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');

const emails = async (sim: TestSim): Promise<string[]> => (await sim.get('/customers?limit=100')).body.data.map((c: { email: string }) => c.email);

async function restarted(): Promise<TestSim> {
  const sim = await startTestSim({ dataFile: file, clockMode: 'frozen' });
  cleanup.push(() => sim.close());
  return sim;
}

/** Runs `start` with stderr captured (start-up warnings), restoring it whatever happens. */
async function capturingStderr<T>(start: () => Promise<T>): Promise<{ result: T; warnings: string[] }> {
  const warnings: string[] = [];
  const write = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((chunk: string) => (warnings.push(String(chunk)), true)) as typeof process.stderr.write;
  try {
    return { result: await start(), warnings };
  } finally {
    process.stderr.write = write;
  }
}

describe('acknowledged changes survive kill -9', () => {
  it('keeps hosted-page payments, link sessions, uploads and webhook attempts, and the ledger balances', async () => {
    const receiver = await failingReceiver();
    const { child, url } = await startCli(['--data', file, '--now', '2026-03-01T10:00:00Z']);
    expect((await api(url, 'POST', '/webhook-endpoints', { url: receiver.url, enabledEvents: ['*'] })).status).toBe(201);
    const sessions = await Promise.all(Array.from({ length: 12 }, async () => (await api(url, 'POST', '/checkout/sessions', sessionBody())).body as { id: string; url: string }));
    const created = await api(url, 'POST', '/payment-links', {
      afterCompletion: { type: 'redirect', redirect: { url: 'https://shop.example/thanks/{CHECKOUT_SESSION_ID}' } },
      lineItems: [{ priceId: 'price_tshirt_egp', quantity: 1 }],
    });
    const link = { ...created.body, pageUrl: created.headers.get('xpay-sim-page-url') };
    const upload = (await api(url, 'POST', '/upload-url')).body;
    // Wait for the first webhook attempts, then move the clock so the second attempts fall due.
    for (let i = 0; i < 3; i++) expect((await api(url, 'POST', '/customers', { email: `hook${i}@example.com` })).status).toBe(201);
    for (let i = 0; i < 100 && receiver.hits() < 3; i++) await new Promise((r) => setTimeout(r, 50));
    expect((await api(url, 'POST', '/_sim/clock/advance', { by: '2m' })).status).toBe(200);
    const retried = async () => ((await api(url, 'GET', '/_sim/deliveries?limit=100')).body.data as Array<{ attempts: unknown[] }>).some((d) => d.attempts.length >= 2);
    for (let i = 0; i < 100 && !(await retried()); i++) await new Promise((r) => setTimeout(r, 50));
    expect(await retried()).toBe(true);

    // Everything at once; the process dies while some of it is still in flight.
    const acknowledged = { paid: [] as string[], linkSessions: [] as string[], uploaded: false };
    const work: Array<Promise<unknown>> = [];
    for (const s of sessions) {
      work.push(form(url, pagePath(s), { email: 'amina@example.com', ...GOOD_CARD }).then((r) => {
        if (r.status === 303) acknowledged.paid.push(s.id);
      }));
    }
    for (let i = 0; i < 6; i++) {
      work.push(form(url, linkPath(link), {}).then((r) => {
        const id = r.status === 303 ? /\/c\/ns_[\w-]+\/(cs_test_\w+)$/.exec(r.location ?? '')?.[1] : undefined;
        if (id) acknowledged.linkSessions.push(id);
      }));
    }
    work.push(fetch(upload.uploadUrl, { method: 'PUT', headers: { 'Content-Type': 'image/png' }, body: new Uint8Array(PNG) }).then((r) => {
      if (r.ok) acknowledged.uploaded = true;
    }));
    // Third attempts fall due now and run while the process dies.
    work.push(api(url, 'POST', '/_sim/clock/advance', { by: '5m' }));
    const settled = Promise.allSettled(work);
    // Let about half of it through, then kill.
    for (let i = 0; i < 200 && acknowledged.paid.length < 6; i++) await new Promise((r) => setTimeout(r, 10));
    const deliveriesSeen = (await api(url, 'GET', '/_sim/deliveries?limit=100')).body.data as Array<{ id: string; attempts: unknown[] }>;
    await killHard(child);
    await settled;
    const ackedPaid = [...acknowledged.paid];

    const sim = await restarted();
    expect(ackedPaid.length).toBeGreaterThan(0);
    for (const id of ackedPaid) expect((await sim.get(`/checkout/sessions/${id}`)).body.status).toBe('complete');
    for (const id of acknowledged.linkSessions) expect((await sim.get(`/checkout/sessions/${id}`)).body.paymentLinkId).toBe(link.id);
    if (acknowledged.uploaded) expect((await fetch(`${sim.url}${new URL(upload.fileUrl).pathname}`)).status).toBe(200);
    // Every attempt a read showed before the kill is still recorded.
    const after = new Map(((await sim.get('/_sim/deliveries?limit=100')).body.data as Array<{ id: string; attempts: unknown[] }>).map((d) => [d.id, d]));
    for (const d of deliveriesSeen) expect(after.get(d.id)!.attempts.length).toBeGreaterThanOrEqual(d.attempts.length);
    const ledger = await sim.get('/_sim/ledger?entries=false');
    expect(ledger.body.invariants.ok).toBe(true);
    expect(ledger.body.entryCount).toBeGreaterThan(0);
  }, 60_000);
});

describe('webhook attempts in the journal', () => {
  it('journals each attempt as it is recorded, also when many finish in the same turn (journal verification stays silent)', async () => {
    const receiver = await failingReceiver();
    // Verification replays every journal record and compares it with memory: an attempt edited
    // in memory but not yet marked for the journal when another attempt commits stops the process.
    const { child, url } = await startCli(['--data', file, '--now', '2026-03-01T10:00:00Z'], [], { XPAY_SIM_VERIFY_JOURNAL: '1' });
    let stderr = '';
    child.stderr!.on('data', (c: Buffer) => (stderr += c));
    for (let i = 0; i < 5; i++) expect((await api(url, 'POST', '/webhook-endpoints', { url: `${receiver.url}/${i}`, enabledEvents: ['customer.created'] })).status).toBe(201);
    await Promise.all(Array.from({ length: 8 }, async (_, i) => expect((await api(url, 'POST', '/customers', { email: `burst${i}@example.com` })).status).toBe(201)));
    const attempted = async () => ((await api(url, 'GET', '/_sim/deliveries?limit=100')).body.data as Array<{ attempts: unknown[] }>).filter((d) => d.attempts.length > 0).length;
    for (let i = 0; i < 200 && (await attempted()) < 40; i++) await new Promise((r) => setTimeout(r, 50));
    expect(await attempted()).toBe(40);
    expect(stderr).not.toMatch(/journal verification/);
    expect(child.exitCode).toBe(null);
    // And they are on disk: a restart shows every attempt.
    await killHard(child);
    const sim = await restarted();
    const data = (await sim.get('/_sim/deliveries?limit=100')).body.data as Array<{ attempts: unknown[] }>;
    expect(data.filter((d) => d.attempts.length > 0)).toHaveLength(40);
  }, 60_000);
});

describe('journal files', () => {
  it('drops a torn last record with a warning and keeps everything before it', async () => {
    const first = await startTestSim({ dataFile: file });
    await first.post('/customers', { email: 'kept@example.com' });
    await first.close();
    appendFileSync(`${file}.journal.0`, '{"at":1,"c":[{"key":"x","fu');
    const { result: sim, warnings } = await capturingStderr(restarted);
    expect(warnings.join('')).toMatch(/state\.json\.journal\.0: dropped a cut-off last record/);
    expect(await emails(sim)).toContain('kept@example.com');
    // New writes follow the last whole record, so the next start reads a clean journal.
    await sim.post('/customers', { email: 'after@example.com' });
    await sim.close();
    cleanup.pop();
    const { result: third, warnings: later } = await capturingStderr(restarted);
    expect(later).toEqual([]);
    expect(await emails(third)).toEqual(expect.arrayContaining(['kept@example.com', 'after@example.com']));
  });

  it('refuses to start on a corrupt record before the end, naming the journal', async () => {
    const first = await startTestSim({ dataFile: file });
    await first.post('/customers', { email: 'a@example.com' });
    await first.post('/customers', { email: 'b@example.com' });
    await first.close();
    const journal = `${file}.journal.0`;
    const lines = readFileSync(journal, 'utf8').split('\n');
    lines[1] = lines[1]!.slice(0, 20) + '#' + lines[1]!.slice(21);
    writeFileSync(journal, lines.join('\n'));
    const attempt = startSimulator({ port: 0, dataFile: file });
    await expect(attempt).rejects.toBeInstanceOf(DataFileError);
    await expect(attempt).rejects.toThrow(`${journal}: journal record 1 (byte`);
    // --data-reset-corrupt moves the snapshot and journals aside and starts fresh.
    const fresh = await startTestSim({ dataFile: file, dataResetCorrupt: true });
    cleanup.push(() => fresh.close());
    expect(await emails(fresh)).not.toContain('a@example.com');
  });

  it('folds the journal into the snapshot and replays the same state', async () => {
    const sim = await startTestSim({ dataFile: file });
    const store = persistenceOf(sim.sim)!;
    store.compactMinBytes = 2000;
    for (let i = 0; i < 30; i++) await sim.post('/customers', { email: `c${i}@example.com` }, { headers: { 'Idempotency-Key': `k${i}` } });
    await store.settled();
    expect(store.compactions).toBeGreaterThan(0);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ format: 'xpay-sim/data', version: 2 });
    const before = (await sim.get('/customers?limit=100')).body.data;
    await sim.close();
    const again = await restarted();
    expect((await again.get('/customers?limit=100')).body.data).toEqual(before);
    const replay = await again.post('/customers', { email: 'c3@example.com' }, { headers: { 'Idempotency-Key': 'k3' } });
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
  });
});

/** `--kill-child`: when unshare dies, so does the namespace's pid 1 (as with `docker kill`). */
const UNSHARE = ['unshare', '--pid', '--fork', '--mount-proc', '--kill-child'];

describe('the lock across pid namespaces', () => {
  it('restarts after the simulator ran as pid 1 in its own pid namespace and was killed with SIGKILL', async (ctx) => {
    const probe = spawnSync(UNSHARE[0]!, [...UNSHARE.slice(1), 'true']);
    if (probe.error || probe.status !== 0) {
      console.log(`skipped: unshare --pid is not permitted here (${probe.error?.message ?? probe.stderr.toString().trim()})`);
      ctx.skip();
    }
    const env = { XPAY_SIM_LOCK_LEASE_MS: '1500' };
    const first = await startCli(['--data', file, '--now', '2026-03-01T10:00:00Z'], UNSHARE, env);
    expect((await api(first.url, 'POST', '/customers', { email: 'pid1@example.com' })).status).toBe(201);
    expect(JSON.parse(readFileSync(`${file}.lock`, 'utf8')).pid).toBe(1);
    // Kill the whole namespace (unshare and its pid 1) at once, as `docker kill` does.
    await killHard(first.child);
    // Pid 1 again, in a fresh pid namespace: the stale lock must not be mistaken for ours or a live one.
    const second = await startCli(['--data', file, '--now', '2026-03-01T10:00:00Z'], UNSHARE, env);
    const found = await api(second.url, 'GET', '/customers?limit=100');
    expect(found.body.data.map((c: { email: string }) => c.email)).toContain('pid1@example.com');
    // And while it runs, a second simulator in yet another pid namespace is refused.
    await expect(startCli(['--data', file], UNSHARE, env)).rejects.toThrow(/in use by another xpay-sim/);
  }, 60_000);
});

describe('clock range', () => {
  it('refuses moves past the largest date or before 1970 with 400 naming the parameter, and stays usable', async () => {
    const sim = await startTestSim({ dataFile: file });
    cleanup.push(() => sim.close());
    for (const [path, body, param] of [
      ['/_sim/clock/advance', { to: '+275760-09-13T00:00:00.000Z' }, 'to'],
      ['/_sim/clock/advance', { by: '99999999999999d' }, 'by'],
      ['/_sim/clock/advance', { by: 8.64e15 }, 'by'],
      ['/_sim/clock', { now: '1969-12-31T23:59:59Z' }, 'now'],
      ['/_sim/clock', { now: '+100000-01-01T00:00:00Z' }, 'now'],
    ] as const) {
      const res = await sim.post(path, body, { unchecked: true });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error).toMatchObject({ type: 'invalid_request_error', code: 'parameter_invalid', param });
    }
    const now = (await sim.get('/_sim/clock')).body.now;
    expect((await sim.post('/customers', { email: 'after@example.com' })).status).toBe(201);
    await sim.close();
    cleanup.pop();
    const again = await restarted();
    expect((await again.get('/_sim/clock')).body.now).toBe(now);
  });

  it('refuses to load a stored clock that no date can show, naming the file', async () => {
    writeFileSync(file, JSON.stringify({ format: 'xpay-sim/data', version: 2, generation: 0, namespaces: {
      k: { key: 'k', livemode: false, clock: { mode: 'frozen', now: 9e15, offset: 0 }, random: [1, 2, 3, 4], db: {}, extensions: {} },
    } }));
    await expect(startSimulator({ port: 0, dataFile: file })).rejects.toThrow(`${file}: namespace k: clock out of range`);
  });
});
