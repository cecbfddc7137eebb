// The published package works on its own: pack it, install it with production dependencies
// only into an empty folder, run the installed `xpay-sim` binary, and stop it with SIGTERM.
// Stands in for `docker build` (no Docker engine here): the Dockerfile's runtime stage does the same.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/spec.js';
import { runToEnd, startCli } from '../helpers/spawn.js';

const work = mkdtempSync(join(tmpdir(), 'xpay-sim-package-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** npm's own variables from an outer `npm test` must not leak into the nested npm commands. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^(npm_|XPAY_SIM_)/i.test(k)) env[k] = v;
  return env;
}

describe('the npm package', () => {
  it('installs with production dependencies only, serves requests, and shuts down cleanly on SIGTERM', async () => {
    const env = cleanEnv();
    const packed = await runToEnd('npm', ['pack', '--pack-destination', work], { cwd: packageRoot(), env, timeoutMs: 180_000 });
    expect(packed.code, packed.stderr).toBe(0);
    const tarball = readdirSync(work).find((f) => f.endsWith('.tgz'));
    expect(tarball).toBeDefined();

    const app = join(work, 'app');
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'xpay-sim-install-probe', version: '1.0.0', private: true }));
    const installed = await runToEnd('npm', ['install', '--omit=dev', '--no-audit', '--no-fund', join(work, tarball!)], { cwd: app, env, timeoutMs: 240_000 });
    expect(installed.code, installed.stderr).toBe(0);
    for (const shipped of ['openapi.yaml', 'fixtures/catalog.yaml', 'README.md', 'docs/assumptions.md', 'dist/src/cli.js', 'dist/sdk/xpay-sdk.js', 'dist/sdk/sdk-frame.js']) {
      expect(existsSync(join(app, 'node_modules', 'xpay-sim', shipped)), `${shipped} is not in the package`).toBe(true);
    }
    expect(existsSync(join(app, 'node_modules', 'xpay-sim', 'test'))).toBe(false);
    const modules = readdirSync(join(app, 'node_modules'));
    for (const devOnly of ['vitest', 'typescript', 'tsx', '@redocly']) expect(modules).not.toContain(devOnly);

    const cliJs = join(app, 'node_modules', 'xpay-sim', 'dist', 'src', 'cli.js');
    // Webhooks are sent by a worker thread loaded from its own file: it must ship and run from dist.
    const hooks: string[] = [];
    const receiver = createServer((req, res) => {
      let raw = '';
      req.on('data', (c: Buffer) => (raw += c));
      req.on('end', () => {
        hooks.push(raw);
        res.end('{}');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
    const started = await startCli(join(app, 'node_modules', '.bin', 'xpay-sim'), ['--port', '0', '--webhook-url', hookUrl], { cwd: app, env, timeoutMs: 30_000 });
    try {
      expect(started.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const health = await fetch(`${started.url}/health`);
      expect(health.status).toBe(200);
      // The browser SDK is built into the package and served with this simulator's URL baked in.
      const sdk = await fetch(`${started.url}/v1/sdk.js`);
      expect(sdk.status).toBe(200);
      expect(sdk.headers.get('content-type')).toBe('application/javascript; charset=utf-8');
      expect(await sdk.text()).toContain(JSON.stringify(started.url));
      const customers = await fetch(`${started.url}/customers`, { headers: { Authorization: 'Bearer sk_test_package' } });
      expect(customers.status).toBe(200);
      expect(((await customers.json()) as { totalCount: number }).totalCount).toBeGreaterThan(0); // bundled fixtures shipped
      const created = await fetch(`${started.url}/customers`, {
        method: 'POST',
        headers: { Authorization: 'Bearer sk_test_package', 'Content-Type': 'application/json' },
        body: JSON.stringify({ name: 'Packaged', email: 'packaged@example.com' }),
      });
      expect(created.status).toBe(201);
      for (let i = 0; i < 200 && hooks.length === 0; i++) await new Promise((r) => setTimeout(r, 25));
      expect(hooks.map((raw) => JSON.parse(raw).type)).toContain('customer.created');
      const port = new URL(started.url).port;
      const probe = await runToEnd(process.execPath, [cliJs, 'healthcheck'], { env: { ...env, XPAY_SIM_PORT: port } });
      expect(probe.code).toBe(0);
    } finally {
      expect(await started.stop('SIGTERM')).toBe(0);
      receiver.closeAllConnections();
      await new Promise((resolve) => receiver.close(resolve));
    }
    const afterStop = await runToEnd(process.execPath, [cliJs, 'healthcheck'], { env: { ...env, XPAY_SIM_PORT: new URL(started.url).port } });
    expect(afterStop.code).toBe(1);
  }, 420_000);

  it('has a Dockerfile whose build context holds every file it copies', () => {
    const root = packageRoot();
    const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');
    const ignored = readFileSync(join(root, '.dockerignore'), 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
    const sources = [...dockerfile.matchAll(/^COPY (?!--from)(.+) \S+$/gm)].flatMap((m) => m[1]!.trim().split(/\s+/));
    expect(sources.length).toBeGreaterThan(3);
    for (const source of sources) {
      expect(existsSync(join(root, source)), `${source} is copied but missing`).toBe(true);
      expect(ignored, `${source} is copied but excluded by .dockerignore`).not.toContain(source);
    }
    expect(dockerfile).toMatch(/^FROM \S+ AS build$/m);
    expect(dockerfile).toMatch(/npm ci --omit=dev/);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^ENV [\s\S]*XPAY_SIM_HOST=0\.0\.0\.0/m);
    expect(dockerfile).toMatch(/^EXPOSE 12111$/m);
    expect(dockerfile).toMatch(/^HEALTHCHECK .*"dist\/src\/cli\.js", "healthcheck"\]$/m);
    expect(dockerfile).not.toMatch(/curl|wget/);
  });
});
