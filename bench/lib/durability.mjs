// `--data` benchmarks (phase `durability`): write throughput as the store grows, start-up from a
// journal, and memory of the idempotency cache under 100k keyed POSTs.
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import http from 'node:http';
import { generateCustomers } from './data.mjs';
import { KEY, request, startSim } from './servers.mjs';
import { median } from './report.mjs';

const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

/**
 * A data directory whose journal holds a namespace created by one record, then one record per
 * customer (as POST /customers journals it): what a simulator that took `count` writes leaves behind.
 */
export function writeCustomerJournal(dir, count) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'state.json');
  const fd = openSync(`${file}.journal.0`, 'w');
  const clock = { mode: 'frozen', now: Date.parse('2026-03-01T10:00:00Z'), offset: 0 };
  const out = [JSON.stringify({ format: 'xpay-sim/journal', version: 1, generation: 0 }),
    JSON.stringify({ at: 0, c: [{ key: KEY, full: { key: KEY, livemode: false, clock, random: [1, 2, 3, 4], db: { customers: [] }, extensions: {} } }] })];
  let buffered = 0;
  const flush = () => {
    if (out.length === 0) return;
    writeSync(fd, out.join('\n') + '\n');
    out.length = 0;
    buffered = 0;
  };
  for (let start = 0; start < count; start += 50_000) {
    for (const [i, c] of generateCustomers(Math.min(50_000, count - start), 4242 + start, start).entries()) {
      const rec = {
        id: c.id, object: 'customer', type: c.type, createdAt: c.createdAt, updatedAt: c.createdAt, name: c.name, email: c.email, phone: c.phone,
        address: c.address, guestFingerprint: null, metadata: null, merchantId: 'merch_bench', _currency: 'EGP',
      };
      out.push(JSON.stringify({ at: start + i, c: [{ key: KEY, random: [start + i, 2, 3, 4], db: { customers: [['s', c.id, rec]] } }] }));
      if (++buffered >= 5000) flush();
    }
  }
  flush();
  // As a simulator leaves it: every record already on disk (start-up must not pay for flushing it).
  fsyncSync(fd);
  closeSync(fd);
  return file;
}

/** Waits until start-up compaction folded the journal into the snapshot (so it does not compete with the measurement). */
async function compacted(dir, timeoutMs = 120_000) {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    const journals = readdirSync(dir).filter((n) => n.startsWith('state.json.journal.'));
    if (existsSync(join(dir, 'state.json')) && journals.length === 1) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('start-up compaction did not finish');
}

async function postCustomers(url, agent, total, parallel, tag) {
  const latencies = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: parallel }, async () => {
    while (next < total) {
      const i = next++;
      const res = await request(url + '/customers', { method: 'POST', agent, headers: { Authorization: `Bearer ${KEY}` }, body: { email: `w${tag}.${i}@bench.example` }, timeoutMs: 60_000 });
      if (res.status !== 201) throw new Error(`POST /customers answered ${res.status}: ${res.body.slice(0, 200)}`);
      latencies.push(res.ms);
    }
  }));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { perSecond: total / seconds, p50: pct(latencies, 50), p99: pct(latencies, 99) };
}

