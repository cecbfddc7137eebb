// Sends the hosted pages' HTML. A large page (a session at every cap: 100 line items, 600
// dropdown options) never holds the event loop for its whole render: each turn renders and
// writes about CHUNK_CHARS of markup, then lets other requests run. Pages come as an iterable
// of rendered pieces (generators in checkout-view.ts and link-routes.ts), so the rendering itself
// is spread over those turns too, not only the writing.
import type { Response } from 'express';
import type { SafeHtml } from './html.js';
import { setPageHeaders } from './security.js';
import { writeInTurns, type Piece } from '../http/write-in-turns.js';

/** Markup rendered and written per turn of the event loop (small pages go out in one). */
const CHUNK_CHARS = 16 * 1024;

export function sendHtml(res: Response, status: number, body: string): void {
  setPageHeaders(res, status);
  res.send(body);
}

function nextChunk(pieces: Iterator<SafeHtml>): Piece {
  let text = '';
  while (text.length < CHUNK_CHARS) {
    const piece = pieces.next();
    if (piece.done) return { text, done: true };
    text += piece.value.value;
  }
  return { text, done: false };
}

/**
 * Sends the page rendered piece by piece. The first chunk is rendered before anything is sent,
 * so an error in it still reaches the pages' error handler as a 500 page; a page that fits in one
 * chunk is sent whole (with a Content-Length), a larger one chunked.
 */
export function sendPage(res: Response, status: number, page: Iterable<SafeHtml>): void {
  const pieces = page[Symbol.iterator]();
  const first = nextChunk(pieces);
  setPageHeaders(res, status);
  if (first.done) {
    res.send(first.text);
    return;
  }
  res.write(first.text);
  void writeInTurns(res, () => nextChunk(pieces));
}
