// The container recipes under examples/ (docker-compose, GitHub Actions, Testcontainers) refer to
// real options, ports, files and commands. There is no Docker engine here, so the compose wiring is
// also run as plain processes: the simulator CLI with the compose environment, the shop beside it.
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { parseConfig, USAGE } from '../../src/config.js';
import { packageRoot } from '../../src/spec.js';
import { createClient } from '../../src/testing/client.js';
import { startCli } from '../helpers/spawn.js';

const root = packageRoot();
const examples = join(root, 'examples');
const read = (path: string) => readFileSync(join(root, path), 'utf8');
const compose = parse(read('examples/docker-compose.yml')) as any;
const workflow = parse(read('examples/github-actions/xpay-sim.yml')) as any;
const dockerfile = read('Dockerfile');

/** Every XPAY_SIM_* variable the CLI reads: one per --flag, plus XPAY_SIM_LIMITS. */
const SIM_VARIABLES = new Set([...USAGE.matchAll(/^\s+--([a-z-]+)/gm)].map((m) => `XPAY_SIM_${m[1]!.toUpperCase().replace(/-/g, '_')}`).concat('XPAY_SIM_LIMITS'));

function expectSimEnvironment(env: Record<string, string>): void {
  for (const name of Object.keys(env)) expect(SIM_VARIABLES, `${name} is not a variable xpay-sim reads`).toContain(name);
  expect(() => parseConfig([], env)).not.toThrow();
}

