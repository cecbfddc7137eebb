// The webhook outbox: one delivery per subscribed endpoint per event, attempted after the API
// answers, retried on XPay's schedule by the namespace clock, `failed` after the fifth failure.
import { hash } from 'node:crypto';
import type { EventRecord } from '../events/emit.js';
import { oldestKey } from '../store/oldest-key.js';
import type { Simulator } from '../simulator.js';
import type { Namespace } from '../store/namespace.js';
import { DELIVERY_CONCURRENCY, DELIVERY_TIMEOUT_MS, Dispatcher, USER_AGENT, type AttemptOutcome } from './dispatcher.js';
import { Lanes, SLOW_ANSWER_MS } from './lanes.js';
import { deliveriesOf, endpointsOf, subscribes, type DeliveryRecord, type WebhookEndpointRecord } from './records.js';
import { SIGNATURE_HEADER, signatureHeader, signatureTime } from './signer.js';
import { touchRecord } from '../store/change-tracking.js';
import { allowListOf } from './allow-list.js';

/** Delay before attempts #2–#5, each counted from the instant the previous attempt was made (≈ 2 h 36 min in all). */
export const RETRY_DELAYS_MS = [60_000, 5 * 60_000, 30 * 60_000, 2 * 3600_000];
export const MAX_ATTEMPTS = RETRY_DELAYS_MS.length + 1;
export const DELIVERY_FAILED = 'webhook_endpoint.delivery_failed';

interface OutboxState {
  /** The collection the sets below index; a restored snapshot swaps it and forces a rebuild. */
  indexed: Map<string, DeliveryRecord>;
  fresh: Set<string>;
  retrying: Set<string>;
  /** Succeeded and failed deliveries in the order they finished: the first is evicted first. */
  finished: Set<string>;
  nextRetryMs: number;
  /** Attempts started and not yet recorded; kept across rebuilds of the indexes. */
  running: Running;
  timer: NodeJS.Timeout | undefined;
  timerAt: number;
}

interface Running {
  count: number;
  /** Called once `count` is back to 0 (drainDeliveries). */
  idle: Array<() => void>;
}

interface Sending {
  dispatcher: Dispatcher;
  lanes: Lanes;
}

const sendings = new WeakMap<Simulator, Sending>();
// Runtime bookkeeping lives beside the namespace, not in ns.extensions: snapshots and persistence
// dump extensions as plain data, and timers or promises are not data (the records are).
const states = new WeakMap<Namespace, OutboxState>();
/** Namespaces whose new deliveries are built and sent at the next turn of the event loop. */
const flushQueued = new WeakSet<Namespace>();
/** A number per namespace object names its lanes (an API key is no label to pass around). */
const laneIds = new WeakMap<Namespace, number>();
let nextLaneId = 1;

function concurrencyOf(sim: Simulator): number {
  return sim.config.webhookConcurrency ?? DELIVERY_CONCURRENCY;
}

function sendingOf(sim: Simulator): Sending {
  let s = sendings.get(sim);
  if (!s) {
    s = {
      dispatcher: new Dispatcher(concurrencyOf(sim), allowListOf(sim.config)),
      lanes: new Lanes(() => ({ concurrency: concurrencyOf(sim), queueLimit: sim.config.limits.webhookQueue })),
    };
    sendings.set(sim, s);
  }
  return s;
}

export function dispatcherOf(sim: Simulator): Dispatcher {
  return sendingOf(sim).dispatcher;
}

/** Stops the delivery worker (server close); attempts still in flight stay pending. */
export async function closeDeliveries(sim: Simulator): Promise<void> {
  await sendings.get(sim)?.dispatcher.close();
}

function laneKey(ns: Namespace, endpointId: string): string {
  let id = laneIds.get(ns);
  if (id === undefined) laneIds.set(ns, (id = nextLaneId++));
  return `${id}/${endpointId}`;
}

function stateOf(ns: Namespace): OutboxState {
  let state = states.get(ns);
  const deliveries = deliveriesOf(ns);
  if (!state || state.indexed !== deliveries) {
    const fresh = new Set<string>();
    const retrying = new Set<string>();
    const finished = new Set<string>();
    let nextRetryMs = Infinity;
    for (const d of deliveries.values()) {
      if (d.status !== 'pending') {
        finished.add(d.id);
        continue;
      }
      if (d.attemptCount === 0) fresh.add(d.id);
      else {
        retrying.add(d.id);
        nextRetryMs = Math.min(nextRetryMs, Date.parse(d.nextAttemptAt ?? ''));
      }
    }
    state = { indexed: deliveries, fresh, retrying, finished, nextRetryMs, running: state?.running ?? { count: 0, idle: [] }, timer: state?.timer, timerAt: state?.timerAt ?? Infinity };
    states.set(ns, state);
  }
  return state;
}

