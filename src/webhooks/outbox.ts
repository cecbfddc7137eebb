// The webhook outbox: one delivery per subscribed endpoint per event, attempted after the API
// answers, retried on XPay's schedule by the namespace clock, `failed` after the fifth failure.
import { createHash } from 'node:crypto';
import type { EventRecord } from '../events/emit.js';
import type { Simulator } from '../simulator.js';
import type { Namespace } from '../store/namespace.js';
import { Dispatcher, USER_AGENT } from './dispatcher.js';
import { deliveriesOf, endpointsOf, subscribes, type DeliveryRecord } from './records.js';
import { SIGNATURE_HEADER, signatureHeader } from './signer.js';
import { touchRecord } from '../store/change-tracking.js';

/** Delay before attempts #2–#5, each counted from the instant the previous attempt was made (≈ 2 h 36 min in all). */
export const RETRY_DELAYS_MS = [60_000, 5 * 60_000, 30 * 60_000, 2 * 3600_000];
export const MAX_ATTEMPTS = RETRY_DELAYS_MS.length + 1;
export const DELIVERY_FAILED = 'webhook_endpoint.delivery_failed';

interface OutboxState {
  /** The collection the sets below index; a restored snapshot swaps it and forces a rebuild. */
  indexed: Map<string, DeliveryRecord>;
  fresh: Set<string>;
  retrying: Set<string>;
  nextRetryMs: number;
  inFlight: Map<string, Promise<void>>;
  flushQueued: boolean;
  timer: NodeJS.Timeout | undefined;
  timerAt: number;
}

const dispatchers = new WeakMap<Simulator, Dispatcher>();
// Runtime bookkeeping lives beside the namespace, not in ns.extensions: snapshots and persistence
// dump extensions as plain data, and timers or promises are not data (the records are).
const states = new WeakMap<Namespace, OutboxState>();

export function dispatcherOf(sim: Simulator): Dispatcher {
  let d = dispatchers.get(sim);
  if (!d) dispatchers.set(sim, (d = new Dispatcher()));
  return d;
}

function stateOf(ns: Namespace): OutboxState {
  let state = states.get(ns);
  const deliveries = deliveriesOf(ns);
  if (!state || state.indexed !== deliveries) {
    const fresh = new Set<string>();
    const retrying = new Set<string>();
    let nextRetryMs = Infinity;
    for (const d of deliveries.values()) {
      if (d.status !== 'pending') continue;
      if (d.attemptCount === 0) fresh.add(d.id);
      else {
        retrying.add(d.id);
        nextRetryMs = Math.min(nextRetryMs, Date.parse(d.nextAttemptAt ?? ''));
      }
    }
    state = { indexed: deliveries, fresh, retrying, nextRetryMs, inFlight: state?.inFlight ?? new Map(), flushQueued: false, timer: state?.timer, timerAt: state?.timerAt ?? Infinity };
    states.set(ns, state);
  }
  return state;
}

/** Stable per (event, endpoint), and drawn from no random stream, so deliveries never shift other ids. */
function deliveryId(eventId: string, endpointId: string): string {
  return 'whdel_' + createHash('sha256').update(`${eventId}\u0000${endpointId}`).digest('base64url').replace(/[-_]/g, '').slice(0, 22);
}

/** The event listener: records deliveries synchronously, sends them once the current request is answered. */
export function enqueueEvent(sim: Simulator, ns: Namespace, event: EventRecord): void {
  const endpoints = endpointsOf(ns);
  if (endpoints.size === 0) return;
  let body: string | undefined;
  const state = stateOf(ns);
  for (const ep of endpoints.values()) {
    if (ep.status !== 'enabled' || !subscribes(ep.enabledEvents, event.type)) continue;
    body ??= JSON.stringify(event);
    const now = ns.nowIso();
    const delivery: DeliveryRecord = {
      id: deliveryId(event.id, ep.id),
      object: 'webhook_delivery',
      eventId: event.id,
      eventType: event.type,
      endpointId: ep.id,
      url: ep.url,
      status: 'pending',
      attemptCount: 0,
      nextAttemptAt: now,
      createdAt: now,
      updatedAt: now,
      requestBody: body,
      attempts: [],
      lastError: null,
    };
    deliveriesOf(ns).set(delivery.id, delivery);
    state.fresh.add(delivery.id);
  }
  if (body !== undefined && !state.flushQueued) {
    state.flushQueued = true;
    setImmediate(() => {
      state.flushQueued = false;
      // With --data, an event leaves only once the change it announces is on disk.
      void sim.changedInBackground(ns).then(() => flush(sim, ns), () => flush(sim, ns));
    });
  }
}

