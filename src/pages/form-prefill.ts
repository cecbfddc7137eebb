// What the checkout form shows when it is opened (not re-posted): everything the session already
// knows about the shopper. After a failed 3-D Secure challenge the shopper lands here with no form
// post to refill from, so contact details, addresses, custom-field answers and the card's name and
// expiry come back from the stored session and its last attempt; card number and CVC never do.
import type { Namespace } from '../store/namespace.js';
import type { SessionRecord } from '../checkout/session-record.js';
import { findPaymentIntent } from '../payments/intents.js';
import { findCharge } from '../payments/charges.js';
import { ADDRESS_PARTS, emptyState, type FormState } from './form-fields.js';

// Answers typed on a payment link page, shown again on the session's checkout form.
const PREFILL = 'pages.prefill';

export function rememberPrefill(ns: Namespace, sessionId: string, values: Record<string, string>): void {
  if (Object.keys(values).length === 0) return;
  let map = ns.extensions.get(PREFILL) as Map<string, Record<string, string>> | undefined;
  if (!map) ns.extensions.set(PREFILL, (map = new Map()));
  map.set(sessionId, values);
}

type Answer = { value?: string } | null | undefined;

function put(values: Record<string, string>, name: string, value: unknown): void {
  if (typeof value === 'string' && value !== '') values[name] = value;
}

function putAddress(values: Record<string, string>, prefix: string, address: unknown): void {
  const a = address as Record<string, unknown> | null | undefined;
  if (a) for (const part of ADDRESS_PARTS) put(values, `${prefix}_${part}`, a[part]);
}

/** The card name and expiry of the session's last card attempt (a declined or failed-challenge one). */
function lastCard(ns: Namespace, s: SessionRecord, values: Record<string, string>): void {
  const pi = s._paymentIntentId ? findPaymentIntent(ns, s._paymentIntentId) : undefined;
  const lastId = pi?._chargeIds[pi._chargeIds.length - 1];
  const charge = lastId ? findCharge(ns, lastId) : undefined;
  const card = charge?.paymentMethodDetails?.card;
  if (!charge || !card) return;
  put(values, 'cardName', charge.billingDetails?.name);
  put(values, 'cardExp', `${String(card.expMonth).padStart(2, '0')} / ${String(card.expYear % 100).padStart(2, '0')}`);
}

export function prefill(ns: Namespace, s: SessionRecord): FormState {
  const remembered = (ns.extensions.get(PREFILL) as Map<string, Record<string, string>> | undefined)?.get(s.id);
  const d = s.customerDetails;
  const c = s.customerId ? ns.db.customers.get(s.customerId) : undefined;
  const values: Record<string, string> = { ...remembered };
  put(values, 'email', d?.email ?? c?.email);
  put(values, 'name', d?.name ?? c?.name);
  put(values, 'phone', d?.phone ?? c?.phone);
  putAddress(values, 'billing', (d?.billingDetails as { address?: unknown } | null | undefined)?.address);
  putAddress(values, 'shipping', (d?.shipping as { address?: unknown } | null | undefined)?.address);
  for (const f of s.customFields as Array<SessionRecord['customFields'][number] & { text?: Answer; numeric?: Answer; dropdown?: Answer }>) {
    put(values, `custom_${f.key}`, (f.text ?? f.numeric ?? f.dropdown)?.value);
  }
  lastCard(ns, s, values);
  return { ...emptyState(), values };
}
