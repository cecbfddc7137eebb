// Hooks `--data` persistence into everything that changes state: API requests (an interceptor),
// pages (held at `res.end`), background work (webhook attempts) and namespace eviction. Nothing
// is answered before its change is durable; a failed write answers 503 with the change undone.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { XPayError } from '../core/errors.js';
import type { HandlerResult, RequestContext } from '../http/types.js';
import type { Simulator } from '../simulator.js';
import { idempotencyInterceptor, setDurableWrite } from '../control/idempotency.js';
import { deferred, Persistence } from './persistence.js';
import { keepSnapshotsOnDisk } from '../control/state.js';

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const instances = new WeakMap<Simulator, Persistence>();
const openStores = new Set<Persistence>();
let exitHooked = false;

export function persistenceOf(sim: Simulator): Persistence | undefined {
  return instances.get(sim);
}

function writeFailed(e: unknown): XPayError {
  const code = (e as NodeJS.ErrnoException)?.code ?? 'EIO';
  return new XPayError(503, 'api_error', 'internal_error', `The simulator could not save this change to its data file (${code}); nothing was changed. Retry later.`, undefined, { 'Retry-After': '1' });
}

export function installPersistence(sim: Simulator): void {
  const file = sim.config.dataFile;
  if (!file) return;
  const store = new Persistence(sim, file);
  store.open(sim.config.dataResetCorrupt === true);
  instances.set(sim, store);
  keepSnapshotsOnDisk(sim, store.snapshotFiles, () => store.commit(), store.savedSnapshots);
  openStores.add(store);
  sim.closing.push(async () => {
    openStores.delete(store);
    await store.close();
  });
  if (!exitHooked) {
    exitHooked = true;
    process.once('exit', () => openStores.forEach((s) => s.releaseLock()));
  }
  // The durable write wraps idempotency (so its record is written with the change) but sits inside
  // faults (so "applied, then failed" really is applied).
  const at = sim.interceptors.indexOf(idempotencyInterceptor);
  sim.interceptors.splice(at === -1 ? sim.interceptors.length : at, 0, (ctx, next) => durableRequest(store, ctx, next));
  sim.backgroundChange.push(() => store.commit());
  sim.evictionStore = {
    canEvict: (ns) => store.canEvict(ns),
    evicted: (ns) => store.evictedNamespace(ns),
    revive: (key) => store.revive(key),
    keyForToken: (token) => store.evictedByToken(token),
    forgetEvicted: () => store.forgetEvicted(),
  };
  sim.pageRequest.push((req, res) => durablePage(store, req, res));
}

async function durableRequest(store: Persistence, ctx: RequestContext, next: () => Promise<HandlerResult>): Promise<HandlerResult> {
  if (READ_METHODS.has(ctx.method)) {
    const result = await next();
    // Clock-driven work (expiry) run for this read may have changed state: durable before answering.
    if (store.changedSinceWrite(ctx.ns)) {
      try {
        await store.commit();
      } catch (e) {
        throw writeFailed(e);
      }
    }
    return result;
  }
  const rollbacks = store.rollbacks;
  const written = deferred();
  setDurableWrite(ctx, written.promise);
  const end = store.begin();
  let result: HandlerResult | undefined;
  let failure: unknown;
  try {
    result = await next();
  } catch (e) {
    failure = e;
  } finally {
    end();
  }
  try {
    await store.commit();
    written.resolve();
  } catch (e) {
    written.reject(e);
    throw writeFailed(e);
  }
  if (store.rollbacks !== rollbacks) throw writeFailed(Object.assign(new Error('rolled back'), { code: 'EROLLBACK' }));
  if (failure !== undefined) throw failure;
  return result!;
}

/**
 * Pages (hosted payment form, payment-link page, 3-D Secure, uploads) bypass the API interceptors:
 * their response is held at `res.end` until the change is durable, or replaced by a 503.
 */
function durablePage(store: Persistence, req: IncomingMessage, res: ServerResponse): void {
  const end = store.begin();
  const rollbacks = store.rollbacks;
  const changing = !READ_METHODS.has(req.method ?? 'GET');
  const original = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
  res.once('close', end);
  res.end = ((...args: unknown[]) => {
    end();
    if (!changing && !store.changedSinceWrite()) return original(...args);
    store.commit().then(
      () => (store.rollbacks === rollbacks ? original(...args) : refuse(res, original, 'EROLLBACK')),
      (e) => refuse(res, original, (e as NodeJS.ErrnoException)?.code ?? 'EIO'),
    );
    return res;
  }) as typeof res.end;
}

function refuse(res: ServerResponse, end: (...args: unknown[]) => ServerResponse, code: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  for (const name of res.getHeaderNames()) res.removeHeader(name);
  res.statusCode = 503;
  res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.setHeader('Retry-After', '1');
  end(`The simulator could not save this change to its data file (${code}); nothing was changed. Go back and try again.\n`);
}

