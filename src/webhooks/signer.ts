// XPay webhook signatures: `XPay-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, t + "." + raw body)>`,
// plus the endpoint secrets (`whsec_…`) the simulator hands out.
import { createHash, createHmac } from 'node:crypto';

export const SIGNATURE_HEADER = 'XPay-Signature';

/** Lower-case hex HMAC-SHA256 of `<t>.<body>` keyed by the whole secret string (prefix included). */
export function computeSignature(secret: string, timestamp: number, body: string | Buffer): string {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex');
}

/** The header value for one delivery attempt; `nowMs` comes from the namespace clock. */
export function signatureHeader(secret: string, nowMs: number, body: string | Buffer): string {
  const t = Math.floor(nowMs / 1000);
  return `t=${t},v1=${computeSignature(secret, t, body)}`;
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
