// Start-up with a 100k-object `--data` file: the file is made by the simulator itself (a namespace
// seeded from 100k generated fixture customers plus one API write), then a fresh process loads it.
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { writeCustomerFixtures } from './data.mjs';
import { KEY, request, startSim } from './servers.mjs';
import { median } from './report.mjs';

export async function measureStartupWithData({ count, check, log, tmp, repeats = 3 }) {
  const fixtures = join(tmp, `data-fixtures-${count}`);
  writeCustomerFixtures(fixtures, count, 777);
  const file = join(tmp, `bench-data-${count}.json`);
  const auth = { Authorization: `Bearer ${KEY}` };
  const writer = await startSim({ fixtures, data: file });
  try {
    const res = await request(writer.url + '/customers', { method: 'POST', headers: auth, body: { name: 'Data File', email: 'data.file@example.com' }, timeoutMs: 120_000 });
    if (res.status !== 201) throw new Error(`POST /customers with --data answered ${res.status}: ${res.body.slice(0, 200)}`);
  } finally {
    await writer.stop();
  }
  if (!existsSync(file)) throw new Error('--data wrote no file');
  const sizeMb = statSync(file).size / 1048576;
  const times = [];
  const firstRequest = [];
  for (let i = 0; i < repeats; i++) {
    const sim = await startSim({ data: file });
    try {
      times.push(sim.startupMs);
      const list = await request(sim.url + '/customers?limit=1', { headers: auth, timeoutMs: 60_000 });
      firstRequest.push(list.ms);
      const total = list.status === 200 ? JSON.parse(list.body).totalCount : -1;
      if (total < count) throw new Error(`after restart the namespace holds ${total} customers, expected ≥ ${count}`);
    } finally {
      await sim.stop();
    }
  }
  const ms = median(times);
  log(`  --data with ${count} customers (${sizeMb.toFixed(1)} MB): start-up ${ms.toFixed(0)} ms, first keyed request ${median(firstRequest).toFixed(0)} ms`);
  check(`start-up to first /health 200 with a ${count / 1000}k-customer --data file (${sizeMb.toFixed(0)} MB)`, `${ms.toFixed(0)} ms (first keyed request +${median(firstRequest).toFixed(0)} ms)`, '≤ 1500 ms', ms <= 1500);
}
