// The single pay service: one payment attempt on a checkout session (hosted page and
// POST /_sim/checkout/sessions/{id}/pay both call it), and the 3-D Secure challenge outcome.
// Everything is checked before anything changes; card validation errors are thrown (HTTP 400
// card_error) and leave no charge, while issuer declines are outcomes with a FAILED charge.
// A session whose total is 0 completes without a card (see pay-free.ts).
import { pagePaths } from '../control/page-urls.js';
import { errors } from '../core/errors.js';
import {
  applyPromotionCode, completionRedirectUrl, findSession, redeemDiscounts, renderSession, setLineItemQuantity, type SessionRecord,
} from '../resources/checkout-sessions.js';
import { sessionsOf, isExpired } from '../checkout/session-record.js';
import type { Simulator } from '../simulator.js';
import type { Namespace } from '../store/namespace.js';
import { cardDetails, checkCard, type CheckedCard } from './card-input.js';
import { createPendingCharge, failCharge, findCharge, renderCharge, saveCharge, succeedCharge } from './charges.js';
import { attachCharge, createPaymentIntent, findPaymentIntent, markFailed, markSucceeded, renderPaymentIntent, requireAction, savePaymentIntent } from './intents.js';
import { THREE_D_SECURE_FAILED } from './magic-cards.js';
import { CHALLENGE, CHALLENGE_FAILS, isWaitingChallenge, pendingChallenges } from './challenges.js';
import { attachedCustomer, resolvePayer } from './pay-customer.js';
import { addressShape, answerCustomFields, payerDetails, sessionCustomerDetails, shippingDetails, type ShippingDetails, type ShippingInput } from './pay-input.js';
import { checkStock, recheckDiscounts } from './pay-checks.js';
import { completeWithoutPayment, consumeStock } from './pay-free.js';
import type { ChargeRecord, PaymentError, PaymentIntentRecord } from './types.js';

export interface PayCardInput {
  number: string;
  expMonth: number;
  expYear: number;
  cvc: string;
  name?: string | null;
}

export interface PayCustomerDetails {
  name?: string | null;
  email?: string | null;
  phone?: string | null;
  address?: Record<string, string | null> | null;
}

export interface PayInput {
  paymentMethodType?: 'card';
  /** A function when reading it can fail by itself (expiry formats): a free session never reads it. */
  card?: PayCardInput | (() => PayCardInput);
  customerDetails?: PayCustomerDetails;
  promotionCode?: string;
  /** lineItemId → quantity */
  quantities?: Record<string, number>;
  customFields?: Record<string, string>;
  /** Required when the session has shippingAddressCollection; becomes the intent's `shipping`. */
  shipping?: ShippingInput;
}

/** `session` is the session as GET /checkout/sessions/{id} renders it. */
export type PayOutcome =
  | { kind: 'succeeded'; session: Record<string, unknown>; redirectUrl: string | null }
  | { kind: 'failed'; session: Record<string, unknown>; error: PaymentError }
  | { kind: 'requires_action'; session: Record<string, unknown>; challengeUrl: string };


/** Refuses attempts on a session that cannot take one (404, 409). */
function payableSession(ns: Namespace, sessionId: string): SessionRecord {
  const session = findSession(ns, sessionId);
  if (session.status === 'complete') throw errors.code(409, 'payment_already_completed', `Checkout session ${session.id} is already paid.`);
  if (isExpired(ns, session)) throw errors.code(409, 'checkout_session_expired', `Checkout session ${session.id} has expired.`);
  if (session.status !== 'open') throw errors.invalidState(`Checkout session ${session.id} is ${session.status}.`);
  return session;
}

function intentOf(ns: Namespace, session: SessionRecord): PaymentIntentRecord | undefined {
  return session._paymentIntentId ? findPaymentIntent(ns, session._paymentIntentId) : undefined;
}

/** Applies cart changes (quantities, promotion code); restores the session if any is refused. */
function applyCartChanges(ns: Namespace, session: SessionRecord, input: PayInput): SessionRecord {
  let next = session;
  try {
    for (const [lineItemId, quantity] of Object.entries(input.quantities ?? {})) {
      if (next.lineItems.find((l) => l.id === lineItemId)?.quantity === quantity) continue;
      next = setLineItemQuantity(ns, next, lineItemId, quantity);
    }
    if (input.promotionCode !== undefined && input.promotionCode.trim() !== '') next = applyPromotionCode(ns, next, input.promotionCode);
    checkStock(ns, next);
    return next;
  } catch (e) {
    sessionsOf(ns).set(session.id, session);
    throw e;
  }
}

