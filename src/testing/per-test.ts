// One simulator per test file and one namespace (a fresh key) per test, for any runner with
// beforeAll/beforeEach/afterAll hooks (vitest, jest, mocha's before/beforeEach/after).
// With XPAY_API_URL set, tests use that simulator (a container, a CI service) instead of starting one.
import { createClient, type XPaySimClient } from './client.js';
import { startSimulator, type Simulator, type StartOptions } from './start.js';

export interface RunnerHooks {
  beforeAll(fn: () => Promise<void> | void): void;
  beforeEach(fn: () => Promise<void> | void): void;
  afterAll(fn: () => Promise<void> | void): void;
}

export interface SimPerTest {
  /** The simulator's base URL (started here, or XPAY_API_URL). */
  readonly url: string;
  /** This test's client: a fresh key, so a namespace no other test sees. */
  readonly client: XPaySimClient;
  /** The simulator started for this file; undefined when XPAY_API_URL points elsewhere. */
  readonly simulator: Simulator | undefined;
}

export interface PerTestOptions extends StartOptions {
  /** Use this running simulator instead of starting one (default: process.env.XPAY_API_URL). */
  url?: string;
}

/** The runner's global hooks (jest, vitest with `globals: true`, mocha). */
function globalHooks(): RunnerHooks {
  const g = globalThis as unknown as Partial<RunnerHooks> & { before?: RunnerHooks['beforeAll']; after?: RunnerHooks['afterAll'] };
  const beforeAll = g.beforeAll ?? g.before;
  const afterAll = g.afterAll ?? g.after;
  if (!beforeAll || !afterAll || !g.beforeEach) {
    throw new Error('useXPaySim: no global beforeAll/beforeEach/afterAll here; pass your runner\'s hooks, or import from "xpay-sim/vitest"');
  }
  return { beforeAll, beforeEach: g.beforeEach, afterAll };
}

/** Call at the top of a test file; read `.client` inside tests. */
export function useXPaySim(options: PerTestOptions = {}, hooks: RunnerHooks = globalHooks()): SimPerTest {
  const { url: givenUrl = process.env.XPAY_API_URL || undefined, ...startOptions } = options;
  let simulator: Simulator | undefined;
  let url = givenUrl;
  let client: XPaySimClient | undefined;
  hooks.beforeAll(async () => {
    if (url === undefined) {
      simulator = await startSimulator(startOptions);
      url = simulator.url;
    }
  });
  hooks.beforeEach(() => {
    client = createClient({ url: url! });
  });
  hooks.afterAll(async () => {
    await simulator?.close();
  });
  const notYet = (what: string) => new Error(`useXPaySim: ${what} is only available inside a test (after beforeAll/beforeEach ran)`);
  return {
    get url() {
      if (url === undefined) throw notYet('url');
      return url;
    },
    get client() {
      if (!client) throw notYet('client');
      return client;
    },
    get simulator() {
      return simulator;
    },
  };
}
