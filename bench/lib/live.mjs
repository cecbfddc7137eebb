// The Workbench's live stream (GET /_sim/live) and the API path: what its hooks cost a request when
// nobody watches the namespace (measured in-process, per call), and API throughput with nobody
// watching versus one Workbench tab watching the same namespace (wrk, interleaved rounds).
import http from 'node:http';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { KEY, ROOT, startSim } from './servers.mjs';
import { ensureWrk, runWrk } from './wrk.mjs';
import { median } from './report.mjs';

const CALLS = 2_000_000;

/** Nanoseconds per finished request spent in the live hook of a namespace nobody watches. */
async function hookCostNs() {
  const { installLive } = await import(pathToFileURL(join(ROOT, 'dist/src/sim/live.js')).href);
  const sim = { requestCompleted: [], backgroundChange: [], pageRequest: [] };
  installLive(sim);
  const [hook] = sim.requestCompleted;
  const ctx = { operationId: 'getCustomer', ns: {}, headers: {}, requestId: 'req_bench', method: 'GET', path: '/customers/cus_x', startedAt: 0 };
  const result = { status: 200 };
  for (let i = 0; i < 100_000; i++) hook(ctx, result); // warm up
  const started = process.hrtime.bigint();
  for (let i = 0; i < CALLS; i++) hook(ctx, result);
  return Number(process.hrtime.bigint() - started) / CALLS;
}

/** Opens GET /_sim/live for the bench key and reads (and drops) everything it sends. */
function watch(url) {
  return new Promise((resolve, reject) => {
    const req = http.get(`${url}/_sim/live`, { headers: { Authorization: `Bearer ${KEY}` } }, (res) => {
      if (res.statusCode !== 200) return reject(new Error(`/_sim/live answered ${res.statusCode}`));
      res.on('data', () => undefined);
      resolve(() => req.destroy());
    });
    req.on('error', () => undefined);
  });
}

export async function measureLive({ seconds, rounds, check, log }) {
  const ns = await hookCostNs();
  log(`live hook with nobody watching: ${ns.toFixed(1)} ns per request`);
  ensureWrk(log);
  const sim = await startSim();
  const path = '/customers/cus_demo_amina';
  const rps = { nobody: [], watched: [] };
  let p50 = [];
  try {
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? ['nobody', 'watched'] : ['watched', 'nobody'];
      for (const who of order) {
        const stop = who === 'watched' ? await watch(sim.url) : () => undefined;
        const m = await runWrk(sim.url + path, { script: 'get.lua', args: [path, KEY], seconds });
        stop();
        if (m.non2xx || m.socketErrors) throw new Error(`${who}: ${m.non2xx} non-2xx, ${m.socketErrors} socket errors`);
        rps[who].push(m.rps);
        if (who === 'nobody') p50.push(m.p50Us / 1000);
        log(`live round ${round + 1}/${rounds} ${who}: ${m.rps.toFixed(0)} req/s`);
      }
    }
  } finally {
    await sim.stop();
  }
  const nobody = median(rps.nobody);
  const watched = median(rps.watched);
  const share = (ns / 1e6 / median(p50)) * 100;
  check('live stream hook per API request with nobody watching the namespace (in-process)', `${ns.toFixed(1)} ns (${share.toFixed(4)} % of a GET's p50 of ${median(p50).toFixed(2)} ms)`, '≤ 0.1 % of p50', share <= 0.1);
  check(`GET ${path} with one Workbench watching the namespace vs nobody (median of ${rounds} interleaved rounds)`, `${watched.toFixed(0)} vs ${nobody.toFixed(0)} req/s (${((watched / nobody) * 100).toFixed(0)} %)`, '—');
}
