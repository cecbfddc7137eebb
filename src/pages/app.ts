// Pages for people (hosted checkout, payment links, 3-D Secure, receipts, uploads): served next
// to the API. Loaded lazily by src/server.ts on the first page request.
import type { IncomingMessage, ServerResponse } from 'node:http';
import express from 'express';
import { errors } from '../core/errors.js';
import { errorResult, writeResult } from '../http/respond.js';
import type { Simulator } from '../simulator.js';
import { handleUploadPage } from '../resources/uploads.js';
import { CHECKOUT_CSS } from './styles.js';
import { FAVICON_ICO, FAVICON_SVG } from './favicon.js';
import { browserLocale, stringsFor } from './i18n.js';
import { messagePage, notFoundPage } from './layout.js';
import { sendHtml } from './send-page.js';
import { mountCheckoutRoutes } from './checkout-routes.js';
import { mountThreeDsRoutes } from './three-ds.js';
import { mountReceiptRoutes } from './receipt.js';
import { mountLinkRoutes } from './link-routes.js';
import { mountElementRoutes } from './element-page.js';
import { sdkFrameScript } from '../sdk-api/bundles.js';
import { XPayError } from '../core/errors.js';
import { mountWorkbench } from '../sim/workbench-page.js';

const HTML_PREFIXES = ['/c/', '/p/', '/3ds/', '/receipts/'];

export function createPagesHandler(sim: Simulator): (req: IncomingMessage, res: ServerResponse) => void {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use('/uploads', (req, res) => void handleUploadPage(sim, req, res, req.originalUrl.split('?')[0]!));
  app.get('/assets/checkout.css', (_req, res) => {
    res.type('text/css').set({ 'Cache-Control': 'public, max-age=300', 'X-Content-Type-Options': 'nosniff' }).send(CHECKOUT_CSS);
  });
  // Browsers ask every origin for /favicon.ico; pages also name the SVG in <link rel="icon">.
  app.get('/favicon.ico', (_req, res) => {
    res.type('image/x-icon').set({ 'Cache-Control': 'public, max-age=86400', 'X-Content-Type-Options': 'nosniff' }).send(FAVICON_ICO);
  });
  app.get('/assets/favicon.svg', (_req, res) => {
    res.type('image/svg+xml').set({ 'Cache-Control': 'public, max-age=86400', 'X-Content-Type-Options': 'nosniff' }).send(FAVICON_SVG);
  });
  // The script of the SDK windows (embedded checkout, card element, 3-D Secure inside the SDK).
  app.get('/assets/sdk-frame.js', (_req, res) => {
    let script: string;
    try {
      script = sdkFrameScript();
    } catch (e) {
      const status = e instanceof XPayError ? e.status : 500;
      return void res.status(status).type('text/plain').send(e instanceof XPayError ? e.message : 'The SDK frame script could not be read.');
    }
    res.type('application/javascript').set({ 'Cache-Control': 'no-cache', 'X-Content-Type-Options': 'nosniff' }).send(script);
  });
  mountWorkbench(app, sim);
  app.use(express.urlencoded({ extended: false, limit: '64kb', parameterLimit: 500 }));
  mountCheckoutRoutes(app, sim);
  mountElementRoutes(app, sim);
  mountThreeDsRoutes(app, sim);
  mountLinkRoutes(app, sim);
  mountReceiptRoutes(app, sim);
  app.use((req, res) => {
    if (HTML_PREFIXES.some((p) => req.path.startsWith(p))) return sendHtml(res, req.method === 'GET' || req.method === 'POST' ? 404 : 405, notFoundPage(browserLocale(req)));
    // Anything else on a page path is unknown: answer in the XPay envelope, never express's HTML.
    // The id the request log gave this page request (src/control/page-request-log.ts).
    const requestId = (res.getHeader('Request-Id') as string | undefined) ?? sim.nextRequestId();
    writeResult(res, requestId, errorResult(errors.code(404, 'invalid_request', `Unrecognized request URL (${req.method}: ${req.path}).`), requestId));
  });
  // Bad form bodies and unexpected failures: a plain page, never a stack trace.
  app.use((err: unknown, req: express.Request, res: express.Response, _next: express.NextFunction) => {
    const status = typeof (err as { status?: unknown }).status === 'number' && (err as { status: number }).status < 500 ? (err as { status: number }).status : 500;
    if (status === 500) console.error(`[pages] ${req.method} ${req.path}:`, err);
    if (res.headersSent) return void res.end();
    const t = stringsFor('en');
    const heading = status === 500 ? t.somethingWrong : t.unreadable;
    sendHtml(res, status, messagePage({ title: heading, heading, text: status === 500 ? t.somethingWrongBody : t.unreadableBody }));
  });
  return (req, res) => app(req as express.Request, res as express.Response);
}
