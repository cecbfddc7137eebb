// Starts the simulator's worker threads (webhook delivery, compaction) one way in every layout.
// A worker is named by its source file beside the caller: `delivery-worker.mjs` (plain JavaScript,
// the same file everywhere) or `compaction-worker.ts`. From the built package a .ts worker is the
// compiled .js beside the caller. From the sources (`npm run dev`, tests) a .ts worker starts
// through worker-tsx.mjs, which registers tsx inside the thread: Node 20 does not hand `--import`
// loaders on to worker threads, so inheriting the parent's execArgv is not enough.
import { Worker, type WorkerOptions } from 'node:worker_threads';

export interface WorkerScript {
  /** The file the Worker runs. */
  url: URL;
  /** The worker script itself, when `url` is the tsx bootstrap that loads it. */
  loads?: URL;
}

/**
 * Where worker `file` (a source file name beside the caller) runs from. `callerUrl` is the caller's
 * `import.meta.url`: its extension tells the sources (.ts) from the build (.js).
 */
export function workerScript(callerUrl: string, file: string): WorkerScript {
  const fromSources = callerUrl.endsWith('.ts');
  if (!file.endsWith('.ts')) return { url: new URL(`./${file}`, callerUrl) };
  if (!fromSources) return { url: new URL(`./${file.slice(0, -3)}.js`, callerUrl) };
  return { url: new URL('./worker-tsx.mjs', import.meta.url), loads: new URL(`./${file}`, callerUrl) };
}

/** Starts worker `file` from the caller's folder (see workerScript); throws when it cannot start. */
export function startWorker(callerUrl: string, file: string, options: Omit<WorkerOptions, 'argv'> = {}): Worker {
  const { url, loads } = workerScript(callerUrl, file);
  return new Worker(url, { ...options, ...(loads ? { argv: [loads.href] } : {}) });
}
