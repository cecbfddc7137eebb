// Large answers (API JSON and hosted pages) go out one piece per turn of the event loop, so no
// single answer holds the server, and every other tenant's requests, for the whole of its
// encoding and writing. The piece sizes are chosen by the callers.
import type { ServerResponse } from 'node:http';

export interface Piece {
  text: string;
  /** The last piece: the answer ends with it. */
  done: boolean;
}

/**
 * Writes what `next` gives, one piece per turn, until a piece says done. A reader that is slower
 * than the writer is waited for (drain); one that goes away stops the writing (and whatever
 * `next` would have rendered). An error from `next` cuts the connection: the status and part of
 * the answer are already out, so the client must not take the rest for a whole answer.
 */
export async function writeInTurns(res: ServerResponse, next: () => Piece): Promise<void> {
  try {
    for (;;) {
      await nextTurn();
      if (res.destroyed) return;
      const piece = next();
      if (piece.done) {
        res.end(piece.text);
        return;
      }
      if (!res.write(piece.text)) await drained(res);
    }
  } catch (e) {
    res.destroy(e as Error);
  }
}

/** Lets every other callback that is ready (other requests' I/O, timers) run first. */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

/** `text` in pieces of about `size` characters, never cutting a surrogate pair in two. */
export function piecesOf(text: string, size: number): () => Piece {
  let at = 0;
  return () => {
    let end = Math.min(text.length, at + size);
    const last = text.charCodeAt(end - 1);
    // A high surrogate last: its pair goes with it (back one, or on one when the piece is that pair).
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end += end - 1 > at ? -1 : 1;
    const piece = text.slice(at, end);
    at = end;
    return { text: piece, done: at >= text.length };
  };
}