/**
 * Stable per (event, endpoint), and drawn from no random stream, so deliveries never shift other ids.
 * One-shot `hash` (same digest as createHash), a fraction of a Hash object's cost. Joined rather than
 * concatenated: `+` would keep a cons string over a slice of the whole digest in every stored
 * delivery (≈ 130 B), `join` makes one flat 28-character string (≈ 56 B).
 */
function deliveryId(eventId: string, endpointId: string): string {
  return ['whdel_', hash('sha256', `${eventId}\u0000${endpointId}`, 'base64url').replace(/[-_]/g, '').slice(0, 22)].join('');
}

/**
 * The event listener. It only notes which endpoints subscribe; the deliveries (ids, records, the
 * body's JSON) are built after the request's answer is written (`ns.defer`), before anything reads
 * or saves the namespace, so the API answer does not wait for them. They are sent once the
 * change is durable.
 */
export function enqueueEvent(sim: Simulator, ns: Namespace, event: EventRecord): void {
  const endpoints = endpointsOf(ns);
  if (endpoints.size === 0) return;
  let subscribed: WebhookEndpointRecord[] | undefined;
  // The prototype's iterator: reading endpoints here does not mark them changed for persistence.
  for (const ep of Map.prototype.values.call(endpoints) as IterableIterator<WebhookEndpointRecord>) {
    if (ep.status === 'enabled' && subscribes(ep.enabledEvents, event.type)) (subscribed ??= []).push(ep);
  }
  if (!subscribed) return;
  const db = ns.db;
  const targets = subscribed;
  ns.defer(() => {
    // A restore replaced the collections since: the event belongs to the state that is gone.
    if (ns.db === db) buildDeliveries(sim, ns, event, targets);
  });
  // Not through stateOf: that reads the deliveries, which would build them now.
  if (!flushQueued.has(ns)) {
    flushQueued.add(ns);
    setImmediate(() => {
      flushQueued.delete(ns);
      ns.settle();
      // With --data, an event leaves only once the change it announces is on disk.
      void sim.changedInBackground(ns).then(() => flush(sim, ns), () => flush(sim, ns));
    });
  }
}

/** One pending delivery per subscribed endpoint, sharing the event's body (serialized once). */
function buildDeliveries(sim: Simulator, ns: Namespace, event: EventRecord, endpoints: WebhookEndpointRecord[]): void {
  const body = JSON.stringify(event);
  // The namespace time the event was emitted at, not when this deferred work runs.
  const at = event.created;
  const deliveries = deliveriesOf(ns);
  const state = stateOf(ns);
  for (const ep of endpoints) {
    const delivery: DeliveryRecord = {
      id: deliveryId(event.id, ep.id),
      object: 'webhook_delivery',
      eventId: event.id,
      eventType: event.type,
      endpointId: ep.id,
      url: ep.url,
      status: 'pending',
      attemptCount: 0,
      nextAttemptAt: at,
      createdAt: at,
      updatedAt: at,
      requestBody: body,
      attempts: [],
      lastError: null,
    };
    deliveries.set(delivery.id, delivery);
    state.fresh.add(delivery.id);
    keepWithinCap(sim, ns, state);
  }
}

/**
 * The due work of every request, page and clock move of a namespace: starts the retries its clock
 * has reached (and deliveries restored from disk). While the namespace's flush is already queued
 * for the next turn (an event of a request answered just before), that flush starts them a moment
 * later: doing it here would build and send the earlier requests' deliveries inside this request's
 * own time. At 500 events/s to 10 endpoints that tripled the time a request took inside the
 * simulator (0.05 → 0.15 ms) and most of the API's latency cost of fan-out (issue 12).
 */
export function flushUnlessQueued(sim: Simulator, ns: Namespace): void {
  if (!flushQueued.has(ns)) flush(sim, ns);
}

