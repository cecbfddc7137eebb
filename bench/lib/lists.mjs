// List/search latency as the store grows: the simulator started on generated fixtures of each
// size, then each query sent sequentially over one keep-alive connection (bounded count).
import http from 'node:http';
import { join } from 'node:path';
import { writeCustomerFixtures, SEARCH_NAME } from './data.mjs';
import { KEY, request, ROOT, startSim } from './servers.mjs';
import { percentile } from './report.mjs';

export async function measureLists({ sizes, repeats, log }) {
  const rows = [];
  const startups = [];
  for (const size of sizes) {
    const dir = join(ROOT, `bench/.tmp/fixtures-${size}`);
    const customers = writeCustomerFixtures(dir, size);
    const sim = await startSim({ fixtures: dir });
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const get = (path) => request(sim.url + path, { agent, headers: { Authorization: `Bearer ${KEY}` } });
    try {
      // The first keyed request builds the namespace from the fixtures (validation included).
      const first = await get('/customers?limit=1');
      if (first.status !== 200) throw new Error(`GET /customers answered ${first.status}: ${first.body}`);
      const firstSearch = await get(`/customers?search=${encodeURIComponent(SEARCH_NAME.toLowerCase())}`);
      startups.push({ size, startupMs: sim.startupMs, firstKeyedRequestMs: first.ms, firstSearchMs: firstSearch.ms, rssMb: sim.rssKb() / 1024 });
      log(`  ${size} customers: start-up ${sim.startupMs.toFixed(0)} ms, first keyed request ${first.ms.toFixed(0)} ms, first search ${firstSearch.ms.toFixed(0)} ms`);
      const mid = customers[Math.floor(size / 2)];
      const queries = [
        ['list, page 1', '/customers?limit=20'],
        ['list, last page', `/customers?limit=20&page=${Math.max(1, Math.ceil(size / 20))}`],
        ['type=guest, page 2', '/customers?type=guest&limit=20&page=2'],
        ['search name (0.1% hits)', `/customers?search=${encodeURIComponent(SEARCH_NAME)}`],
        ['search exact email', `/customers?search=${encodeURIComponent(mid.email)}`],
        ['search two terms (id, phone)', `/customers?search=${encodeURIComponent(`${customers[1].id},${mid.phone ?? mid.id}`)}`],
        ['search 2 chars (bigram list)', '/customers?search=zq&type=registered'],
        // Exact totalCount needs every match counted: this one is O(matches), not O(page).
        ['search "an" (≈36% of customers match; unbounded)', '/customers?search=an'],
      ];
      for (const [name, path] of queries) {
        const times = [];
        let body;
        for (let i = 0; i < repeats + 10; i++) {
          const res = await get(path);
          if (res.status !== 200) throw new Error(`${path} answered ${res.status}: ${res.body.slice(0, 200)}`);
          if (i >= 10) times.push(res.ms);
          body = res.body;
        }
        rows.push({ query: name, size, p50: percentile(times, 50), p99: percentile(times, 99), totalCount: JSON.parse(body).totalCount });
      }
    } finally {
      agent.destroy();
      await sim.stop();
    }
  }
  return { rows, startups };
}
