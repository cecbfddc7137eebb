// /_sim/clock: read, switch and advance a namespace's clock. Advancing runs the time-based work
// (expiry, settlement, webhook retries) at the instants it falls due, in order.
import { clockInRange, MAX_CLOCK_MS, MIN_CLOCK_MS, type ClockMode } from '../core/clock.js';
import { errors } from '../core/errors.js';
import { parseDurationText } from '../core/duration.js';
import type { Handler } from '../http/types.js';
import type { Simulator } from '../simulator.js';
import type { Namespace } from '../store/namespace.js';
import { requireNamespace } from './sim-state.js';

/** Without exact due instants from `sim.dueTimes`, a move is cut into at most this many steps. */
const MAX_BLIND_STEPS = 500;
const MIN_STEP_MS = 1000;
const MAX_STOPS = 100_000;

export function parseDuration(value: string | number, param = 'by'): number {
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || value < 0) throw errors.invalid(param, `${param} must be a non-negative whole number of milliseconds.`);
    return value;
  }
  // A bare string of digits is ambiguous here: ask for a unit (numbers are milliseconds).
  const ms = /[a-z]\s*$/.test(value) ? parseDurationText(value) : undefined;
  if (ms === undefined) throw errors.invalid(param, `${param} must look like 500ms, 90s, 15m, 2h or 1d; got "${value}".`);
  return ms;
}

/** A 400 naming `param` when `ms` is not an instant the clock can show (never a 500 later). */
function checkInstant(ms: number, param: string, got: string): void {
  if (!clockInRange(ms)) {
    throw errors.invalid(param, `${param} would put the clock at ${got}; the simulator clock stays between ${new Date(MIN_CLOCK_MS).toISOString()} and ${new Date(MAX_CLOCK_MS).toISOString()}.`);
  }
}

function describe(ns: Namespace): Record<string, unknown> {
  return { object: 'sim.clock', mode: ns.clock.mode, now: ns.nowIso() };
}

/** The earliest registered due instant after `after`, if any capability reports one. */
function nextDue(sim: Simulator, ns: Namespace, after: number): number | undefined {
  let best: number | undefined;
  for (const due of sim.dueTimes) {
    const at = due(ns);
    if (at !== undefined && at > after && (best === undefined || at < best)) best = at;
  }
  return best;
}

/**
 * Moves the clock to `target`, stopping at every reported due instant (and, for work that reports
 * none, at evenly spaced steps) so each piece of work runs at its own time and in order.
 */
export function advanceTo(sim: Simulator, ns: Namespace, target: number): number {
  const start = ns.clock.now();
  const step = Math.max(MIN_STEP_MS, Math.ceil((target - start) / MAX_BLIND_STEPS));
  let stops = 0;
  sim.runDue(ns);
  while (ns.clock.now() < target && stops < MAX_STOPS) {
    const now = ns.clock.now();
    const due = nextDue(sim, ns, now);
    const blind = now + step;
    const at = Math.min(target, blind, due ?? Infinity);
    ns.clock.advance(at - now);
    sim.runDue(ns);
    stops++;
  }
  return stops;
}

export const getSimClock: Handler = (ctx) => ({ status: 200, body: describe(requireNamespace(ctx)) });

export const setSimClock: Handler = (ctx) => {
  const ns = requireNamespace(ctx);
  const body = ctx.body as { mode?: ClockMode; now?: string };
  let at: number | undefined;
  if (body.now !== undefined) {
    at = Date.parse(body.now);
    if (Number.isNaN(at)) throw errors.invalid('now', `now must be an ISO-8601 instant; got "${body.now}".`);
    checkInstant(at, 'now', `"${body.now}"`);
  }
  if (body.mode === undefined && at === undefined) throw errors.missing('mode');
  ns.clock.set(body.mode ?? ns.clock.mode, at);
  ctx.sim.runDue(ns);
  return { status: 200, body: describe(ns) };
};

export const advanceSimClock: Handler = (ctx) => {
  const ns = requireNamespace(ctx);
  const body = ctx.body as { by?: string | number; to?: string };
  if (body.by !== undefined && body.to !== undefined) throw errors.exclusive('to', 'Send either by or to, not both.');
  const from = ns.clock.now();
  let target: number;
  if (body.to !== undefined) {
    target = Date.parse(body.to);
    if (Number.isNaN(target)) throw errors.invalid('to', `to must be an ISO-8601 instant; got "${body.to}".`);
    checkInstant(target, 'to', `"${body.to}"`);
    if (target < from) throw errors.invalid('to', `to (${body.to}) is before the current time ${ns.nowIso()}; the clock only moves forward.`);
  } else if (body.by !== undefined) {
    const by = parseDuration(body.by);
    target = from + by;
    checkInstant(target, 'by', `${Number.isFinite(target) ? `${target} ms since 1970` : 'an unbounded instant'} (${by} ms ahead)`);
  } else {
    throw errors.missing('by');
  }
  const stops = advanceTo(ctx.sim, ns, target);
  return { status: 200, body: { ...describe(ns), advancedByMs: target - from, stops } };
};