/** Starts every delivery that is due by the namespace clock; never waits for them. */
export function flush(sim: Simulator, ns: Namespace): void {
  const state = stateOf(ns);
  const deliveries = deliveriesOf(ns);
  for (const id of state.fresh) {
    state.fresh.delete(id);
    const d = deliveries.get(id);
    if (d && d.status === 'pending') attempt(sim, ns, d, 'automatic', undefined);
  }
  const now = ns.clock.now();
  if (state.retrying.size > 0 && now >= state.nextRetryMs) {
    let next = Infinity;
    for (const id of state.retrying) {
      const d = deliveries.get(id);
      if (!d || d.status !== 'pending') {
        state.retrying.delete(id);
        continue;
      }
      const due = Date.parse(d.nextAttemptAt ?? '');
      if (due <= now) {
        state.retrying.delete(id);
        // A retry runs at its own instant even when the clock jumped past it (a long /_sim advance).
        attempt(sim, ns, d, 'automatic', due);
      } else next = Math.min(next, due);
    }
    state.nextRetryMs = next;
  }
  armTimer(sim, ns, state);
}

/** The earliest retry instant, so clock moves can stop there (`sim.dueTimes`). */
export function nextRetryAt(ns: Namespace): number | undefined {
  const state = stateOf(ns);
  return state.retrying.size > 0 && Number.isFinite(state.nextRetryMs) ? state.nextRetryMs : undefined;
}

/** With a real clock, retries also fire by themselves; a frozen or manual clock waits for /_sim. */
function armTimer(sim: Simulator, ns: Namespace, state: OutboxState): void {
  if (ns.clock.mode !== 'real' || state.retrying.size === 0 || !Number.isFinite(state.nextRetryMs)) return;
  const delay = Math.max(0, state.nextRetryMs - ns.clock.now());
  // timerAt is in the process's own time: a clock moved ahead brings the timer forward.
  const fireAt = performance.now() + delay;
  if (state.timer && state.timerAt <= fireAt + 1) return;
  clearTimeout(state.timer);
  state.timerAt = fireAt;
  state.timer = setTimeout(() => {
    state.timer = undefined;
    state.timerAt = Infinity;
    flush(sim, ns);
  }, delay);
  state.timer.unref();
}

/** One attempt of a delivery; the promise settles when the attempt is recorded (and durable with --data). */
export function start(sim: Simulator, ns: Namespace, d: DeliveryRecord, trigger: 'automatic' | 'manual', atMs?: number): Promise<void> {
  return new Promise((resolve, reject) => attempt(sim, ns, d, trigger, atMs, (error) => (error === undefined ? resolve() : reject(error))));
}

/**
 * One attempt without a promise: `done` runs once the attempt is recorded and the change is
 * saved (`sim.changedInBackground`, shared by every attempt recorded in the same turn), or at once
 * when nothing was recorded. `error` is set when saving failed.
 */
function attempt(sim: Simulator, ns: Namespace, d: DeliveryRecord, trigger: 'automatic' | 'manual', atMs: number | undefined, done?: (error?: unknown) => void): void {
  const running = stateOf(ns).running;
  running.count++;
  const finish = (error?: unknown) => {
    if (--running.count === 0) for (const wake of running.idle.splice(0)) wake();
    done?.(error);
  };
  sendAndRecord(sim, ns, d, trigger, atMs, (recorded) => {
    // The attempt (and any retry plan or delivery_failed event) happened outside a request.
    if (recorded) afterBackgroundChange(sim, ns, finish);
    else finish();
  });
}

/** Per namespace, what waits for the background change of the attempts recorded in this turn. */
const changeWaiters = new WeakMap<Namespace, Array<(error?: unknown) => void>>();

/**
 * Reports the namespace changed outside a request (journal commit with --data, /_sim/live) once
 * for all the attempts recorded in the same synchronous run (a reply from the worker carries many
 * outcomes), instead of once per attempt; `then` runs after it.
 */
function afterBackgroundChange(sim: Simulator, ns: Namespace, then: (error?: unknown) => void): void {
  let waiters = changeWaiters.get(ns);
  if (!waiters) {
    const batch: Array<(error?: unknown) => void> = (waiters = []);
    changeWaiters.set(ns, batch);
    queueMicrotask(() => {
      changeWaiters.delete(ns);
      sim.changedInBackground(ns).then(
        () => batch.forEach((w) => w()),
        (e: unknown) => batch.forEach((w) => w(e ?? new Error('the change could not be saved'))),
      );
    });
  }
  waiters.push(then);
}

