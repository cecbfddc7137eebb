// `xpay-sim/vitest`: useXPaySim wired to vitest's hooks, so no `globals: true` is needed.
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { useXPaySim as useWithHooks, type PerTestOptions, type SimPerTest } from './per-test.js';

export type { PerTestOptions, SimPerTest } from './per-test.js';

/** One simulator for the file, a fresh namespace (key) for each test. */
export function useXPaySim(options: PerTestOptions = {}): SimPerTest {
  return useWithHooks(options, { beforeAll, beforeEach, afterAll });
}
