// The request log: the last requests of each namespace, bounded by count and bytes
// (`requestLogEntries`, `requestLogBytes`; oldest evicted first), bodies longer than
// `requestLogBodyBytes` cut to a preview; and, with `--log json`, one JSON line per request on stdout.
// Request bodies are redacted (card numbers, CVCs, secrets) before they are kept; response bodies,
// kept by reference, when read.
import { onEvent } from '../events/emit.js';
import type { HandlerResult, RequestContext } from '../http/types.js';
import { serializeBody } from '../http/respond.js';
import type { Simulator } from '../simulator.js';
import type { Namespace } from '../store/namespace.js';
import { redact, redactText } from './redact.js';
import { errors } from '../core/errors.js';

export interface TruncatedBody {
  object: 'sim.truncated_body';
  originalBytes: number;
  preview: string;
}

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
  /** `api` for API requests, `page` for hosted pages (checkout, payment links, 3-D Secure, receipts, uploads). */
  source: 'api' | 'page';
  /** Approximate bytes this entry holds (its bodies as JSON plus a fixed overhead). */
  bytes: number;
}

/** Fixed cost of an entry beside its bodies (ids, path, numbers, object headers). */
const ENTRY_OVERHEAD = 400;
/** At most this much of a truncated body is kept as its preview. */
const PREVIEW_CHARS = 1024;

