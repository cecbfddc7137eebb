// Idempotency-Key on POST/PATCH/DELETE: replays the first answer of a key per namespace for 24 h of
// the namespace clock, rejects reuse with another request (400, definitive), and refuses a key still
// in flight (409, retry). XPay's Odoo module tells the two `idempotency_key_in_use` apart by status.
import { createHash } from 'node:crypto';
import { XPayError, errors } from '../core/errors.js';
import type { HandlerResult, RequestContext } from '../http/types.js';
import { oldestKey } from '../store/oldest-key.js';
import type { Simulator } from '../simulator.js';
import type { Namespace } from '../store/namespace.js';
import { mapCodec, registerExtensionCodec } from './ns-state.js';

export const IDEMPOTENCY_EXTENSION = 'idempotency';
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
const MAX_KEY_LENGTH = 255;
const WRITE_METHODS = new Set(['POST', 'PATCH', 'DELETE']);

export interface IdempotencyRecord {
  method: string;
  path: string;
  fingerprint: string;
  status: number;
  /** The answer exactly as first sent (serialized, so later changes to the records cannot leak in). */
  body?: string;
  contentType?: string;
  headers?: Record<string, string>;
  createdAt: number;
}

type Store = Map<string, IdempotencyRecord>;

/** Keys being processed right now; never snapshotted or persisted. */
const inFlight = new WeakMap<Namespace, Set<string>>();
/** With --data: the durable write that will carry a request's change (set by persistence). */
const durableWrites = new WeakMap<RequestContext, Promise<void>>();
/** Records whose change is not on disk yet: replaying them could acknowledge a change that is then lost. */
const notDurable = new WeakSet<IdempotencyRecord>();

export function setDurableWrite(ctx: RequestContext, written: Promise<void>): void {
  durableWrites.set(ctx, written);
}

function storeOf(ns: Namespace): Store {
  let store = ns.extensions.get(IDEMPOTENCY_EXTENSION) as Store | undefined;
  if (!store) {
    store = new Map();
    ns.extensions.set(IDEMPOTENCY_EXTENSION, store);
  }
  return store;
}

function inFlightOf(ns: Namespace): Set<string> {
  let set = inFlight.get(ns);
  if (!set) inFlight.set(ns, (set = new Set()));
  return set;
}

/** The header value, or a 400 for empty, over-long or repeated headers. */
export function readIdempotencyKey(ctx: RequestContext): string | undefined {
  const value = ctx.headers['idempotency-key'];
  if (value === undefined) return undefined;
  let count = 0;
  for (let i = 0; i < ctx.rawHeaders.length; i += 2) if (ctx.rawHeaders[i]!.toLowerCase() === 'idempotency-key') count++;
  if (count > 1) throw errors.invalid('Idempotency-Key', 'Send the Idempotency-Key header once; it was repeated.');
  const key = Array.isArray(value) ? value[0]! : value;
  if (key.trim() === '') throw errors.invalid('Idempotency-Key', 'The Idempotency-Key header is empty.');
  if (key.length > MAX_KEY_LENGTH) {
    throw errors.invalid('Idempotency-Key', `The Idempotency-Key header is ${key.length} characters long; at most ${MAX_KEY_LENGTH} are allowed.`);
  }
  return key;
}

function fingerprint(ctx: RequestContext): string {
  const hash = createHash('sha256');
  hash.update(JSON.stringify(ctx.query));
  hash.update('\u0000');
  if (ctx.body !== undefined) hash.update(JSON.stringify(ctx.body));
  else if (ctx.rawBody) hash.update(ctx.rawBody);
  return hash.digest('base64url');
}

/** Oldest first: keys are inserted in clock order, so expired ones sit at the front. */
function prune(store: Store, now: number): void {
  for (const [key, record] of store) {
    if (now - record.createdAt < IDEMPOTENCY_TTL_MS) break;
    store.delete(key);
  }
}

