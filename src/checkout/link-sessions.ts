// A payment link opens a fresh checkout session when a shopper starts paying (XPay creates it on
// the shopper's first interaction); the /p/{id} page calls this.
import { errors } from '../core/errors.js';
import type { Namespace } from '../store/namespace.js';
import { findPaymentLink } from '../resources/payment-links.js';
import { noteExpiry } from './session-actions.js';
import { buildSession } from './session-input.js';
import { sessionsOf, type SessionRecord } from './session-record.js';

/** Checks the link can take payments now (payment_link_inactive / payment_link_expired). */
export function assertLinkPayable(ns: Namespace, linkId: string): ReturnType<typeof findPaymentLink> {
  const link = findPaymentLink(ns, linkId);
  if (!link.active) throw errors.code(400, 'payment_link_inactive', `Payment link ${link.id} is not active.`);
  if (link.expiresAt !== null && Date.parse(link.expiresAt) <= ns.clock.now()) throw errors.code(400, 'payment_link_expired', `Payment link ${link.id} has expired.`);
  return link;
}

/** Opens and stores a hosted session carrying the link's lines and settings (`paymentLinkId` set). */
export function createSessionFromPaymentLink(ns: Namespace, linkId: string): SessionRecord {
  const link = assertLinkPayable(ns, linkId);
  const session = buildSession(ns, {
    uiMode: 'hosted',
    currency: link.currency,
    afterCompletion: link.afterCompletion,
    lineItems: link.lineItems.map((l) => ({ price: l.price.id, quantity: l.quantity, adjustableQuantity: l.adjustableQuantity })),
    allowPromotionCodes: link.allowPromotionCodes,
    submitType: link.submitType,
    customerCreation: link.customerCreation,
    nameCollection: link.nameCollection,
    billingAddressCollection: link.billingAddressCollection,
    shippingAddressCollection: link.shippingAddressCollection,
    phoneNumberCollection: link.phoneNumberCollection,
    customFields: link.customFields.map(({ key: _key, ...field }) => field),
    feeConfig: link.feeConfig,
    brandingSettings: link.brandingSettings,
    paymentMethodConfigurationId: link.paymentMethodConfigurationId,
    metadata: link.metadata,
  });
  const stored: SessionRecord = { ...session, paymentLinkId: link.id };
  sessionsOf(ns).set(stored.id, stored);
  noteExpiry(ns, stored);
  return stored;
}
