// Large answers are written a piece per turn of the event loop (src/http/write-in-turns.ts): the
// pieces add up to the answer exactly, a surrogate pair is never cut, other work runs between
// pieces, and a large API answer arrives whole with the right Content-Length.
import http from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { piecesOf, writeInTurns } from '../../src/http/write-in-turns.js';
import { startTestSim, type TestSim } from '../helpers/sim.js';
import { countTurns } from '../helpers/turns.js';

describe('piecesOf', () => {
  it('cuts text into pieces that add up to it, never between the halves of a surrogate pair', () => {
    const text = 'a' + '😀'.repeat(5000) + 'مرحبا' + 'z';
    for (const size of [1, 2, 3, 1000, 4096, text.length, text.length + 10]) {
      const next = piecesOf(text, size);
      const pieces: string[] = [];
      for (let piece = next(); ; piece = next()) {
        pieces.push(piece.text);
        if (piece.done) break;
        expect(pieces.length).toBeLessThan(text.length + 2);
      }
      expect(pieces.join('')).toBe(text);
      // A lone surrogate would not survive UTF-8: every piece must.
      for (const p of pieces) expect(Buffer.from(p).toString('utf8')).toBe(p);
    }
  });
});

describe('writeInTurns', () => {
  it('lets other callbacks run between pieces, and ends the answer with the last one', async () => {
    const loop = countTurns();
    const turnAtPiece: number[] = [];
    const server = http.createServer((_req, res) => {
      const next = piecesOf('x'.repeat(40 * 1024), 1024);
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      void writeInTurns(res, () => {
        turnAtPiece.push(loop.turns);
        return next();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
      expect(await res.text()).toBe('x'.repeat(40 * 1024));
      expect(turnAtPiece).toHaveLength(40);
      // Each piece waited for a turn of its own.
      for (let i = 1; i < turnAtPiece.length; i++) expect(turnAtPiece[i]!).toBeGreaterThan(turnAtPiece[i - 1]!);
    } finally {
      loop.stop();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });
});

describe('large API answers', () => {
  let sim: TestSim | undefined;
  afterEach(async () => {
    await sim?.close();
    sim = undefined;
  });

  it('a session at every cap is answered whole, with a Content-Length that matches, non-ASCII text intact', async () => {
    sim = await startTestSim();
    const name = (i: number) => `Item ${i} 😀 كوب ${'n'.repeat(220)}`;
    const lineItems = Array.from({ length: 100 }, (_, i) => ({ priceData: { currency: 'EGP', unitAmount: 1000 + i, productData: { name: name(i), description: 'd'.repeat(500) } }, quantity: 1 }));
    const created = await sim.post('/checkout/sessions', { afterCompletion: { type: 'redirect', redirect: { url: 'https://shop.example/done' } }, lineItems });
    expect(created.status).toBe(201);
    expect(created.text.length).toBeGreaterThan(64 * 1024);
    const res = await fetch(`${sim.url}/checkout/sessions/${created.body.id}`, { headers: { Authorization: 'Bearer sk_test_xpaysim_tests' } });
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(res.headers.get('content-length')).toBe(String(bytes.length));
    const session = JSON.parse(bytes.toString('utf8'));
    for (let i = 0; i < 100; i++) expect(JSON.stringify(session.lineItems[i])).toContain(name(i));
    // The request log keeps a preview of the large request as sent, with its size.
    const entry = (await sim.get('/_sim/requests')).body.data.find((e: { method: string }) => e.method === 'POST');
    expect(entry.requestBody).toMatchObject({ object: 'sim.truncated_body', originalBytes: Buffer.byteLength(JSON.stringify({ afterCompletion: { type: 'redirect', redirect: { url: 'https://shop.example/done' } }, lineItems })) });
  });

  it('a handler that used up its turn has its answer serialized in a later turn, so other requests go first', async () => {
    sim = await startTestSim();
    const original = sim.sim.handlers.getAccount!;
    const plain = (await sim.get('/account')).body;
    const loop = countTurns();
    const turns = { handled: -1, serialized: -1 };
    try {
      sim.sim.handlers.getAccount = async (ctx) => {
        const answer = await original(ctx);
        // A handler that renders a large answer: 2 ms of work.
        for (const until = performance.now() + 2; performance.now() < until; );
        turns.handled = loop.turns;
        // toJSON runs when the answer is serialized.
        return { ...answer, body: { toJSON: () => ((turns.serialized = loop.turns), answer.body) } };
      };
      const res = await sim.get('/account');
      expect(res.status).toBe(200);
      expect(res.body).toEqual(plain);
    } finally {
      sim.sim.handlers.getAccount = original;
      loop.stop();
    }
    expect(turns.serialized).toBeGreaterThan(turns.handled);
  });

  it('answers a client that half-closes its side after sending, also when the answer comes turns later', async () => {
    sim = await startTestSim();
    const lineItems = Array.from({ length: 100 }, (_, i) => ({ priceData: { currency: 'EGP', unitAmount: 1000 + i, productData: { name: `Item ${i} ${'n'.repeat(220)}`, description: 'd'.repeat(500) } }, quantity: 1 }));
    const data = JSON.stringify({ afterCompletion: { type: 'redirect', redirect: { url: 'https://shop.example/done' } }, lineItems });
    const url = new URL(sim.url);
    const head = [`POST /checkout/sessions HTTP/1.1`, `Host: ${url.host}`, 'Authorization: Bearer sk_test_xpaysim_tests', 'Content-Type: application/json', `Content-Length: ${Buffer.byteLength(data)}`].join('\r\n');
    // As `printf … | nc` does: the request, then the end of the client's side, then the answer is read.
    const text = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(url.port), url.hostname, () => socket.end(`${head}\r\n\r\n${data}`));
      const chunks: Buffer[] = [];
      socket.on('data', (c: Buffer) => chunks.push(c));
      socket.on('error', reject);
      socket.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    });
    expect(text.startsWith('HTTP/1.1 201')).toBe(true);
    const length = Number(/content-length: (\d+)/i.exec(text)![1]);
    const body = text.slice(text.indexOf('\r\n\r\n') + 4);
    expect(Buffer.byteLength(body)).toBe(length);
    expect(JSON.parse(body).lineItems).toHaveLength(100);
  });
});
