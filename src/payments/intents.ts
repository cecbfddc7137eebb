// Payment intents: one per checkout session, created at the first payment attempt; each
// attempt adds a charge. The intent's status follows its latest charge (and later its refunds).
import { errors } from '../core/errors.js';
import type { Namespace } from '../store/namespace.js';
import type { OpenRecord } from '../store/types.js';
import { stripInternal } from '../store/render.js';
import { findCharge, renderCharge } from './charges.js';
import type { ChargeRecord, PaymentError, PaymentIntentRecord } from './types.js';

export interface NewIntent {
  checkoutSessionId: string | null;
  amount: number;
  currency: string;
  description?: string | null;
  receiptEmail?: string | null;
  metadata?: Record<string, unknown> | unknown[] | null;
  customer?: PaymentIntentRecord['customer'];
  shipping?: Record<string, unknown> | null;
  amountDetails?: Record<string, unknown> | null;
  presentmentDetails?: Record<string, unknown> | null;
}

export function findPaymentIntent(ns: Namespace, id: string, param = 'paymentIntentId'): PaymentIntentRecord {
  const pi = ns.db.paymentIntents.get(id) as unknown as PaymentIntentRecord | undefined;
  if (!pi) throw errors.notFound('payment_intent', id, param);
  return pi;
}

export function savePaymentIntent(ns: Namespace, pi: PaymentIntentRecord): void {
  ns.db.paymentIntents.set(pi.id, pi as unknown as OpenRecord);
}

export function createPaymentIntent(ns: Namespace, input: NewIntent): PaymentIntentRecord {
  const id = ns.ids.next('pi', true);
  const now = ns.nowIso();
  const pi: PaymentIntentRecord = {
    id,
    object: 'payment_intent',
    checkoutSessionId: input.checkoutSessionId,
    amount: input.amount,
    amountCapturable: 0,
    amountReceived: 0,
    currency: input.currency,
    status: 'REQUIRES_PAYMENT_METHOD',
    createdAt: now,
    updatedAt: now,
    clientSecret: `${id}_secret_${ns.random.base62(24)}`,
    captureMethod: 'automatic',
    confirmationMethod: 'automatic',
    description: input.description ?? null,
    receiptEmail: input.receiptEmail ?? null,
    canceledAt: null,
    shipping: input.shipping ?? null,
    amountDetails: input.amountDetails ?? null,
    presentmentDetails: input.presentmentDetails ?? null,
    paymentMethod: null,
    customer: input.customer ?? null,
    nextAction: null,
    // Copied from the session at the first attempt, as XPay does.
    metadata: input.metadata ?? {},
    lastPaymentError: null,
    _chargeIds: [],
    _customerId: input.customer?.id ?? null,
  };
  savePaymentIntent(ns, pi);
  return pi;
}

function paymentMethodObject(ns: Namespace, charge: ChargeRecord): Record<string, unknown> | null {
  const card = charge.paymentMethodDetails?.card;
  return {
    id: charge.paymentMethodId,
    object: 'payment_method',
    card: card
      ? {
          brand: card.brand,
          country: card.country,
          displayBrand: card.brand,
          expMonth: card.expMonth,
          expYear: card.expYear,
          fingerprint: card.fingerprint,
          funding: card.funding,
          last4: card.last4,
          networks: { available: [card.brand], preferred: card.brand },
          regulatedStatus: null,
          threeDSecureUsage: { supported: true },
          wallet: card.wallet ? { ...card.wallet } : null,
        }
      : null,
    valu: charge.paymentMethodDetails?.valu ?? null,
    fawry: charge.paymentMethodDetails?.fawry ?? null,
    billingDetails: charge.billingDetails,
    type: charge.paymentMethodDetails?.type ?? 'card',
    createdAt: charge.createdAt,
  };
}

/** Adds a charge to the intent's history (before its outcome is known). */
export function attachCharge(ns: Namespace, pi: PaymentIntentRecord, charge: ChargeRecord): PaymentIntentRecord {
  const next = { ...pi, _chargeIds: [...pi._chargeIds, charge.id], status: 'PROCESSING', updatedAt: ns.nowIso() };
  savePaymentIntent(ns, next);
  return next;
}

