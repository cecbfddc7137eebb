// CORS for the browser SDK's client endpoints only: a merchant page on its own origin calls
// /_sdk/* with a publishable key. Every other operation (secret-key API, /_sim) stays without CORS,
// and so does confirm, which carries card data and is called only by the simulator's own frame.
import type { IncomingMessage, ServerResponse } from 'node:http';

const PREFIX = '/_sdk/';
const SAME_ORIGIN_ONLY = new Set(['/_sdk/checkout-session/confirm']);

/** The response headers that let any origin read the answer (no cookies are involved: the key travels in Authorization). */
export const CORS_HEADERS: Readonly<Record<string, string>> = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Expose-Headers': 'Request-Id',
};

export function isCorsPath(pathname: string): boolean {
  return pathname.startsWith(PREFIX) && !SAME_ORIGIN_ONLY.has(pathname.replace(/\/+$/, ''));
}

/** Answers a CORS preflight (OPTIONS) for a client endpoint; false when the request is not one. */
export function answerPreflight(req: IncomingMessage, res: ServerResponse, pathname: string, allowed: string[] | undefined): boolean {
  if (req.method !== 'OPTIONS' || !isCorsPath(pathname) || !allowed) return false;
  req.resume();
  res.writeHead(204, {
    ...CORS_HEADERS,
    'Access-Control-Allow-Methods': allowed.join(', '),
    'Access-Control-Allow-Headers': 'Authorization, Content-Type',
    'Access-Control-Max-Age': '600',
    Vary: 'Origin',
  });
  res.end();
  return true;
}
