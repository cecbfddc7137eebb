// Hosted-page requests (checkout, payment links, 3-D Secure, receipts, uploads) in the request log
// and `--log json`, like API requests: pages bypass the API pipeline, so they are recorded from
// the `sim.pageRequest` hook once the answer is sent. Their form fields are masked like API bodies
// (card numbers to the last 4 digits, CVCs redacted); their HTML answers are not kept.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Simulator } from '../simulator.js';
import { namespaceByToken } from './page-urls.js';
import { keepLogEntry, keptParsedBody, printLogLine } from './request-log.js';

/** The namespace token a page URL carries (`/c/ns_…/cs_…`), if any. */
export function tokenIn(path: string): string | undefined {
  return path.split('/').find((segment) => /^ns_[A-Za-z0-9_-]{22}$/.test(segment));
}

function record(sim: Simulator, req: IncomingMessage, res: ServerResponse, requestId: string, startedAt: number): void {
  const url = new URL(req.url ?? '/', 'http://page.local');
  const durationMs = Math.round((performance.now() - startedAt) * 1000) / 1000;
  const method = req.method ?? 'GET';
  printLogLine(sim, { requestId, method, path: url.pathname, status: res.statusCode, durationMs, source: 'page' });
  const token = tokenIn(url.pathname);
  const ns = token === undefined ? undefined : namespaceByToken(sim, token);
  if (!ns) return;
  // express's urlencoded parser leaves the form fields on req.body (pages post forms, never JSON).
  const form = (req as IncomingMessage & { body?: unknown }).body;
  const hasForm = form !== null && typeof form === 'object' && Object.keys(form).length > 0;
  keepLogEntry(sim, ns, {
    requestId, method, path: url.pathname, query: Object.fromEntries(url.searchParams), status: res.statusCode, at: ns.clock.now(), durationMs,
    idempotencyKey: null, eventIds: [], dropped: !res.writableFinished, source: 'page',
  }, keptParsedBody(hasForm ? form : null, sim.config.limits.requestLogBodyBytes), { body: null, bytes: 4 });
}

export function installPageRequestLog(sim: Simulator): void {
  sim.pageRequest.push((req, res) => {
    const startedAt = performance.now();
    const requestId = sim.nextRequestId();
    res.setHeader('Request-Id', requestId);
    res.once('close', () => record(sim, req, res, requestId, startedAt));
  });
}
