// The API request pipeline on bare node:http:
// route → auth + namespace → body → validate → interceptors (idempotency, faults, log) → handler → respond.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { errors } from '../core/errors.js';
import type { Simulator } from '../simulator.js';
import { authenticate, checkLiveMode, refusePublishable, type ApiKey } from './auth.js';
import { ADMIN_HEADER, checkAdminKey } from './admin.js';
import { checkJsonContentType, parseJsonBody, readBody } from './body.js';
import { closeWhenClientEnds, errorResult, serializeBody, writeResult } from './respond.js';
import type { Handler, HandlerResult, RequestContext } from './types.js';
import { toXPayError, type RequestValidator } from './validation.js';
import { validateInPieces } from './body-in-pieces.js';
import type { ErrorObject } from 'ajv/dist/2020.js';
import { checkInputCaps } from './input-caps.js';
import type { CompiledOperation } from './router.js';
import { answerPreflight, CORS_HEADERS, isCorsPath } from './cors.js';
import { MAX_URL_BYTES, urlTooLong } from './protocol-errors.js';
import { nextTurn } from './write-in-turns.js';

/** A body above this size (bytes) is parsed, checked, handled, serialized and answered in turns of the event loop of their own. */
const LARGE_BODY_BYTES = 64 * 1024;
/** A handler's turn that has run longer than this (a large answer rendered) leaves serializing and writing it to the next turns. */
const HANDLER_TURN_BUDGET_MS = 0.1;

function hasLargeBody(ctx: RequestContext): boolean {
  return ctx.rawBody !== undefined && ctx.rawBody.length > LARGE_BODY_BYTES;
}

/** Paths served by the pages app (express) instead of the API. */
export type PageHandler = (req: IncomingMessage, res: ServerResponse) => void;

export function parseQuery(search: string): Record<string, string> {
  const query: Record<string, string> = {};
  if (search.length > 1) {
    for (const [k, v] of new URLSearchParams(search)) if (!(k in query)) query[k] = v;
  }
  return query;
}

export async function handleRequest(sim: Simulator, req: IncomingMessage, res: ServerResponse, pages: PageHandler): Promise<void> {
  const requestId = sim.nextRequestId();
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const pathname = q === -1 ? url : url.slice(0, q);
  const method = req.method ?? 'GET';
  if (url.length > MAX_URL_BYTES) {
    req.resume();
    res.shouldKeepAlive = false;
    return writeResult(res, requestId, errorResult(urlTooLong(), requestId));
  }
  const match = sim.router.match(method, pathname);
  if (match.kind === 'method_not_allowed' && answerPreflight(req, res, pathname, match.allowed)) return;
  if (match.kind !== 'found') {
    if (match.kind === 'not_found' && isPagePath(pathname)) return pages(req, res);
    req.resume();
    const result =
      match.kind === 'method_not_allowed'
        ? errorResult(errors.code(405, 'invalid_request', `${method} is not allowed on ${pathname}; use ${match.allowed.join(', ')}.`), requestId)
        : errorResult(errors.code(404, 'invalid_request', `Unrecognized request URL (${method}: ${pathname}).`), requestId);
    if (match.kind === 'method_not_allowed') result.headers = { ...result.headers, Allow: match.allowed.join(', ') };
    // Unrouted requests still reach the observers (`--log json` promises a line per request).
    if (sim.requestCompleted.length > 0) {
      const bare = { sim, requestId, operationId: '', pathTemplate: '', method, path: pathname, params: {}, query: {}, body: undefined, rawBody: undefined,
        headers: req.headers, rawHeaders: req.rawHeaders, res, startedAt: performance.now(), key: undefined, ns: undefined, onClientGone: () => undefined } satisfies RequestContext;
      for (const observer of sim.requestCompleted) observer(bare, result);
    }
    return writeResult(res, requestId, result);
  }
  const { op, params } = match;
  const ctx: RequestContext = {
    sim,
    requestId,
    operationId: op.operationId,
    pathTemplate: op.pathTemplate,
    method,
    path: pathname,
    params,
    query: parseQuery(q === -1 ? '' : url.slice(q)),
    body: undefined,
    rawBody: undefined,
    headers: req.headers,
    rawHeaders: req.rawHeaders,
    res,
    startedAt: performance.now(),
    key: undefined,
    ns: undefined,
    onClientGone: (listener) => {
      res.once('close', () => res.writableFinished || listener());
      closeWhenClientEnds(res);
    },
  };
  let result: HandlerResult;
  try {
    result = await run(sim, ctx, req, op);
  } catch (e) {
    result = errorResult(e, requestId);
  }
  // …and its handler took the next one (or a handler used up its turn rendering a large answer):
  // the answer is serialized in a turn of its own, then logged and written.
  if (hasLargeBody(ctx) || performance.now() - (ctx.handlerStartedAt ?? ctx.startedAt) > HANDLER_TURN_BUDGET_MS) {
    await nextTurn();
    serializeBody(result);
    await nextTurn();
  }
  for (const observer of sim.requestCompleted) observer(ctx, result);
  // Errors too (bad key, validation): the merchant page must be able to read why.
  if (isCorsPath(pathname)) result = { ...result, headers: { ...result.headers, ...CORS_HEADERS } };
  writeResult(res, requestId, result, method === 'HEAD');
}

