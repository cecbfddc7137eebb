// Runs compaction (snapshot + journals → new snapshot) off the API's event loop: it reads the
// files, not the simulator's memory, so it needs no copy of live state and no locking.
import { parentPort } from 'node:worker_threads';
import { compactFiles } from './journal-files.js';

parentPort?.on('message', (job: { file: string; upTo: number }) => {
  try {
    parentPort!.postMessage({ ok: true, bytes: compactFiles(job.file, job.upTo) });
  } catch (e) {
    parentPort!.postMessage({ ok: false, error: (e as Error).message });
  }
});
