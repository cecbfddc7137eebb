import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestSim, TEST_KEY, type TestSim } from '../helpers/sim.js';
import { startSimulator } from '../../src/server.js';
import { packageRoot } from '../../src/spec.js';
import { appendDurably, writeDataFileSync, DataFileError } from '../../src/store/persistence.js';
import { persistenceOf } from '../../src/store/durable-requests.js';
import type { NamespaceDump } from '../../src/control/ns-state.js';
import { readDurableState } from '../../src/store/journal-files.js';

let dir: string;
let file: string;
const running: TestSim[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'xpay-sim-data-'));
  file = join(dir, 'state.json');
});
afterEach(async () => {
  for (const s of running.splice(0)) await s.close();
  rmSync(dir, { recursive: true, force: true });
});

async function start(extra: Record<string, unknown> = {}): Promise<TestSim> {
  const sim = await startTestSim({ dataFile: file, ...extra });
  running.push(sim);
  return sim;
}

async function stop(sim: TestSim): Promise<void> {
  running.splice(running.indexOf(sim), 1);
  await sim.close();
}

const emails = async (sim: TestSim) => (await sim.get('/customers?limit=100')).body.data.map((c: { email: string }) => c.email);

/** Starts the real CLI in a child process and resolves with its URL once it is listening. */
function startCli(args: string[]): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(packageRoot(), 'src/cli.ts'), '--port', '0', '--now', '2026-03-01T10:00:00Z', ...args], {
    cwd: packageRoot(), stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout!.on('data', (c) => {
      out += c;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve({ child, url: m[1]! });
    });
    child.stderr!.on('data', (c) => (err += c));
    child.on('exit', (code) => reject(new Error(`exited ${code}: ${err}`)));
  });
}

function exitOf(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return startCli(args).then(
    ({ child }) => {
      child.kill('SIGKILL');
      return { code: 0, stderr: 'started' };
    },
    (e: Error) => {
      const m = /^exited (\S+): ([\s\S]*)$/.exec(e.message)!;
      return { code: Number(m[1]), stderr: m[2]! };
    },
  );
}