async function run(sim: Simulator, ctx: RequestContext, req: IncomingMessage, op: CompiledOperation): Promise<HandlerResult> {
  const validator = sim.validators.get(ctx.operationId)!;
  // The admin credential is checked whenever it is sent to an operation that takes it (a wrong one is 403, never ignored).
  const adminHeader = req.headers[ADMIN_HEADER];
  if (op.needsAdmin || (op.mayUseAdmin && adminHeader !== undefined)) {
    checkAdminKey(sim.config.adminKey, adminHeader);
    ctx.admin = true;
  }
  if (op.mayUseKey && op.mayUseAdmin && !ctx.admin && req.headers.authorization === undefined) {
    throw errors.auth(`${ctx.method} ${ctx.path} acts on the namespace of your key ("Authorization: Bearer sk_test_…"); over all namespaces it needs the admin key in the XPay-Sim-Admin header.`);
  }
  // A key is read when the operation needs one (the admin credential stands in where it is an alternative) or when one is sent.
  const keyRequired = op.needsKey && op.mayUseKey && !ctx.admin;
  if (keyRequired || (op.mayUseKey && req.headers.authorization !== undefined)) {
    const key: ApiKey = knownKey(sim, req.headers.authorization);
    refusePublishable(key);
    checkLiveMode(ctx.query.liveMode, key);
    ctx.key = key;
    ctx.ns = sim.namespace(key);
  }
  const hasPayload = req.headers['content-length'] !== undefined ? req.headers['content-length'] !== '0' : req.headers['transfer-encoding'] !== undefined;
  if (hasPayload) {
    const raw = await readBody(req, sim.config.bodyLimitBytes);
    if (raw.length > 0) {
      checkJsonContentType(req.headers['content-type']);
      ctx.rawBody = raw;
    }
  } else req.resume();
  if (validator.hasBody) {
    ctx.body = ctx.rawBody ? parseJsonBody(ctx.rawBody) : {};
    if (hasLargeBody(ctx)) {
      // This turn decoded and parsed it; the schema is checked over the next ones, the caps in another.
      await nextTurn();
      const problems = await largeBodyProblems(validator, ctx.body);
      if (problems) throw toXPayError(problems);
      await nextTurn();
    } else if (!validator.body!(ctx.body)) throw toXPayError(validator.body!.errors ?? []);
    checkInputCaps(ctx.body, sim.config.limits);
  } else if (ctx.rawBody) {
    // Operations without a body tolerate an empty object; real parameters there are unknown.
    const body = parseJsonBody(ctx.rawBody);
    const first = Object.keys(body)[0];
    if (first !== undefined) throw errors.unknown(first);
  }
  if (validator.query && !validator.query(ctx.query)) throw toXPayError(validator.query.errors ?? []);
  const handler = sim.handlers[ctx.operationId];
  if (!handler) throw errors.code(501, 'invalid_request', `${ctx.operationId} is not implemented by this simulator yet.`);
  // A large body's caps took this turn: other requests go before its handler.
  if (hasLargeBody(ctx)) await nextTurn();
  ctx.handlerStartedAt = performance.now();
  if (ctx.ns) sim.runDue(ctx.ns);
  if (sim.interceptors.length === 0) return callHandler(sim, handler, ctx);
  // Each interceptor gets its own `next`, so one that calls it twice (a retry) re-runs the rest of the chain.
  const dispatch = async (index: number): Promise<HandlerResult> => {
    const interceptor = sim.interceptors[index];
    return interceptor ? interceptor(ctx, () => dispatch(index + 1)) : callHandler(sim, handler, ctx);
  };
  return dispatch(0);
}

/** Ajv's errors for a large body (none when valid), checked in pieces where its schema allows. */
function largeBodyProblems(validator: RequestValidator, body: Record<string, unknown>): Promise<ErrorObject[] | undefined> {
  const pieces = validator.bodyInPieces();
  if (pieces) return validateInPieces(pieces, body);
  return Promise.resolve(validator.body!(body) ? undefined : (validator.body!.errors ?? []));
}

/** Marks the request whose handler is running, so events it emits can be tied to it (request log). */
function callHandler(sim: Simulator, handler: Handler, ctx: RequestContext): HandlerResult | Promise<HandlerResult> {
  sim.activeRequest = ctx;
  try {
    return handler(ctx);
  } finally {
    sim.activeRequest = undefined;
  }
}

const keyCaches = new WeakMap<Simulator, Map<string, ApiKey>>();
const KEY_CACHE_SIZE = 1024;

/** `authenticate` memoized per Authorization header: clients send the same few keys on every request. */
function knownKey(sim: Simulator, header: string | undefined): ApiKey {
  let cache = keyCaches.get(sim);
  if (!cache) keyCaches.set(sim, (cache = new Map()));
  const hit = header === undefined ? undefined : cache.get(header);
  if (hit) return hit;
  const key = authenticate(header, allowList(sim));
  if (cache.size >= KEY_CACHE_SIZE) cache.clear();
  cache.set(header!, key);
  return key;
}

const allowLists = new WeakMap<Simulator, ReadonlySet<string>>();

/** `--keys` as a Set, built once per simulator. */
function allowList(sim: Simulator): ReadonlySet<string> | undefined {
  if (!sim.config.keys) return undefined;
  let set = allowLists.get(sim);
  if (!set) allowLists.set(sim, (set = new Set(sim.config.keys)));
  return set;
}

const PAGE_PREFIXES = ['/c/', '/p/', '/pay/', '/3ds/', '/assets/', '/uploads/', '/_sim/ui', '/receipts/'];

export function isPagePath(pathname: string): boolean {
  // Browsers fetch /favicon.ico by themselves: the pages answer it with an icon, not a JSON 404.
  return PAGE_PREFIXES.some((p) => pathname.startsWith(p)) || pathname === '/' || pathname === '/favicon.ico';
}
