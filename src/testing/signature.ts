// Verifies an `XPay-Signature` header the way an integrator's webhook handler should: HMAC-SHA256
// of `<t>.<raw body>` under the endpoint secret, compared in constant time, optionally within a tolerance.
import { timingSafeEqual } from 'node:crypto';
import { computeSignature } from '../webhooks/signer.js';

export interface VerifyOptions {
  /**
   * Largest allowed distance in seconds between `t` and `nowSec`. Off by default: the simulator
   * signs with the namespace clock, which tests often freeze far from the real time.
   */
  toleranceSec?: number;
  /** The receiver's idea of now (unix seconds); defaults to the real time. */
  nowSec?: number;
}

/** True when `header` carries a `v1` signature of `raw` under `secret`. */
export function verifySignature(secret: string, header: string | undefined, raw: string | Buffer, options: VerifyOptions = {}): boolean {
  if (!header) return false;
  let t: string | undefined;
  const signatures: string[] = [];
  for (const piece of header.split(',')) {
    const eq = piece.indexOf('=');
    if (eq <= 0) return false;
    const name = piece.slice(0, eq).trim();
    const value = piece.slice(eq + 1).trim();
    if (name === 't') t ??= value;
    else if (name === 'v1') signatures.push(value);
  }
  if (t === undefined || !/^\d+$/.test(t) || signatures.length === 0) return false;
  if (options.toleranceSec !== undefined) {
    const now = options.nowSec ?? Math.floor(Date.now() / 1000);
    if (Math.abs(now - Number(t)) > options.toleranceSec) return false;
  }
  const expected = Buffer.from(computeSignature(secret, Number(t), raw));
  return signatures.some((s) => {
    const given = Buffer.from(s);
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}
