// @ts-check
// XPay's webhook signature formula, in plain JavaScript so that both the API thread (signer.ts)
// and the delivery worker (delivery-worker.mjs, which signs each attempt as it sends it) use this
// one definition: `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, t + "." + raw body)>`.
import { createHmac } from 'node:crypto';

export const SIGNATURE_HEADER = 'XPay-Signature';

/**
 * Lower-case hex HMAC-SHA256 of `<t>.<body>` keyed by the whole secret string (prefix included).
 * @param {string} secret @param {number} timestamp unix seconds @param {string | Buffer} body
 */
export function computeSignature(secret, timestamp, body) {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex');
}

/**
 * The `XPay-Signature` header value for unix second `t`.
 * @param {string} secret @param {number} t @param {string | Buffer} body
 */
export function signatureValue(secret, t, body) {
  return `t=${t},v1=${computeSignature(secret, t, body)}`;
}