export function payCheckoutSession(sim: Simulator, ns: Namespace, sessionId: string, input: PayInput): PayOutcome {
  const session = payableSession(ns, sessionId);
  const existing = intentOf(ns, session);
  if (existing?.status === 'REQUIRES_ACTION') {
    throw errors.code(409, 'payment_still_confirming', `A 3-D Secure challenge is waiting for charge ${existing._chargeIds[existing._chargeIds.length - 1]}; finish it first.`);
  }
  const details = payerDetails(session, input.customerDetails, !attachedCustomer(ns, session));
  const shipping = shippingDetails(session, input.shipping, details);
  const customFields = answerCustomFields(session.customFields, input.customFields);
  // The changed cart decides whether a card is needed; a refusal after it puts the session back.
  const cart = applyCartChanges(ns, session, input);
  let card: CheckedCard | null = null;
  try {
    recheckDiscounts(ns, cart, details.email);
    if (cart.amountTotal > 0) {
      const type = input.paymentMethodType ?? 'card';
      if (!cart.paymentMethodTypes.includes(type)) throw errors.invalid('paymentMethodType', `Checkout session ${cart.id} does not take ${type} payments.`);
      if (!input.card) throw errors.missing('card');
      card = checkCard(ns, typeof input.card === 'function' ? input.card() : input.card);
    }
  } catch (e) {
    sessionsOf(ns).set(session.id, session);
    throw e;
  }
  // Nothing to charge: a card sent anyway is neither validated nor used.
  if (!card) return completeWithoutPayment(sim, ns, { ...cart, customFields }, details, shipping);
  return attempt(sim, ns, { ...cart, customFields }, details, card, shipping);
}

function attempt(sim: Simulator, ns: Namespace, session: SessionRecord, details: ReturnType<typeof payerDetails>, card: CheckedCard, shipping: ShippingDetails | null): PayOutcome {
  const cardObject = cardDetails(ns, card);
  const customer = resolvePayer(sim, ns, session, details, cardObject, session.currency);
  const payer = { id: customer.id, name: details.name ?? customer.name, email: details.email ?? customer.email, phone: details.phone ?? customer.phone };
  let pi = intentOf(ns, session);
  if (!pi) {
    pi = createPaymentIntent(ns, {
      checkoutSessionId: session.id,
      amount: session.amountTotal,
      currency: session.currency,
      receiptEmail: payer.email,
      metadata: structuredClone(session.metadata),
      customer: payer,
      shipping,
    });
  } else {
    // The cart may have changed since the last attempt; the intent asks for today's total.
    pi = { ...pi, amount: session.amountTotal, customer: payer, receiptEmail: payer.email, shipping, _customerId: customer.id };
    savePaymentIntent(ns, pi);
  }
  const stored: SessionRecord = {
    ...session,
    customerId: customer.id,
    customerDetails: sessionCustomerDetails(session, details, shipping),
    _paymentIntentId: pi.id,
    updatedAt: ns.nowIso(),
  };
  sessionsOf(ns).set(stored.id, stored);

  const magic = card.magic;
  const threeDS = magic.outcome === 'three_d_secure' || magic.outcome === 'three_d_secure_fails';
  const charge = createPendingCharge(ns, pi, {
    paymentMethodType: 'card',
    card: threeDS
      ? { ...cardObject, threeDSecure: { authenticationFlow: 'challenge', electronicCommerceIndicator: null, exemptionIndicator: null, result: null, resultReason: null, transactionId: null, version: '2.2.0' } }
      : cardObject,
    billingDetails: { address: addressShape(details.address ?? {}), email: details.email, name: card.name ?? details.name, phone: details.phone },
    receiptEmail: payer.email,
    behaviour: threeDS ? (magic.outcome === 'three_d_secure' ? CHALLENGE : CHALLENGE_FAILS) : magic.behaviour,
  });
  pi = attachCharge(ns, pi, charge);

  if (threeDS) {
    pendingChallenges(ns).add(charge.id);
    const url = sim.publicUrl + pagePaths.threeDs(sim, ns, stored.id, charge.id);
    requireAction(ns, pi, url, sim.publicUrl + pagePaths.checkout(sim, ns, stored.id));
    return { kind: 'requires_action', session: renderSession(sim, ns, stored), challengeUrl: url };
  }
  if (magic.outcome === 'declined') return fail(sim, ns, stored, pi, charge, magic.decline!);
  return succeed(sim, ns, stored, pi, charge);
}