/** A FIFO of entries with their total size; evicts from the front. */
class Ring {
  private items: LogEntry[] = [];
  private start = 0;
  bytes = 0;
  push(entry: LogEntry, maxEntries: number, maxBytes: number): void {
    this.items.push(entry);
    this.bytes += entry.bytes;
    while (this.size > 0 && (this.size > maxEntries || this.bytes > maxBytes)) {
      this.bytes -= this.items[this.start]!.bytes;
      this.items[this.start++] = undefined as unknown as LogEntry;
    }
    // Compact once the evicted front outweighs what is kept, so eviction stays O(1) amortized.
    if (this.start > 64 && this.start * 2 > this.items.length) {
      this.items = this.items.slice(this.start);
      this.start = 0;
    }
  }
  get size(): number {
    return this.items.length - this.start;
  }
  /** Newest first. */
  newestFirst(): LogEntry[] {
    return this.items.slice(this.start).reverse();
  }
  /** The entry `age` places from the newest (0 = newest), without copying the ring. */
  fromNewest(age: number): LogEntry | undefined {
    return age < this.size ? this.items[this.items.length - 1 - age] : undefined;
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

/** The marker kept instead of a body longer than the limit: its size and the start of its text. */
function truncated(start: string, originalBytes: number, limit: number): { body: TruncatedBody; bytes: number } {
  const preview = redactText(start.slice(0, PREVIEW_CHARS + 32)).slice(0, Math.min(limit, PREVIEW_CHARS));
  return { body: { object: 'sim.truncated_body', originalBytes, preview }, bytes: preview.length + 64 };
}

/** A body to keep: itself when its JSON fits the limit, else the truncation marker. */
function bounded(value: unknown, json: string, limit: number): { body: unknown; bytes: number } {
  if (json.length <= limit) return { body: value, bytes: json.length };
  return truncated(json, Buffer.byteLength(json), limit);
}

/** The request body as kept: parsed JSON (redacted), or the raw text of an unparsed body. */
function keptRequestBody(ctx: RequestContext, limit: number): { body: unknown; bytes: number } {
  // Longer than the limit as sent: a preview of what was sent, without serializing the parsed
  // copy again only to find it too long (for a large body that costs as much as parsing it).
  if (ctx.rawBody !== undefined && ctx.rawBody.length > limit) return keptText(ctx.rawBody, limit);
  if (ctx.body !== undefined) return keptParsedBody(ctx.body, limit);
  return keptText(ctx.rawBody, limit);
}

/** Text bodies (unparsed requests, raw responses); a huge one is never decoded whole. */
function keptText(data: string | Buffer | undefined, limit: number): { body: unknown; bytes: number } {
  if (data === undefined || data.length === 0) return { body: null, bytes: 4 };
  const size = typeof data === 'string' ? Buffer.byteLength(data) : data.length;
  if (size > limit) return truncated(typeof data === 'string' ? data.slice(0, PREVIEW_CHARS + 32) : data.subarray(0, PREVIEW_CHARS + 32).toString('utf8'), size, limit);
  const text = redactText(typeof data === 'string' ? data : data.toString('utf8'));
  return { body: text, bytes: text.length };
}

/** The response body as kept. A JSON answer is serialized once (serializeBody), for this and for the writer. */
function keptResponseBody(result: HandlerResult, limit: number): { body: unknown; bytes: number } {
  if (result.body === undefined || result.status === 204) return result.raw ? keptText(result.raw.data, limit) : { body: null, bytes: 4 };
  serializeBody(result);
  return bounded(result.body, result.raw!.data as string, limit);
}

/** `--log json`: one line per request (API or page) on stdout. */
export function printLogLine(sim: Simulator, line: { requestId: string; method: string; path: string; status: number; durationMs: number; source: LogEntry['source']; idempotencyKey?: string | null; replayed?: boolean }): void {
  if (sim.config.log !== 'json') return;
  const { requestId, method, path, status, durationMs, source, ...rest } = line;
  process.stdout.write(JSON.stringify({ time: new Date().toISOString(), requestId, method, path: redactText(path), status, durationMs, source, ...rest }) + '\n');
}

/** Keeps one entry in the namespace's log, evicting the oldest past the caps. */
export function keepLogEntry(sim: Simulator, ns: Namespace, entry: Omit<LogEntry, 'bytes' | 'requestBody' | 'responseBody'>, request: { body: unknown; bytes: number }, response: { body: unknown; bytes: number }): void {
  const limits = sim.config.limits;
  if (limits.requestLogEntries === 0) return;
  let ring = rings.get(ns);
  if (!ring) rings.set(ns, (ring = new Ring()));
  ring.push(
    { ...entry, path: redactText(entry.path), requestBody: request.body, responseBody: response.body, bytes: ENTRY_OVERHEAD + request.bytes + response.bytes },
    limits.requestLogEntries,
    limits.requestLogBytes,
  );
}

/** A parsed body (a page's form fields) as kept: redacted, or the truncation marker. */
export function keptParsedBody(body: unknown, limit: number): { body: unknown; bytes: number } {
  if (body === undefined || body === null) return { body: null, bytes: 4 };
  const json = JSON.stringify(body) ?? 'null';
  return json.length <= limit ? { body: redact(body), bytes: json.length } : truncated(json, Buffer.byteLength(json), limit);
}

function record(sim: Simulator, ctx: RequestContext, result: HandlerResult): void {
  const durationMs = Math.round((performance.now() - ctx.startedAt) * 1000) / 1000;
  const idempotencyKey = header(ctx, 'idempotency-key');
  printLogLine(sim, { requestId: ctx.requestId, method: ctx.method, path: ctx.path, status: result.status, durationMs, source: 'api', idempotencyKey, replayed: result.headers?.['Idempotent-Replayed'] === 'true' });
  const ns = ctx.ns;
  // Reading the log is not itself logged, so polling it never pushes real requests out.
  if (!ns || ctx.operationId === 'listSimRequests' || sim.config.limits.requestLogEntries === 0) return;
  const limit = sim.config.limits.requestLogBodyBytes;
  keepLogEntry(sim, ns, {
    requestId: ctx.requestId,
    method: ctx.method,
    path: ctx.path,
    query: ctx.query,
    status: result.status,
    at: ns.clock.now(),
    durationMs,
    idempotencyKey,
    eventIds: eventsByRequest.get(ctx) ?? [],
    dropped: ctx.res.destroyed,
    source: 'api',
  }, keptRequestBody(ctx, limit), keptResponseBody(result, limit));
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

// ——— filtering and redaction, done when someone reads the log ———

export interface LogFilter {
  status?: string;
  path?: string;
  resource?: string;
  limit?: number;
  /** Continue after this request id (the previous page's `nextStartingAfter`). */
  startingAfter?: string;
}

export interface LogPage {
  data: Array<Record<string, unknown>>;
  /** More entries remain to be examined (the next page may still find none). */
  hasMore: boolean;
  nextStartingAfter: string | null;
}

function statusMatches(status: number, wanted: string): boolean {
  if (/^[1-5]xx$/i.test(wanted)) return String(status)[0] === wanted[0];
  return String(status) === wanted;
}

function searchText(e: LogEntry, responseBody: unknown): string {
  return e.path + JSON.stringify(e.query) + JSON.stringify(e.requestBody) + JSON.stringify(responseBody);
}

/** Where a page starts: the newest entry, or the one after the cursor (which must still be kept). */
function startAge(ring: Ring | undefined, startingAfter: string | undefined): number {
  if (startingAfter === undefined) return 0;
  for (let age = 0; ring && age < ring.size; age++) if (ring.fromNewest(age)!.requestId === startingAfter) return age + 1;
  throw errors.invalid('startingAfter', `Request ${startingAfter} is not in the request log (any more): start again without startingAfter.`);
}

/**
 * One page of the log, newest first. Rendering or searching an entry costs about its size, so a page
 * stops once it has examined `scanBytes` of entries (at least one): however large the log, one
 * call never holds the event loop for long, and `nextStartingAfter` continues where it stopped.
 */
export function readRequestLog(ns: Namespace, filter: LogFilter, scanBytes: number): LogPage {
  const ring = rings.get(ns);
  const limit = filter.limit ?? 100;
  const data: Array<Record<string, unknown>> = [];
  let age = startAge(ring, filter.startingAfter);
  let scanned = 0;
  const idLike = filter.resource !== undefined && /^(?=.*_)\w+$/.test(filter.resource);
  for (; ring && age < ring.size && data.length < limit && (scanned < scanBytes || scanned === 0); age++) {
    const e = ring.fromNewest(age)!;
    if (filter.status && !statusMatches(e.status, filter.status)) continue;
    if (filter.path && !e.path.startsWith(filter.path)) continue;
    scanned += e.bytes;
    // Redacting copies the body, so the raw text rules most entries out first. Only for id-like
    // needles: masks are `*` and `[redacted]`, so such a needle found in the masked text is in the raw.
    if (idLike && !searchText(e, e.responseBody).includes(filter.resource!)) continue;
    const requestBody = e.requestBody;
    const responseBody = redact(e.responseBody);
    if (filter.resource && !searchText(e, responseBody).includes(filter.resource)) continue;
    const { bytes: _bytes, ...shown } = e;
    data.push({ object: 'sim.request', ...shown, query: redact(e.query), at: new Date(e.at).toISOString(), requestBody, responseBody });
  }
  const hasMore = ring !== undefined && age < ring.size;
  return { data, hasMore, nextStartingAfter: hasMore ? ring.fromNewest(age - 1)!.requestId : null };
}
