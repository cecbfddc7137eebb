// Webhook fan-out: 500 events/s to 10 local receivers (one answering 500), via bench/webhook-driver.mjs,
// repeated for a few rounds with and without pinning (medians: this phase is sensitive to anything
// else running on the machine); and a receiver that answers in 10 s, via bench/slow-receiver-driver.mjs.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { loadavg } from 'node:os';
import { CLIENT_CPU, pinned, ROOT, SERVER_CPU, startSim } from './servers.mjs';
import { median } from './report.mjs';

function drive(script, args, timeoutMs, tag, cpu = CLIENT_CPU) {
  const [bin, argv] = pinned(cpu, process.execPath, [join(ROOT, 'bench', script), ...args]);
  const r = spawnSync(bin, argv, { encoding: 'utf8', timeout: timeoutMs });
  const line = (r.stdout ?? '').split('\n').find((l) => l.startsWith(tag + ' '));
  if (!line) throw new Error(`${script} failed: ${(r.stderr ?? '').slice(-400)}`);
  const out = JSON.parse(line.slice(tag.length + 1));
  if (out.error) throw new Error(out.error);
  return out;
}

/**
 * Where the processes run. `pinned`: the simulator (API thread and delivery worker) on one core,
 * the driver and the receivers on the other, as the throughput phase does. `free`: no pinning, as
 * on an integrator's CI machine, where the OS spreads the simulator's two threads, the test client
 * and the receivers over the cores. Pinning is not what an integrator runs, but it is the worst
 * case for the worker (it can only take time from the API's own core), so both are reported.
 */
const PLACEMENTS = [
  { name: 'free', sim: null, client: null },
  { name: 'pinned', sim: SERVER_CPU, client: CLIENT_CPU },
];

