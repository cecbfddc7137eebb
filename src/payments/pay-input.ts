// Checks on what the shopper typed besides the card: contact details and the shipping address
// the session asks for, and custom field answers (stored on the session's field as values).
import { errors } from '../core/errors.js';
import type { CustomFieldRecord } from '../checkout/custom-fields.js';
import type { SessionRecord } from '../checkout/session-record.js';
import type { PayerDetails } from './pay-customer.js';

export interface CustomerDetailsInput {
  name?: string | null;
  email?: string | null;
  phone?: string | null;
  address?: Record<string, string | null> | null;
}

export interface ShippingInput {
  name?: string | null;
  phone?: string | null;
  address?: Record<string, string | null> | null;
}

/** XPay's Shipping shape: address, name and phone, all present. */
export type ShippingDetails = {
  name: string | null;
  phone: string | null;
  address: Record<string, string | null>;
};

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** The session's details overlaid with what was typed; throws for anything the session requires. */
export function payerDetails(session: SessionRecord, input: CustomerDetailsInput | undefined, requireContact: boolean): PayerDetails {
  const known = session.customerDetails ?? {};
  const billing = (known.billingDetails ?? null) as { address?: Record<string, string | null> | null } | null;
  const pick = (v: string | null | undefined, fallback: string | null | undefined) => (v !== undefined && v !== null && v.trim() !== '' ? v.trim() : (fallback ?? null));
  const details: PayerDetails = {
    name: pick(input?.name, known.name),
    email: pick(input?.email, known.email),
    phone: pick(input?.phone, known.phone),
    address: input?.address ? { ...input.address } : (billing?.address ?? null),
  };
  if (details.email && !EMAIL.test(details.email)) throw errors.invalid('customerDetails.email', 'customerDetails.email is not an email address.');
  if (details.phone && !/^\+?[\d\s\-().]{6,20}$/.test(details.phone)) throw errors.invalid('customerDetails.phone', 'customerDetails.phone is not a phone number.');
  if (session.nameCollection && !details.name) throw errors.missing('customerDetails.name');
  if (session.phoneNumberCollection && !details.phone) throw errors.missing('customerDetails.phone');
  if (session.billingAddressCollection && !details.address) throw errors.missing('customerDetails.address');
  if (requireContact && !details.email && !details.phone) throw errors.missing('customerDetails.email');
  return details;
}

/** The shipping details of the attempt (else the session's own; name and phone default to the payer's), or null. */
export function shippingDetails(session: SessionRecord, typed: ShippingInput | undefined, payer: PayerDetails): ShippingDetails | null {
  const input = typed ?? ((session.customerDetails?.shipping ?? undefined) as ShippingInput | undefined);
  const text = (v: string | null | undefined) => (v !== undefined && v !== null && v.trim() !== '' ? v.trim() : null);
  const address = input?.address ? addressShape(Object.fromEntries(Object.entries(input.address).map(([k, v]) => [k, text(v)]))) : null;
  if (session.shippingAddressCollection) {
    if (!address) throw errors.missing('shipping.address');
    // The same parts the hosted page marks required.
    for (const part of ['line1', 'city', 'country']) if (!address[part]) throw errors.missing(`shipping.address.${part}`);
  }
  const phone = text(input?.phone);
  if (phone && !/^\+?[\d\s\-().]{6,20}$/.test(phone)) throw errors.invalid('shipping.phone', 'shipping.phone is not a phone number.');
  if (!address) {
    if (input && (text(input.name) || phone)) throw errors.missing('shipping.address');
    return null;
  }
  return { name: text(input?.name) ?? payer.name, phone: phone ?? payer.phone, address };
}

/** The session's stored customerDetails after a payment attempt. */
export function sessionCustomerDetails(session: SessionRecord, d: PayerDetails, shipping: ShippingDetails | null = null): NonNullable<SessionRecord['customerDetails']> {
  const known = session.customerDetails ?? {};
  return {
    ...known,
    name: d.name,
    email: d.email,
    phone: d.phone,
    billingDetails: { name: d.name, email: d.email, phone: d.phone, address: d.address ? addressShape(d.address) : null },
    shipping: shipping ? { ...shipping, address: { ...shipping.address } } : (known.shipping ?? null),
  };
}

export function addressShape(a: Record<string, string | null>): Record<string, string | null> {
  return Object.fromEntries(['line1', 'line2', 'city', 'state', 'postalCode', 'country'].map((k) => [k, a[k] ?? null]));
}

type AnsweredField = CustomFieldRecord & { text?: { value: string } | null; numeric?: { value: string } | null; dropdown?: { value: string } | null };

/** Answers by field key; unknown keys, missing required answers and broken limits are refused. */
export function answerCustomFields(fields: CustomFieldRecord[], answers: Record<string, string> | undefined): AnsweredField[] {
  const given = answers ?? {};
  for (const key of Object.keys(given)) {
    if (!fields.some((f) => f.key === key)) throw errors.unknown(`customFields.${key}`);
  }
  return fields.map((f) => {
    const param = `customFields.${f.key}`;
    const raw = Object.prototype.hasOwnProperty.call(given, f.key) ? given[f.key]!.trim() : '';
    if (raw === '') {
      if (!f.isOptional) throw errors.missing(param);
      return { ...f };
    }
    if (f.hasLimits) {
      const n = raw.length;
      const min = f.minCharacters ?? 0;
      const max = f.maxCharacters ?? Infinity;
      const ok = f.limitType === 'EXACTLY' ? n === min : n >= (f.limitType === 'AT_MOST' ? 0 : min) && n <= (f.limitType === 'AT_LEAST' ? Infinity : max);
      if (!ok) throw errors.invalid(param, `${f.label} does not meet its length limits.`);
    }
    switch (f.type) {
      case 'NUMBER':
        if (!/^-?\d+(\.\d+)?$/.test(raw)) throw errors.invalid(param, `${f.label} must be a number.`);
        return { ...f, numeric: { value: raw } };
      case 'DROPDOWN':
        if (!f.dropdownOptions?.some((o) => o.label === raw)) throw errors.invalid(param, `${f.label} must be one of its options.`);
        return { ...f, dropdown: { value: raw } };
      case 'CHECKBOX':
        if (raw !== 'true' && raw !== 'false') throw errors.invalid(param, `${f.label} takes true or false.`);
        if (raw === 'false' && !f.isOptional) throw errors.missing(param);
        return { ...f, text: { value: raw } };
      default:
        return { ...f, text: { value: raw } };
    }
  });
}
