import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig, USAGE } from '../../src/config.js';
import { packageRoot } from '../../src/spec.js';
import { startTestSim } from '../helpers/sim.js';
import { runToEnd, startCli } from '../helpers/spawn.js';

const root = packageRoot();
const cli = (args: string[], env: NodeJS.ProcessEnv = {}) =>
  runToEnd(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], { cwd: root, env: { ...process.env, ...env } });

const dirs: string[] = [];
function fixtureDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'xpay-sim-fixtures-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

// Each test spawns Node with tsx; on a loaded 2-core CI machine that takes seconds, not milliseconds.
describe('command line', { timeout: 90_000 }, () => {
  it('prints the options for --help and exits 0', async () => {
    const res = await cli(['--help']);
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/^Usage: xpay-sim/);
    for (const flag of ['--port', '--seed', '--now', '--fixtures', '--keys', '--body-limit']) expect(res.stdout).toContain(flag);
  });

  it.each([
    [['--bogus'], /Unknown option '--bogus'/],
    [['--port', 'abc'], /--port must be 0–65535/],
    [['--clock', 'sideways'], /--clock must be real, frozen or manual/],
    [['--now', 'yesterday'], /--now must be an ISO-8601 instant/],
    [['stray'], /Unexpected argument 'stray'/],
    [['--public-url', 'localhost:8080'], /--public-url must be an absolute http\(s\) URL/],
  ])('exits 2 with a one-line reason for %j', async (args, reason) => {
    const res = await cli(args);
    expect(res.code).toBe(2);
    expect(res.stderr.trim().split('\n')).toHaveLength(1);
    expect(res.stderr).toMatch(reason);
  });

  it('documents every option of --help in the README configuration table, and nothing else', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const table = readme.slice(readme.indexOf('## Configuration'), readme.indexOf('## API surface'));
    const documented = [...table.matchAll(/^\| `(--[a-z-]+)`/gm)].map((m) => m[1]).sort();
    const offered = [...USAGE.matchAll(/^\s+(--[a-z-]+)/gm)].map((m) => m[1]).sort();
    expect(documented).toEqual(offered);
  });

  it('reads options from XPAY_SIM_* variables, flags winning', () => {
    const config = parseConfig(['--seed', 'flag'], { XPAY_SIM_SEED: 'env', XPAY_SIM_PORT: '0', XPAY_SIM_NOW: '2026-01-02T03:04:05Z', XPAY_SIM_KEYS: 'sk_test_a, sk_test_b' });
    expect(config).toMatchObject({ seed: 'flag', port: 0, now: Date.parse('2026-01-02T03:04:05Z'), clockMode: 'frozen', keys: ['sk_test_a', 'sk_test_b'] });
  });

  it('treats an empty XPAY_SIM_* variable as unset and trims a trailing slash off --public-url', () => {
    const config = parseConfig(['--public-url', 'https://sim.example.com/'], { XPAY_SIM_PORT: '', XPAY_SIM_SEED: '' });
    expect(config).toMatchObject({ port: 12111, seed: 'xpay-sim', publicUrl: 'https://sim.example.com' });
  });

  it('reads the admin key from --admin-key or XPAY_SIM_ADMIN_KEY, and refuses one shorter than 16 characters', () => {
    expect(parseConfig(['--admin-key', 'a-long-enough-admin-key'], {})).toMatchObject({ adminKey: 'a-long-enough-admin-key' });
    expect(parseConfig([], { XPAY_SIM_ADMIN_KEY: 'from-the-environment-0' })).toMatchObject({ adminKey: 'from-the-environment-0' });
    expect((parseConfig([], {}) as { adminKey?: string }).adminKey).toBeUndefined();
    expect(() => parseConfig(['--admin-key', 'short'], {})).toThrow(/--admin-key must be at least 16 characters/);
  });

  it('healthcheck exits 0 while a simulator answers on --port and 1 once it is gone', async () => {
    const sim = await startTestSim();
    const port = new URL(sim.url).port;
    try {
      expect((await cli(['healthcheck', '--port', port])).code).toBe(0);
      expect((await cli(['healthcheck'], { XPAY_SIM_PORT: port })).code).toBe(0);
    } finally {
      await sim.close();
    }
    expect((await cli(['healthcheck', '--port', port])).code).toBe(1);
    expect((await cli(['healthcheck', '--bogus'])).code).toBe(2);
  });

  it('refuses to start on a fixture file that is not valid YAML, naming the file', async () => {
    const dir = fixtureDir({ 'broken.yaml': 'products:\n  - id: prod_x\n    name: [unclosed\n' });
    const res = await cli(['--port', '0', '--fixtures', dir]);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain(join(dir, 'broken.yaml'));
    expect(res.stderr).toMatch(/not valid YAML/);
    expect(res.stderr).not.toMatch(/\n\s+at /);
  });

  it('refuses to start on a product without a name, naming the file and the entry', async () => {
    const dir = fixtureDir({ 'catalog.yaml': 'products:\n  - id: prod_nameless\n    description: no name\n' });
    const res = await cli(['--port', '0', '--fixtures', dir]);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain(join(dir, 'catalog.yaml'));
    expect(res.stderr).toMatch(/products\[0\].*name/);
  });

  it.each([
    ['a price the API would refuse', 'products:\n  - id: prod_a\n    name: A\n    prices:\n      - id: price_a\n        currency: EGP\n', /products\[0\]\.prices\[0\]\.unitAmount/],
    ['a default price that is not its own', 'products:\n  - id: prod_a\n    name: A\n    defaultPriceId: price_elsewhere\n', /products\[0\]\.defaultPriceId price_elsewhere/],
    ['a product id used twice', 'products:\n  - id: prod_a\n    name: A\n  - id: prod_a\n    name: B\n', /products\[1\]\.id prod_a is used twice/],
    ['an unknown field', 'customers:\n  - id: cus_a\n    email: a@example.com\n    nickname: A\n', /customers\[0\]\.nickname/],
  ])('refuses fixtures with %s, naming the file and the entry', async (_what, yaml, reason) => {
    const dir = fixtureDir({ 'bad.yaml': yaml });
    await expect(startTestSim({ fixturesDir: dir })).rejects.toThrow(reason);
    await expect(startTestSim({ fixturesDir: dir })).rejects.toThrow(join(dir, 'bad.yaml'));
  });

  it('refuses to start on a fixture folder that does not exist', async () => {
    const res = await cli(['--port', '0', '--fixtures', join(tmpdir(), 'xpay-sim-no-such-dir')]);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/cannot read the fixture folder/);
  });

  it('replaces the bundled fixtures with --fixtures DIR', async () => {
    const dir = fixtureDir({ 'shop.yaml': 'products:\n  - id: prod_only\n    name: Only Product\n    prices:\n      - id: price_only\n        currency: EGP\n        unitAmount: 1000\n' });
    const sim = await startTestSim({ fixturesDir: dir });
    try {
      const products = await sim.get('/products');
      expect(products.body.data.map((p: { id: string }) => p.id)).toEqual(['prod_only']);
      expect((await sim.get('/products/prod_only')).body.defaultPriceId).toBe('price_only');
      expect((await sim.get('/customers')).body.totalCount).toBe(0);
    } finally {
      await sim.close();
    }
  });

  it('listens on a free port with --port 0, prints the real URL, and exits 0 on SIGTERM', async () => {
    const started = await startCli(process.execPath, ['--import', 'tsx', 'src/cli.ts', '--port', '0'], { cwd: root });
    expect(started.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(started.url).not.toMatch(/:0$/);
    const res = await fetch(`${started.url}/customers`, { headers: { Authorization: 'Bearer sk_test_cli' } });
    expect(res.status).toBe(200);
    expect(await started.stop('SIGTERM')).toBe(0);
  });
});