/** Starts every delivery that is due by the namespace clock; never waits for them. */
export function flush(sim: Simulator, ns: Namespace): void {
  const state = stateOf(ns);
  const deliveries = deliveriesOf(ns);
  for (const id of state.fresh) {
    state.fresh.delete(id);
    const d = deliveries.get(id);
    if (d && d.status === 'pending') start(sim, ns, d, 'automatic');
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
        start(sim, ns, d, 'automatic', due);
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

/** One attempt of a delivery; the promise settles when the attempt is recorded. */
export function start(sim: Simulator, ns: Namespace, d: DeliveryRecord, trigger: 'automatic' | 'manual', atMs?: number): Promise<void> {
  const state = stateOf(ns);
  const attempt = attemptOnce(sim, ns, d, trigger, atMs ?? ns.clock.now()).finally(() => {
    if (state.inFlight.get(d.id) === attempt) state.inFlight.delete(d.id);
  });
  state.inFlight.set(d.id, attempt);
  return attempt;
}

async function attemptOnce(sim: Simulator, ns: Namespace, d: DeliveryRecord, trigger: 'automatic' | 'manual', startedMs: number): Promise<void> {
  await sendAndRecord(sim, ns, d, trigger, startedMs);
  // `d` was read before the attempt's await and edited after it: mark it changed for persistence.
  touchRecord(deliveriesOf(ns) as Map<string, unknown>, d.id);
  // The attempt (and any retry plan or delivery_failed event) happened outside a request.
  await sim.changedInBackground(ns);
}

async function sendAndRecord(sim: Simulator, ns: Namespace, d: DeliveryRecord, trigger: 'automatic' | 'manual', startedMs: number): Promise<void> {
  const endpoint = endpointsOf(ns).get(d.endpointId);
  const headers: Record<string, string> = { 'Content-Type': 'application/json', 'User-Agent': USER_AGENT };
  let outcome: { status: number | null; body: string | null; latencyMs: number | null; error: string | null };
  if (!endpoint) outcome = { status: null, body: null, latencyMs: null, error: 'the webhook endpoint was deleted' };
  else if (endpoint.status === 'disabled' && trigger === 'automatic') outcome = { status: null, body: null, latencyMs: null, error: 'the webhook endpoint is disabled' };
  else {
    headers[SIGNATURE_HEADER] = signatureHeader(endpoint._secret, startedMs, d.requestBody);
    d.url = endpoint.url;
    outcome = await dispatcherOf(sim).post(endpoint.url, headers, d.requestBody);
  }
  d.attempts.push({
    attempt: d.attempts.length + 1,
    trigger,
    url: d.url,
    startedAt: new Date(startedMs).toISOString(),
    requestHeaders: headers,
    responseStatus: outcome.status,
    responseBody: outcome.body,
    latencyMs: outcome.latencyMs,
    error: outcome.error,
  });
  d.updatedAt = ns.nowIso();
  const counted = trigger === 'automatic' && d.status === 'pending';
  if (counted) d.attemptCount++;
  if (outcome.error === null) {
    d.status = 'succeeded';
    d.nextAttemptAt = null;
    return;
  }
  d.lastError = outcome.error;
  if (!counted) return;
  if (d.attemptCount < MAX_ATTEMPTS && endpoint) {
    const due = startedMs + RETRY_DELAYS_MS[d.attemptCount - 1]!;
    d.nextAttemptAt = new Date(due).toISOString();
    const state = stateOf(ns);
    state.retrying.add(d.id);
    state.nextRetryMs = Math.min(state.nextRetryMs, due);
    // Already due when the clock moved on while this attempt was in flight: catch up now.
    if (due <= ns.clock.now()) flush(sim, ns);
    else armTimer(sim, ns, state);
    return;
  }
  d.status = 'failed';
  d.nextAttemptAt = null;
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
}

/** Resolves once no delivery is in flight or due by the clock (one namespace, or all). */
export async function drainDeliveries(sim: Simulator, ns?: Namespace): Promise<void> {
  for (;;) {
    const waiting: Array<Promise<void>> = [];
    for (const n of ns ? [ns] : [...sim.namespaces.values()]) {
      flush(sim, n);
      waiting.push(...stateOf(n).inFlight.values());
    }
    if (waiting.length === 0) return;
    await Promise.allSettled(waiting);
  }
}

/** Sends a delivery again now, whatever its status, and waits for that attempt. */
export function redeliver(sim: Simulator, ns: Namespace, d: DeliveryRecord): Promise<void> {
  return start(sim, ns, d, 'manual');
}