/** The image's HEALTHCHECK command, as an argv. */
const imageHealthcheck = JSON.parse(/^HEALTHCHECK .* CMD (\[.*\])$/m.exec(dockerfile)![1]!) as string[];

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('examples/docker-compose.yml', () => {
  const sim = compose.services['xpay-sim'];
  const shop = compose.services.shop;

  it('builds the simulator from this repository and the shop from examples/shop, each with a Dockerfile', () => {
    expect(existsSync(join(examples, sim.build.context, 'Dockerfile'))).toBe(true);
    expect(join(examples, sim.build.context)).toBe(root.replace(/\/$/, ''));
    const shopDockerfile = readFileSync(join(examples, shop.build.context, 'Dockerfile'), 'utf8');
    for (const m of shopDockerfile.matchAll(/^COPY (\S+) \S+$/gm)) expect(existsSync(join(examples, shop.build.context, m[1]!)), `${m[1]} is copied but missing`).toBe(true);
    expect(shopDockerfile).toMatch(/^CMD \["node", "src\/server\.js"\]$/m);
  });

  it('gives the simulator only options it knows, its image port, and the image health check', () => {
    expectSimEnvironment(sim.environment);
    expect(sim.ports).toEqual([`12111:12111`]);
    expect(dockerfile).toMatch(/^EXPOSE 12111$/m);
    expect(sim.healthcheck.test).toEqual(['CMD', ...imageHealthcheck]);
    expect(shop.depends_on['xpay-sim'].condition).toBe('service_healthy');
  });

  it('points the simulator\'s webhooks at the shop\'s receiver with the secret the shop verifies', () => {
    const hook = new URL(sim.environment.XPAY_SIM_WEBHOOK_URL);
    expect(hook.hostname).toBe('shop');
    expect(hook.port).toBe(shop.environment.PORT);
    expect(read('examples/shop/src/app.js')).toContain(`app.post('${hook.pathname}'`);
    expect(sim.environment.XPAY_SIM_WEBHOOK_SECRET).toBe(shop.environment.XPAY_WEBHOOK_SECRET);
    expect(new URL(shop.environment.XPAY_API_URL).hostname).toBe('xpay-sim');
    const server = read('examples/shop/src/server.js');
    for (const name of Object.keys(shop.environment)) expect(server, `the shop never reads ${name}`).toContain(`process.env.${name}`);
  });

  it('works as wired: an order paid at the simulator reaches the shop as a signed webhook', async () => {
    const shopPort = await freePort();
    // The compose environment, with service names replaced by this machine's addresses.
    const simEnv = { ...process.env, ...sim.environment, XPAY_SIM_PORT: '0', XPAY_SIM_PUBLIC_URL: '', XPAY_SIM_WEBHOOK_URL: sim.environment.XPAY_SIM_WEBHOOK_URL.replace('shop:3000', `127.0.0.1:${shopPort}`) };
    const simulator = await startCli(process.execPath, ['--import', 'tsx', 'src/cli.ts'], { cwd: root, env: simEnv, timeoutMs: 60_000 });
    try {
      const shopEnv = { ...process.env, ...shop.environment, XPAY_API_URL: simulator.url, PORT: String(shopPort), HOST: '127.0.0.1', PUBLIC_URL: `http://127.0.0.1:${shopPort}` };
      const shopProcess = await startShop(shopEnv);
      try {
        const shopUrl = `http://127.0.0.1:${shopPort}`;
        const order = await (await fetch(`${shopUrl}/orders`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' })).json() as any;
        expect(order.status).toBe('awaiting_payment');
        const xpay = createClient({ url: simulator.url, key: shop.environment.XPAY_API_KEY });
        expect((await xpay.pay(order.sessionId)).paymentStatus).toBe('paid');
        let status = '';
        for (let i = 0; i < 200 && status !== 'paid'; i++) {
          status = ((await (await fetch(`${shopUrl}/orders/${order.id}`)).json()) as any).status;
          if (status !== 'paid') await new Promise((r) => setTimeout(r, 25));
        }
        expect(status).toBe('paid');
      } finally {
        shopProcess.kill('SIGTERM');
      }
    } finally {
      expect(await simulator.stop('SIGTERM')).toBe(0);
    }
  }, 90_000);
});

/** Runs examples/shop/src/server.js until it prints that it listens. */
function startShop(env: NodeJS.ProcessEnv): Promise<import('node:child_process').ChildProcess> {
  return startCli(process.execPath, [join(examples, 'shop', 'src', 'server.js')], { cwd: root, env, timeoutMs: 30_000, ready: /shop listening on/ }).then((s) => s.child);
}

describe('examples/github-actions/xpay-sim.yml', () => {
  const steps = workflow.jobs.test.steps as Array<{ run?: string; env?: Record<string, string> }>;

  it('starts the simulator with options it knows, waits on its health check, and points the tests at the same port', () => {
    const start = steps.find((s) => s.run?.startsWith('npx xpay-sim --'))!.run!;
    const args = start.replace(/\s*>.*$/, '').split(/\s+/).slice(2);
    const config = parseConfig(args, {});
    if (typeof config === 'string') throw new Error(`unexpected ${config}`);
    const wait = steps.find((s) => s.run?.includes('xpay-sim healthcheck'))!.run!;
    expect(wait).toContain(`healthcheck --port ${config.port}`);
    const tests = steps.find((s) => s.run === 'npm test')!;
    expect(new URL(tests.env!.XPAY_API_URL!).port).toBe(String(config.port));
  });

  it('runs the image as a service container with known options and the image\'s health check', () => {
    const service = workflow.jobs['test-image'].services['xpay-sim'];
    expectSimEnvironment(service.env);
    expect(service.ports).toEqual(['12111:12111']);
    expect(service.options).toContain(`--health-cmd "${imageHealthcheck.join(' ')}"`);
    const tests = workflow.jobs['test-image'].steps.find((s: { run?: string }) => s.run === 'npm test');
    expect(new URL(tests.env.XPAY_API_URL).port).toBe('12111');
  });
});

describe('examples/testcontainers/xpay-sim-container.ts (a recipe: not run here, without Docker)', () => {
  it('sets only variables xpay-sim reads and waits on the image\'s port and health check', () => {
    const recipe = read('examples/testcontainers/xpay-sim-container.ts');
    const names = [...recipe.matchAll(/\b(XPAY_SIM_[A-Z_]+)\b/g)].map((m) => m[1]!);
    expect(names.length).toBeGreaterThan(2);
    for (const name of names) expect(SIM_VARIABLES).toContain(name);
    expect(recipe).toContain('const PORT = 12111;');
    expect(recipe).toContain('Wait.forHealthCheck()');
    expect(dockerfile).toMatch(/^HEALTHCHECK /m);
  });
});