/**
 * `d` was read before the attempt waited and is edited after: marks it changed for persistence in
 * the same synchronous step as the edit, so a commit that another attempt triggers in between never
 * sees the edit without the mark.
 */
function editing(ns: Namespace, d: DeliveryRecord): void {
  touchRecord(deliveriesOf(ns) as Map<string, unknown>, d.id);
}

const NO_OUTCOME = { status: null, body: null, latencyMs: null, signature: null } as const;

/**
 * Waits for the endpoint's lane, signs at the moment of sending (so a queued attempt is not
 * signed with a stale timestamp), lets the worker send, and records the outcome. A retry keeps
 * its own due instant (`atMs`) even when the clock jumped past it. `done(false)` when nothing was
 * recorded (the simulator closed while the attempt was in flight, or the delivery was given up).
 * Callbacks, not promises: at thousands of deliveries a second each promise is garbage on the API
 * thread.
 */
function sendAndRecord(sim: Simulator, ns: Namespace, d: DeliveryRecord, trigger: 'automatic' | 'manual', atMs: number | undefined, done: (recorded: boolean) => void): void {
  const endpoint = endpointsOf(ns).get(d.endpointId);
  const notSent = (error: string, still: WebhookEndpointRecord | undefined, queuedMs: number | null) =>
    done(record(sim, ns, d, trigger, atMs ?? ns.clock.now(), null, { ...NO_OUTCOME, error }, still, queuedMs));
  // Recorded in a later microtask, as the other outcomes are: the caller (flush) may be walking the lists a record edits.
  if (!endpoint) return queueMicrotask(() => notSent('the webhook endpoint was deleted', undefined, null));
  if (endpoint.status === 'disabled' && trigger === 'automatic') return queueMicrotask(() => notSent('the webhook endpoint is disabled', endpoint, null));
  const { lanes, dispatcher } = sendingOf(sim);
  const lane = laneKey(ns, endpoint.id);
  lanes.take(lane, (turn) => {
    if (trigger === 'automatic' && d.status !== 'pending') {
      // Given up (limit deliveries) while it waited: nothing to send.
      turn.release();
      return done(false);
    }
    // The endpoint may have changed while the attempt waited for its turn.
    const current = endpointsOf(ns).get(d.endpointId);
    if (!turn.go) return notSent(`not sent: more than ${sim.config.limits.webhookQueue} attempts were waiting for this endpoint (limit webhookQueue), and this was the oldest`, current, turn.queuedMs);
    if (!current) {
      turn.release();
      return notSent('the webhook endpoint was deleted', undefined, turn.queuedMs);
    }
    const startedMs = atMs ?? ns.clock.now();
    editing(ns, d);
    d.url = current.url;
    const sent = (outcome: AttemptOutcome) => {
      turn.release(outcome.error?.startsWith('no response within') ? SLOW_ANSWER_MS : outcome.latencyMs);
      if (outcome.abandoned) return done(false);
      // The worker signs as it sends; an attempt it never got is recorded with the same (deterministic) value.
      const signature = outcome.signature ?? signatureHeader(current._secret, startedMs, d.requestBody);
      done(record(sim, ns, d, trigger, startedMs, signature, outcome, current, turn.queuedMs));
    };
    try {
      dispatcher.send(lane, current.url, current._secret, signatureTime(startedMs), d.requestBody, sim.config.webhookTimeoutMs ?? DELIVERY_TIMEOUT_MS, sent);
    } catch (e) {
      sent({ ...NO_OUTCOME, error: `not sent: ${(e as Error).message}`, signature: null });
    }
  });
}

/**
 * Writes an attempt into its delivery and plans what follows (success, a retry on the clock, or
 * `failed` with a delivery_failed event). `endpoint` is the endpoint as it stood at the attempt:
 * without one there is no retry. Returns true (something was recorded).
 */
