// Calls to the simulator's client endpoints (/_sdk/*) with the publishable key. Every failure
// becomes XPay's SDK error shape; nothing here throws.
import type { XPayErrorShape } from '../shared/protocol.js';
import { SIM_URL } from './config.js';

export type ApiAnswer<T> = { ok: true; body: T } | { ok: false; error: XPayErrorShape };

/** The API's error envelope as the SDK reports it (`doc_url` → `docUrl`). */
export function toSdkError(body: any, fallback: string): XPayErrorShape {
  const e = body?.error;
  if (!e || typeof e.message !== 'string') return { type: 'api_error', code: null, message: fallback };
  const out: XPayErrorShape = { type: String(e.type ?? 'api_error'), code: e.code ?? null, message: e.message };
  if (e.declineCode !== undefined) out.declineCode = e.declineCode;
  if (e.param !== undefined) out.param = e.param;
  if (e.doc_url !== undefined) out.docUrl = e.doc_url;
  return out;
}

export async function callApi<T>(pk: string, method: string, path: string, body?: unknown): Promise<ApiAnswer<T>> {
  let res: Response;
  try {
    res = await fetch(SIM_URL + path, {
      method,
      headers: { Authorization: `Bearer ${pk}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    return { ok: false, error: { type: 'network_error', code: null, message: `Could not reach the XPay simulator at ${SIM_URL}.` } };
  }
  let parsed: any = null;
  try {
    parsed = await res.json();
  } catch {
    // An answer that is not JSON is reported below like any other failure.
  }
  if (res.ok && parsed) return { ok: true, body: parsed as T };
  return { ok: false, error: toSdkError(parsed, `The XPay simulator answered ${res.status}.`) };
}

export const sessionPath = (clientSecret: string) => `/_sdk/checkout-session?clientSecret=${encodeURIComponent(clientSecret)}`;
