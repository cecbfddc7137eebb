// Webhook fan-out load (run pinned by the harness): 10 local receivers (the first answers 500),
// customers created at a fixed rate with and without endpoints registered; prints WEBHOOK_JSON.
// Usage: node bench/webhook-driver.mjs URL SECONDS RATE
import http from 'node:http';
import { request } from './lib/servers.mjs';

const [url, seconds, rate] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4])];
const RECEIVERS = 10;
const sentAt = new Map();
/** Deliveries that arrived before the client saw the API answer: lag counted as 0. */
const early = new Map();
const lags = [];
let received = 0;
let receivedFailing = 0;

const receivers = await Promise.all(
  Array.from({ length: RECEIVERS }, (_, i) =>
    new Promise((resolve) => {
      const server = http.createServer((req, res) => {
        const chunks = [];
        req.on('data', (c) => chunks.push(c));
        req.on('end', () => {
          const now = performance.now();
          try {
            // Keyed by email: a delivery can land before the client has read the API answer.
            const email = JSON.parse(Buffer.concat(chunks).toString('utf8')).data?.object?.email;
            const t = sentAt.get(email);
            if (t !== undefined) lags.push(Math.max(0, now - t));
            else if (email) early.set(email, (early.get(email) ?? 0) + 1);
          } catch {
            /* not an event body */
          }
          received++;
          if (i === 0) receivedFailing++;
          res.writeHead(i === 0 ? 500 : 200, { 'Content-Type': 'application/json' });
          res.end(i === 0 ? '{"error":"down"}' : '{"received":true}');
        });
      });
      server.keepAliveTimeout = 5000;
      server.listen(0, '127.0.0.1', () => resolve(server));
    }),
  ),
);

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
          else {
            const email = JSON.parse(res.body).email;
            sentAt.set(email, t);
            for (let k = early.get(email) ?? 0; k > 0; k--) lags.push(0);
            early.delete(email);
          }
        })
        .catch(() => errors++)
        .finally(() => pending.delete(p));
      pending.add(p);
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  await Promise.all(pending);
  return { requests: n, errors, p50Ms: pct(latencies, 50), p99Ms: pct(latencies, 99) };
}

const keyPlain = 'sk_test_bench_hooks_off';
const keyHooks = 'sk_test_bench_hooks_on';
// Warm both namespaces and register the receivers on one of them.
await load(keyPlain, 'warm');
for (const [i, s] of receivers.entries()) {
  const res = await request(url + '/webhook-endpoints', { method: 'POST', agent, headers: { Authorization: `Bearer ${keyHooks}` }, body: { url: `http://127.0.0.1:${s.address().port}/hook${i}`, enabledEvents: ['customer.created'] } });
  if (res.status !== 201) {
    process.stdout.write(`WEBHOOK_JSON ${JSON.stringify({ error: `POST /webhook-endpoints answered ${res.status}: ${res.body.slice(0, 200)}` })}\n`);
    process.exit(0);
  }
}
const without = await load(keyPlain, 'off');
lags.length = 0;
early.clear();
received = 0;
const withHooks = await load(keyHooks, 'on');
// Let deliveries already under way arrive (bounded wait).
const expected = (withHooks.requests - withHooks.errors) * RECEIVERS;
const waitEnd = performance.now() + 5000;
while (received < expected && performance.now() < waitEnd) await new Promise((r) => setTimeout(r, 20));
process.stdout.write(`WEBHOOK_JSON ${JSON.stringify({
  rate, seconds, receivers: RECEIVERS, without, withHooks, expectedDeliveries: expected, received, receivedFailing,
  lagP50Ms: pct(lags, 50), lagP99Ms: pct(lags, 99), latencyRatioP50: withHooks.p50Ms / without.p50Ms,
})}\n`);
agent.destroy();
for (const s of receivers) s.close();
process.exit(0);
