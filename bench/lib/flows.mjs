// The full payment flow at 50 concurrent users, driven by bench/flow-driver.mjs on the client core.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { CLIENT_CPU, pinned, ROOT, startSim } from './servers.mjs';

export async function runFlows({ seconds, results, check, log, concurrency = 50 }) {
  const sim = await startSim();
  let out;
  try {
    const key = 'sk_test_bench_flows';
    const [bin, argv] = pinned(CLIENT_CPU, process.execPath, [join(ROOT, 'bench/flow-driver.mjs'), sim.url, String(seconds), String(concurrency), key]);
    const r = spawnSync(bin, argv, { encoding: 'utf8', timeout: (seconds + 60) * 1000 });
    const line = (r.stdout ?? '').split('\n').find((l) => l.startsWith('FLOW_JSON '));
    if (!line) throw new Error(`flow driver failed: ${(r.stderr ?? '').slice(-400)}`);
    out = JSON.parse(line.slice(10));
    out.rssMb = sim.rssKb() / 1024;
  } finally {
    await sim.stop();
  }
  results.flows = out;
  log(`flows: ${out.flows} in ${out.seconds.toFixed(1)} s = ${out.flowsPerSecond.toFixed(0)}/s, p50 ${out.p50Ms?.toFixed(1)} ms, ledger ok ${out.ledgerOk}, failures ${JSON.stringify(out.failures)}`);
  if (out.flows === 0) throw new Error(`no flow completed: ${out.lastError}`);
  const failed = Object.values(out.failures).reduce((a, b) => a + b, 0);
  check(`payment flows/s at ${concurrency} users (session → pay → partial refund → full refund)`, `${out.flowsPerSecond.toFixed(0)}/s (p50 ${out.p50Ms.toFixed(1)} ms/flow, ${failed} failed)`, '≥ 1500/s', out.flowsPerSecond >= 1500 && failed === 0);
  check('ledger invariants after the flow run (GET /_sim/ledger)', out.ledgerOk ? 'ok' : `NOT ok: ${JSON.stringify(out.invariants).slice(0, 200)}`, 'ok', out.ledgerOk);
}