function toRecord(ctx: RequestContext, fp: string, result: HandlerResult, now: number): IdempotencyRecord {
  const record: IdempotencyRecord = { method: ctx.method, path: ctx.path, fingerprint: fp, status: result.status, createdAt: now };
  if (result.raw) {
    record.contentType = result.raw.contentType;
    record.body = typeof result.raw.data === 'string' ? result.raw.data : result.raw.data.toString('utf8');
  } else if (result.body !== undefined && result.status !== 204) {
    record.contentType = 'application/json; charset=utf-8';
    record.body = JSON.stringify(result.body);
  }
  if (result.headers) record.headers = { ...result.headers };
  return record;
}

function replay(record: IdempotencyRecord): HandlerResult {
  const headers = { ...record.headers, 'Idempotent-Replayed': 'true' };
  if (record.body === undefined) return { status: record.status, headers };
  return { status: record.status, headers, raw: { contentType: record.contentType!, data: record.body } };
}

/** Not async on purpose: a request without a key passes straight through, at no cost. */
export function idempotencyInterceptor(ctx: RequestContext, next: () => Promise<HandlerResult>): Promise<HandlerResult> {
  if (ctx.headers['idempotency-key'] === undefined || !ctx.ns || !WRITE_METHODS.has(ctx.method)) return next();
  return withKey(ctx, ctx.ns, next);
}

async function withKey(ctx: RequestContext, ns: Namespace, next: () => Promise<HandlerResult>): Promise<HandlerResult> {
  const key = readIdempotencyKey(ctx)!;
  const now = ns.clock.now();
  const store = storeOf(ns);
  prune(store, now);
  const fp = fingerprint(ctx);
  const seen = store.get(key);
  if (seen && now - seen.createdAt < IDEMPOTENCY_TTL_MS) {
    if (seen.method !== ctx.method || seen.path !== ctx.path) {
      throw new XPayError(400, 'idempotency_error', 'idempotency_key_in_use',
        `This Idempotency-Key was first used for ${seen.method} ${seen.path}; a key can only be reused for the same request.`);
    }
    if (seen.fingerprint !== fp) {
      throw new XPayError(400, 'idempotency_error', 'idempotency_key_in_use',
        'This Idempotency-Key was first used with different parameters; a key can only be reused with the same body.');
    }
    if (!notDurable.has(seen)) return replay(seen);
  }
  const running = inFlightOf(ns);
  if (running.has(key) || (seen && notDurable.has(seen))) {
    throw new XPayError(409, 'idempotency_error', 'idempotency_key_in_use',
      'A request with this Idempotency-Key is still being processed; retry after it finishes.');
  }
  running.add(key);
  try {
    const result = await next();
    // A 5xx is not remembered: the client should be able to retry it with the same key.
    if (result.status < 500) remember(ctx, ns, key, toRecord(ctx, fp, result, now));
    return result;
  } catch (e) {
    if (e instanceof XPayError && e.status < 500) {
      remember(ctx, ns, key, toRecord(ctx, fp, { status: e.status, body: e.toBody(ctx.requestId), headers: e.headers }, now));
    }
    throw e;
  } finally {
    running.delete(key);
  }
}

function remember(ctx: RequestContext, ns: Namespace, key: string, record: IdempotencyRecord): void {
  // Re-read the store: a snapshot restore during the request may have replaced it.
  const store = storeOf(ns);
  store.delete(key);
  store.set(key, record);
  // Beside the 24 h window, a count cap (`--limit idempotencyKeys`): the oldest keys go first.
  const cap = ctx.sim.config.limits.idempotencyKeys;
  while (store.size > cap) store.delete(oldestKey(store));
  const written = durableWrites.get(ctx);
  if (written) {
    notDurable.add(record);
    const settle = () => notDurable.delete(record);
    written.then(settle, settle);
  }
}

// At import, so a data file loaded by any capability already decodes the cache.
registerExtensionCodec(IDEMPOTENCY_EXTENSION, mapCodec);

export function installIdempotency(sim: Simulator): void {
  sim.interceptors.push(idempotencyInterceptor);
}
