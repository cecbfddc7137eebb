// CPU cost of webhook fan-out on the simulator's API thread, in a form that does not depend on how
// busy the machine is: the API thread's CPU time (utime + stime of /proc/<pid>/task/<pid>) and its
// GC pauses (--trace-gc) over segments creating customers on a key with 10 endpoints, minus the
// same over segments on a key with none, per delivery. Segments alternate (off, on, off, on, …);
// an "on" segment lasts until its deliveries have arrived, so recording the outcomes is counted.
// Prints FANOUT_CPU_JSON {…}. Usage:
//   node bench/fanout-cpu.mjs [--cli dist/src/cli.js] [--seconds 3] [--rate 500] [--segments 4] [--cpu-prof DIR]
import { spawn, fork } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import http from 'node:http';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { freePort, KEY, request, ROOT } from './lib/servers.mjs';
import { openLoop } from './lib/open-loop.mjs';

const { values: opts } = parseArgs({
  options: {
    cli: { type: 'string', default: join(ROOT, 'dist/src/cli.js') },
    seconds: { type: 'string', default: '3' },
    rate: { type: 'string', default: '500' },
    segments: { type: 'string', default: '4' },
    /** Writes a CPU profile of the simulator (all segments) into this folder. */
    'cpu-prof': { type: 'string' },
  },
});
const SECONDS = Number(opts.seconds);
const RATE = Number(opts.rate);
const SEGMENTS = Number(opts.segments);
const RECEIVERS = 10;
/** Clock ticks per second in /proc stat files (USER_HZ, `getconf CLK_TCK`): 100 on Linux. */
const TICK = 100;

/** Clock ticks (utime + stime) per thread of `pid`, by tid. */
function threadTicks(pid) {
  const out = new Map();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(Number(tid), Number(f[11]) + Number(f[12]));
    } catch {
      /* thread ended */
    }
  }
  return out;
}

