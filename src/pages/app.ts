// Pages for people (hosted checkout, payment links, uploads): served next to the API.
// Loaded lazily by src/server.ts on the first page request.
import type { IncomingMessage, ServerResponse } from 'node:http';
import express from 'express';
import { errors } from '../core/errors.js';
import { errorResult, writeResult } from '../http/respond.js';
import type { Simulator } from '../simulator.js';
import { handleUploadPage } from '../resources/uploads.js';

export function createPagesHandler(sim: Simulator): (req: IncomingMessage, res: ServerResponse) => void {
  const app = express();
  app.disable('x-powered-by');
  app.use('/uploads', (req, res) => void handleUploadPage(sim, req, res, req.originalUrl.split('?')[0]!));
  // Anything else on a page path is unknown: answer in the XPay envelope, never express's HTML.
  app.use((req, res) => {
    const requestId = sim.nextRequestId();
    writeResult(res, requestId, errorResult(errors.code(404, 'invalid_request', `Unrecognized request URL (${req.method}: ${req.path}).`), requestId));
  });
  return (req, res) => app(req as express.Request, res as express.Response);
}
