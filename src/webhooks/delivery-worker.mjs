// @ts-check
// The webhook delivery worker thread: owns every outgoing delivery socket so that fan-out I/O
// never runs on the API's event loop. The main thread decides what to send and records what
// happened; this thread signs each attempt (the HMAC is the costliest step left per attempt),
// POSTs it and reports the outcome with the signature it sent. Plain JavaScript on purpose: the same file runs
// from src/ (tests, tsx) and from dist/ (npm start, the package) without any TypeScript loader.
//
// Requests go through undici's low-level `dispatch` (keep-alive pools, no stream objects per
// request): profiled at about half the CPU per delivery of node:http's client, which matters at
// thousands of deliveries per second on a machine whose cores the API also needs.
//
// Messages in:  { bodies: [body, …], jobs: [id, lane, url, secret, t, bodyIndex, timeoutMs, id, …] }
//               (each body once: an event's deliveries share it; dispatcher.ts writes the layout)
// Messages out: flat array [id, status, body, latencyMs, error, signature, id, status, …] (one
//               array, not one object per outcome: cheaper to copy between threads)
import { isIP } from 'node:net';
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { Pool } from 'undici';
import { addressAllowed, guardedLookup, nameListed } from './allow-match.mjs';
import { SIGNATURE_HEADER, signatureValue } from './signature.mjs';

// The API thread comes first: on Linux a thread has its own nice value (pid 0 = this thread), so
// when both want the same core the API's requests are answered before deliveries are pushed out.
try {
  setPriority(workerData?.nice ?? 10);
} catch {
  // Not permitted or not supported here: deliveries still leave the API's event loop.
}

const EXCERPT_BYTES = workerData?.excerptBytes ?? 1024;
const USER_AGENT = workerData?.userAgent ?? 'xpay-sim';
/** Values per job in a message (see the header). */
const JOB_FIELDS = 7;
const MAX_SOCKETS = workerData?.maxSockets ?? 64;
/** Outcomes are sent back at most this often: one message for many outcomes, few wake-ups of the API thread. */
const REPLY_EVERY_MS = workerData?.replyEveryMs ?? 2;
/** `--webhook-allow`, when set: every target is checked here again, just before connecting. */
const ALLOW = /** @type {import('./allow-match.mjs').AllowMatch | undefined} */ (workerData?.allow);
const CONNECT = ALLOW ? { lookup: guardedLookup(ALLOW) } : undefined;
/** Pools idle this long are closed (with their keep-alive sockets). */
const IDLE_POOL_MS = 30_000;

/**
 * One keep-alive pool per lane (namespace + endpoint) and origin: one endpoint's hanging
 * connections can never hold the sockets another endpoint (same host or not) needs.
 * @type {Map<string, { pool: Pool, active: number, usedAt: number }>}
 */
const pools = new Map();

/** @param {string} lane @param {string} origin */
function poolOf(lane, origin) {
  const key = `${lane} ${origin}`;
  let p = pools.get(key);
  if (!p) {
    // undici's own timeouts are off: the attempt's timeout below covers the whole answer.
    p = { pool: new Pool(origin, { connections: MAX_SOCKETS, pipelining: 1, headersTimeout: 0, bodyTimeout: 0, connect: CONNECT }), active: 0, usedAt: Date.now() };
    pools.set(key, p);
  }
  return p;
}

setInterval(() => {
  const now = Date.now();
  for (const [key, p] of pools) {
    if (p.active === 0 && now - p.usedAt > IDLE_POOL_MS) {
      void p.pool.close().catch(() => {});
      pools.delete(key);
    }
  }
}, IDLE_POOL_MS).unref();

/** @type {Array<number | string | null>} */
let outbox = [];
/** @type {NodeJS.Timeout | undefined} */
let replyTimer;

function sendReplies() {
  replyTimer = undefined;
  const batch = outbox;
  outbox = [];
  parentPort?.postMessage(batch);
}

/**
 * @param {number} id @param {number | null} status @param {string | null} body
 * @param {number | null} latencyMs @param {string | null} error @param {string} signature
 */
function reply(id, status, body, latencyMs, error, signature) {
  outbox.push(id, status, body, latencyMs, error, signature);
  replyTimer ??= setTimeout(sendReplies, REPLY_EVERY_MS);
}

