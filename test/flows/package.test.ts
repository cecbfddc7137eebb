// The published package works on its own: pack it, install it with production dependencies
// only into an empty folder, run the installed `xpay-sim` binary, and stop it with SIGTERM.
// Stands in for `docker build` (no Docker engine here): the Dockerfile's runtime stage does the same.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

const env = cleanEnv();
const app = join(work, 'app');
let tarball: string;

/** Packs the package once (which builds it) and installs it with production dependencies only into an empty project. */
beforeAll(async () => {
  const packed = await runToEnd('npm', ['pack', '--pack-destination', work], { cwd: packageRoot(), env, timeoutMs: 180_000 });
  expect(packed.code, packed.stderr).toBe(0);
  const name = readdirSync(work).find((f) => f.endsWith('.tgz'));
  expect(name).toBeDefined();
  tarball = join(work, name!);
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'xpay-sim-install-probe', version: '1.0.0', private: true, type: 'module' }));
  const installed = await runToEnd('npm', ['install', '--omit=dev', '--no-audit', '--no-fund', tarball], { cwd: app, env, timeoutMs: 240_000 });
  expect(installed.code, installed.stderr).toBe(0);
}, 420_000);

describe('the npm package', () => {
  it('installs with production dependencies only, serves requests, and shuts down cleanly on SIGTERM', async () => {
    for (const shipped of ['openapi.yaml', 'fixtures/catalog.yaml', 'README.md', 'docs/assumptions.md', 'dist/src/cli.js', 'dist/src/index.js', 'dist/src/index.d.ts', 'dist/sdk/xpay-sdk.js', 'dist/sdk/sdk-frame.js', 'dist/workbench/index.html', 'dist/workbench/workbench.js', 'dist/workbench/workbench.css']) {
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
      // So is the Workbench, linked from the banner.
      await expect.poll(() => started.output()).toContain(`Workbench (watch and drive a namespace): ${started.url}/_sim/ui`);
      expect((await fetch(`${started.url}/_sim/ui`)).status).toBe(200);
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

  it('is importable as a library from an empty ESM project: startSimulator, a client, pay, a verifying webhook receiver', async () => {
    writeFileSync(join(app, 'probe.mjs'), [
      "import { startSimulator, webhookReceiver, XPayApiError } from 'xpay-sim';",
      "const sim = await startSimulator({ seed: 'probe', now: '2026-03-01T10:00:00Z' });",
      'const client = sim.client();',
      'const hooks = await webhookReceiver();',
      "await hooks.register(client, ['checkout.session.completed']);",
      "const session = await client.post('/checkout/sessions', { afterCompletion: { type: 'hosted_confirmation' }, lineItems: [{ price: 'price_tshirt_egp', quantity: 1 }] });",
      'const paid = await client.pay(session.id);',
      "const event = await hooks.waitFor('checkout.session.completed');",
      "const refused = await client.post('/customers', { email: 'nope' }).catch((e) => e);",
      'await hooks.close();',
      'await sim.close();',
      'console.log(JSON.stringify({ url: sim.url, paymentStatus: paid.paymentStatus, event: event.data.object.id === session.id, refused: refused instanceof XPayApiError && refused.param }));',
    ].join('\n'));
    const run = await runToEnd(process.execPath, ['probe.mjs'], { cwd: app, env, timeoutMs: 60_000 });
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/), paymentStatus: 'paid', event: true, refused: 'email' });
  }, 120_000);

  it('can be required from CommonJS too (jest\'s default), through Node\'s require of ES modules', async () => {
    writeFileSync(join(app, 'probe.cjs'), [
      "const { startSimulator } = require('xpay-sim');",
      'startSimulator().then(async (sim) => {',
      "  const total = (await sim.client().get('/customers')).totalCount;",
      '  await sim.close();',
      '  console.log(total);',
      '});',
    ].join('\n'));
    const run = await runToEnd(process.execPath, ['probe.cjs'], { cwd: app, env, timeoutMs: 60_000 });
    expect(run.code, run.stderr).toBe(0);
    expect(Number(run.stdout.trim())).toBeGreaterThan(0);
  }, 90_000);

  it('runs `xpay-sim generate` from the installed package (Faker is a runtime dependency)', async () => {
    const run = await runToEnd(join(app, 'node_modules', '.bin', 'xpay-sim'), ['generate', '--out', 'demo', '--customers', '3', '--products', '2', '--payments', '2'], { cwd: app, env, timeoutMs: 60_000 });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/3 customers, 2 products, 2 checkouts/);
    expect(JSON.parse(readFileSync(join(app, 'demo', 'xpay-sim-data.json'), 'utf8')).customers.length).toBeGreaterThanOrEqual(3);
  }, 90_000);

  it('ships types that tsc checks in a strict project (xpay-sim and xpay-sim/vitest), and that catch misuse', async () => {
    const root = packageRoot();
    // The consumer brings its own @types/node and vitest (a peer dependency of xpay-sim/vitest).
    symlinkSync(join(root, 'node_modules', 'vitest'), join(app, 'node_modules', 'vitest'));
    writeFileSync(join(app, 'typed.ts'), [
      "import { createClient, startSimulator, verifySignature, webhookReceiver, type CheckoutSession, type SimEvent, type StartOptions } from 'xpay-sim';",
      "import { useXPaySim } from 'xpay-sim/vitest';",
      "const options: StartOptions = { seed: 'typed', now: new Date(), limits: { events: 100 } };",
      'export async function flow(): Promise<string> {',
      '  const sim = await startSimulator(options);',
      "  const session: CheckoutSession = await sim.client().pay('cs_test_x', { number: '4242424242424242', exp: '01/39' });",
      "  const event: SimEvent = await createClient({ url: sim.url }).waitForEvent('charge.*', { timeoutMs: 10 });",
      '  const hooks = await webhookReceiver({ toleranceSec: 300 });',
      '  const ok: boolean = verifySignature(hooks.secret ?? "", undefined, "{}");',
      '  await sim.close();',
      '  return `${session.paymentStatus} ${event.type} ${ok} ${useXPaySim.name}`;',
      '}',
    ].join('\n'));
    writeFileSync(join(app, 'misuse.ts'), "import { startSimulator } from 'xpay-sim';\nexport const wrong = startSimulator({ port: 'twelve' });\n");
    const tsconfig = (files: string[]) => JSON.stringify({
      compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', strict: true, noEmit: true, skipLibCheck: false, types: ['node'], typeRoots: [join(root, 'node_modules', '@types')] },
      files,
    });
    const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
    // One compiler run for both files: typed.ts must pass, misuse.ts must be the only file refused.
    writeFileSync(join(app, 'tsconfig.json'), tsconfig(['typed.ts', 'misuse.ts']));
    const checked = await runToEnd(process.execPath, [tsc, '-p', '.'], { cwd: app, env, timeoutMs: 120_000 });
    const failing = [...new Set([...checked.stdout.matchAll(/^(\S+?)\(\d+,\d+\): error/gm)].map((m) => m[1]))];
    expect(failing, checked.stdout).toEqual(['misuse.ts']);
    expect(checked.stdout).toMatch(/misuse\.ts.*Type 'string' is not assignable to type 'number'/s);
  }, 240_000);

  it('runs the example shop\'s own tests against the packed package', async () => {
    const shop = join(work, 'shop');
    cpSync(join(packageRoot(), 'examples', 'shop'), shop, { recursive: true, filter: (src) => !src.includes('node_modules') });
    const manifest = JSON.parse(readFileSync(join(shop, 'package.json'), 'utf8'));
    manifest.devDependencies['xpay-sim'] = `file:${tarball}`;
    writeFileSync(join(shop, 'package.json'), JSON.stringify(manifest, null, 2));
    const installed = await runToEnd('npm', ['install', '--no-audit', '--no-fund'], { cwd: shop, env, timeoutMs: 240_000 });
    expect(installed.code, installed.stderr).toBe(0);
    const tested = await runToEnd('npm', ['test'], { cwd: shop, env, timeoutMs: 180_000 });
    expect(tested.code, tested.stdout.slice(-3000) + tested.stderr).toBe(0);
    expect(tested.stdout).toMatch(/# pass 5\b/);
    expect(tested.stdout).toMatch(/# fail 0\b/);
  }, 420_000);

  it('npm start does not rebuild a build that is up to date (packing just built it)', async () => {
    const root = packageRoot();
    const cli = join(root, 'dist', 'src', 'cli.js');
    const before = statSync(cli).mtimeMs;
    for (let i = 0; i < 2; i++) {
      const started = await startCli('npm', ['start', '--', '--port', '0'], { cwd: root, env, timeoutMs: 120_000 });
      try {
        expect(started.output()).toContain('build is up to date');
        expect(started.output()).not.toContain('missing or stale');
      } finally {
        await started.stop('SIGTERM');
      }
    }
    expect(statSync(cli).mtimeMs).toBe(before);
  }, 300_000);

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
