// Large answers are written a piece per turn of the event loop (src/http/write-in-turns.ts): the
// pieces add up to the answer exactly, a surrogate pair is never cut, other work runs between
// pieces, and a large API answer arrives whole with the right Content-Length.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
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
});