/** Starts the simulator with --trace-gc; sums the main isolate's GC pauses as they are printed. */
async function startTraced(cli, profileDir) {
  const port = await freePort();
  const profile = profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : [];
  const proc = spawn(process.execPath, ['--trace-gc', ...profile, resolve(cli), '--port', String(port), '--host', '127.0.0.1', '--seed', 'bench'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const gc = { mainIsolate: null, pauseMs: 0, count: 0 };
  let rest = '';
  proc.stdout.on('data', (chunk) => {
    const lines = (rest + chunk).split('\n');
    rest = lines.pop();
    for (const line of lines) {
      // [pid:0xISOLATE]   1234 ms: Scavenge 4.1 (5.6) -> 3.5 (6.6) MB, 0.85 / 0.00 ms ...
      const m = /^\[\d+:(0x[0-9a-f]+)\]\s+[\d.]+ ms: .*? MB, ([\d.]+) \/ [\d.]+ ms/.exec(line);
      if (!m) continue;
      // The API thread's isolate collects first (at start-up, long before the delivery worker exists).
      gc.mainIsolate ??= m[1];
      if (m[1] !== gc.mainIsolate) continue;
      gc.pauseMs += Number(m[2]);
      gc.count++;
    }
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      if ((await request(url + '/health', { headers: { Authorization: `Bearer ${KEY}` }, timeoutMs: 1000 })).status === 200) break;
    } catch {
      if (i > 3000) throw new Error('the simulator did not start');
      await new Promise((r) => setTimeout(r, 10));
    }
  }
  return { proc, url, gc };
}

const sim = await startTraced(opts.cli, opts['cpu-prof']);
const receivers = fork(new URL('./webhook-receivers.mjs', import.meta.url).pathname, [String(RECEIVERS)]);
const { ports } = await new Promise((r) => receivers.once('message', r));
const ask = (message) => new Promise((r) => {
  receivers.once('message', r);
  receivers.send(message);
});
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
const keyOff = 'sk_test_fanout_cpu_off';
const keyOn = 'sk_test_fanout_cpu_on';

function create(key, tag) {
  return (i) => request(sim.url + '/customers', { method: 'POST', agent, headers: { Authorization: `Bearer ${key}` }, body: { name: `Fan ${tag} ${i}`, email: `fan.${tag}.${i}@example.com` } })
    .then((res) => res.status === 201, () => false);
}

/** One segment: CPU of the API thread and of the other threads, GC pauses, requests answered 201. */
async function segment(key, tag, expectedBefore) {
  const t0 = threadTicks(sim.proc.pid);
  const gc0 = { ...sim.gc };
  const { ok } = await openLoop({ rate: RATE, seconds: SECONDS, send: create(key, tag) });
  let expected = expectedBefore;
  if (key === keyOn) {
    expected += ok * RECEIVERS;
    for (let waited = 0; waited < 10_000 && (await ask('count')) < expected; waited += 20) await new Promise((r) => setTimeout(r, 20));
  }
  await new Promise((r) => setTimeout(r, 200));
  const t1 = threadTicks(sim.proc.pid);
  let main = 0;
  let others = 0;
  for (const [tid, ticks] of t1) {
    const d = ticks - (t0.get(tid) ?? 0);
    if (tid === sim.proc.pid) main += d;
    else others += d;
  }
  const ms = (ticks) => (ticks * 1000) / TICK;
  return { ok, expected, mainMs: ms(main), othersMs: ms(others), gcMs: sim.gc.pauseMs - gc0.pauseMs, gcCount: sim.gc.count - gc0.count };
}

try {
  // Warm both namespaces (JIT, caches) and register the receivers on one.
  await openLoop({ rate: RATE, seconds: 2, send: create(keyOff, 'warm') });
  await openLoop({ rate: RATE, seconds: 1, send: create(keyOn, 'warm') });
  for (const [i, port] of ports.entries()) {
    const res = await request(sim.url + '/webhook-endpoints', { method: 'POST', agent, headers: { Authorization: `Bearer ${keyOn}` }, body: { url: `http://127.0.0.1:${port}/hook${i}`, enabledEvents: ['customer.created'] } });
    if (res.status !== 201) throw new Error(`POST /webhook-endpoints answered ${res.status}`);
  }
  const off = [];
  const on = [];
  let expected = 0;
  for (let s = 0; s < SEGMENTS; s++) {
    off.push(await segment(keyOff, `off${s}`, expected));
    const seg = await segment(keyOn, `on${s}`, expected);
    expected = seg.expected;
    on.push(seg);
  }
  const received = await ask('count');
  const sum = (xs, f) => xs.reduce((a, x) => a + f(x), 0);
  const perRequestUs = (xs, f) => (sum(xs, f) * 1000) / sum(xs, (x) => x.ok);
  const perDeliveryUs = (f) => (perRequestUs(on, f) - perRequestUs(off, f)) / RECEIVERS;
  const out = {
    cli: opts.cli, rate: RATE, seconds: SECONDS, segments: SEGMENTS, deliveries: expected, received,
    apiThreadUsPerDelivery: perDeliveryUs((x) => x.mainMs),
    apiGcPauseUsPerDelivery: perDeliveryUs((x) => x.gcMs),
    otherThreadsUsPerDelivery: perDeliveryUs((x) => x.othersMs),
    apiThreadUsPerRequestOff: perRequestUs(off, (x) => x.mainMs),
    apiThreadUsPerRequestOn: perRequestUs(on, (x) => x.mainMs),
    gcPausesOff: sum(off, (x) => x.gcCount),
    gcPausesOn: sum(on, (x) => x.gcCount),
  };
  process.stdout.write(`FANOUT_CPU_JSON ${JSON.stringify(out)}\n`);
} finally {
  agent.destroy();
  receivers.kill();
  const exited = new Promise((r) => sim.proc.once('exit', r));
  sim.proc.kill('SIGTERM');
  // A CPU profile is written as the process exits.
  await exited;
}
