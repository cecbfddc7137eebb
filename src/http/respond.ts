// The only place that writes API responses: JSON bodies, errors in the XPay envelope, headers.
import type { ServerResponse } from 'node:http';
import { XPayError, errors } from '../core/errors.js';
import type { HandlerResult } from './types.js';

export function writeResult(res: ServerResponse, requestId: string, result: HandlerResult, headOnly = false): void {
  if (res.headersSent || res.destroyed) return;
  const headers: Record<string, string | number> = { 'Request-Id': requestId, ...result.headers };
  let payload: string | Buffer | undefined;
  if (result.raw) {
    headers['Content-Type'] = result.raw.contentType;
    payload = result.raw.data;
  } else if (result.body !== undefined && result.status !== 204) {
    headers['Content-Type'] = 'application/json; charset=utf-8';
    payload = JSON.stringify(result.body);
  }
  if (result.stream && !headOnly) {
    res.writeHead(result.status, headers);
    return result.stream(res);
  }
  if (payload !== undefined) headers['Content-Length'] = Buffer.byteLength(payload);
  res.writeHead(result.status, headers);
  res.end(headOnly ? undefined : payload);
}

export function errorResult(error: unknown, requestId: string): HandlerResult {
  const xe = error instanceof XPayError ? error : errors.internal();
  if (!(error instanceof XPayError)) {
    // Never show a stack to the client; keep it for whoever runs the simulator.
    process.stderr.write(`[xpay-sim] ${requestId} internal error: ${(error as Error)?.stack ?? String(error)}\n`);
  }
  return { status: xe.status, body: xe.toBody(requestId), headers: xe.headers };
}

export function writeError(res: ServerResponse, requestId: string, error: unknown): void {
  writeResult(res, requestId, errorResult(error, requestId));
}
