// Large hosted pages are written in pieces (src/pages/send-page.ts): a session or payment link at
// every cap arrives whole and well formed, in chunks, while the rest of the server keeps turning;
// a shopper who leaves mid-page stops the rendering; small pages still go out in one piece.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestSim, type TestSim } from '../helpers/sim.js';
import { createSession, pagePath } from '../helpers/pages.js';
import { html, type SafeHtml } from '../../src/pages/html.js';
import { sendPage } from '../../src/pages/send-page.js';
import { countTurns } from '../helpers/turns.js';

let sim: TestSim;
beforeEach(async () => {
  sim = await startTestSim();
});
afterEach(async () => {
  await sim.close();
});

/** Every cap at its limit: 100 long line items, 3 dropdowns of 200 long options. */
function largestCart() {
  return {
    lineItems: Array.from({ length: 100 }, (_, i) => ({
      priceData: { currency: 'EGP', unitAmount: 1000 + i, productData: { name: `Item ${i} ${'n'.repeat(200)}`, description: `About ${i} ${'d'.repeat(480)}` } },
      quantity: 1,
    })),
    customFields: Array.from({ length: 3 }, (_, f) => ({
      label: `Field ${f}`, type: 'DROPDOWN', isOptional: true, dropdownOptions: Array.from({ length: 200 }, (_, o) => ({ label: `Option ${f}-${o} ${'o'.repeat(80)}` })),
    })),
  };
}

function count(text: string, needle: string): number {
  return text.split(needle).length - 1;
}

function expectWholeLargestPage(text: string): void {
  for (let i = 0; i < 100; i++) expect(text).toContain(`Item ${i} ${'n'.repeat(200)}`);
  for (let f = 0; f < 3; f++) for (let o = 0; o < 200; o++) expect(text).toContain(`>Option ${f}-${o} ${'o'.repeat(80)}</option>`);
  expect(count(text, '<select ')).toBe(3);
  expect(count(text, '</select>')).toBe(3);
  expect(text).toMatch(/^<!doctype html>/);
  expect(text.trimEnd()).toMatch(/<\/form>\n<\/main>\n<footer class="foot">[^<]*<\/footer>\n<\/body>\n<\/html>$/);
}

describe('large hosted pages', () => {
  it('a checkout session at every cap arrives whole, chunked, with the page headers', async () => {
    const session = await createSession(sim, largestCart());
    const res = await fetch(sim.url + pagePath(session));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(res.headers.get('content-length')).toBeNull();
    const text = await res.text();
    expectWholeLargestPage(text);
    expect(count(text, 'class="item-name"')).toBe(100);
  });

  it('a payment link at every cap arrives whole, and so does its page again after a refused quantity', async () => {
    const cart = largestCart();
    // Links take prices by id: one product (with its default price) per line.
    const lineItems = [];
    for (const [i, line] of cart.lineItems.entries()) {
      const { name, description } = line.priceData.productData;
      const product = await sim.post('/products', { name, description, defaultPrice: { currency: 'EGP', unitAmount: line.priceData.unitAmount } });
      expect(product.status, product.text).toBe(201);
      lineItems.push({ priceId: product.body.prices[0].id, quantity: 1, ...(i === 0 ? { adjustableQuantity: { enabled: true, maximum: 3 } } : {}) });
    }
    const created = await sim.post('/payment-links', { afterCompletion: { type: 'redirect', redirect: { url: 'https://shop.example/done' } }, lineItems, customFields: cart.customFields });
    expect(created.status, created.text).toBe(201);
    const path = new URL(created.headers.get('xpay-sim-page-url')!).pathname;
    const page = await fetch(sim.url + path);
    expect(page.status).toBe(200);
    expectWholeLargestPage(await page.text());
    const refused = await fetch(sim.url + path, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: `qty_${created.body.lineItems[0].id}=9` });
    expect(refused.status).toBe(400);
    const text = await refused.text();
    expectWholeLargestPage(text);
    expect(text).toContain('aria-invalid="true"');
  });

  it('a small page still goes out in one piece, with its length', async () => {
    const session = await createSession(sim);
    const res = await fetch(sim.url + pagePath(session));
    const text = await res.text();
    expect(res.headers.get('content-length')).toBe(String(Buffer.byteLength(text)));
  });
});

/** A bare express app answering /page with `sendPage` over `pieces` (each 4 KiB). */
async function pageServer(pieces: () => Iterable<SafeHtml>) {
  const app = express();
  app.get('/page', (_req, res) => sendPage(res, 200, pieces()));
  app.get('/ping', (_req, res) => void res.send('pong'));
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, close: () => new Promise((r) => (server.closeAllConnections(), server.close(r))) };
}

describe('sendPage', () => {
  const PIECE = 'x'.repeat(4096);

  it('renders and writes over many turns of the event loop, so other work runs in between', async () => {
    const loop = countTurns();
    const seenAtPiece: number[] = [];
    const server = await pageServer(function* () {
      for (let i = 0; i < 64; i++) {
        seenAtPiece.push(loop.turns);
        yield html`${PIECE}`;
      }
    });
    try {
      const text = await (await fetch(server.url + '/page')).text();
      expect(text).toBe(PIECE.repeat(64));
      // 64 pieces of 4 KiB are 16 chunks: the loop turned between the first and the last piece.
      expect(seenAtPiece.at(-1)! - seenAtPiece[0]!).toBeGreaterThanOrEqual(15);
    } finally {
      loop.stop();
      await server.close();
    }
  });

  it('stops rendering when the reader goes away, and the server keeps answering', async () => {
    let rendered = 0;
    const server = await pageServer(function* () {
      // 64 MiB: far more than any socket buffer takes without a reader.
      for (let i = 0; i < 16_384; i++) {
        rendered++;
        yield html`${PIECE}`;
      }
    });
    try {
      await new Promise<void>((resolve, reject) => {
        const req = http.get(server.url + '/page', (res) => {
          res.once('data', () => {
            req.destroy();
            resolve();
          });
        });
        req.on('error', (e) => (e.message.includes('socket hang up') ? undefined : reject(e)));
      });
      const ping = await fetch(server.url + '/ping');
      expect(await ping.text()).toBe('pong');
      const after = rendered;
      await new Promise((r) => setTimeout(r, 50));
      expect(rendered).toBe(after);
      expect(rendered).toBeLessThan(16_384);
    } finally {
      await server.close();
    }
  });

  it('a piece that fails after the first chunk cuts the connection instead of sending half a page as whole', async () => {
    const server = await pageServer(function* () {
      for (let i = 0; i < 8; i++) yield html`${PIECE}`;
      throw new Error('render failed');
    });
    try {
      await expect(fetch(server.url + '/page').then((r) => r.text())).rejects.toThrow();
      expect(await (await fetch(server.url + '/ping')).text()).toBe('pong');
    } finally {
      await server.close();
    }
  });
});
