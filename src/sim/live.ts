// GET /_sim/live: a Server-Sent Events stream telling a namespace's watchers (the Workbench) that
// something happened: a request finished, an event was emitted, or work outside a request (a webhook
// attempt, a hosted page form) changed the namespace. Watchers then re-read the documented routes.
// With no stream open the hooks compare one counter; with streams open elsewhere, one WeakMap lookup.
import type { ServerResponse } from 'node:http';
import { XPayError } from '../core/errors.js';
import { onEvent } from '../events/emit.js';
import type { Handler, RequestContext } from '../http/types.js';
import { closeWhenClientEnds } from '../http/respond.js';
import type { Simulator } from '../simulator.js';
import type { Namespace } from '../store/namespace.js';
import { redactText } from '../control/redact.js';
import { namespaceByToken } from '../control/page-urls.js';
import { tokenIn } from '../control/page-request-log.js';
import { simNamespace } from './events.js';

/** Header a client sets on its own requests so it can tell them apart from the integration's in the stream. */
export const CLIENT_HEADER = 'xpay-sim-client';
const HEARTBEAT_MS = 15_000;
/** A watcher that stops reading is cut off once this much is waiting to be sent to it. */
const MAX_BUFFERED_BYTES = 1024 * 1024;

type Watcher = (event: string, data: unknown) => void;

const watchers = new WeakMap<Namespace, Set<Watcher>>();
/** Streams open in this process: with none, page requests are not even looked at. */
let streamsOpen = 0;

function tell(ns: Namespace | undefined, event: string, data: () => unknown): void {
  if (streamsOpen === 0 || !ns) return;
  const set = watchers.get(ns);
  if (!set || set.size === 0) return;
  const payload = data();
  for (const w of set) w(event, payload);
}

export function installLive(sim: Simulator): void {
  sim.requestCompleted.push((ctx, result) => {
    if (ctx.operationId === 'streamSimLive') return;
    tell(ctx.ns, 'request', () => requestSummary(ctx, result.status));
  });
  onEvent(sim, (ns, event) => tell(ns, 'event', () => ({ id: event.id, type: event.type, created: event.created })));
  sim.backgroundChange.push(async (ns) => tell(ns, 'change', () => ({ at: ns.nowIso() })));
  // Hosted pages (checkout, payment links, 3-D Secure) name their namespace by the token in their URL.
  sim.pageRequest.push((req, res) => {
    if (streamsOpen === 0) return;
    const startedAt = performance.now();
    res.once('close', () => {
      const path = (req.url ?? '/').split('?')[0]!;
      const token = tokenIn(path);
      if (token === undefined) return;
      tell(namespaceByToken(sim, token), 'request', () => ({
        requestId: res.getHeader('Request-Id') ?? null, method: req.method ?? 'GET', path: redactText(path), status: res.statusCode,
        durationMs: Math.round((performance.now() - startedAt) * 1000) / 1000, client: null,
      }));
    });
  });
}

function requestSummary(ctx: RequestContext, status: number): Record<string, unknown> {
  const client = ctx.headers[CLIENT_HEADER];
  return {
    requestId: ctx.requestId,
    method: ctx.method,
    path: redactText(ctx.path),
    status,
    durationMs: Math.round((performance.now() - ctx.startedAt) * 1000) / 1000,
    client: typeof client === 'string' ? client.slice(0, 64) : null,
  };
}

/** How many streams are open on a namespace (tests check that closing one releases its slot). */
export function watcherCount(ns: Namespace): number {
  return watchers.get(ns)?.size ?? 0;
}

export const streamSimLive: Handler = (ctx) => {
  const ns = simNamespace(ctx);
  const cap = ctx.sim.config.limits.liveSubscribers;
  const set = watchers.get(ns) ?? new Set<Watcher>();
  if (set.size >= cap) {
    throw new XPayError(429, 'rate_limit_error', 'rate_limit',
      `This namespace already has ${cap} live streams open (limit liveSubscribers); close one (a Workbench tab) or raise it with --limit liveSubscribers=N.`,
      undefined, { 'Retry-After': '5' });
  }
  watchers.set(ns, set);
  return {
    status: 200,
    headers: { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache, no-store', 'X-Accel-Buffering': 'no' },
    stream: (res) => attach(res, set, ctx.requestId),
  };
};

function attach(res: ServerResponse, set: Set<Watcher>, requestId: string): void {
  const write = (text: string) => {
    res.write(text);
    if (res.writableLength > MAX_BUFFERED_BYTES) res.destroy();
  };
  const watcher: Watcher = (event, data) => write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  set.add(watcher);
  streamsOpen++;
  const heartbeat = setInterval(() => write(': still here\n\n'), HEARTBEAT_MS);
  heartbeat.unref();
  closeWhenClientEnds(res);
  res.once('close', () => {
    clearInterval(heartbeat);
    set.delete(watcher);
    streamsOpen--;
  });
  // Tells the client the stream is live (retry: how long EventSource-style clients wait before reconnecting).
  write(`retry: 2000\nevent: ready\ndata: ${JSON.stringify({ requestId, watchers: set.size })}\n\n`);
}
