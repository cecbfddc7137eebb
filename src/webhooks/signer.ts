// XPay webhook signatures: `XPay-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, t + "." + raw body)>`,
// plus the endpoint secrets (`whsec_…`) the simulator hands out.
import { createHash } from 'node:crypto';
import { computeSignature, SIGNATURE_HEADER, signatureValue } from './signature.mjs';

export { computeSignature, SIGNATURE_HEADER };

/** The unix second an attempt made at `nowMs` (namespace clock) is signed with. */
export function signatureTime(nowMs: number): number {
  return Math.floor(nowMs / 1000);
}

/** The header value for one delivery attempt; `nowMs` comes from the namespace clock. */
export function signatureHeader(secret: string, nowMs: number, body: string | Buffer): string {
  return signatureValue(secret, signatureTime(nowMs), body);
}

/** A fresh endpoint secret drawn from the namespace's seeded stream, so same seed → same secret. */
export function newSecret(hex: (bytes: number) => string): string {
  return 'whsec_' + hex(24);
}

/** The secret of the `--webhook-url` endpoint when no `--webhook-secret` is given: fixed by the seed. */
export function configuredSecret(seed: string, given?: string): string {
  if (given) return given;
  return 'whsec_' + createHash('sha256').update(`${seed}\u0000webhook-url`).digest('hex').slice(0, 48);
}
