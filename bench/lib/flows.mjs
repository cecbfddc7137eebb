// The full payment flow at 50 concurrent users, driven by bench/flow-driver.mjs on the client
// core: one fresh simulator per round, median flows/s over the rounds, ledger checked each round.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { CLIENT_CPU, pinned, ROOT, startSim } from './servers.mjs';
import { spread } from './report.mjs';

async function oneRound(seconds, concurrency) {
  const sim = await startSim();
  try {
    const [bin, argv] = pinned(CLIENT_CPU, process.execPath, [join(ROOT, 'bench/flow-driver.mjs'), sim.url, String(seconds), String(concurrency), 'sk_test_bench_flows']);
    const r = spawnSync(bin, argv, { encoding: 'utf8', timeout: (seconds + 60) * 1000 });
    const line = (r.stdout ?? '').split('\n').find((l) => l.startsWith('FLOW_JSON '));
    if (!line) throw new Error(`flow driver failed: ${(r.stderr ?? '').slice(-400)}`);
    return { ...JSON.parse(line.slice(10)), rssMb: sim.rssKb() / 1024 };
  } finally {
    await sim.stop();
  }
}

export async function runFlows({ seconds, rounds = 3, results, check, log, concurrency = 50 }) {
  const runs = [];
  for (let i = 0; i < rounds; i++) {
    const out = await oneRound(seconds, concurrency);
    log(`flows round ${i + 1}/${rounds}: ${out.flows} in ${out.seconds.toFixed(1)} s = ${out.flowsPerSecond.toFixed(0)}/s, p50 ${out.p50Ms?.toFixed(1)} ms, ledger ok ${out.ledgerOk}, failures ${JSON.stringify(out.failures)}`);
    if (out.flows === 0) throw new Error(`no flow completed: ${out.lastError}`);
    runs.push(out);
  }
  const rate = spread(runs.map((r) => r.flowsPerSecond));
  const failed = runs.reduce((n, r) => n + Object.values(r.failures).reduce((a, b) => a + b, 0), 0);
  const ledgerOk = runs.every((r) => r.ledgerOk);
  results.flows = { rounds: runs.map(({ invariants, ...r }) => ({ ...r, invariantsOk: invariants?.ok })), flowsPerSecond: rate };
  const p50 = spread(runs.map((r) => r.p50Ms)).median;
  check(
    `payment flows/s at ${concurrency} users (session → pay → partial refund → full refund), median of ${rounds} rounds`,
    `${rate.median.toFixed(0)}/s (${rate.min.toFixed(0)}–${rate.max.toFixed(0)}; p50 ${p50.toFixed(1)} ms/flow; ${failed} failed)`,
    '≥ 1500/s',
    rate.median >= 1500 && failed === 0,
  );
  check('ledger invariants after every flow round (GET /_sim/ledger)', ledgerOk ? 'ok' : `NOT ok: ${JSON.stringify(runs.find((r) => !r.ledgerOk)?.invariants).slice(0, 200)}`, 'ok', ledgerOk);
}
