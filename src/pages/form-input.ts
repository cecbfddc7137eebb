// Turns the hosted form's urlencoded fields into the pay service's PayInput, and the service's
// errors back into per-field messages. Only form parsing lives here: every payment rule stays
// in the pay service.
import type { PayInput } from '../payments/pay.js';
import type { SessionRecord } from '../checkout/session-record.js';
import { XPayError } from '../core/errors.js';
import { ADDRESS_PARTS, type FormState } from './form-fields.js';
import { needsCard } from './checkout-view.js';
import { chosenMethod, readMethodForm } from './method-input.js';
import type { Strings } from './i18n.js';

/** Card number, CVC and one-time codes never go back into the page. */
const SECRET = new Set(['cardNumber', 'cardCvc', 'otp']);

export function formValues(body: unknown): Record<string, string> {
  const out: Record<string, string> = Object.create(null);
  if (body && typeof body === 'object') {
    for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
      const value = Array.isArray(v) ? v[0] : v;
      if (typeof value === 'string' && k.length <= 200) out[k] = value;
    }
  }
  return out;
}

export function refill(values: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).filter(([k]) => !SECRET.has(k)));
}

/** "MM / YY", "MM/YY", "MM/YYYY" or "MMYY" → month and four-digit year. */
export function parseExpiry(text: string): { month: number; year: number } | null {
  const compact = text.replace(/\s+/g, '');
  const m = /^(\d{1,2})[/-]?(\d{2}|\d{4})$/.exec(compact);
  if (!m) return null;
  const year = m[2]!.length === 2 ? 2000 + Number(m[2]) : Number(m[2]);
  return { month: Number(m[1]), year };
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function address(values: Record<string, string>, prefix: string): Record<string, string | null> {
  return Object.fromEntries(ADDRESS_PARTS.map((p) => [p, values[`${prefix}_${p}`]?.trim() || null]));
}

/** Required-field checks of the form itself, then the PayInput for the service. */
export function readPayForm(session: SessionRecord, values: Record<string, string>, t: Strings): { input: PayInput; state: FormState; needsOtp: boolean } {
  // Checked in the page's order: the first error found is the field the page focuses.
  const errors: Record<string, string> = {};
  const need = (name: string) => {
    if (!values[name]?.trim()) errors[name] = t.required;
  };
  const quantities: Record<string, number> = {};
  for (const l of session.lineItems) {
    const raw = values[`qty_${l.id}`];
    if (raw === undefined || !l.adjustableQuantity?.enabled) continue;
    const q = Number(raw);
    if (!/^\d+$/.test(raw.trim())) errors[`qty_${l.id}`] = t.badNumber;
    else if (q !== l.quantity) quantities[l.id] = q;
  }

  // A session tied to a saved customer already knows how to reach them.
  if (!session.customerId) need('email');
  if (values.email?.trim() && !EMAIL.test(values.email.trim())) errors.email = t.badEmail;
  if (session.nameCollection) need('name');
  if (session.phoneNumberCollection) need('phone');
  for (const prefix of ['billing', 'shipping'] as const) {
    const wanted = prefix === 'billing' ? session.billingAddressCollection : session.shippingAddressCollection;
    if (wanted) for (const part of ['line1', 'city', 'country']) need(`${prefix}_${part}`);
  }
  const custom: Record<string, string> = {};
  for (const f of session.customFields) {
    const name = `custom_${f.key}`;
    const value = values[name]?.trim() ?? '';
    if (!f.isOptional) need(name);
    if (value) custom[f.key] = value;
  }
  // Nothing due: the page shows no payment section, and the pay service takes no method.
  const due = needsCard(session);
  const method = readMethodForm(chosenMethod(session, values.method), values, due ? errors : {}, t);
  const withCard = due && method.usesCard;
  if (withCard) for (const name of ['cardName', 'cardNumber', 'cardExp', 'cardCvc']) need(name);
  const expiry = withCard && values.cardExp?.trim() ? parseExpiry(values.cardExp) : null;
  if (withCard && values.cardExp?.trim() && !expiry) errors.cardExp = t.badExp;

  const input: PayInput = {
    ...(due ? method.input : { paymentMethodType: 'card' }),
    customerDetails: {
      email: values.email?.trim() || null,
      name: values.name?.trim() || (withCard ? values.cardName?.trim() : '') || null,
      // The contact section's phone wins; else the one the method asked for (kiosk SMS, courier).
      phone: values.phone?.trim() || (due ? method.payerPhone : null) || null,
      address: session.billingAddressCollection ? address(values, 'billing') : null,
    },
  };
  if (withCard) {
    input.card = {
      number: (values.cardNumber ?? '').replace(/[\s-]+/g, ''),
      expMonth: expiry?.month ?? 0,
      expYear: expiry?.year ?? 0,
      cvc: (values.cardCvc ?? '').trim(),
      name: values.cardName?.trim() || null,
    };
  }
  if (session.shippingAddressCollection) input.shipping = { address: address(values, 'shipping') };
  if (Object.keys(quantities).length > 0) input.quantities = quantities;
  if (Object.keys(custom).length > 0) input.customFields = custom;
  const code = values.code?.trim();
  if (code) input.promotionCode = code;
  return { input, state: { values: refill(values), errors }, needsOtp: due && method.needsOtp };
}

const CODE_FIELDS: Record<string, string> = {
  invalid_number: 'cardNumber', incorrect_number: 'cardNumber', invalid_expiry_month: 'cardExp', invalid_expiry_year: 'cardExp',
  invalid_cvc: 'cardCvc', expired_card: 'cardExp',
};

/** Method fields named by the pay service's params. */
const METHOD_PARAMS: Record<string, string> = { 'wallet.phone': 'methodPhone', 'bnpl.phone': 'methodPhone', 'wallet.otp': 'otp', 'bnpl.otp': 'otp', 'bnpl.tenure': 'tenure' };

/** Whether the checkout form shows a control of that name (else an error goes page-wide). */
function shown(field: string, session: SessionRecord): boolean {
  if (field === 'code') return session.allowPromotionCodes && !session._discounts.some((d) => d.promotionCodeId);
  if (field === 'name') return session.nameCollection;
  if (field === 'phone') return session.phoneNumberCollection;
  if (field.startsWith('qty_')) return session.lineItems.some((l) => `qty_${l.id}` === field && l.adjustableQuantity?.enabled);
  if (field.startsWith('custom_')) return session.customFields.some((f) => `custom_${f.key}` === field);
  if (field.startsWith('shipping_')) return session.shippingAddressCollection;
  if (field.startsWith('card') || field === 'methodPhone' || field === 'otp' || field === 'tenure') return needsCard(session);
  return true;
}

/** The form field an API error belongs to, if the form shows it. */
export function fieldOfError(e: XPayError, session: SessionRecord, lineItemId?: string): string | null {
  const field = guessField(e, session, lineItemId);
  return field && shown(field, session) ? field : null;
}

/** By code, then by the error's dotted param. */
function guessField(e: XPayError, session: SessionRecord, lineItemId?: string): string | null {
  if (CODE_FIELDS[e.code]) return CODE_FIELDS[e.code]!;
  const p = e.param ?? '';
  if (METHOD_PARAMS[p]) return METHOD_PARAMS[p]!;
  if (p === 'promotionCode' || p.startsWith('discounts')) return 'code';
  if (p === 'quantity' || p.startsWith('quantities') || p.startsWith('lineItem')) {
    const id = lineItemId ?? session.lineItems.find((l) => p.includes(l.id))?.id;
    return id ? `qty_${id}` : null;
  }
  const custom = /^customFields[.[]([^\]]+)/.exec(p);
  if (custom) {
    const key = custom[1]!.replace(/^\d+$/, (i) => session.customFields[Number(i)]?.key ?? i);
    return `custom_${key}`;
  }
  const detail = /^customerDetails\.(email|name|phone)$/.exec(p);
  if (detail) return detail[1]!;
  const shipping = /^shipping\.address\.(\w+)$/.exec(p);
  if (shipping) return `shipping_${shipping[1]}`;
  if (p.startsWith('card.number')) return 'cardNumber';
  if (p.startsWith('card.exp')) return 'cardExp';
  if (p.startsWith('card.cvc')) return 'cardCvc';
  if (p.startsWith('card.name')) return 'cardName';
  return null;
}
