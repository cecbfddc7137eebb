// Noisy neighbour (issue 17). Two measurements:
// - `measureNoisyThroughput`: tenant B's GET throughput alone, and while tenant A holds 10k fault
//   rules, opens the key-less page of a max-size checkout session twice a second and sends events
//   to a hanging webhook endpoint (simulator as a child process, pinned like the throughput phase).
// - `measureBlocking`: the longest event-loop turn while one max-size page open or one filtered read
//   of a full request log is answered (simulator in this process, the client leaving bodies
//   undecoded), against the size of the input that made them; the log read also with the scan
//   bound lifted, as it was before, and the page beside a tiny 404 page (the method's floor).
import { createServer } from 'node:http';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { request, ROOT, startSim } from './servers.mjs';
import { ensureWrk, runWrk } from './wrk.mjs';
import { median } from './report.mjs';

const KEY_A = 'sk_test_bench_noisy_a';
const KEY_B = 'sk_test_bench_noisy_b';
const FAULT_RULES = 10_000;

const json = (key) => ({ Authorization: `Bearer ${key}` });

/** The largest session the caps allow: 100 lines with full names and descriptions, 3 fields of 200 options of ≈ 90 characters, full metadata. */
export function maxSessionBody() {
  const text = (n, c) => c.repeat(n);
  const lineItems = Array.from({ length: 100 }, (_, i) => ({
    priceData: { currency: 'EGP', unitAmount: 1000 + i, productData: { name: `Item ${i} ${text(240, 'n')}`, description: text(500, 'd') } },
    quantity: 1,
  }));
  const customFields = Array.from({ length: 3 }, (_, f) => ({
    label: `Field ${f}`, type: 'DROPDOWN', dropdownOptions: Array.from({ length: 200 }, (_, o) => ({ label: `Option ${o} ${text(80, 'o')}` })),
  }));
  const metadata = Object.fromEntries(Array.from({ length: 50 }, (_, k) => [`key_${String(k).padStart(36, '0')}`, text(500, 'm')]));
  return { afterCompletion: { type: 'redirect', redirect: { url: 'https://shop.example/done' } }, lineItems, customFields, metadata };
}

async function createMaxSession(url, key) {
  const body = maxSessionBody();
  const res = await request(`${url}/checkout/sessions`, { method: 'POST', headers: json(key), body });
  if (res.status !== 201) throw new Error(`max-size session refused: ${res.status} ${res.body.slice(0, 300)}`);
  const created = JSON.parse(res.body);
  return { id: created.id, pageUrl: created.url, inputBytes: Buffer.byteLength(JSON.stringify(body)) };
}