/** POST /customers throughput and latency with --data, sequential and 16 parallel, at each store size. */
export async function measureDataWrites({ sizes, writes, log, check, results, tmp }) {
  const rows = [];
  for (const size of sizes) {
    const dir = join(tmp, `writes-${size}`);
    const file = writeCustomerJournal(dir, size);
    const sim = await startSim({ data: file });
    const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
    try {
      await compacted(dir);
      await postCustomers(sim.url, agent, 50, 4, 'warm');
      const seq = await postCustomers(sim.url, agent, writes, 1, 'seq');
      const par = await postCustomers(sim.url, agent, writes * 2, 16, 'par');
      const row = { size, sequential: seq, parallel16: par, rssMb: (sim.rssKb() ?? 0) / 1024 };
      rows.push(row);
      log(`  --data writes at ${size.toLocaleString('en')} customers: sequential ${seq.perSecond.toFixed(0)}/s (p50 ${seq.p50.toFixed(1)} ms, p99 ${seq.p99.toFixed(1)} ms), 16 parallel ${par.perSecond.toFixed(0)}/s (p50 ${par.p50.toFixed(1)} ms, p99 ${par.p99.toFixed(1)} ms), RSS ${row.rssMb.toFixed(0)} MB`);
    } finally {
      agent.destroy();
      await sim.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }
  results.dataWrites = rows;
  const base = rows[0];
  for (const row of rows.slice(1)) {
    for (const mode of ['sequential', 'parallel16']) {
      const ratio = row[mode].perSecond / base[mode].perSecond;
      check(`--data POST /customers ${mode === 'sequential' ? 'sequential' : '16 parallel'} at ${row.size / 1000}k vs ${base.size / 1000}k customers`,
        `${row[mode].perSecond.toFixed(0)}/s vs ${base[mode].perSecond.toFixed(0)}/s = ${ratio.toFixed(2)}× (p50 ${row[mode].p50.toFixed(1)} ms, p99 ${row[mode].p99.toFixed(1)} ms)`, '≥ 0.8×', ratio >= 0.8);
    }
  }
}

/** Start-up (spawn → first /health 200) from a journal of `count` customer records. */
export async function measureJournalStartup({ count, log, check, tmp, repeats = 3 }) {
  const dir = join(tmp, `journal-start-${count}`);
  const times = [];
  for (let i = 0; i < repeats; i++) {
    // Fresh every round: start-up compacts the journal into a snapshot, which the next round must not reuse.
    const file = writeCustomerJournal(dir, count);
    const sim = await startSim({ data: file });
    try {
      times.push(sim.startupMs);
      const list = await request(sim.url + '/customers?limit=1', { headers: { Authorization: `Bearer ${KEY}` }, timeoutMs: 60_000 });
      const total = list.status === 200 ? JSON.parse(list.body).totalCount : -1;
      if (total < count) throw new Error(`after replay the namespace holds ${total} customers, expected ${count}`);
    } finally {
      await sim.stop();
    }
  }
  rmSync(dir, { recursive: true, force: true });
  const ms = median(times);
  log(`  start-up replaying a journal of ${count.toLocaleString('en')} customer records: ${ms.toFixed(0)} ms`);
  check(`start-up replaying a ${count / 1000}k-customer journal (one record per customer)`, `${ms.toFixed(0)} ms`, '≤ 1500 ms', ms <= 1500);
}

/** RSS while one namespace receives `total` keyed POSTs (each remembered by the idempotency cache). */
export async function measureKeyedPosts({ total, log, check, results }) {
  const sim = await startSim({ extraArgs: ['--now', '2026-03-01T10:00:00Z'] });
  const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
  const curve = [];
  try {
    // Every POST reuses one email, so after the first each answers 409 (remembered under its key)
    // and stores nothing else: the curve shows the idempotency cache alone.
    await request(sim.url + '/customers', { method: 'POST', agent, headers: { Authorization: `Bearer ${KEY}` }, body: { email: 'keyed@bench.example' } });
    curve.push({ posts: 0, rssMb: sim.rssKb() / 1024 });
    let next = 0;
    const marks = [10_000, 25_000, 50_000, 75_000, total];
    for (const mark of marks) {
      await Promise.all(Array.from({ length: 16 }, async () => {
        while (next < mark) {
          const i = next++;
          const res = await request(sim.url + '/customers', { method: 'POST', agent, headers: { Authorization: `Bearer ${KEY}`, 'Idempotency-Key': `bench-key-${i}-${'x'.repeat(40)}` }, body: { email: 'keyed@bench.example', name: `Keyed ${i}` } });
          if (res.status !== 409) throw new Error(`keyed POST answered ${res.status}`);
        }
      }));
      const usage = JSON.parse((await request(sim.url + '/_sim/usage', { agent, headers: { Authorization: `Bearer ${KEY}` } })).body);
      curve.push({ posts: mark, rssMb: sim.rssKb() / 1024, keys: usage.idempotencyKeys });
    }
  } finally {
    agent.destroy();
    await sim.stop();
  }
  results.keyedPosts = curve;
  log(`  RSS under keyed POSTs: ${curve.map((p) => `${p.posts / 1000}k → ${p.rssMb.toFixed(0)} MB${p.keys !== undefined ? ` (${p.keys} keys)` : ''}`).join(', ')}`);
  const at10k = curve.find((p) => p.posts === 10_000);
  const half = curve.find((p) => p.posts >= total / 2);
  const last = curve[curve.length - 1];
  // Bounded means the second half of the POSTs adds nothing: the cache is full from 10k on, but V8
  // sizes its old generation over the first tens of thousands (RSS stayed 113 → 146 MB by 50k with
  // idle pauses too), while the unbounded cache this replaced grew ≈ 2 KB per POST (+100 MB here).
  check(`RSS after ${total / 1000}k keyed POSTs (idempotency cache capped at 10,000 keys)`, `${last.rssMb.toFixed(0)} MB (${half.rssMb.toFixed(0)} MB at ${half.posts / 1000}k, ${at10k.rssMb.toFixed(0)} MB at 10k; ${last.keys} keys kept; curve in results)`, `flat over the second half (≤ +15% from ${half.posts / 1000}k)`, last.rssMb <= half.rssMb * 1.15 && last.keys <= 10_000);
}
