// RSS while one namespace emits events that are each delivered to a local receiver: with the
// default caps (events, deliveries) memory levels off once the caps are reached.
// Usage: node --expose-gc bench/events-memory.mjs 10000 25000 50000 100000   (cumulative)
import http from 'node:http';
import { createSimulator } from '../dist/src/server.js';
import { drainDeliveries } from '../dist/src/webhooks/outbox.js';

const targets = process.argv.slice(2).map(Number);
const receiver = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => res.end('{"received":true}'));
});
await new Promise((resolve) => receiver.listen(0, '127.0.0.1', resolve));
const { sim } = createSimulator({
  port: 0, seed: 'bench-events', clockMode: 'frozen', now: Date.parse('2026-03-01T00:00:00.000Z'),
  webhookUrl: `http://127.0.0.1:${receiver.address().port}/hooks`,
});
const ns = sim.namespace({ raw: 'sk_test_bench_events', kind: 'secret', livemode: false });
const gc = globalThis.gc ?? (() => {});
const settle = () => {
  for (let i = 0; i < 3; i++) gc();
};
settle();
const baseRss = process.memoryUsage().rss;
let emitted = 0;
for (const target of targets) {
  while (emitted < target) {
    // A customer-sized object, different each time.
    sim.emit(ns, 'customer.updated', {
      id: `cus_bench${String(emitted).padStart(12, '0')}`, object: 'customer', type: 'registered', createdAt: ns.nowIso(), updatedAt: ns.nowIso(),
      name: `Bench Customer ${emitted}`, email: `bench.${emitted}@example.com`, phone: `+2010${String(emitted).padStart(8, '0')}`,
      address: { line1: `${emitted} Nile St`, city: 'Cairo', country: 'EG' }, metadata: { n: String(emitted) }, merchantId: ns.merchantId,
    });
    emitted++;
    // Let deliveries go out as they would between requests.
    if (emitted % 500 === 0) await drainDeliveries(sim, ns);
  }
  await drainDeliveries(sim, ns);
  settle();
  const mem = process.memoryUsage();
  const line = { events: emitted, storedEvents: ns.db.events.size, storedDeliveries: ns.db.deliveries.size, rssMb: mem.rss / 1048576, rssDeltaMb: (mem.rss - baseRss) / 1048576, heapMb: mem.heapUsed / 1048576 };
  process.stdout.write(`EVMEM_JSON ${JSON.stringify(line)}\n`);
}
for (const hook of sim.closing) await hook();
receiver.close();
process.exit(0);
