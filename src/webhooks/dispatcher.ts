// The main thread's side of webhook sending: hands attempts to the delivery worker thread
// (delivery-worker.mjs, which owns the sockets and signs each attempt as it sends it) in batches and
// reports each attempt's outcome. One worker per simulator, started on the first attempt, stopped by
// close().
import type { Worker } from 'node:worker_threads';
import { startWorker } from '../worker-script.js';
import type { WebhookAllowList } from './allow-list.js';

export const DELIVERY_TIMEOUT_MS = 30_000;
/** Most attempts one endpoint has on the wire at once (a slow receiver's window); more wait in its queue (limit webhookQueue). */
export const DELIVERY_CONCURRENCY = 256;
/** Nice value of the worker thread: the API thread wins a contended core, deliveries still progress on a busy machine. */
const WORKER_NICE = 10;
export const RESPONSE_EXCERPT_BYTES = 1024;
export const USER_AGENT = 'XPay-Webhooks/3.1.0 (xpay-sim)';

export interface AttemptOutcome {
  status: number | null;
  body: string | null;
  latencyMs: number | null;
  error: string | null;
  /** The `XPay-Signature` value the worker sent; null when the worker never got the attempt. */
  signature: string | null;
  /** The simulator closed before the attempt finished: nothing is recorded, it is sent again after a restart. */
  abandoned?: boolean;
}

/**
 * One message to the worker: each distinct body once (an event's deliveries share theirs), and
 * the jobs flat, JOB_FIELDS values each: id, lane (which keep-alive pool: one per namespace and
 * endpoint), url, secret, unix second to sign with, index into `bodies`, timeout. Flat arrays of
 * strings and numbers cost the least to copy between threads.
 */
interface JobBatch {
  bodies: string[];
  jobs: Array<string | number>;
}
const JOB_FIELDS = 7;
/** Answers and errors up to this long are shared between attempts; the table is emptied past SHARED_MAX_COUNT. */
const SHARED_MAX_LENGTH = 256;
const SHARED_MAX_COUNT = 1000;
/** Outcome tuples in a reply: id, status, body excerpt, latencyMs, error, signature sent. */
const REPLY_FIELDS = 6;

export type OutcomeCallback = (outcome: AttemptOutcome) => void;

/** Outcomes as the worker sends them: REPLY_FIELDS values per outcome, repeated. */
type ReplyBatch = Array<number | string | null>;

const ABANDONED: AttemptOutcome = { status: null, body: null, latencyMs: null, error: 'the simulator closed', signature: null, abandoned: true };

export class Dispatcher {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly waiting = new Map<number, OutcomeCallback>();
  private outgoing: JobBatch = { bodies: [], jobs: [] };
  private flushQueued = false;
  private closed = false;
  /** Short answers and errors that repeat ('{"received":true}', 'HTTP 500'), one copy each (see `shared`). */
  private readonly repeated = new Map<string, string>();

  constructor(
    private readonly maxSocketsPerLane = DELIVERY_CONCURRENCY,
    /** `--webhook-allow`: the worker checks each target's address against it before connecting. */
    private readonly allow?: WebhookAllowList,
  ) {}

  /**
   * POSTs `body` to `url` from the worker, signed there with `secret` and unix second
   * `timestamp`; the timeout runs from the moment a socket carries it. `done` gets the outcome
   * (the outcomes of one reply from the worker in one synchronous run). No promise per attempt:
   * thousands a second come this way on the API thread.
   */
  send(lane: string, url: string, secret: string, timestamp: number, body: string, timeoutMs: number, done: OutcomeCallback): void {
    if (this.closed) {
      done(ABANDONED);
      return;
    }
    const worker = this.running();
    const id = this.nextId++;
    this.waiting.set(id, done);
    // Keep the process alive only while attempts are in flight, as the sockets themselves would.
    if (this.waiting.size === 1) worker.ref();
    const { bodies, jobs } = this.outgoing;
    // An event's deliveries are started one after another: comparing with the last body finds the shared one.
    if (bodies.length === 0 || bodies[bodies.length - 1] !== body) bodies.push(body);
    jobs.push(id, lane, url, secret, timestamp, bodies.length - 1, timeoutMs);
    // One message per burst: the attempts started by one outbox flush all get here in the same
    // synchronous run, before this microtask.
    if (!this.flushQueued) {
      this.flushQueued = true;
      queueMicrotask(() => this.flush());
    }
  }