function record(sim: Simulator, ns: Namespace, d: DeliveryRecord, trigger: 'automatic' | 'manual', startedMs: number, signature: string | null, outcome: AttemptOutcome, endpoint: WebhookEndpointRecord | undefined, queuedMs: number | null): true {
  editing(ns, d);
  // A new array of exactly the attempts (not push): a delivery usually has one attempt, and push
  // would give every stored delivery room for 16.
  d.attempts = [...d.attempts, {
    attempt: d.attempts.length + 1,
    trigger,
    url: d.url,
    startedAt: ns.clock.isoOf(startedMs),
    requestHeaders: signature === null ? { 'Content-Type': 'application/json', 'User-Agent': USER_AGENT } : { 'Content-Type': 'application/json', 'User-Agent': USER_AGENT, [SIGNATURE_HEADER]: signature },
    responseStatus: outcome.status,
    responseBody: outcome.body,
    latencyMs: outcome.latencyMs,
    queuedMs,
    error: outcome.error,
  }];
  d.updatedAt = ns.nowIso();
  const counted = trigger === 'automatic' && d.status === 'pending';
  if (counted) d.attemptCount++;
  if (outcome.error === null) {
    d.status = 'succeeded';
    d.nextAttemptAt = null;
    stateOf(ns).finished.add(d.id);
    return true;
  }
  d.lastError = outcome.error;
  if (!counted) return true;
  if (d.attemptCount < MAX_ATTEMPTS && endpoint) {
    const due = startedMs + RETRY_DELAYS_MS[d.attemptCount - 1]!;
    d.nextAttemptAt = new Date(due).toISOString();
    const state = stateOf(ns);
    state.retrying.add(d.id);
    state.nextRetryMs = Math.min(state.nextRetryMs, due);
    // Already due when the clock moved on while this attempt was in flight: catch up now.
    if (due <= ns.clock.now()) flush(sim, ns);
    else armTimer(sim, ns, state);
    return true;
  }
  d.status = 'failed';
  d.nextAttemptAt = null;
  stateOf(ns).finished.add(d.id);
  // A failed delivery of a delivery_failed event is not announced again: that could loop forever.
  if (endpoint && d.eventType !== DELIVERY_FAILED) {
    sim.emit(ns, DELIVERY_FAILED, {
      id: d.id,
      object: 'webhook_delivery',
      webhookEndpointId: d.endpointId,
      url: d.url,
      eventId: d.eventId,
      eventType: d.eventType,
      attemptCount: d.attemptCount,
      lastError: d.lastError,
      lastResponseStatus: outcome.status,
    });
  }
  return true;
}

/**
 * Keeps the namespace's deliveries within `limits.deliveries`: the delivery that finished first
 * goes first. Pending ones are never dropped unseen: when every stored delivery is pending, the
 * oldest is failed with an error naming the limit and kept (one over the cap) until the next
 * delivery pushes it out.
 */
function keepWithinCap(sim: Simulator, ns: Namespace, state: OutboxState): void {
  const cap = sim.config.limits.deliveries;
  const deliveries = deliveriesOf(ns);
  while (deliveries.size > cap) {
    if (state.finished.size > 0) {
      const oldest = oldestKey(state.finished);
      state.finished.delete(oldest);
      // Through the Map's own delete: persistence and indexes observe it.
      deliveries.delete(oldest);
      continue;
    }
    // Nothing has finished, so the oldest stored delivery is pending (walked with the same live
    // iterator as the events: no re-walk of the evicted slots).
    for (let i = 0; i < deliveries.size; i++) {
      const d = deliveries.get(oldestKey(deliveries))!;
      if (d.status !== 'pending') continue;
      d.status = 'failed';
      d.nextAttemptAt = null;
      d.updatedAt = ns.nowIso();
      d.lastError = `given up: this namespace holds more than ${cap} webhook deliveries, all pending (limit deliveries); the oldest pending one is failed`;
      state.fresh.delete(d.id);
      state.retrying.delete(d.id);
      state.finished.add(d.id);
      break;
    }
    return;
  }
}

/** Resolves once no delivery is in flight or due by the clock (one namespace, or all). */
export async function drainDeliveries(sim: Simulator, ns?: Namespace): Promise<void> {
  for (;;) {
    const waiting: Array<Promise<void>> = [];
    for (const n of ns ? [ns] : [...sim.namespaces.values()]) {
      flush(sim, n);
      const running = stateOf(n).running;
      if (running.count > 0) waiting.push(new Promise((resolve) => running.idle.push(resolve)));
    }
    if (waiting.length === 0) return;
    await Promise.all(waiting);
  }
}

/** Sends a delivery again now, whatever its status, and waits for that attempt. */
export function redeliver(sim: Simulator, ns: Namespace, d: DeliveryRecord): Promise<void> {
  return start(sim, ns, d, 'manual');
}
