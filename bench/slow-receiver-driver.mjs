// Slow receiver (run pinned by the harness): one local endpoint that answers every delivery after
// DELAY ms, customers created at RATE/s for SECONDS; waits (bounded) until no delivery is pending,
// then counts outcomes from /_sim/deliveries. Prints SLOW_JSON.
// Usage: node bench/slow-receiver-driver.mjs URL SECONDS RATE DELAY_MS
import http from 'node:http';
import { request } from './lib/servers.mjs';

const [url, seconds, rate, delayMs] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4]), Number(process.argv[5])];
const KEY = 'sk_test_bench_slow_receiver';
const headers = { Authorization: `Bearer ${KEY}` };
const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
let open = 0;
let maxOpen = 0;
const receiver = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    maxOpen = Math.max(maxOpen, ++open);
    setTimeout(() => {
      open--;
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{"received":true}');
    }, delayMs);
  });
});
receiver.keepAliveTimeout = 60_000;
await new Promise((resolve) => receiver.listen(0, '127.0.0.1', resolve));
const done = (out) => {
  process.stdout.write(`SLOW_JSON ${JSON.stringify(out)}\n`);
  process.exit(0);
};
const ep = await request(url + '/webhook-endpoints', { method: 'POST', agent, headers, body: { url: `http://127.0.0.1:${receiver.address().port}/slow`, enabledEvents: ['customer.created'] } });
if (ep.status !== 201) done({ error: `POST /webhook-endpoints answered ${ep.status}: ${ep.body.slice(0, 200)}` });

const started = performance.now();
let n = 0;
let errors = 0;
const pending = new Set();
while (performance.now() - started < seconds * 1000) {
  const due = Math.floor(((performance.now() - started) / 1000) * rate);
  for (; n < due; n++) {
    const p = request(url + '/customers', { method: 'POST', agent, headers, body: { name: `Slow ${n}`, email: `slow.${n}@example.com` } })
      .then((res) => res.status !== 201 && errors++)
      .catch(() => errors++)
      .finally(() => pending.delete(p));
    pending.add(p);
  }
  await new Promise((r) => setTimeout(r, 10));
}
await Promise.all(pending);
const loadEnded = performance.now();

const count = async (status) => JSON.parse((await request(`${url}/_sim/deliveries?status=${status}&limit=1`, { agent, headers })).body).totalCount;
// Bounded wait: everything queued must go out and be answered (each answer takes DELAY ms).
const deadline = loadEnded + 600_000;
let stillPending = await count('pending');
while (stillPending > 0 && performance.now() < deadline) {
  await new Promise((r) => setTimeout(r, 1000));
  stillPending = await count('pending');
}
const drainedMs = performance.now() - loadEnded;

const attempts = [];
for (let page = 1; ; page++) {
  const body = JSON.parse((await request(`${url}/_sim/deliveries?limit=100&page=${page}`, { agent, headers })).body);
  for (const d of body.data) attempts.push(...d.attempts);
  if (page >= body.totalPages) break;
}
const timedOut = attempts.filter((a) => a.error?.includes('no response within')).length;
const failed = attempts.filter((a) => a.error !== null).length;
const queued = attempts.map((a) => a.queuedMs ?? 0).sort((a, b) => a - b);
done({
  seconds, rate, delayMs, events: n, apiErrors: errors, attempts: attempts.length, succeeded: attempts.length - failed, failed, timedOut,
  stillPending, drainedMs, maxOpenAtReceiver: maxOpen, queuedP50Ms: queued[queued.length >> 1] ?? null, queuedMaxMs: queued.at(-1) ?? null,
});
