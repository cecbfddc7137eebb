// Load generator for the payment flow (run pinned by the harness): `concurrency` users each loop
// create checkout session → pay → partial refund → full refund until `seconds` pass.
// Usage: node bench/flow-driver.mjs URL SECONDS CONCURRENCY KEY   → prints FLOW_JSON {...}
import http from 'node:http';
import { request } from './lib/servers.mjs';

const [url, seconds, concurrency, key] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4]), process.argv[5]];
const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
const headers = { Authorization: `Bearer ${key}` };
const flowMs = [];
const failures = new Map();
let flows = 0;
let requests = 0;
const deadline = performance.now() + seconds * 1000;

async function call(method, path, body, want) {
  requests++;
  const res = await request(url + path, { method, body, headers, agent });
  if (res.status !== want) {
    const k = `${method} ${path.replace(/[A-Za-z0-9_]{20,}/g, '{id}')} → ${res.status}`;
    failures.set(k, (failures.get(k) ?? 0) + 1);
    throw new Error(k + ' ' + res.body.slice(0, 300));
  }
  return JSON.parse(res.body);
}

let lastError = '';
async function user(u) {
  let n = 0;
  while (performance.now() < deadline && n < 1_000_000) {
    n++;
    const started = performance.now();
    const amount = 1000 + ((u * 7919 + n * 104729) % 50_000);
    try {
      const session = await call('POST', '/checkout/sessions', {
        afterCompletion: { type: 'redirect', redirect: { url: 'https://shop.example/done' } },
        lineItems: [{ priceData: { currency: 'EGP', unitAmount: amount, productData: { name: 'Bench order' } }, quantity: 1 }],
      }, 201);
      const paid = await call('POST', `/_sim/checkout/sessions/${session.id}/pay`, {
        card: { number: '5123450000000008', expMonth: 1, expYear: 2039, cvc: '100' },
        customerDetails: { email: `flow.${u}.${n}@example.com`, name: 'Bench Shopper' },
      }, 200);
      const chargeId = paid.paymentIntent?.latestCharge?.id;
      await call('POST', '/refunds', { chargeId, amount: Math.floor(amount / 3) }, 201);
      await call('POST', '/refunds', { chargeId }, 201);
      flows++;
      flowMs.push(performance.now() - started);
    } catch (e) {
      lastError = e.message;
    }
  }
}

const started = performance.now();
await Promise.all(Array.from({ length: concurrency }, (_, u) => user(u)));
const elapsed = (performance.now() - started) / 1000;
const ledger = await request(url + '/_sim/ledger?entries=false', { headers, agent });
let invariants;
try {
  invariants = JSON.parse(ledger.body).invariants;
} catch {
  invariants = { ok: false, status: ledger.status };
}
flowMs.sort((a, b) => a - b);
const pct = (p) => flowMs[Math.min(flowMs.length - 1, Math.floor((p / 100) * flowMs.length))] ?? null;
process.stdout.write(`FLOW_JSON ${JSON.stringify({ flows, requests, seconds: elapsed, flowsPerSecond: flows / elapsed, p50Ms: pct(50), p99Ms: pct(99), failures: Object.fromEntries(failures), lastError: lastError.slice(0, 300), ledgerStatus: ledger.status, ledgerOk: invariants?.ok === true, invariants })}\n`);
agent.destroy();