/** @param {Error & { code?: string }} e */
function describe(e) {
  return e.code ? `${e.code}: ${e.message}` : e.message;
}

/** @param {{ id: number, lane: string, url: string, secret: string, t: number, body: string, timeoutMs: number }} job */
function send(job) {
  // Signed first, so that the attempt records the headers it was given even when it cannot be sent.
  const signature = signatureValue(job.secret, job.t, job.body);
  /** @type {Record<string, string>} */
  const headers = { 'Content-Type': 'application/json', 'User-Agent': USER_AGENT, [SIGNATURE_HEADER]: signature };
  let target;
  try {
    target = new URL(job.url);
  } catch {
    reply(job.id, null, null, null, `invalid URL: ${job.url}`, signature);
    return;
  }
  if (target.protocol !== 'https:' && target.protocol !== 'http:') {
    reply(job.id, null, null, null, `unsupported URL scheme: ${target.protocol}`, signature);
    return;
  }
  const host = target.hostname.replace(/^\[|\]$/g, '');
  if (ALLOW && isIP(host) !== 0 && !nameListed(ALLOW, host) && !addressAllowed(ALLOW, host)) {
    reply(job.id, null, null, null, `not sent: ${host} is not allowed by --webhook-allow`, signature);
    return;
  }
  // Credentials in the URL become Basic auth, as browsers and node:http do.
  if (target.username || target.password) {
    headers.Authorization = 'Basic ' + Buffer.from(`${decodeURIComponent(target.username)}:${decodeURIComponent(target.password)}`).toString('base64');
  }
  const lane = poolOf(job.lane, target.origin);
  lane.active++;
  lane.usedAt = Date.now();
  let started = performance.now();
  let settled = false;
  let status = 0;
  /** @type {Buffer[]} */
  const chunks = [];
  let kept = 0;
  /** @type {NodeJS.Timeout | undefined} */
  let timer;
  const finish = (/** @type {number | null} */ code, /** @type {string | null} */ text, /** @type {string | null} */ error) => {
    if (settled) return;
    settled = true;
    clearTimeout(timer);
    lane.active--;
    lane.usedAt = Date.now();
    reply(job.id, code, text, Math.round((performance.now() - started) * 10) / 10, error, signature);
  };
  try {
    lane.pool.dispatch(
      { origin: target.origin, path: target.pathname + target.search, method: 'POST', headers, body: job.body },
      {
        // Called when a connection carries the request: the timeout (and the latency) start here,
        // never while the attempt waits for a free connection.
        onRequestStart(controller) {
          started = performance.now();
          clearTimeout(timer);
          timer = setTimeout(() => controller.abort(new Error(`no response within ${job.timeoutMs / 1000} s`)), job.timeoutMs);
        },
        onResponseStart(_controller, statusCode) {
          status = statusCode;
        },
        onResponseData(_controller, chunk) {
          if (kept >= EXCERPT_BYTES) return; // keep reading so the connection can be reused
          const part = chunk.subarray(0, EXCERPT_BYTES - kept);
          chunks.push(part);
          kept += part.length;
        },
        onResponseEnd() {
          finish(status, Buffer.concat(chunks).toString('utf8'), status >= 200 && status < 300 ? null : `HTTP ${status}`);
        },
        onResponseError(_controller, e) {
          finish(status || null, null, describe(/** @type {Error & { code?: string }} */ (e)));
        },
      },
    );
  } catch (e) {
    finish(null, null, describe(/** @type {Error} */ (e)));
  }
}

parentPort?.on('message', (/** @type {{ bodies: string[], jobs: Array<string | number> }} */ { bodies, jobs }) => {
  for (let i = 0; i + JOB_FIELDS <= jobs.length; i += JOB_FIELDS) {
    send({
      id: /** @type {number} */ (jobs[i]),
      lane: /** @type {string} */ (jobs[i + 1]),
      url: /** @type {string} */ (jobs[i + 2]),
      secret: /** @type {string} */ (jobs[i + 3]),
      t: /** @type {number} */ (jobs[i + 4]),
      body: /** @type {string} */ (bodies[/** @type {number} */ (jobs[i + 5])]),
      timeoutMs: /** @type {number} */ (jobs[i + 6]),
    });
  }
});
