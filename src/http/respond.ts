// The only place that writes API responses: JSON bodies, errors in the XPay envelope, headers.
import type { ServerResponse } from 'node:http';
import { XPayError, errors } from '../core/errors.js';
import type { HandlerResult } from './types.js';
import { piecesOf, writeInTurns } from './write-in-turns.js';

/** Answers longer than this (characters) are written a piece per turn of the event loop. */
const LARGE_ANSWER_CHARS = 64 * 1024;
const ANSWER_PIECE_CHARS = 16 * 1024;

export function writeResult(res: ServerResponse, requestId: string, result: HandlerResult, headOnly = false): void {
  if (res.headersSent || res.destroyed) return;
  const headers: Record<string, string | number> = { 'Request-Id': requestId, ...result.headers };
  let payload: string | Buffer | undefined;
  serializeBody(result);
  if (result.raw) {
    headers['Content-Type'] = result.raw.contentType;
    payload = result.raw.data;
  }
  if (result.stream && !headOnly) {
    res.writeHead(result.status, headers);
    return result.stream(res);
  }
  if (payload !== undefined) headers['Content-Length'] = Buffer.byteLength(payload);
  res.writeHead(result.status, headers);
  if (!headOnly && typeof payload === 'string' && payload.length > LARGE_ANSWER_CHARS) {
    // A session at every cap answers ≈ 240 KB: encoding and writing it at once would hold every
    // other request back for milliseconds.
    const next = piecesOf(payload, ANSWER_PIECE_CHARS);
    res.write(next().text);
    void writeInTurns(res, next);
    return;
  }
  res.end(headOnly ? undefined : payload);
}

/**
 * Serializes a JSON answer into `raw` (keeping `body`), once: the request log and the writer both
 * read it, and a large request does it in a turn of its own.
 */
export function serializeBody(result: HandlerResult): void {
  if (result.raw || result.body === undefined || result.status === 204) return;
  result.raw = { contentType: 'application/json; charset=utf-8', data: JSON.stringify(result.body) };
}

/**
 * For answers that stay open (a live stream, a long poll): closes the answer when the client ends
 * its side of the connection. Half-open sockets are allowed so that a client that ends its side
 * after sending still gets its answer (server.ts); a client that ends it while waiting has left.
 */
export function closeWhenClientEnds(res: ServerResponse): void {
  const socket = res.socket;
  if (!socket) return;
  if (socket.readableEnded) {
    res.destroy();
    return;
  }
  const ended = () => res.destroy();
  socket.once('end', ended);
  res.once('close', () => socket.off('end', ended));
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
