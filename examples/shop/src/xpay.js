// The shop's XPay client: plain fetch against XPAY_API_URL (https://api.xpay.app in production,
// the simulator in tests), and the webhook signature check XPay documents.
import { createHmac, timingSafeEqual } from 'node:crypto';

export class XPayError extends Error {
  constructor(status, body) {
    super(`XPay answered ${status}: ${body?.error?.code ?? ''} ${body?.error?.message ?? ''}`.trim());
    this.status = status;
    this.code = body?.error?.code;
  }
}

export function xpayClient({ apiUrl, apiKey }) {
  async function call(method, path, body, idempotencyKey) {
    const headers = { Authorization: `Bearer ${apiKey}` };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (idempotencyKey) headers['Idempotency-Key'] = idempotencyKey;
    const res = await fetch(apiUrl + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const json = res.status === 204 ? undefined : await res.json();
    if (!res.ok) throw new XPayError(res.status, json);
    return json;
  }
  return {
    createCheckoutSession: (params, idempotencyKey) => call('POST', '/checkout/sessions', params, idempotencyKey),
    getCheckoutSession: (id) => call('GET', `/checkout/sessions/${encodeURIComponent(id)}`),
    createRefund: (params, idempotencyKey) => call('POST', '/refunds', params, idempotencyKey),
  };
}

/** `XPay-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret, "<t>." + raw body)>`, compared in constant time. */
export function verifyWebhook(secret, header, rawBody) {
  if (!secret || !header) return false;
  const fields = Object.fromEntries(header.split(',').map((part) => part.split('=').map((s) => s.trim())));
  if (!/^\d+$/.test(fields.t ?? '') || !fields.v1) return false;
  const expected = Buffer.from(createHmac('sha256', secret).update(`${fields.t}.`).update(rawBody).digest('hex'));
  const given = Buffer.from(fields.v1);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