describe('persistence with --data', () => {
  it('keeps every namespace, the clock and idempotency keys across a restart', async () => {
    const first = await start();
    const created = await first.post('/customers', { email: 'kept@example.com' }, { headers: { 'Idempotency-Key': 'wc_7_a1' } });
    await first.post('/customers', { email: 'other@example.com' }, { key: 'sk_test_other_ns' });
    await first.post('/_sim/clock/advance', { by: '1h' });
    await stop(first);
    const second = await start();
    expect(await emails(second)).toContain('kept@example.com');
    expect(await emails(second)).not.toContain('other@example.com');
    expect((await second.get('/customers?limit=100', { key: 'sk_test_other_ns' })).body.data.map((c: any) => c.email)).toContain('other@example.com');
    expect((await second.get('/_sim/clock')).body.now).toBe('2026-03-01T11:00:00.000Z');
    const replay = await second.post('/customers', { email: 'kept@example.com' }, { headers: { 'Idempotency-Key': 'wc_7_a1' } });
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.body).toEqual(created.body);
    // New ids continue the stream instead of repeating it.
    const next = await second.post('/customers', { email: 'new@example.com' });
    expect(next.body.id).not.toBe(created.body.id);
  });

  it('shares one write among requests that arrive while a write is in progress', async () => {
    const sim = await start();
    const store = persistenceOf(sim.sim)!;
    const before = store.writes;
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => sim.post('/customers', { email: `batch${i}@example.com` })));
    expect(results.every((r) => r.status === 201)).toBe(true);
    expect(store.writes - before).toBeLessThan(30);
    expect(readDurableState(file).state.dump(TEST_KEY)!.db.customers!.length).toBeGreaterThanOrEqual(30);
  });

  it('writes the deliveries of an event, built after the answer, in the same journal record as the event', async () => {
    const sim = await start();
    // An endpoint nobody listens on: the attempts fail later, in records of their own.
    for (const port of [9, 10]) await sim.post('/webhook-endpoints', { url: `http://127.0.0.1:${port}/hook`, enabledEvents: ['customer.created'] });
    const created = await sim.post('/customers', { email: 'announced@example.com' });
    const lines = readFileSync(`${file}.journal.0`, 'utf8').trim().split('\n').slice(1);
    const withCustomer = lines.filter((l) => l.includes(created.body.id));
    expect(withCustomer.length).toBeGreaterThan(0);
    const first = withCustomer[0]!;
    expect(first).toContain('"customer.created"');
    expect(first.match(/"object":"webhook_delivery"/g)).toHaveLength(2);
    // Read back after the answer: the deliveries are there, pending or attempted.
    const deliveries = (await sim.get('/_sim/deliveries?limit=10')).body.data;
    expect(deliveries.filter((d: { eventType: string }) => d.eventType === 'customer.created')).toHaveLength(2);
  });

  it('creates one object from 50 parallel creates with one key, and replays only what is on disk', async () => {
    const sim = await start();
    const before = (await sim.get('/customers?limit=100')).body.data.length;
    const results = await Promise.all(
      Array.from({ length: 50 }, () => sim.post('/customers', { email: 'durable@example.com' }, { headers: { 'Idempotency-Key': 'wc_50_a1' } })),
    );
    for (const r of results) expect([201, 409]).toContain(r.status);
    const created = results.filter((r) => r.status === 201);
    expect(created.filter((r) => r.headers.get('idempotent-replayed') === null)).toHaveLength(1);
    expect(new Set(created.map((r) => r.body.id)).size).toBe(1);
    expect((await sim.get('/customers?limit=100')).body.data.length).toBe(before + 1);
    const replay = await sim.post('/customers', { email: 'durable@example.com' }, { headers: { 'Idempotency-Key': 'wc_50_a1' } });
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
  });

  it('keeps memory equal to disk when a write fails (disk full), answers 503 and stays up', async () => {
    const sim = await start();
    await sim.post('/customers', { email: 'before@example.com' });
    const store = persistenceOf(sim.sim)!;
    const journal = `${file}.journal.0`;
    const onDisk = readFileSync(journal, 'utf8');
    store.appender = async (fd, data, position) => {
      // Half the record reaches the disk, then the disk is full.
      writeSync(fd, data, 0, data.length >> 1, position);
      throw Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
    };
    const failed = await sim.post('/customers', { email: 'lost@example.com' }, { unchecked: true });
    expect(failed.status).toBe(503);
    expect(failed.body.error).toMatchObject({ type: 'api_error', code: 'internal_error' });
    expect(failed.body.error.message).toContain('ENOSPC');
    expect(await emails(sim)).not.toContain('lost@example.com');
    expect(readFileSync(journal, 'utf8')).toBe(onDisk);
    store.appender = appendDurably;
    expect((await sim.post('/customers', { email: 'lost@example.com' })).status).toBe(201);
    expect(await emails(sim)).toContain('before@example.com');
  });

  it('refuses to start on an empty, truncated or wrong-shaped file, naming the file', async () => {
    for (const [content, reason] of [['', 'empty'], ['{"format":"xpay-sim/data","vers', 'not valid JSON'], ['{"hello":1}', 'not an xpay-sim data file'],
      ['{"format":"xpay-sim/data","version":1,"namespaces":{"k":{"key":"k"}}}', 'namespace without key/livemode']] as const) {
      writeFileSync(file, content);
      const attempt = startSimulator({ port: 0, dataFile: file });
      await expect(attempt).rejects.toBeInstanceOf(DataFileError);
      await expect(attempt).rejects.toThrow(file);
      await expect(attempt).rejects.toThrow(reason);
      expect(existsSync(`${file}.lock`)).toBe(false);
    }
  });

  it('moves a corrupt file aside and starts fresh with --data-reset-corrupt', async () => {
    writeFileSync(file, '{ broken');
    const sim = await start({ dataResetCorrupt: true });
    expect((await sim.post('/customers', { email: 'fresh@example.com' })).status).toBe(201);
    expect(readdirSync(dir).some((n) => n.startsWith('state.json.corrupt-'))).toBe(true);
    expect(readDurableState(file).state.dump(TEST_KEY)!.db.customers!.some(([, c]) => (c as { email: string }).email === 'fresh@example.com')).toBe(true);
  });

  it('refuses a second simulator on the same file and takes over a stale lock', async () => {
    const first = await start();
    await expect(startSimulator({ port: 0, dataFile: file })).rejects.toThrow(/in use by another xpay-sim \(pid \d+/);
    await stop(first);
    writeFileSync(`${file}.lock`, '999999');
    writeFileSync(`${file}.999999.tmp`, '{"half":');
    const again = await start();
    expect((await again.get('/customers')).status).toBe(200);
    expect(existsSync(`${file}.999999.tmp`)).toBe(false);
  });

  it('loads a 100k-object data file', async () => {
    const dump = (key: string): NamespaceDump => ({
      key, livemode: false, clock: { mode: 'frozen', now: Date.parse('2026-03-01T10:00:00Z'), offset: 0 }, random: [1, 2, 3, 4], extensions: {},
      db: {
        customers: Array.from({ length: 100_000 }, (_, i) => {
          const id = `cus_bench${String(i).padStart(17, '0')}`;
          return [id, {
            id, object: 'customer', type: 'registered', name: `Customer ${i}`, email: `c${i}@example.com`, phone: null, address: null,
            guestFingerprint: null, metadata: null, merchantId: 'merch_x', createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z', _currency: 'EGP',
          }] as [string, unknown];
        }),
      },
    });
    writeDataFileSync(file, [dump(TEST_KEY)]);
    const sim = await start();
    expect((await sim.get('/customers/cus_bench00000000000099999')).body.email).toBe('c99999@example.com');
    // Its start-up time is measured by `npm run bench` (startup phase), not here.
  });
});

describe('persistence across processes', () => {
  it('keeps every acknowledged write after kill -9, and a second process refuses the file', async () => {
    const { child, url } = await startCli(['--data', file]);
    try {
      const post = (email: string) =>
        fetch(`${url}/customers`, { method: 'POST', headers: { Authorization: `Bearer ${TEST_KEY}`, 'Content-Type': 'application/json' }, body: JSON.stringify({ email }) });
      const acknowledged = await Promise.all(Array.from({ length: 20 }, (_, i) => post(`crash${i}@example.com`)));
      expect(acknowledged.every((r) => r.status === 201)).toBe(true);
      const second = await exitOf(['--data', file]);
      expect(second.code).toBe(1);
      expect(second.stderr).toMatch(/in use by another xpay-sim/);
      expect(second.stderr.trim().split('\n')).toHaveLength(1);
    } finally {
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
    }
    const after = await start();
    const present = await emails(after);
    for (let i = 0; i < 20; i++) expect(present).toContain(`crash${i}@example.com`);
  }, 30_000);
});
