// Named snapshots with `--data`: a save or delete that was answered survives kill -9 (one file per
// snapshot beside the data), a restore after the restart gives the saved state back with a
// balanced ledger, and a damaged snapshot file stops start-up naming it.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestSim, type TestSim } from '../helpers/sim.js';
import { api, form, killHard, startDataCli } from '../helpers/data-process.js';
import { GOOD_CARD, pagePath, sessionBody } from '../helpers/pages.js';
import { startSimulator } from '../../src/server.js';
import { DataFileError } from '../../src/store/persistence.js';

let dir: string;
let file: string;
const cleanup: Array<() => Promise<unknown> | unknown> = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'xpay-sim-snapshots-'));
  file = join(dir, 'state.json');
});
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
  rmSync(dir, { recursive: true, force: true });
});

const OTHER = 'sk_test_snapshot_fork_target';
const snapshotFiles = () => readdirSync(`${file}.snapshots`).filter((n) => n.endsWith('.snap'));

async function restarted(config: { dataResetCorrupt?: boolean } = {}): Promise<TestSim> {
  const sim = await startTestSim({ dataFile: file, clockMode: 'frozen', ...config });
  cleanup.push(() => sim.close());
  return sim;
}

const emails = async (sim: TestSim, key?: string): Promise<string[]> =>
  (await sim.get('/customers?limit=100', key ? { key } : {})).body.data.map((c: { email: string }) => c.email);

describe('named snapshots survive kill -9', () => {
  it('keeps an answered save and an answered delete; the restored state has the payment and a balanced ledger', async () => {
    const { child, url } = await startDataCli(cleanup, ['--data', file, '--now', '2026-03-01T10:00:00Z']);
    const session = (await api(url, 'POST', '/checkout/sessions', sessionBody())).body as { id: string; url: string };
    expect((await form(url, pagePath(session), { email: 'amina@example.com', ...GOOD_CARD })).status).toBe(303);
    expect((await api(url, 'POST', '/customers', { email: 'before@example.com' })).status).toBe(201);
    const saved = await api(url, 'POST', '/_sim/snapshots', { name: 'paid' });
    expect(saved.status).toBe(201);
    expect((await api(url, 'POST', '/_sim/snapshots', { name: 'scratch' })).status).toBe(201);
    expect((await api(url, 'DELETE', '/_sim/snapshots/scratch')).status).toBe(200);
    // A change after the save, which the restore must take away again.
    expect((await api(url, 'POST', '/customers', { email: 'after@example.com' })).status).toBe(201);
    await killHard(child);

    const sim = await restarted();
    expect(snapshotFiles()).toHaveLength(1);
    const list = (await sim.get('/_sim/snapshots')).body.data;
    expect(list).toEqual([saved.body]);
    expect(await emails(sim)).toContain('after@example.com');
    const restored = await sim.post('/_sim/snapshots/paid/restore', {});
    expect(restored.status).toBe(200);
    expect(await emails(sim)).toContain('before@example.com');
    expect(await emails(sim)).not.toContain('after@example.com');
    expect((await sim.get(`/checkout/sessions/${session.id}`)).body.status).toBe('complete');
    const ledger = await sim.get('/_sim/ledger?entries=false');
    expect(ledger.body.invariants.ok).toBe(true);
    expect(ledger.body.entryCount).toBeGreaterThan(0);
    // Forking reads the same file: the other key gets the data, not the owner's idempotency keys.
    expect((await sim.post('/_sim/snapshots/paid/restore', { into: OTHER })).status).toBe(200);
    expect(await emails(sim, OTHER)).toContain('before@example.com');
    // The restore itself is durable like any change.
    await sim.close();
    cleanup.pop();
    const again = await restarted();
    expect(await emails(again)).not.toContain('after@example.com');
    expect((await again.get('/_sim/ledger?entries=false')).body.invariants.ok).toBe(true);
  }, 60_000);
});

describe('snapshot files', () => {
  it('replaces the file on overwrite and removes it on delete; a reset of the namespace keeps them', async () => {
    const sim = await restarted();
    await sim.post('/customers', { email: 'one@example.com' });
    await sim.post('/_sim/snapshots', { name: 'a' });
    const first = readFileSync(join(`${file}.snapshots`, snapshotFiles()[0]!), 'utf8');
    await sim.post('/customers', { email: 'two@example.com' });
    await sim.post('/_sim/snapshots', { name: 'a' });
    expect(snapshotFiles()).toHaveLength(1);
    expect(readFileSync(join(`${file}.snapshots`, snapshotFiles()[0]!), 'utf8')).not.toBe(first);
    await sim.post('/_sim/snapshots', { name: 'b' });
    expect(snapshotFiles()).toHaveLength(2);
    expect((await sim.del('/_sim/data')).status).toBe(200);
    expect(snapshotFiles()).toHaveLength(2);
    expect((await sim.del('/_sim/snapshots/b')).status).toBe(200);
    expect(snapshotFiles()).toHaveLength(1);
    await sim.post('/_sim/snapshots/a/restore', {});
    expect(await emails(sim)).toEqual(expect.arrayContaining(['one@example.com', 'two@example.com']));
  });

  it('refuses a save with 503 when the file cannot be written, and lists nothing new', async () => {
    const sim = await restarted();
    // A plain file where the snapshot directory belongs: every write into it fails.
    writeFileSync(`${file}.snapshots`, 'not a directory');
    const res = await sim.post('/_sim/snapshots', { name: 'blocked' });
    expect(res.status).toBe(503);
    expect(res.body.error).toMatchObject({ type: 'api_error', code: 'internal_error' });
    expect(res.headers.get('retry-after')).toBe('1');
    expect((await sim.get('/_sim/snapshots')).body.data).toEqual([]);
  });

  it('stops start-up naming a damaged snapshot file; --data-reset-corrupt moves only that file aside', async () => {
    const sim = await restarted();
    await sim.post('/customers', { email: 'kept@example.com' });
    await sim.post('/_sim/snapshots', { name: 'good' });
    const [good] = snapshotFiles();
    await sim.post('/_sim/snapshots', { name: 'bad' });
    const badFile = join(`${file}.snapshots`, snapshotFiles().find((n) => n !== good)!);
    await sim.close();
    cleanup.pop();
    // One byte changed in the body: same size, the checksum no longer matches.
    const text = readFileSync(badFile, 'utf8');
    writeFileSync(badFile, text.slice(0, -2) + (text.at(-2) === '1' ? '2' : '1') + text.at(-1));
    const attempt = startSimulator({ port: 0, dataFile: file });
    await expect(attempt).rejects.toBeInstanceOf(DataFileError);
    await expect(attempt).rejects.toThrow(`${badFile}: the snapshot is damaged or cut short`);
    const fresh = await restarted({ dataResetCorrupt: true });
    expect((await fresh.get('/_sim/snapshots')).body.data.map((s: { name: string }) => s.name)).toEqual(['good']);
    expect(readdirSync(`${file}.snapshots`).some((n) => n.includes('.corrupt-'))).toBe(true);
    expect(await emails(fresh)).toContain('kept@example.com');
  });
});
