// Webhook fan-out load: 10 local receivers in a child process (the first answers 500), customers
// created at a fixed rate with and without endpoints registered; prints WEBHOOK_JSON.
// The two conditions alternate in SEGMENTS pairs (off, on, off, on, …) so that other work on the
// machine weighs on both alike; before each "off" segment the deliveries of the previous "on"
// segment are given (bounded) time to arrive, so they do not load the baseline.
// Usage: node bench/webhook-driver.mjs URL SECONDS RATE [SEGMENTS]
import http from 'node:http';
import { fork } from 'node:child_process';
import { request } from './lib/servers.mjs';
import { openLoop } from './lib/open-loop.mjs';

const [url, seconds, rate, segments] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4]), Number(process.argv[5] ?? 2)];
const RECEIVERS = 10;
/** email → ms since epoch when the client read the API answer. */
const sentAt = new Map();
const receivers = fork(new URL('./webhook-receivers.mjs', import.meta.url).pathname, [String(RECEIVERS)]);
const { ports } = await new Promise((resolve) => receivers.once('message', resolve));

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] : null;
};

/** Creates customers at `rate`/s for `seconds` (open loop, 10 ms ticks); adds to `into`. */
async function load(key, tag, seconds, into) {
  const headers = { Authorization: `Bearer ${key}` };
  const latencies = into.latencies;
  const { sent: n } = await openLoop({
    rate,
    seconds,
    send: (i) => {
      const started = performance.now();
      return request(url + '/customers', { method: 'POST', headers, agent, body: { name: `Hook ${tag} ${i}`, email: `hook.${tag}.${i}@example.com` } })
        .then((res) => {
          const t = performance.now();
          latencies.push(t - started);
          if (res.status !== 201) into.errors++;
          else sentAt.set(JSON.parse(res.body).email, performance.timeOrigin + t);
        })
        .catch(() => into.errors++);
    },
  });
  // The simulator's own view (request log: parse → answer, last 1000 requests), free of client-side queueing.
  const logged = await request(url + `/_sim/requests?path=/customers&limit=${Math.min(1000, n)}`, { headers, agent });
  if (logged.status === 200) into.server.push(...JSON.parse(logged.body).data.map((r) => r.durationMs).filter((d) => typeof d === 'number'));
  into.requests += n;
}

const condition = () => ({ requests: 0, errors: 0, latencies: [], server: [] });
const summary = (c) => ({ requests: c.requests, errors: c.errors, p50Ms: pct(c.latencies, 50), p99Ms: pct(c.latencies, 99), serverP50Ms: pct(c.server, 50), serverP99Ms: pct(c.server, 99) });
const ask = (message) =>
  new Promise((resolve) => {
    receivers.once('message', resolve);
    receivers.send(message);
  });

const keyPlain = 'sk_test_bench_hooks_off';
const keyHooks = 'sk_test_bench_hooks_on';
// Warm both namespaces and register the receivers on one of them.
await load(keyPlain, 'warm', Math.min(seconds, 4), condition());
await load(keyHooks, 'warm', 1, condition());
for (const [i, port] of ports.entries()) {
  const res = await request(url + '/webhook-endpoints', { method: 'POST', agent, headers: { Authorization: `Bearer ${keyHooks}` }, body: { url: `http://127.0.0.1:${port}/hook${i}`, enabledEvents: ['customer.created'] } });
  if (res.status !== 201) {
    process.stdout.write(`WEBHOOK_JSON ${JSON.stringify({ error: `POST /webhook-endpoints answered ${res.status}: ${res.body.slice(0, 200)}` })}\n`);
    receivers.kill();
    process.exit(0);
  }
}
const without = condition();
const withHooks = condition();
let expected = 0;
for (let s = 0; s < segments; s++) {
  // Deliveries of the previous "on" segment are still arriving: give them (bounded) time first.
  for (let waited = 0; waited < 3000 && (await ask('count')) < expected; waited += 50) await new Promise((r) => setTimeout(r, 50));
  await load(keyPlain, `off${s}`, seconds / segments, without);
  const before = withHooks.requests - withHooks.errors;
  await load(keyHooks, `on${s}`, seconds / segments, withHooks);
  expected += (withHooks.requests - withHooks.errors - before) * RECEIVERS;
}
// Let deliveries already under way arrive (bounded wait), then collect the arrivals.
await new Promise((r) => setTimeout(r, 1500));
const report = await ask('report');
// A delivery can land before the client has read the API answer: its lag counts as 0.
const lags = report.arrivals.filter(([email]) => sentAt.has(email)).map(([email, at]) => Math.max(0, at - sentAt.get(email)));
const [off, on] = [summary(without), summary(withHooks)];
process.stdout.write(`WEBHOOK_JSON ${JSON.stringify({
  rate, seconds, segments, receivers: RECEIVERS, without: off, withHooks: on, expectedDeliveries: expected, received: report.arrivals.length, receivedFailing: report.failing,
  lagP50Ms: pct(lags, 50), lagP99Ms: pct(lags, 99), latencyRatioP50: on.p50Ms / off.p50Ms, serverRatioP50: on.serverP50Ms / off.serverP50Ms,
})}\n`);
agent.destroy();
process.exit(0);
