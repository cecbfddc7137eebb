// Who pays: the session's registered customer (changed only as customerUpdate allows), or a
// customer matched by normalized email/phone, or a new one (guest, or registered under
// customerCreation "always"). Guests are refreshed and remember every email, phone and card.
import { normalizeEmail, normalizePhone } from '../core/contact.js';
import { firstByContact as findByContact } from '../store/customer-index.js';
import { renderCustomer } from '../store/render.js';
import type { Simulator } from '../simulator.js';
import type { Namespace } from '../store/namespace.js';
import type { CustomerRecord } from '../store/types.js';
import type { CardDetails } from './types.js';

export interface PayerDetails {
  name: string | null;
  email: string | null;
  phone: string | null;
  address: Record<string, string | null> | null;
}

export interface PayerSession {
  customerId: string | null;
  customerCreation: 'always' | 'if_required';
  customerUpdate: { address?: string | null; name?: string | null; shipping?: string | null } | null;
}

/** The session's own registered customer, if it names one (guests set by a payment do not count). */
export function attachedCustomer(ns: Namespace, session: PayerSession): CustomerRecord | undefined {
  const c = session.customerId ? ns.db.customers.get(session.customerId) : undefined;
  return c && c.type === 'registered' ? c : undefined;
}

function withFingerprint(c: CustomerRecord, email: string | null, phone: string | null, card: CardDetails | null, now: string): CustomerRecord['guestFingerprint'] {
  const fp = c.guestFingerprint ?? { emails: [], phones: [], cardFingerprints: [] };
  const emails = email && !fp.emails.includes(email) ? [...fp.emails, email] : fp.emails;
  const phones = phone && !fp.phones.includes(phone) ? [...fp.phones, phone] : fp.phones;
  let cards = fp.cardFingerprints;
  if (card?.fingerprint) {
    const seen = cards.find((k) => k.fingerprint === card.fingerprint);
    cards = seen
      ? cards.map((k) => (k === seen ? { ...k, lastSeenAt: now, chargeCount: (k.chargeCount as number) + 1 } : k))
      : [...cards, { fingerprint: card.fingerprint, last4: card.last4, brand: card.brand, firstSeenAt: now, lastSeenAt: now, chargeCount: 1 }];
  }
  return { emails, phones, cardFingerprints: cards };
}

/** The payer's customer record, created or refreshed, with customer.created/updated events. */
export function resolvePayer(sim: Simulator, ns: Namespace, session: PayerSession, details: PayerDetails, card: CardDetails | null, currency: string): CustomerRecord {
  const now = ns.nowIso();
  const attached = attachedCustomer(ns, session);
  if (attached) {
    const update = session.customerUpdate;
    const next: CustomerRecord = { ...attached };
    if (update?.name === 'auto' && details.name && details.name !== attached.name) next.name = details.name;
    if (update?.address === 'auto' && details.address) next.address = { ...details.address };
    return save(sim, ns, attached, next, now);
  }
  const email = details.email ? normalizeEmail(details.email) : null;
  const phone = details.phone ? normalizePhone(details.phone) : null;
  const found = findByContact(ns, email, phone);
  if (!found) {
    const guest = session.customerCreation !== 'always';
    const created: CustomerRecord = {
      id: ns.ids.next('cus'),
      object: 'customer',
      type: guest ? 'guest' : 'registered',
      createdAt: now,
      updatedAt: now,
      name: details.name,
      email,
      phone,
      address: details.address ? { ...details.address } : null,
      guestFingerprint: guest ? withFingerprint({ guestFingerprint: null } as CustomerRecord, email, phone, card, now) : null,
      metadata: null,
      merchantId: ns.merchantId,
      _currency: currency,
    };
    ns.db.customers.set(created.id, created);
    sim.emit(ns, 'customer.created', renderCustomer(created));
    return created;
  }
  // A registered customer found by contact is used as is: only its own session may change it.
  if (found.type === 'registered') return found;
  const next: CustomerRecord = { ...found, guestFingerprint: withFingerprint(found, email, phone, card, now) };
  if (details.name) next.name = details.name;
  if (details.address) next.address = { ...details.address };
  // The latest contact becomes current unless another customer already uses it.
  if (email && !findByContact(ns, email, null, found.id)) next.email = email;
  if (phone && !findByContact(ns, null, phone, found.id)) next.phone = phone;
  if (session.customerCreation === 'always') next.type = 'registered';
  return save(sim, ns, found, next, now);
}

function save(sim: Simulator, ns: Namespace, before: CustomerRecord, next: CustomerRecord, now: string): CustomerRecord {
  if (JSON.stringify(before) === JSON.stringify(next)) return before;
  const saved = { ...next, updatedAt: now };
  ns.db.customers.set(saved.id, saved);
  sim.emit(ns, 'customer.updated', renderCustomer(saved));
  return saved;
}