function hangingReceiver() {
  const server = createServer(() => undefined); // never answers
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${server.address().port}/hooks`, close: () => (server.closeAllConnections(), new Promise((r) => server.close(r))) })));
}

/** Tenant A's noise while B is measured: a page open every 500 ms, 20 events/s to the hanging endpoint. */
function startNoise(url, pageUrl) {
  let running = true;
  const stats = { pageOpens: 0, pageMsMax: 0, events: 0 };
  const pages = (async () => {
    while (running) {
      const r = await request(pageUrl, { timeoutMs: 30_000 });
      if (r.status !== 200) throw new Error(`page open answered ${r.status}`);
      stats.pageOpens++;
      stats.pageMsMax = Math.max(stats.pageMsMax, r.ms);
      await new Promise((s) => setTimeout(s, 500));
    }
  })();
  const events = (async () => {
    while (running) {
      await request(`${url}/customers`, { method: 'POST', headers: json(KEY_A), body: { email: `noise${stats.events}@example.com` } });
      stats.events++;
      await new Promise((s) => setTimeout(s, 50));
    }
  })();
  return { stats, stop: async () => ((running = false), await Promise.all([pages, events])) };
}

export async function measureNoisyThroughput({ seconds, rounds, results, check, log }) {
  ensureWrk(log);
  const receiver = await hangingReceiver();
  // Two simulators on the same core: B alone on one, B beside a noisy A on the other (the idle one
  // costs nothing while the other is measured), alternated so both see the same machine load.
  const quiet = await startSim();
  const sim = await startSim({ extraArgs: ['--limit', `faultRules=${FAULT_RULES}`] });
  const out = { rounds: [] };
  try {
    const path = '/customers/cus_demo_amina';
    for (const s of [quiet, sim]) {
      const b = await request(s.url + path, { headers: json(KEY_B) });
      if (b.status !== 200) throw new Error(`tenant B probe answered ${b.status}`);
    }
    // Tenant A: 10k fault rules on many routes (none fires: they wait for 10^9 requests first).
    const routes = ['/customers/{id}', '/customers', '/products/{id}', '/checkout/sessions/{id}', '/payment-links'];
    for (let i = 0; i < FAULT_RULES; i++) {
      const r = await request(`${sim.url}/_sim/faults`, { method: 'POST', headers: json(KEY_A), body: { fault: 'status=500', method: 'GET', path: routes[i % routes.length], after: 1_000_000_000 } });
      if (r.status !== 201) throw new Error(`fault rule ${i} refused: ${r.status} ${r.body.slice(0, 200)}`);
    }
    const session = await createMaxSession(sim.url, KEY_A);
    const ep = await request(`${sim.url}/webhook-endpoints`, { method: 'POST', headers: json(KEY_A), body: { url: receiver.url, enabledEvents: ['*'] } });
    if (ep.status !== 201) throw new Error(`endpoint refused: ${ep.status}`);
    // Warm-up, A's noise included: a shared simulator has long compiled A's page and opened its
    // connections, which would otherwise weigh on the first round only (seen: 0.5 there, 0.9–1.1 after).
    await runWrk(quiet.url + path, { script: 'get.lua', args: [path, KEY_B], seconds: 2 });
    const warmNoise = startNoise(sim.url, session.pageUrl);
    await runWrk(sim.url + path, { script: 'get.lua', args: [path, KEY_B], seconds: 4 });
    await warmNoise.stop();
    for (let round = 0; round < rounds; round++) {
      const row = {};
      for (const phase of round % 2 === 0 ? ['alone', 'noisy'] : ['noisy', 'alone']) {
        const noise = phase === 'noisy' ? startNoise(sim.url, session.pageUrl) : undefined;
        const target = phase === 'noisy' ? sim : quiet;
        const m = await runWrk(target.url + path, { script: 'get.lua', args: [path, KEY_B], seconds });
        if (noise) {
          await noise.stop();
          row.noise = { ...noise.stats };
        }
        row[phase] = { rps: m.rps, p99Ms: m.p99Us / 1000, non2xx: m.non2xx, socketErrors: m.socketErrors };
        log(`noisy round ${round + 1}/${rounds} tenant B ${phase}: ${m.rps.toFixed(0)} req/s, p99 ${(m.p99Us / 1000).toFixed(2)} ms${noise ? ` (A: ${row.noise.pageOpens} page opens, slowest ${row.noise.pageMsMax.toFixed(0)} ms; ${row.noise.events} events to a hanging endpoint)` : ''}`);
      }
      row.ratio = row.noisy.rps / row.alone.rps;
      row.loadavg = loadavg()[0];
      out.rounds.push(row);
    }
  } finally {
    await sim.stop();
    await quiet.stop();
    await receiver.close();
  }
  out.ratio = median(out.rounds.map((r) => r.ratio));
  results.noisy = { ...results.noisy, throughput: out };
  const errors = out.rounds.some((r) => r.alone.non2xx || r.noisy.non2xx || r.alone.socketErrors || r.noisy.socketErrors);
  check(
    `tenant B GET throughput with tenant A holding ${FAULT_RULES.toLocaleString('en')} fault rules, opening a max-size session page and a hanging endpoint, ÷ alone`,
    `${out.ratio.toFixed(2)} (rounds ${out.rounds.map((r) => r.ratio.toFixed(2)).join(', ')}; alone ${median(out.rounds.map((r) => r.alone.rps)).toFixed(0)} req/s; load average ${out.rounds.map((r) => r.loadavg.toFixed(1)).join(', ')})`,
    '≥ 0.8',
    out.ratio >= 0.8 && !errors,
  );
}

/**
 * The event loop's longest turn (ms) while `fn` runs in this process, and the CPU time of a second
 * run of `fn` without the probe (the probe keeps the loop busy, so it would count as CPU).
 * A chain of setImmediate callbacks runs once per turn of the loop: the largest gap between two
 * of them is the longest time anything held the loop (µs resolution; a 1 ms timer histogram
 * cannot see below its own resolution). `fn` must be repeatable and must not decode large answers
 * itself (`decode: false`): that would be this client's work, not the simulator's. On a loaded
 * machine a stall also counts time the thread was descheduled; the CPU time does not.
 */
async function longestStall(fn) {
  let probing = true;
  let last = performance.now();
  let longest = 0;
  const probe = () => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
    if (probing) setImmediate(probe);
  };
  setImmediate(probe);
  const value = await fn();
  await new Promise((r) => setImmediate(r));
  probing = false;
  const cpu = process.cpuUsage();
  await fn();
  const used = process.cpuUsage(cpu);
  return { stallMs: longest, cpuMs: (used.user + used.system) / 1000, value };
}

async function fillLog(url, key, entries) {
  // Each entry ≈ 16 KB (a 7.6 KB metadata body, echoed back): 1,000 of them fill the 8 MiB log.
  const metadata = Object.fromEntries(Array.from({ length: 19 }, (_, k) => [`k${k}`, 'v'.repeat(400)]));
  let needle;
  for (let i = 0; i < entries; i++) {
    const r = await request(`${url}/customers`, { method: 'POST', headers: json(key), body: { email: `log${i}@example.com`, metadata } });
    // The oldest entries are evicted (8 MiB hold ≈ 500): look for one in the middle of what is kept.
    if (i === entries - 250) needle = JSON.parse(r.body).id;
  }
  return needle;
}

export async function measureBlocking({ results, check, log }) {
  const { startSimulator } = await import(pathToFileURL(join(ROOT, 'dist/src/index.js')).href);
  const out = {};
  for (const variant of ['bounded', 'unbounded']) {
    const sim = await startSimulator({ limits: variant === 'unbounded' ? { requestLogScanBytes: 2 ** 40 } : {} });
    try {
      if (variant === 'bounded') {
        const session = await createMaxSession(sim.url, KEY_A);
        const open = (url) => () => request(url, { decode: false });
        // The floor of the method: the longest turn while a tiny page (a 404) is asked for.
        const missing = `${sim.url}/c/ns_missing/cs_missing`;
        // Warm up (a long-running simulator has its templates compiled and optimized).
        for (let i = 0; i < 20; i++) for (const url of [session.pageUrl, missing]) await request(url, { decode: false });
        const opens = [];
        const floor = [];
        for (let i = 0; i < 15; i++) {
          opens.push(await longestStall(open(session.pageUrl)));
          floor.push((await longestStall(open(missing))).stallMs);
        }
        const stallMs = median(opens.map((o) => o.stallMs));
        out.page = { inputBytes: session.inputBytes, pageBytes: opens[0].value.body.length, stallMs, stallMaxMs: Math.max(...opens.map((o) => o.stallMs)), floorMs: median(floor), cpuMs: median(opens.map((o) => o.cpuMs)), msPerMB: stallMs / (session.inputBytes / 2 ** 20) };
        log(`max-size session page: input ${(session.inputBytes / 1024).toFixed(0)} KiB, page ${(out.page.pageBytes / 1024).toFixed(0)} KiB, longest event-loop turn median ${stallMs.toFixed(2)} ms (max ${out.page.stallMaxMs.toFixed(1)}; a 404 page: ${out.page.floorMs.toFixed(2)} ms), CPU ${out.page.cpuMs.toFixed(1)} ms per open`);
        // The API side of the same session: creating it (the whole input parsed, checked, stored and
        // answered) and reading it back, beside the time this machine takes to decode the input once.
        const bodyText = JSON.stringify(maxSessionBody());
        // Sent as bytes: encoding it would be this client's work, in the measured process.
        const bodyBytes = Buffer.from(bodyText);
        const create = () => request(`${sim.url}/checkout/sessions`, { method: 'POST', headers: json(KEY_A), body: bodyBytes, decode: false });
        const read = () => request(`${sim.url}/checkout/sessions/${session.id}`, { headers: json(KEY_A), decode: false });
        for (let i = 0; i < 10; i++) await Promise.all([create(), read()].map((p) => p.then((r) => { if (r.status >= 300) throw new Error(`max-size session API answered ${r.status}`); })));
        for (const [name, fn] of [['create', create], ['read', read]]) {
          const runs = [];
          for (let i = 0; i < 15; i++) runs.push(await longestStall(fn));
          out[`api_${name}`] = { stallMs: median(runs.map((r) => r.stallMs)), stallMaxMs: Math.max(...runs.map((r) => r.stallMs)), cpuMs: median(runs.map((r) => r.cpuMs)), answerBytes: runs[0].value.body.length };
        }
        const raw = bodyBytes;
        const decodes = [];
        for (let i = 0; i < 50; i++) {
          const t0 = performance.now();
          raw.toString('utf8');
          decodes.push(performance.now() - t0);
        }
        out.decodeOnceMs = median(decodes);
        log(`max-size session API: create longest turn ${out.api_create.stallMs.toFixed(2)} ms, read ${out.api_read.stallMs.toFixed(2)} ms (answer ${(out.api_read.answerBytes / 1024).toFixed(0)} KiB); decoding the input once: ${out.decodeOnceMs.toFixed(2)} ms`);
      }
      const needle = await fillLog(sim.url, KEY_B, 1000);
      const usage = JSON.parse((await request(`${sim.url}/_sim/usage`, { headers: json(KEY_B) })).body);
      let pages = 0;
      let found = 0;
      const stalls = [];
      const cpus = [];
      let cursor = null;
      do {
        const { stallMs, cpuMs, value } = await longestStall(() => request(`${sim.url}/_sim/requests?resource=${needle}&limit=1000${cursor ? `&startingAfter=${cursor}` : ''}`, { headers: json(KEY_B), timeoutMs: 60_000, decode: false }));
        const body = JSON.parse(value.body.toString('utf8'));
        pages++;
        found += body.data.length;
        stalls.push(stallMs);
        cpus.push(cpuMs);
        cursor = body.nextStartingAfter;
      } while (cursor);
      const logBytes = usage.approxBytes;
      out[`log_${variant}`] = { pages, found, stallMs: median(stalls), stallMaxMs: Math.max(...stalls), cpuMs: median(cpus), approxNamespaceBytes: logBytes };
      log(`filtered read of a full request log (${variant === 'bounded' ? 'requestLogScanBytes 256 KiB' : 'no scan bound, as before'}): ${pages} page(s), longest event-loop turn per page median ${median(stalls).toFixed(1)} ms (max ${Math.max(...stalls).toFixed(1)}), CPU ${median(cpus).toFixed(1)} ms per page, ${found} match(es)`);
    } finally {
      await sim.close();
    }
  }
  results.noisy = { ...results.noisy, blocking: out };
  check('longest event-loop turn opening the key-less page of a max-size session (median of 15)', `${out.page.stallMs.toFixed(2)} ms (a 404 page: ${out.page.floorMs.toFixed(2)} ms; CPU ${out.page.cpuMs.toFixed(1)} ms) for ${(out.page.inputBytes / 2 ** 20).toFixed(2)} MiB of input (${out.page.msPerMB.toFixed(1)} ms/MiB; page ${(out.page.pageBytes / 2 ** 20).toFixed(2)} MiB)`, 'a few ms per MiB', out.page.msPerMB <= 10);
  const perMiB = (ms) => (ms / (out.page.inputBytes / 2 ** 20)).toFixed(1);
  check('longest event-loop turn creating a max-size session through the API (median of 15)', `${out.api_create.stallMs.toFixed(2)} ms = ${perMiB(out.api_create.stallMs)} ms/MiB of input (decoding that input once takes ${out.decodeOnceMs.toFixed(2)} ms here); reading it back: ${out.api_read.stallMs.toFixed(2)} ms for a ${(out.api_read.answerBytes / 1024).toFixed(0)} KiB answer`, 'a few ms per MiB', out.api_create.stallMs / (out.page.inputBytes / 2 ** 20) <= 10);
  check('longest event-loop turn per page reading a full request log with ?resource= (median)', `${out.log_bounded.stallMs.toFixed(1)} ms (CPU ${out.log_bounded.cpuMs.toFixed(1)} ms), ${out.log_bounded.pages} pages (without the scan bound: ${out.log_unbounded.stallMs.toFixed(1)} ms, CPU ${out.log_unbounded.cpuMs.toFixed(1)} ms, in one call)`, 'a few ms', out.log_bounded.stallMs <= 10);
}
