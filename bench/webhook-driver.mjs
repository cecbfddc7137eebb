// Webhook fan-out load (run pinned by the harness): 10 local receivers in a child process (the first answers 500),
// customers created at a fixed rate with and without endpoints registered; prints WEBHOOK_JSON.
// Usage: node bench/webhook-driver.mjs URL SECONDS RATE
import http from 'node:http';
import { fork } from 'node:child_process';
import { request } from './lib/servers.mjs';

const [url, seconds, rate] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4])];
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

/** Creates customers at `rate`/s for `seconds` (open loop, 10 ms ticks); returns API latencies. */
async function load(key, tag) {
  const headers = { Authorization: `Bearer ${key}` };
  const latencies = [];
  let errors = 0;
  let n = 0;
  const pending = new Set();
  const perTick = rate / 100;
  let owed = 0;
  const end = performance.now() + seconds * 1000;
  while (performance.now() < end) {
    owed += perTick;
    for (; owed >= 1; owed--) {
      const i = n++;
      const started = performance.now();
      const p = request(url + '/customers', { method: 'POST', headers, agent, body: { name: `Hook ${tag} ${i}`, email: `hook.${tag}.${i}@example.com` } })
        .then((res) => {
          const t = performance.now();
          latencies.push(t - started);
          if (res.status !== 201) errors++;
          else sentAt.set(JSON.parse(res.body).email, performance.timeOrigin + t);
        })
        .catch(() => errors++)
        .finally(() => pending.delete(p));
      pending.add(p);
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  await Promise.all(pending);
  // The simulator's own view (request log: parse → answer, last 1000 requests), free of client-side queueing.
  const logged = await request(url + '/_sim/requests?path=/customers&limit=1000', { headers, agent });
  const server = logged.status === 200 ? JSON.parse(logged.body).data.map((r) => r.durationMs).filter((d) => typeof d === 'number') : [];
  return { requests: n, errors, p50Ms: pct(latencies, 50), p99Ms: pct(latencies, 99), serverP50Ms: pct(server, 50), serverP99Ms: pct(server, 99) };
}

const keyPlain = 'sk_test_bench_hooks_off';
const keyHooks = 'sk_test_bench_hooks_on';
// Warm both namespaces and register the receivers on one of them.
await load(keyPlain, 'warm');
for (const [i, port] of ports.entries()) {
  const res = await request(url + '/webhook-endpoints', { method: 'POST', agent, headers: { Authorization: `Bearer ${keyHooks}` }, body: { url: `http://127.0.0.1:${port}/hook${i}`, enabledEvents: ['customer.created'] } });
  if (res.status !== 201) {
    process.stdout.write(`WEBHOOK_JSON ${JSON.stringify({ error: `POST /webhook-endpoints answered ${res.status}: ${res.body.slice(0, 200)}` })}\n`);
    receivers.kill();
    process.exit(0);
  }
}
const without = await load(keyPlain, 'off');
receivers.send('reset');
const withHooks = await load(keyHooks, 'on');
// Let deliveries already under way arrive (bounded wait), then collect the arrivals.
await new Promise((r) => setTimeout(r, 1500));
const report = await new Promise((resolve) => {
  receivers.once('message', resolve);
  receivers.send('report');
});
const expected = (withHooks.requests - withHooks.errors) * RECEIVERS;
// A delivery can land before the client has read the API answer: its lag counts as 0.
const lags = report.arrivals.filter(([email]) => sentAt.has(email)).map(([email, at]) => Math.max(0, at - sentAt.get(email)));
process.stdout.write(`WEBHOOK_JSON ${JSON.stringify({
  rate, seconds, receivers: RECEIVERS, without, withHooks, expectedDeliveries: expected, received: report.arrivals.length, receivedFailing: report.failing,
  lagP50Ms: pct(lags, 50), lagP99Ms: pct(lags, 99), latencyRatioP50: withHooks.p50Ms / without.p50Ms, serverRatioP50: withHooks.serverP50Ms / without.serverP50Ms,
})}\n`);
agent.destroy();
process.exit(0);
