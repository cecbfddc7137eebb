// RSS per stored customer: one simulator in this process, RSS measured after GC.
// Mode `api` (default): customers created through the real createCustomer handler (validation
// skipped; the customer.created event and the indexes included). Mode `store`: the same records
// put straight into the collection, as a --data or --fixtures load does (indexes included, no events).
// RSS is measured from a baseline taken once the young generation has grown to its full size.
// Usage: node --expose-gc bench/memory.mjs [--store] 100000 1000000   (cumulative; bounded by MAX_RSS_MB)
import v8 from 'node:v8';
import { createSimulator } from '../dist/src/server.js';
import { customerStream } from './lib/data.mjs';

const storeOnly = process.argv.includes('--store');
const targets = process.argv.slice(2).filter((a) => a !== '--store').map(Number);
const MAX_RSS_MB = Number(process.env.BENCH_MAX_RSS_MB ?? 3000);
const { sim } = createSimulator({ port: 0, seed: 'bench-memory', clockMode: 'frozen', now: Date.parse('2026-03-01T00:00:00.000Z') });
const key = { raw: 'sk_test_bench_memory', kind: 'secret', livemode: false };
const ns = sim.namespace(key);
// Build the customer indexes up front, as the first create or list does.
sim.handlers.listCustomers({ ...{ sim, ns, key, requestId: 'req_memory', operationId: 'listCustomers', method: 'GET', path: '/customers', params: {}, query: {}, headers: {}, rawHeaders: [] } });
const gc = globalThis.gc ?? (() => {});
const rss = () => process.memoryUsage().rss;
const settle = () => {
  for (let i = 0; i < 3; i++) gc();
};

// The young generation grows to its full size (tens of MB, once per process) under any steady
// allocation, stored customers or not. Grow it before the baseline with short-lived garbage, so
// the per-customer figure is what stored customers cost rather than that one-off growth.
const newSpace = () => v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
for (let round = 0, sink; round < 500 && newSpace() && newSpace().physical_space_size < newSpace().space_size; round++) {
  for (let i = 0; i < 10_000; i++) sink = { i, pair: [i, i + 1], text: 'garbage ' + i };
}
settle();
const baseRss = rss();
const baseHeap = process.memoryUsage().heapUsed;
let created = 0;
const ctx = { sim, ns, key, requestId: 'req_memory', operationId: 'createCustomer', method: 'POST', path: '/customers', params: {}, query: {}, headers: {}, rawHeaders: [] };
for (const target of targets) {
  while (created < target) {
    // One input at a time (seeded per 50k, as before): like request bodies, inputs die young instead
    // of a batch of them being promoted and leaving holes among the stored customers.
    for (const generated of customerStream(Math.min(50_000, target - created), 1000 + created, created)) {
      // Strings as a request body or a --data/--fixtures file delivers them: parsed from JSON (flat),
      // not the generator's concatenations (which hold extra pieces).
      const c = JSON.parse(JSON.stringify(generated));
      if (storeOnly) {
        const now = ns.nowIso();
        const id = ns.ids.next('cus');
        ns.db.customers.set(id, {
          id, object: 'customer', type: 'registered', createdAt: now, updatedAt: now, name: c.name, email: c.email, phone: c.phone,
          address: c.address, guestFingerprint: null, metadata: null, merchantId: ns.merchantId, _currency: 'EGP',
        });
      } else {
        const res = sim.handlers.createCustomer({ ...ctx, body: { name: c.name, email: c.email, phone: c.phone, address: c.address } });
        if (res.status !== 201) throw new Error(`createCustomer answered ${res.status}`);
      }
      created++;
    }
    if (rss() / 1048576 > MAX_RSS_MB) break;
  }
  settle();
  const mem = process.memoryUsage();
  const line = {
    mode: storeOnly ? 'store' : 'api',
    customers: created,
    stored: ns.db.customers.size,
    events: ns.db.events.size,
    rssMb: mem.rss / 1048576,
    rssDeltaMb: (mem.rss - baseRss) / 1048576,
    bytesPerCustomer: (mem.rss - baseRss) / created,
    heapBytesPerCustomer: (mem.heapUsed - baseHeap) / created,
  };
  process.stdout.write(`MEM_JSON ${JSON.stringify(line)}\n`);
  if (created < target) break;
}
process.exit(0);
