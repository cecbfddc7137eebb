// @ts-check
// The webhook delivery worker thread: owns every outgoing delivery socket so that fan-out I/O
// never runs on the API's event loop. The main thread signs and records; this thread only POSTs
// the bytes it is given and reports what happened. Plain JavaScript on purpose: the same file runs
// from src/ (tests, tsx) and from dist/ (npm start, the package) without any TypeScript loader.
//
// Messages in:  array of { id, lane, url, headers, body, timeoutMs }
// Messages out: array of { id, status, body, latencyMs, error }
import http from 'node:http';
import https from 'node:https';
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';

// The API thread comes first: on Linux a thread has its own nice value (pid 0 = this thread), so
// when both want the same core the API's requests are answered before deliveries are pushed out.
try {
  setPriority(workerData?.nice ?? 10);
} catch {
  // Not permitted or not supported here: deliveries still leave the API's event loop.
}

const EXCERPT_BYTES = workerData?.excerptBytes ?? 1024;
const MAX_SOCKETS = workerData?.maxSockets ?? 64;
/** Agents idle this long are destroyed (closing their keep-alive sockets). */
const IDLE_AGENT_MS = 30_000;

/**
 * One pair of keep-alive agents per lane (namespace + endpoint): one endpoint's hanging
 * connections can never hold the sockets another endpoint (same host or not) needs.
 * @type {Map<string, { http: http.Agent, https: https.Agent, active: number, usedAt: number }>}
 */
const agents = new Map();

/** @param {string} lane */
function agentsOf(lane) {
  let a = agents.get(lane);
  if (!a) {
    const options = { keepAlive: true, maxSockets: MAX_SOCKETS, maxFreeSockets: MAX_SOCKETS };
    a = { http: new http.Agent(options), https: new https.Agent(options), active: 0, usedAt: Date.now() };
    agents.set(lane, a);
  }
  return a;
}

setInterval(() => {
  const now = Date.now();
  for (const [lane, a] of agents) {
    if (a.active === 0 && now - a.usedAt > IDLE_AGENT_MS) {
      a.http.destroy();
      a.https.destroy();
      agents.delete(lane);
    }
  }
}, IDLE_AGENT_MS).unref();

/** @type {Array<{ id: number, status: number | null, body: string | null, latencyMs: number | null, error: string | null }>} */
let outbox = [];
let flushQueued = false;

/**
 * Replies are batched per turn of the loop: one message for many outcomes.
 * @param {typeof outbox[number]} outcome
 */
function reply(outcome) {
  outbox.push(outcome);
  if (flushQueued) return;
  flushQueued = true;
  setImmediate(() => {
    flushQueued = false;
    const batch = outbox;
    outbox = [];
    parentPort?.postMessage(batch);
  });
}

/** @param {Error & { code?: string }} e */
function describe(e) {
  return e.code ? `${e.code}: ${e.message}` : e.message;
}

/** @param {{ id: number, lane: string, url: string, headers: Record<string, string>, body: string, timeoutMs: number }} job */
function send(job) {
  let target;
  try {
    target = new URL(job.url);
  } catch {
    reply({ id: job.id, status: null, body: null, latencyMs: null, error: `invalid URL: ${job.url}` });
    return;
  }
  const secure = target.protocol === 'https:';
  if (!secure && target.protocol !== 'http:') {
    reply({ id: job.id, status: null, body: null, latencyMs: null, error: `unsupported URL scheme: ${target.protocol}` });
    return;
  }
  const lane = agentsOf(job.lane);
  lane.active++;
  lane.usedAt = Date.now();
  let started = performance.now();
  let settled = false;
  /** @type {NodeJS.Timeout | undefined} */
  let timer;
  const finish = (/** @type {number | null} */ status, /** @type {string | null} */ text, /** @type {string | null} */ error) => {
    if (settled) return;
    settled = true;
    clearTimeout(timer);
    lane.active--;
    lane.usedAt = Date.now();
    reply({ id: job.id, status, body: text, latencyMs: Math.round((performance.now() - started) * 10) / 10, error });
  };
  const req = (secure ? https : http).request(
    target,
    {
      method: 'POST',
      agent: secure ? lane.https : lane.http,
      headers: { ...job.headers, 'Content-Length': Buffer.byteLength(job.body) },
    },
    (res) => {
      /** @type {Buffer[]} */
      const chunks = [];
      let kept = 0;
      res.on('data', (/** @type {Buffer} */ chunk) => {
        if (kept >= EXCERPT_BYTES) return; // keep reading so the socket can be reused
        const part = chunk.subarray(0, EXCERPT_BYTES - kept);
        chunks.push(part);
        kept += part.length;
      });
      res.on('end', () => {
        const status = res.statusCode ?? 0;
        finish(status, Buffer.concat(chunks).toString('utf8'), status >= 200 && status < 300 ? null : `HTTP ${status}`);
      });
      res.on('error', (e) => finish(res.statusCode ?? null, null, describe(e)));
    },
  );
  // The timeout (and the latency) run from the moment a socket carries this request, never
  // while it waits for one.
  req.once('socket', () => {
    started = performance.now();
    timer = setTimeout(() => req.destroy(new Error(`no response within ${job.timeoutMs / 1000} s`)), job.timeoutMs);
  });
  req.on('error', (e) => finish(null, null, describe(e)));
  req.end(job.body);
}

parentPort?.on('message', (/** @type {Array<Parameters<typeof send>[0]>} */ jobs) => {
  for (const job of jobs) send(job);
});