function succeed(sim: Simulator, ns: Namespace, session: SessionRecord, pi: PaymentIntentRecord, pending: ChargeRecord): PayOutcome {
  const charge = succeedCharge(ns, pending, sim.publicUrl + pagePaths.receipt(sim, ns, pending.id));
  const intent = markSucceeded(ns, pi, charge);
  consumeStock(ns, session);
  sessionsOf(ns).set(session.id, { ...session, status: 'complete', paymentStatus: 'paid', updatedAt: ns.nowIso() });
  const done = redeemDiscounts(ns, sessionsOf(ns).get(session.id)!);
  sim.emit(ns, 'charge.succeeded', renderCharge(ns, charge));
  sim.emit(ns, 'payment_intent.succeeded', intentEventObject(sim, ns, intent));
  const shown = renderSession(sim, ns, done);
  sim.emit(ns, 'checkout.session.completed', shown);
  return { kind: 'succeeded', session: shown, redirectUrl: completionRedirectUrl(done) };
}

function fail(sim: Simulator, ns: Namespace, session: SessionRecord, pi: PaymentIntentRecord, pending: ChargeRecord, error: PaymentError): PayOutcome {
  recordFailure(sim, ns, pi, pending, error);
  return { kind: 'failed', session: renderSession(sim, ns, sessionsOf(ns).get(session.id)!), error };
}

function recordFailure(sim: Simulator, ns: Namespace, pi: PaymentIntentRecord, pending: ChargeRecord, error: PaymentError): void {
  const charge = failCharge(ns, pending, error);
  const intent = markFailed(ns, pi, charge, error);
  sim.emit(ns, 'charge.failed', renderCharge(ns, charge));
  sim.emit(ns, 'payment_intent.payment_failed', intentEventObject(sim, ns, intent));
}

/** The challenged charge with its 3-D Secure result, no longer waiting. */
function challengeResult(charge: ChargeRecord, ok: boolean): ChargeRecord {
  const card = charge.paymentMethodDetails!.card!;
  return {
    ...charge,
    _behaviour: null,
    paymentMethodDetails: {
      ...charge.paymentMethodDetails!,
      card: {
        ...card,
        threeDSecure: {
          ...card.threeDSecure,
          result: ok ? 'authenticated' : 'failed',
          resultReason: ok ? null : 'rejected',
          // Visa/Mastercard ECI for a fully authenticated challenge vs a failed one.
          electronicCommerceIndicator: ok ? '05' : '07',
          transactionId: `3ds_${charge.id.slice(charge.id.lastIndexOf('_') + 1)}`,
        },
      },
    },
  };
}

/** XPay's PaymentIntentResponse: the nested intent plus its session (which leaves out paymentIntent). */
function intentEventObject(sim: Simulator, ns: Namespace, intent: PaymentIntentRecord): Record<string, unknown> {
  const session = intent.checkoutSessionId ? sessionsOf(ns).get(intent.checkoutSessionId) : undefined;
  let checkoutSession: Record<string, unknown> | null = null;
  if (session) {
    const { paymentIntent: _omitted, ...rest } = renderSession(sim, ns, session);
    checkoutSession = rest;
  }
  return { ...renderPaymentIntent(ns, intent), checkoutSession };
}

/**
 * Due work: a challenge still waiting when its session expires counts as failed authentication,
 * so the session's expired event (which follows in the same pass) shows the failed charge.
 */
export function abandonExpiredChallenges(ns: Namespace, sim: Simulator): void {
  const waiting = pendingChallenges(ns);
  if (waiting.size === 0) return;
  for (const id of [...waiting]) {
    const charge = findCharge(ns, id);
    if (!charge || !isWaitingChallenge(charge)) {
      waiting.delete(id);
      continue;
    }
    const session = charge._checkoutSessionId ? sessionsOf(ns).get(charge._checkoutSessionId) : undefined;
    if (session && !isExpired(ns, session)) continue;
    waiting.delete(id);
    const pi = findPaymentIntent(ns, charge.paymentIntentId);
    recordFailure(sim, ns, pi, challengeResult(charge, false), THREE_D_SECURE_FAILED);
  }
}

export function resolveThreeDSecure(sim: Simulator, ns: Namespace, sessionId: string, chargeId: string, passed: boolean): PayOutcome {
  const session = findSession(ns, sessionId);
  const charge = findCharge(ns, chargeId);
  if (!charge || charge._checkoutSessionId !== session.id) throw errors.notFound('charge', chargeId, 'chargeId');
  if (!isWaitingChallenge(charge)) {
    throw errors.invalidState(`Charge ${charge.id} has no 3-D Secure challenge waiting (it is ${charge.status}).`, 'chargeId');
  }
  payableSession(ns, sessionId);
  const pi = findPaymentIntent(ns, charge.paymentIntentId);
  const ok = passed && charge._behaviour === CHALLENGE;
  if (ok) checkStock(ns, session);
  pendingChallenges(ns).delete(charge.id);
  const resolved = challengeResult(charge, ok);
  if (!ok) return fail(sim, ns, session, pi, resolved, THREE_D_SECURE_FAILED);
  saveCharge(ns, resolved);
  return succeed(sim, ns, session, pi, resolved);
}
