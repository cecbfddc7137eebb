// Runs a compaction (journal folded into a new snapshot, see journal-files.ts) in a worker thread,
// so a large store is re-serialized without stopping the API.
import type { Worker } from 'node:worker_threads';
import { startWorker } from '../worker-script.js';
import { compactFiles } from './journal-files.js';

/** Compaction in a worker thread (falling back to this thread if a worker cannot start). */
export function runCompaction(file: string, upTo: number): Promise<number> {
  let worker: Worker;
  try {
    worker = startWorker(import.meta.url, 'compaction-worker.ts');
  } catch {
    return Promise.resolve().then(() => compactFiles(file, upTo));
  }
  return new Promise<number>((resolve, reject) => {
    let done = false;
    worker.once('message', (m: { ok: boolean; bytes?: number; error?: string }) => {
      done = true;
      void worker.terminate();
      if (m.ok) resolve(m.bytes ?? 0);
      else reject(new Error(m.error));
    });
    worker.once('error', (e) => {
      if (done) return;
      done = true;
      // A worker that cannot load (an unusual runtime): compact here instead.
      try {
        resolve(compactFiles(file, upTo));
      } catch (inline) {
        reject(inline instanceof Error ? inline : e);
      }
    });
    worker.postMessage({ file, upTo });
  });
}