/** The attempt needs the customer to authenticate (3-D Secure) at `url`. */
export function requireAction(ns: Namespace, pi: PaymentIntentRecord, url: string, returnUrl: string | null): PaymentIntentRecord {
  const next = { ...pi, status: 'REQUIRES_ACTION', nextAction: { type: 'redirect_to_url', redirectToUrl: { url, returnUrl }, displayVoucherDetails: null }, updatedAt: ns.nowIso() };
  savePaymentIntent(ns, next);
  return next;
}

export function markSucceeded(ns: Namespace, pi: PaymentIntentRecord, charge: ChargeRecord): PaymentIntentRecord {
  const next: PaymentIntentRecord = {
    ...pi,
    status: 'SUCCEEDED',
    amountReceived: charge.amount,
    paymentMethod: paymentMethodObject(ns, charge),
    nextAction: null,
    // As in Stripe, a successful attempt clears the error of an earlier declined one.
    lastPaymentError: null,
    updatedAt: ns.nowIso(),
  };
  savePaymentIntent(ns, next);
  return next;
}

/** A failed attempt: the intent waits for another payment method, with the error kept. */
export function markFailed(ns: Namespace, pi: PaymentIntentRecord, charge: ChargeRecord, error: PaymentError): PaymentIntentRecord {
  const card = charge.paymentMethodDetails?.card;
  const docBase = error.declineCode ? 'https://docs.xpay.app/integrate/errors/decline-codes#' : 'https://docs.xpay.app/integrate/errors/payment-error-codes#';
  const next: PaymentIntentRecord = {
    ...pi,
    status: 'REQUIRES_PAYMENT_METHOD',
    paymentMethod: null,
    nextAction: null,
    lastPaymentError: {
      code: error.code,
      declineCode: error.declineCode,
      networkDeclineCode: error.networkDeclineCode,
      docUrl: docBase + (error.declineCode ?? error.code),
      message: error.message,
      merchantMessage: error.merchantMessage,
      adviceCode: error.adviceCode,
      param: null,
      chargeId: charge.id,
      paymentMethod: {
        id: charge.paymentMethodId ?? charge.id,
        type: charge.paymentMethodDetails?.type ?? 'card',
        ...(card ? { card: { brand: card.brand, last4: card.last4, expMonth: card.expMonth, expYear: card.expYear, funding: card.funding } } : {}),
        billingDetails: { name: charge.billingDetails.name, email: charge.billingDetails.email },
      },
      paymentMethodType: charge.paymentMethodDetails?.type ?? 'card',
      type: error.type,
      processorCode: error.networkDeclineCode,
      processorMessage: error.message,
    },
    updatedAt: ns.nowIso(),
  };
  savePaymentIntent(ns, next);
  return next;
}

export function chargesOf(ns: Namespace, pi: PaymentIntentRecord): ChargeRecord[] {
  return pi._chargeIds.map((id) => findCharge(ns, id)).filter((c): c is ChargeRecord => c !== undefined);
}

/** XPay's NestedPaymentIntentResponse: charges oldest first, latestCharge the newest. */
export function renderPaymentIntent(ns: Namespace, pi: PaymentIntentRecord): Record<string, unknown> {
  const charges = chargesOf(ns, pi).map((c) => renderCharge(ns, c));
  const shape = stripInternal(pi);
  shape.latestCharge = charges[charges.length - 1] ?? null;
  shape.charges = charges;
  return shape;
}

/** The session's payment intent as XPay's NestedPaymentIntentResponse, or null before any attempt. */
export function renderSessionPaymentIntent(ns: Namespace, paymentIntentId: string | null): Record<string, unknown> | null {
  if (paymentIntentId === null) return null;
  const pi = ns.db.paymentIntents.get(paymentIntentId) as unknown as PaymentIntentRecord | undefined;
  return pi ? renderPaymentIntent(ns, pi) : null;
}
