// /_sim/events: the namespace's event log (newest first, filtered by type and resource) and a
// long poll that answers as soon as a matching event exists.
import { errors } from '../core/errors.js';
import { paginate, readPage } from '../core/pagination.js';
import type { EventRecord } from '../events/emit.js';
import type { Handler, RequestContext } from '../http/types.js';
import type { Namespace } from '../store/namespace.js';
import { eventMatches, type EventFilter } from '../webhooks/event-query.js';
import { waitForEvent } from '../webhooks/waiters.js';

export const DEFAULT_WAIT_MS = 10_000;
export const MAX_WAIT_MS = 60_000;

/** /_sim endpoints act on the namespace of the key they are called with. */
export function simNamespace(ctx: RequestContext): Namespace {
  if (!ctx.ns) throw errors.auth('This endpoint acts on one namespace: send the API key it belongs to ("Authorization: Bearer sk_test_…").');
  return ctx.ns;
}

function readFilter(query: Record<string, unknown>): EventFilter {
  const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
  return { type: str(query.type), resourceId: str(query.resourceId) };
}

function eventsOf(ns: Namespace): EventRecord[] {
  return [...ns.db.events.values()] as EventRecord[];
}

export const listSimEvents: Handler = (ctx) => {
  const ns = simNamespace(ctx);
  const page = readPage(ctx.query);
  const filter = readFilter(ctx.query);
  const matches = eventsOf(ns).filter((e) => eventMatches(e, filter)).reverse();
  return { status: 200, body: paginate(matches, page) };
};

function readTimeout(value: unknown): number {
  if (value === undefined || value === '') return DEFAULT_WAIT_MS;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw errors.invalid('timeout', 'Invalid value for timeout: milliseconds as a whole number ≥ 0.');
  return Math.min(n, MAX_WAIT_MS);
}

/** 404 for an `after` id the namespace does not hold; once events have been evicted, it may be one of them. */
function unknownEvent(ctx: RequestContext, ns: Namespace, id: string): Error {
  const cap = ctx.sim.config.limits.events;
  if (ns.db.events.size < cap) return errors.notFound('event', id, 'after');
  return errors.code(
    404,
    'resource_missing',
    `No such event: ${id}. This namespace keeps only its newest ${cap} events (limit events), so it may have been evicted; wait without \`after\`, or raise the limit with --limit events=N.`,
    'after',
  );
}

export const waitSimEvent: Handler = async (ctx) => {
  const ns = simNamespace(ctx);
  const filter = readFilter(ctx.query);
  const timeout = readTimeout(ctx.query.timeout);
  const after = typeof ctx.query.after === 'string' && ctx.query.after !== '' ? ctx.query.after : undefined;
  const events = eventsOf(ns);
  let existing: EventRecord | undefined;
  if (after !== undefined) {
    const index = events.findIndex((e) => e.id === after);
    if (index === -1) throw unknownEvent(ctx, ns, after);
    existing = events.slice(index + 1).find((e) => eventMatches(e, filter));
  } else {
    existing = events.reverse().find((e) => eventMatches(e, filter));
  }
  if (existing) return { status: 200, body: existing };
  const { promise, cancel } = waitForEvent(ns, filter, timeout);
  ctx.onClientGone?.(cancel);
  const event = await promise;
  if (!event) {
    const what = [filter.type ?? 'any type', filter.resourceId ? `about ${filter.resourceId}` : ''].filter(Boolean).join(' ');
    throw errors.code(408, 'request_timeout', `No event (${what}) arrived within ${timeout} ms.`);
  }
  return { status: 200, body: event };
};
