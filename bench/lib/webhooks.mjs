// Webhook fan-out: 500 events/s to 10 local receivers (one answering 500), via bench/webhook-driver.mjs.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { CLIENT_CPU, pinned, ROOT, startSim } from './servers.mjs';

export async function runWebhooks({ seconds, results, check, log, rate = 500 }) {
  const sim = await startSim();
  let out;
  try {
    const [bin, argv] = pinned(CLIENT_CPU, process.execPath, [join(ROOT, 'bench/webhook-driver.mjs'), sim.url, String(seconds), String(rate)]);
    const r = spawnSync(bin, argv, { encoding: 'utf8', timeout: (3 * seconds + 60) * 1000 });
    const line = (r.stdout ?? '').split('\n').find((l) => l.startsWith('WEBHOOK_JSON '));
    if (!line) throw new Error(`webhook driver failed: ${(r.stderr ?? '').slice(-400)}`);
    out = JSON.parse(line.slice(13));
  } finally {
    await sim.stop();
  }
  if (out.error) throw new Error(out.error);
  results.webhooks = out;
  log(`webhooks: lag p50 ${out.lagP50Ms?.toFixed(2)} ms p99 ${out.lagP99Ms?.toFixed(2)} ms, ${out.received}/${out.expectedDeliveries} delivered, API p50 ${out.withHooks.p50Ms?.toFixed(2)} vs ${out.without.p50Ms?.toFixed(2)} ms`);
  check(`webhook delivery lag p50 at ${rate} events/s × 10 receivers (API answer → receiver)`, `${out.lagP50Ms?.toFixed(2)} ms (p99 ${out.lagP99Ms?.toFixed(1)} ms; ${out.received}/${out.expectedDeliveries} delivered in time)`, '≤ 5 ms', out.lagP50Ms !== null && out.lagP50Ms <= 5);
  check('API p50 latency with fan-out / without (client-measured)', `${out.latencyRatioP50?.toFixed(2)}× (${out.withHooks.p50Ms?.toFixed(2)} vs ${out.without.p50Ms?.toFixed(2)} ms)`, '≤ 1.2×', out.latencyRatioP50 <= 1.2 && out.withHooks.errors === 0);
  if (Number.isFinite(out.serverRatioP50)) {
    check('… the same, inside the simulator (request log: parse → answer)', `${out.serverRatioP50.toFixed(2)}× (${out.withHooks.serverP50Ms.toFixed(3)} vs ${out.without.serverP50Ms.toFixed(3)} ms)`, '≤ 1.2×', out.serverRatioP50 <= 1.2);
  }
}
