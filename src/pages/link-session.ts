// A checkout session created from a payment link when the shopper continues on /p/{id}:
// the link's settings go through the checkout capability's own buildSession, so a link session
// follows every rule an API-created one does.
import type { Simulator } from '../simulator.js';
import type { Namespace } from '../store/namespace.js';
import { buildSession, type SessionInput } from '../checkout/session-input.js';
import { noteExpiry } from '../checkout/session-actions.js';
import { sessionsOf, type SessionRecord } from '../checkout/session-record.js';
import type { PaymentLinkRecord } from '../resources/payment-links.js';

export interface LinkSessionInput {
  /** link line item id → quantity chosen by the shopper */
  quantities?: Record<string, number>;
  locale?: 'en' | 'ar';
}

export function sessionInputFromLink(link: PaymentLinkRecord, input: LinkSessionInput = {}): SessionInput {
  return {
    uiMode: 'hosted',
    currency: link.currency,
    afterCompletion: structuredClone(link.afterCompletion),
    lineItems: link.lineItems.map((l) => ({
      price: l.price.id,
      quantity: input.quantities?.[l.id] ?? l.quantity,
      adjustableQuantity: l.adjustableQuantity ? { ...l.adjustableQuantity } : null,
    })),
    submitType: link.submitType,
    customerCreation: link.customerCreation,
    allowPromotionCodes: link.allowPromotionCodes,
    nameCollection: link.nameCollection,
    billingAddressCollection: link.billingAddressCollection,
    shippingAddressCollection: link.shippingAddressCollection,
    phoneNumberCollection: link.phoneNumberCollection,
    customFields: link.customFields.map((f) => ({
      label: f.label, type: f.type, isOptional: f.isOptional, hasLimits: f.hasLimits, limitType: f.limitType,
      minCharacters: f.minCharacters, maxCharacters: f.maxCharacters, dropdownOptions: f.dropdownOptions,
    })),
    feeConfig: link.feeConfig,
    brandingSettings: link.brandingSettings,
    paymentMethodConfigurationId: link.paymentMethodConfigurationId,
    metadata: structuredClone(link.metadata),
    locale: input.locale ?? null,
  };
}

/** Builds, stores and returns the session (throws XPayError for quantities out of bounds, sold-out prices…). */
export function createSessionFromPaymentLink(sim: Simulator, ns: Namespace, link: PaymentLinkRecord, input: LinkSessionInput = {}): SessionRecord {
  void sim;
  const session: SessionRecord = { ...buildSession(ns, sessionInputFromLink(link, input)), paymentLinkId: link.id };
  sessionsOf(ns).set(session.id, session);
  noteExpiry(ns, session);
  return session;
}
