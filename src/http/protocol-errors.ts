// Answers for requests node:http rejects before they reach the pipeline (oversized heads, slow
// clients, unparsable HTTP) and for CONNECT, which node hands over as a raw socket. Each gets the
// status a client library understands and a short XPay-shaped JSON body, then the connection closes.
import { STATUS_CODES, type IncomingMessage, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { XPayError, errors } from '../core/errors.js';

/** Longest request target the API answers; longer ones get 414 (node's whole-head cap is 16 KiB). */
export const MAX_URL_BYTES = 8 * 1024;

export function urlTooLong(): XPayError {
  return errors.code(414, 'invalid_request', `The request URL is longer than ${MAX_URL_BYTES} bytes.`);
}

function headersTooLarge(): XPayError {
  return errors.code(431, 'invalid_request', 'The request headers are too large.');
}

/**
 * node:http reports an oversized request line and oversized headers with the same code; the bytes
 * it was parsing tell them apart: a request line that does not end (or is over the URL cap) is 414.
 */
function headerOverflow(rawPacket: Buffer | undefined): XPayError {
  if (!rawPacket) return headersTooLarge();
  const lineEnd = rawPacket.indexOf('\r\n');
  const startsWithMethod = /^[A-Z]+ /.test(rawPacket.subarray(0, 16).toString('latin1'));
  if (startsWithMethod && (lineEnd === -1 || lineEnd > MAX_URL_BYTES)) return urlTooLong();
  return headersTooLarge();
}

/** The error to answer a node:http client error with; undefined when nothing can be answered. */
export function clientErrorAnswer(err: NodeJS.ErrnoException & { rawPacket?: Buffer }): XPayError | undefined {
  switch (err.code) {
    case 'ECONNRESET':
    case 'EPIPE':
      return undefined;
    case 'HPE_HEADER_OVERFLOW':
      return headerOverflow(err.rawPacket);
    case 'ERR_HTTP_REQUEST_TIMEOUT':
    case 'HPE_HEADERS_TIMEOUT':
      return errors.code(408, 'request_timeout', 'The request was not received in time; send it again.');
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return errors.code(413, 'invalid_request', 'A chunk extension of the request body is too large.');
    default:
      return errors.code(400, 'invalid_request', 'The request is not valid HTTP/1.1.');
  }
}

/** Writes `error` as a complete HTTP/1.1 answer on a raw socket and closes it. Never throws. */
export function answerOnSocket(socket: Duplex, error: XPayError, requestId: string, extraHeaders: Record<string, string> = {}): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const body = JSON.stringify(error.toBody(requestId));
  const headers = {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(body)),
    'Request-Id': requestId,
    Connection: 'close',
    ...extraHeaders,
  };
  const head = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`).join('');
  try {
    socket.end(`HTTP/1.1 ${error.status} ${STATUS_CODES[error.status] ?? 'Error'}\r\n${head}\r\n${body}`);
  } catch {
    socket.destroy();
  }
}

/** Hooks the protocol-level answers onto `server`; `nextRequestId` numbers them like API requests. */
export function installProtocolErrors(server: Server, nextRequestId: () => string): void {
  server.on('clientError', (err: NodeJS.ErrnoException & { rawPacket?: Buffer }, socket: Duplex) => {
    const error = clientErrorAnswer(err);
    if (error) answerOnSocket(socket, error, nextRequestId());
    else socket.destroy();
  });
  // Without a listener node silently drops CONNECT; the API is not a proxy, so say so.
  server.on('connect', (req: IncomingMessage, socket: Duplex) => {
    socket.on('error', () => socket.destroy());
    const error = errors.code(405, 'invalid_request', `CONNECT is not supported; the simulator is not a proxy (target ${req.url ?? ''}).`);
    answerOnSocket(socket, error, nextRequestId(), { Allow: 'GET, POST, PATCH, PUT, DELETE, HEAD, OPTIONS' });
  });
}
