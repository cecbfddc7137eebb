// Key-less URLs (hosted pages, 3-D Secure, receipts, uploads) carry an opaque namespace token, so
// an id is only ever resolved in the namespace that issued it: forked namespaces share their id
// stream (same ids, same clientSecrets), so ids alone cannot tell them apart.
// The token is an HMAC of the API key under a secret derived from the seed: deterministic per
// seed + key (byte-identical answers, stable across restarts with --data), and it never reveals the key.
import { createHash, createHmac } from 'node:crypto';
import type { Simulator } from '../simulator.js';
import type { Namespace } from '../store/namespace.js';

interface TokenIndex {
  secret: Buffer;
  byKey: Map<string, string>;
  byToken: Map<string, string>;
}

const indexes = new WeakMap<Simulator, TokenIndex>();

function indexOf(sim: Simulator): TokenIndex {
  let index = indexes.get(sim);
  if (!index) {
    const secret = createHash('sha256').update(`xpay-sim namespace tokens\u0000${sim.config.seed}`).digest();
    indexes.set(sim, (index = { secret, byKey: new Map(), byToken: new Map() }));
  }
  return index;
}

/** `ns_` + 22 base64url characters (132 bits of HMAC-SHA256 of the key). */
export function namespaceToken(sim: Simulator, key: string): string {
  const index = indexOf(sim);
  let token = index.byKey.get(key);
  if (token === undefined) {
    token = 'ns_' + createHmac('sha256', index.secret).update(key).digest('base64url').slice(0, 22);
    // Keys no longer held (reset, evicted) are forgotten when the index outgrows the namespaces.
    if (index.byKey.size > 2 * sim.namespaces.size + 64) forgetGone(sim, index);
    index.byKey.set(key, token);
    index.byToken.set(token, key);
  }
  return token;
}

function forgetGone(sim: Simulator, index: TokenIndex): void {
  for (const [key, token] of index.byKey) {
    if (sim.namespaces.has(key)) continue;
    index.byKey.delete(key);
    index.byToken.delete(token);
  }
}

/** The namespace a token stands for, or undefined (unknown token, or its namespace is gone). */
export function namespaceByToken(sim: Simulator, token: string): Namespace | undefined {
  if (!token.startsWith('ns_')) return undefined;
  const index = indexOf(sim);
  let key = index.byToken.get(token);
  if (key === undefined) {
    // Namespaces loaded from --data or created since the last look-up: index the new ones once.
    for (const k of sim.namespaces.keys()) if (!index.byKey.has(k)) namespaceToken(sim, k);
    key = index.byToken.get(token);
  }
  // A namespace evicted to disk (--limit namespaces with --data) comes back for its shopper's page.
  return (key === undefined ? undefined : sim.namespaces.get(key)) ?? sim.reviveByToken(token);
}

/** Paths (no origin) of the pages of one namespace. */
export const pagePaths = {
  checkout: (sim: Simulator, ns: Namespace, sessionId: string) => `/c/${namespaceToken(sim, ns.key)}/${encodeURIComponent(sessionId)}`,
  threeDs: (sim: Simulator, ns: Namespace, sessionId: string, chargeId: string) =>
    `/3ds/${namespaceToken(sim, ns.key)}/${encodeURIComponent(sessionId)}/${encodeURIComponent(chargeId)}`,
  paymentLink: (sim: Simulator, ns: Namespace, linkId: string) => `/p/${namespaceToken(sim, ns.key)}/${encodeURIComponent(linkId)}`,
  receipt: (sim: Simulator, ns: Namespace, chargeId: string) => `/receipts/${namespaceToken(sim, ns.key)}/${encodeURIComponent(chargeId)}`,
  upload: (sim: Simulator, ns: Namespace, uploadToken: string) => `/uploads/${namespaceToken(sim, ns.key)}/${uploadToken}`,
};