export async function runWebhooks({ seconds, results, check, log, rate = 500, rounds = 3 }) {
  const byPlacement = Object.fromEntries(PLACEMENTS.map((p) => [p.name, []]));
  const loads = [];
  for (let round = 0; round < rounds; round++) {
    // Placements alternate within a round, so both see the same minutes of machine load.
    for (const placement of round % 2 === 0 ? PLACEMENTS : [...PLACEMENTS].reverse()) {
      // A fresh simulator per run: the previous run's deliveries and sockets do not carry over.
      const sim = await startSim({ cpu: placement.sim });
      try {
        loads.push(loadavg()[0]);
        const out = drive('webhook-driver.mjs', [sim.url, String(seconds), String(rate), '4'], (3 * seconds + 90) * 1000, 'WEBHOOK_JSON', placement.client);
        byPlacement[placement.name].push(out);
        log(`webhooks round ${round + 1}/${rounds} (${placement.name}): API p50 ${out.withHooks.p50Ms?.toFixed(2)} vs ${out.without.p50Ms?.toFixed(2)} ms (${out.latencyRatioP50?.toFixed(2)}×), inside ${out.serverRatioP50?.toFixed(2)}×, lag p50 ${out.lagP50Ms?.toFixed(2)} ms, ${out.received}/${out.expectedDeliveries} delivered, load ${loadavg()[0].toFixed(1)}`);
      } finally {
        await sim.stop();
      }
    }
  }
  results.webhooks = { loadAverage: { min: Math.min(...loads), max: Math.max(...loads) } };
  // The API thread's own cost per delivery (CPU time and GC pauses, "on" minus "off"): unlike the
  // latency ratios it hardly depends on what else the machine runs.
  const cpu = drive('fanout-cpu.mjs', ['--seconds', String(Math.min(seconds, 3)), '--rate', String(rate), '--segments', rounds > 1 ? '4' : '2'], 300_000, 'FANOUT_CPU_JSON', null);
  results.webhooks.apiThreadPerDelivery = cpu;
  log(`webhooks: API thread ${cpu.apiThreadUsPerDelivery.toFixed(1)} µs of CPU per delivery (GC pauses ${cpu.apiGcPauseUsPerDelivery.toFixed(1)} µs), other threads ${cpu.otherThreadsUsPerDelivery.toFixed(1)} µs; ${cpu.received}/${cpu.deliveries} delivered`);
  for (const placement of PLACEMENTS) {
    const runs = byPlacement[placement.name];
    const pick = (f) => median(runs.map(f));
    const out = {
      rounds: runs,
      latencyRatioP50: pick((r) => r.latencyRatioP50),
      serverRatioP50: pick((r) => r.serverRatioP50),
      withP50Ms: pick((r) => r.withHooks.p50Ms),
      withoutP50Ms: pick((r) => r.without.p50Ms),
      withServerP50Ms: pick((r) => r.withHooks.serverP50Ms),
      withoutServerP50Ms: pick((r) => r.without.serverP50Ms),
      lagP50Ms: pick((r) => r.lagP50Ms),
      lagP99Ms: pick((r) => r.lagP99Ms),
      received: runs.reduce((s, r) => s + r.received, 0),
      expected: runs.reduce((s, r) => s + r.expectedDeliveries, 0),
      apiErrors: runs.reduce((s, r) => s + r.withHooks.errors, 0),
    };
    results.webhooks[placement.name] = out;
    const where = placement.name === 'free' ? 'nothing pinned' : 'simulator pinned to one core, driver and receivers to the other';
    const ratios = runs.map((r) => r.latencyRatioP50.toFixed(2)).join(', ');
    const loadNote = `load average ${results.webhooks.loadAverage.min.toFixed(1)}–${results.webhooks.loadAverage.max.toFixed(1)}`;
    check(`webhook delivery lag p50 at ${rate} events/s × 10 receivers (API answer → receiver), ${where}, median of ${rounds} rounds`, `${out.lagP50Ms?.toFixed(2)} ms (p99 ${out.lagP99Ms?.toFixed(1)} ms; ${out.received}/${out.expected} delivered in time)`, '≤ 5 ms', out.lagP50Ms !== null && out.lagP50Ms <= 5);
    check(`API p50 latency with fan-out / without (client-measured), ${where}, median of ${rounds} rounds`, `${out.latencyRatioP50?.toFixed(2)}× (${out.withP50Ms?.toFixed(2)} vs ${out.withoutP50Ms?.toFixed(2)} ms; rounds ${ratios}; ${loadNote})`, '≤ 1.2×', out.latencyRatioP50 <= 1.2 && out.apiErrors === 0);
    if (Number.isFinite(out.serverRatioP50)) {
      check(`… the same, inside the simulator (request log: parse → answer), ${placement.name}`, `${out.serverRatioP50.toFixed(2)}× (${out.withServerP50Ms.toFixed(3)} vs ${out.withoutServerP50Ms.toFixed(3)} ms)`, '≤ 1.2×', out.serverRatioP50 <= 1.2);
    }
  }
}

/** A receiver answering every delivery in `delayMs`, fed `rate` events/s for `seconds`: no attempt may time out. */
export async function runSlowReceiver({ results, check, log, seconds = 20, rate = 100, delayMs = 10_000 }) {
  const sim = await startSim();
  let out;
  try {
    out = drive('slow-receiver-driver.mjs', [sim.url, String(seconds), String(rate), String(delayMs)], 900_000, 'SLOW_JSON');
  } finally {
    await sim.stop();
  }
  results.slowReceiver = out;
  log(`slow receiver: ${out.attempts} attempts, ${out.succeeded} succeeded, ${out.timedOut} timed out, drained ${(out.drainedMs / 1000).toFixed(0)} s after the load, max ${out.maxOpenAtReceiver} open at the receiver`);
  check(
    `receiver answering in ${delayMs / 1000} s, ${rate} events/s for ${seconds} s: attempts timed out`,
    `${out.timedOut} of ${out.attempts} (${out.succeeded} succeeded, ${out.failed - out.timedOut} other failures, ${out.stillPending} still pending; ${out.maxOpenAtReceiver} at once on the wire; queue wait p50 ${(out.queuedP50Ms / 1000).toFixed(1)} s, max ${(out.queuedMaxMs / 1000).toFixed(1)} s; all answered ${(out.drainedMs / 1000).toFixed(0)} s after the load)`,
    '0',
    out.timedOut === 0 && out.failed === 0 && out.stillPending === 0 && out.apiErrors === 0,
  );
}
