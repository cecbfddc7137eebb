// Both worker threads (webhook delivery, compaction) start through one helper: plain JavaScript
// as it is, TypeScript through tsx from the sources and as compiled .js from the package.
import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startWorker, workerScript } from '../../src/worker-script.js';

const source = (path: string) => new URL(`../../src/${path}`, import.meta.url).href;

describe('worker scripts', () => {
  it('runs a .mjs worker as it is, and a .ts one through tsx from the sources or as .js from the build', () => {
    expect(workerScript('file:///app/dist/src/webhooks/dispatcher.js', 'delivery-worker.mjs')).toEqual({ url: new URL('file:///app/dist/src/webhooks/delivery-worker.mjs') });
    expect(workerScript('file:///app/dist/src/store/compaction-runner.js', 'compaction-worker.ts')).toEqual({ url: new URL('file:///app/dist/src/store/compaction-worker.js') });
    const fromSources = workerScript('file:///app/src/store/compaction-runner.ts', 'compaction-worker.ts');
    expect(fromSources.loads?.href).toBe('file:///app/src/store/compaction-worker.ts');
    expect(fileURLToPath(fromSources.url)).toBe(fileURLToPath(source('worker-tsx.mjs')));
  });

  it('names files that exist for both workers in the sources', () => {
    for (const [caller, file] of [['webhooks/dispatcher.ts', 'delivery-worker.mjs'], ['store/compaction-runner.ts', 'compaction-worker.ts']] as const) {
      const { url, loads } = workerScript(source(caller), file);
      expect(existsSync(fileURLToPath(url))).toBe(true);
      if (loads) expect(existsSync(fileURLToPath(loads))).toBe(true);
    }
  });

  it('starts the TypeScript compaction worker in a thread under the test runner', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'xpay-sim-worker-'));
    const worker = startWorker(source('store/compaction-runner.ts'), 'compaction-worker.ts');
    const reply = new Promise<{ ok: boolean; bytes?: number; error?: string }>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    // An empty data directory folds into an empty snapshot: the worker ran the TypeScript code.
    worker.postMessage({ file: join(dir, 'state.json'), upTo: 0 });
    try {
      expect(await reply).toMatchObject({ ok: true });
      expect((await reply).bytes).toBeGreaterThan(0);
      expect(existsSync(join(dir, 'state.json'))).toBe(true);
    } finally {
      await worker.terminate();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