  /** How many attempts the worker is working on (tests check shutdown). */
  get inFlight(): number {
    return this.waiting.size;
  }

  /** The running worker thread, if one was started (tests check it stops on close). */
  get thread(): Worker | undefined {
    return this.worker;
  }

  /** Stops the worker; attempts still in flight resolve as abandoned (recorded nowhere). */
  async close(): Promise<void> {
    this.closed = true;
    this.settleAll(ABANDONED);
    const worker = this.worker;
    this.worker = undefined;
    if (!worker) return;
    // A terminating worker keeps no event loop alive (not even after ref()): without this timer a
    // script whose last step is `await sim.close()` could drain its loop before the worker's exit
    // and end with code 13 (an await that never settled). Seen in about 1 run in 4.
    const keepAlive = setInterval(() => undefined, 1000);
    try {
      await worker.terminate();
    } finally {
      clearInterval(keepAlive);
    }
  }

  private running(): Worker {
    if (this.worker) return this.worker;
    const worker = startWorker(import.meta.url, 'delivery-worker.mjs', { workerData: { maxSockets: this.maxSocketsPerLane, excerptBytes: RESPONSE_EXCERPT_BYTES, nice: WORKER_NICE, allow: this.allow, userAgent: USER_AGENT } });
    worker.unref();
    worker.on('message', (replies: ReplyBatch) => {
      for (let i = 0; i + REPLY_FIELDS <= replies.length; i += REPLY_FIELDS) {
        const done = this.waiting.get(replies[i] as number);
        if (!done) continue;
        this.waiting.delete(replies[i] as number);
        done({ status: replies[i + 1] as number | null, body: this.shared(replies[i + 2] as string | null), latencyMs: replies[i + 3] as number | null, error: this.shared(replies[i + 4] as string | null), signature: replies[i + 5] as string | null });
      }
      if (this.waiting.size === 0) worker.unref();
    });
    // A worker that dies takes its attempts with it: they fail (and retry on schedule); the next
    // attempt starts a fresh worker.
    const lost = (why: string) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      this.settleAll({ status: null, body: null, latencyMs: null, error: `the delivery worker stopped (${why})`, signature: null });
    };
    worker.on('error', (e) => lost(e.message));
    worker.on('exit', (code) => lost(`exit code ${code}`));
    this.worker = worker;
    return worker;
  }

  /**
   * Every string from the worker is a new copy, and stored attempts keep them: a receiver answers the
   * same few short bodies and errors thousands of times, so those are kept once (a bounded table).
   */
  private shared(text: string | null): string | null {
    if (text === null || text.length > SHARED_MAX_LENGTH) return text;
    const kept = this.repeated.get(text);
    if (kept !== undefined) return kept;
    if (this.repeated.size >= SHARED_MAX_COUNT) this.repeated.clear();
    this.repeated.set(text, text);
    return text;
  }

  private flush(): void {
    this.flushQueued = false;
    const batch = this.outgoing;
    this.outgoing = { bodies: [], jobs: [] };
    if (batch.jobs.length === 0) return;
    if (!this.worker) {
      // The worker died between post() and this flush: its attempts were already settled.
      return;
    }
    this.worker.postMessage(batch);
  }

  private settleAll(outcome: AttemptOutcome): void {
    const waiting = [...this.waiting.values()];
    this.waiting.clear();
    this.outgoing = { bodies: [], jobs: [] };
    for (const done of waiting) done(outcome);
  }
}
