// The request log: the last requests of each namespace (ring buffer of references, masked only
// when read) and, with `--log json`, one JSON line per request on stdout.
import { onEvent } from '../events/emit.js';
import type { HandlerResult, RequestContext } from '../http/types.js';
import type { Simulator } from '../simulator.js';
import type { Namespace } from '../store/namespace.js';

export const REQUEST_LOG_SIZE = 1000;

export interface LogEntry {
  requestId: string;
  method: string;
  path: string;
  query: Record<string, unknown>;
  status: number;
  /** Namespace clock (ms) when the request finished; rendered as ISO when read. */
  at: number;
  durationMs: number;
  idempotencyKey: string | null;
  requestBody: unknown;
  responseBody: unknown;
  eventIds: string[];
  dropped: boolean;
}

class Ring {
  readonly items: LogEntry[] = [];
  private start = 0;
  push(entry: LogEntry): void {
    if (this.items.length < REQUEST_LOG_SIZE) this.items.push(entry);
    else {
      this.items[this.start] = entry;
      this.start = (this.start + 1) % REQUEST_LOG_SIZE;
    }
  }
  /** Newest first. */
  newestFirst(): LogEntry[] {
    return [...this.items.slice(this.start), ...this.items.slice(0, this.start)].reverse();
  }
}

const rings = new WeakMap<Namespace, Ring>();
/** Event ids emitted while a request's handler ran. */
const eventsByRequest = new WeakMap<RequestContext, string[]>();

export function requestLogOf(ns: Namespace): LogEntry[] {
  return rings.get(ns)?.newestFirst() ?? [];
}

function header(ctx: RequestContext, name: string): string | null {
  const v = ctx.headers[name];
  return v === undefined ? null : Array.isArray(v) ? v.join(', ') : v;
}

function record(sim: Simulator, ctx: RequestContext, result: HandlerResult): void {
  const durationMs = Math.round((performance.now() - ctx.startedAt) * 1000) / 1000;
  if (sim.config.log === 'json') {
    process.stdout.write(
      JSON.stringify({
        time: new Date().toISOString(), requestId: ctx.requestId, method: ctx.method, path: ctx.path, status: result.status,
        durationMs, idempotencyKey: header(ctx, 'idempotency-key'), replayed: result.headers?.['Idempotent-Replayed'] === 'true',
      }) + '\n',
    );
  }
  const ns = ctx.ns;
  // Reading the log is not itself logged, so polling it never pushes real requests out.
  if (!ns || ctx.operationId === 'listSimRequests') return;
  let ring = rings.get(ns);
  if (!ring) rings.set(ns, (ring = new Ring()));
  ring.push({
    requestId: ctx.requestId,
    method: ctx.method,
    path: ctx.path,
    query: ctx.query,
    status: result.status,
    at: ns.clock.now(),
    durationMs,
    idempotencyKey: header(ctx, 'idempotency-key'),
    requestBody: ctx.body ?? (ctx.rawBody ? ctx.rawBody.toString('utf8') : null),
    responseBody: result.raw ? String(result.raw.data) : (result.body ?? null),
    eventIds: eventsByRequest.get(ctx) ?? [],
    dropped: ctx.res.destroyed,
  });
}

export function installRequestLog(sim: Simulator): void {
  onEvent(sim, (_ns, event) => {
    const ctx = sim.activeRequest;
    if (!ctx) return;
    const ids = eventsByRequest.get(ctx);
    if (ids) ids.push(event.id);
    else eventsByRequest.set(ctx, [event.id]);
  });
  sim.requestCompleted.push((ctx, result) => record(sim, ctx, result));
}

// ——— masking and filtering, done only when someone reads the log ———

const CARD_FIELDS = new Set(['number', 'cardnumber', 'card_number', 'pan']);

function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1 && (d *= 2) > 9) d -= 9;
    sum += d;
  }
  return sum % 10 === 0;
}

const maskRun = (run: string) => '*'.repeat(run.length - 4) + run.slice(-4);

/** Card fields lose all but the last 4 of any 12–19 digit run; elsewhere, runs that pass Luhn do. */
export function maskPans(value: unknown, cardField = false): unknown {
  if (typeof value === 'string') {
    return value.replace(/\d{12,19}/g, (run) => (cardField || (run.length >= 13 && luhn(run)) ? maskRun(run) : run));
  }
  if (typeof value === 'number' && cardField && Number.isInteger(value)) {
    const s = String(value);
    return s.length >= 12 && s.length <= 19 ? maskRun(s) : value;
  }
  if (Array.isArray(value)) return value.map((v) => maskPans(v, cardField));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = maskPans(v, CARD_FIELDS.has(k.toLowerCase()));
    return out;
  }
  return value;
}

export interface LogFilter {
  status?: string;
  path?: string;
  resource?: string;
  limit?: number;
}

function statusMatches(status: number, wanted: string): boolean {
  if (/^[1-5]xx$/i.test(wanted)) return String(status)[0] === wanted[0];
  return String(status) === wanted;
}

export function readRequestLog(ns: Namespace, filter: LogFilter): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = [];
  for (const e of requestLogOf(ns)) {
    if (filter.status && !statusMatches(e.status, filter.status)) continue;
    if (filter.path && !e.path.startsWith(filter.path)) continue;
    const requestBody = maskPans(e.requestBody);
    const responseBody = maskPans(e.responseBody);
    if (filter.resource) {
      const haystack = e.path + JSON.stringify(e.query) + JSON.stringify(requestBody) + JSON.stringify(responseBody);
      if (!haystack.includes(filter.resource)) continue;
    }
    out.push({ object: 'sim.request', ...e, at: new Date(e.at).toISOString(), requestBody, responseBody });
    if (out.length >= (filter.limit ?? 100)) break;
  }
  return out;
}
