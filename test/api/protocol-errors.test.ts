// Requests node:http rejects before routing, sent over raw sockets so nothing tidies them first.
import { afterEach, describe, expect, it } from 'vitest';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { startSimulator, type RunningSimulator } from '../../src/server.js';
import { MAX_URL_BYTES } from '../../src/http/protocol-errors.js';

let running: RunningSimulator | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

async function start(http = {}): Promise<number> {
  running = await startSimulator({ port: 0, host: '127.0.0.1', seed: 'protocol' }, http);
  return (running.server.address() as AddressInfo).port;
}

interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: any;
}

/** Writes `chunks` (without ending the socket) and collects everything until the server closes it. */
function exchange(port: number, chunks: string[]): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const received: Buffer[] = [];
    socket.on('data', (d) => received.push(d));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(received).toString('utf8');
      const [head = '', body = ''] = text.split('\r\n\r\n', 2);
      const [statusLine = '', ...lines] = head.split('\r\n');
      const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body: body ? JSON.parse(body) : undefined });
    });
    socket.on('connect', () => {
      for (const chunk of chunks) socket.write(chunk);
    });
  });
}

function expectXPayError(answer: RawAnswer, status: number, code: string): void {
  expect(answer.status).toBe(status);
  expect(answer.headers['content-type']).toContain('application/json');
  expect(answer.headers.connection).toBe('close');
  expect(answer.headers['request-id']).toMatch(/^req_/);
  expect(answer.body.error).toMatchObject({ type: 'invalid_request_error', code });
  expect(answer.body.error.message).toEqual(expect.any(String));
}

describe('protocol errors answer with the right status and an XPay-shaped body', () => {
  it('431 when the headers are larger than node accepts', async () => {
    const port = await start();
    const big = `X-Filler: ${'a'.repeat(20_000)}\r\n`;
    expectXPayError(await exchange(port, [`GET /v1/customers HTTP/1.1\r\nHost: x\r\n${big}\r\n`]), 431, 'invalid_request');
  });

  it('414 when the request line itself overflows the head', async () => {
    const port = await start();
    expectXPayError(await exchange(port, [`GET /v1/customers?q=${'a'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`]), 414, 'invalid_request');
  });

  it('414 for a URL over the cap that still fits the head, and the API keeps serving', async () => {
    const port = await start();
    const answer = await exchange(port, [`GET /v1/customers?q=${'a'.repeat(MAX_URL_BYTES)} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`]);
    expectXPayError(answer, 414, 'invalid_request');
    expect(answer.body.error.message).toContain(String(MAX_URL_BYTES));
    const health = await exchange(port, ['GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n']);
    expect(health.status).toBe(200);
  });

  it('408 request_timeout when a client stops sending its headers', async () => {
    const port = await start({ headersTimeout: 300, requestTimeout: 300, connectionsCheckingInterval: 50 });
    expectXPayError(await exchange(port, ['GET /v1/customers HTTP/1.1\r\nHost: x\r\n']), 408, 'request_timeout');
  });

  it('400 invalid_request for bytes that are not HTTP', async () => {
    const port = await start();
    expectXPayError(await exchange(port, ['HELLO THERE\r\n\r\n']), 400, 'invalid_request');
  });

  it('405 with Allow for CONNECT instead of silence', async () => {
    const port = await start();
    const answer = await exchange(port, ['CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n']);
    expectXPayError(answer, 405, 'invalid_request');
    expect(answer.headers.allow).toContain('GET');
    expect(answer.body.error.message).toContain('CONNECT');
  });
});
