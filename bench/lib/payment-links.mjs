// Payment-link list with amount/date filters as the store grows: links created through the API
// (manual clock moved one day per 1000 links, so date filters select real slices), then each
// filtered list sent sequentially over one keep-alive connection at 1k and at the full size.
import http from 'node:http';
import { KEY, request, startSim } from './servers.mjs';
import { percentile } from './report.mjs';

const PRICES = [['price_coffee_beans_egp', 85000], ['price_tshirt_egp', 49900]];

export async function measurePaymentLinks({ quick, results, check, log }) {
  const sizes = quick ? [1000, 10_000] : [1000, 100_000];
  const rows = [];
  for (const size of sizes) {
    const sim = await startSim({ extraArgs: ['--now', '2025-01-01T00:00:00.000Z', '--clock', 'manual'] });
    const agent = new http.Agent({ keepAlive: true, maxSockets: 32 });
    const headers = { Authorization: `Bearer ${KEY}` };
    try {
      const started = performance.now();
      let made = 0;
      while (made < size && performance.now() - started < 240_000) {
        const batch = Math.min(1000, size - made);
        await Promise.all(
          Array.from({ length: batch }, async (_, i) => {
            const [price] = PRICES[(made + i) % PRICES.length];
            const res = await request(sim.url + '/payment-links', { method: 'POST', agent, headers, body: { lineItems: [{ priceId: price, quantity: 1 + ((made + i) % 4) }], afterCompletion: { type: 'redirect', redirect: { url: 'https://shop.example/thanks' } } } });
            if (res.status !== 201) throw new Error(`POST /payment-links answered ${res.status}: ${res.body.slice(0, 200)}`);
          }),
        );
        made += batch;
        const moved = await request(sim.url + '/_sim/clock/advance', { method: 'POST', agent, headers, body: { by: '1d' } });
        if (moved.status !== 200) throw new Error(`POST /_sim/clock/advance answered ${moved.status}: ${moved.body.slice(0, 200)}`);
      }
      if (made < size) throw new Error(`only ${made} of ${size} links created within the time limit`);
      log(`  ${size} payment links created in ${((performance.now() - started) / 1000).toFixed(1)} s`);
      const one = new http.Agent({ keepAlive: true, maxSockets: 1 });
      const days = Math.ceil(size / 1000);
      const queries = [
        ['links, page 1', '/payment-links?limit=20'],
        ['links, amount=gt:150000', '/payment-links?amount=gt:150000&limit=20'],
        ['links, amount=bt:50000,100000, page 3', '/payment-links?amount=bt:50000,100000&limit=20&page=3'],
        ['links, date=last:7,days', '/payment-links?date=last:7,days&limit=20'],
        ['links, date=bt + amount=lt:100000', `/payment-links?date=bt:2025-01-02,2025-01-${String(Math.min(28, 1 + Math.ceil(days / 2))).padStart(2, '0')}&amount=lt:100000&limit=20`],
      ];
      for (const [name, path] of queries) {
        const times = [];
        let body;
        for (let i = 0; i < (quick ? 50 : 110); i++) {
          const res = await request(sim.url + path, { agent: one, headers });
          if (res.status !== 200) throw new Error(`${path} answered ${res.status}: ${res.body.slice(0, 200)}`);
          if (i >= 10) times.push(res.ms);
          body = res.body;
        }
        rows.push({ query: name, size, p50: percentile(times, 50), p99: percentile(times, 99), totalCount: JSON.parse(body).totalCount });
      }
      one.destroy();
    } finally {
      agent.destroy();
      await sim.stop();
    }
  }
  results.lists.push(...rows);
  const big = rows.filter((r) => r.size === sizes[1]);
  const worst = big.reduce((a, b) => (b.p50 > a.p50 ? b : a));
  const added = Math.max(...big.map((r) => r.p50 - (rows.find((s) => s.size === sizes[0] && s.query === r.query)?.p50 ?? r.p50)));
  check(`payment-link list with amount/date filters, p50 per page at ${sizes[1] / 1000}k (worst query)`, `${worst.p50.toFixed(2)} ms (${worst.query}); +${added.toFixed(2)} ms vs 1k`, '≤ 5 ms, flat', worst.p50 <= 5 && added <= 1);
}
