// The pay orchestrator: the one way a checkout session gets paid. The hosted and embedded
// pages, POST /_sim/checkout/sessions/{id}/pay and the SDK frames call payCheckoutSession
// (and resolveThreeDSecure to finish a challenge it started); nothing else calls a method family.
// Steps: validate (session, payer, cart, method input) → resolve payer → authorize by method
// (methods/) → record money and events (pay-record.ts; pay-async.ts for money that arrives
// later) → render. Everything is checked before
// anything changes: validation errors are thrown (HTTP 400) and leave no charge, while declines
// are outcomes with a FAILED charge. A session whose total is 0 completes without a method.
import { pagePaths } from '../control/page-urls.js';
import { errors } from '../core/errors.js';
import { applyPromotionCode, findSession, setLineItemQuantity } from '../checkout/session-actions.js';
import { isExpired, renderSession, sessionsOf, type SessionRecord } from '../checkout/session-record.js';
import type { Simulator } from '../simulator.js';
import type { Namespace } from '../store/namespace.js';
import { createPendingCharge, findCharge, saveCharge } from './charges.js';
import { attachCharge, createPaymentIntent, findPaymentIntent, requireAction, savePaymentIntent } from './intents.js';
import { THREE_D_SECURE_FAILED } from './magic-cards.js';
import { CHALLENGE, isWaitingChallenge, pendingChallenges } from './challenges.js';
import { attachedCustomer, resolvePayer, type PayerDetails } from './pay-customer.js';
import { addressShape, answerCustomFields, payerDetails, sessionCustomerDetails, shippingDetails, type ShippingDetails } from './pay-input.js';
import { checkStock, recheckDiscounts } from './pay-checks.js';
import { completeWithoutPayment } from './pay-free.js';
import { recordDecline, recordFailure, recordSuccess } from './pay-record.js';
import type { PayInput, PayOutcome } from './pay-request.js';
import { challengeResult } from './methods/card.js';
import type { PreparedAttempt } from './methods/family.js';
import { checkMethodAmount, familyOf } from './methods/index.js';
import { recordPending } from './pay-async.js';
import type { PaymentIntentRecord } from './types.js';

export type { PayCardInput, PayCustomerDetails, PayInput, PayOutcome, PhoneInput } from './pay-request.js';
export { settleAsyncPayment, type SettleOutcome } from './pay-async.js';

/** Refuses attempts on a session that cannot take one (404, 409). */
function payableSession(ns: Namespace, sessionId: string): SessionRecord {
  const session = findSession(ns, sessionId);
  if (session.status === 'complete') throw errors.code(409, 'payment_already_completed', `Checkout session ${session.id} is already ${session.paymentStatus === 'unpaid' ? 'complete, waiting for its payment' : 'paid'}.`);
  if (isExpired(ns, session)) throw errors.code(409, 'checkout_session_expired', `Checkout session ${session.id} has expired.`);
  if (session.status !== 'open') throw errors.invalidState(`Checkout session ${session.id} is ${session.status}.`);
  return session;
}

function intentOf(ns: Namespace, session: SessionRecord): PaymentIntentRecord | undefined {
  return session._paymentIntentId ? findPaymentIntent(ns, session._paymentIntentId) : undefined;
}

/** Runs `step`; if it refuses (throws), the stored session is put back as it was before the attempt. */
function orRestore<T>(ns: Namespace, session: SessionRecord, step: () => T): T {
  try {
    return step();
  } catch (e) {
    sessionsOf(ns).set(session.id, session);
    throw e;
  }
}

/** Applies cart changes (quantities, promotion code) to the stored session. */
function applyCartChanges(ns: Namespace, session: SessionRecord, input: PayInput): SessionRecord {
  let next = session;
  for (const [lineItemId, quantity] of Object.entries(input.quantities ?? {})) {
    if (next.lineItems.find((l) => l.id === lineItemId)?.quantity === quantity) continue;
    next = setLineItemQuantity(ns, next, lineItemId, quantity);
  }
  if (input.promotionCode !== undefined && input.promotionCode.trim() !== '') next = applyPromotionCode(ns, next, input.promotionCode);
  checkStock(ns, next);
  return next;
}

/** The method's checked input, or null when nothing is due. */
function checkAttempt(ns: Namespace, cart: SessionRecord, input: PayInput, details: PayerDetails): PreparedAttempt | null {
  recheckDiscounts(ns, cart, details.email);
  if (cart.amountTotal <= 0) return null;
  const type = input.paymentMethodType ?? 'card';
  if (!cart.paymentMethodTypes.includes(type)) throw errors.invalid('paymentMethodType', `Checkout session ${cart.id} does not take ${type} payments.`);
  checkMethodAmount(type, cart.amountTotal);
  return familyOf(type).prepare(ns, { input, type, payer: details, amount: cart.amountTotal, currency: cart.currency });
}

/** The one entry for a payment attempt on a checkout session. */
export function payCheckoutSession(sim: Simulator, ns: Namespace, sessionId: string, input: PayInput): PayOutcome {
  const session = payableSession(ns, sessionId);
  const existing = intentOf(ns, session);
  if (existing?.status === 'REQUIRES_ACTION') {
    throw errors.code(409, 'payment_still_confirming', `A 3-D Secure challenge is waiting for charge ${existing._chargeIds[existing._chargeIds.length - 1]}; finish it first.`);
  }
  const details = payerDetails(session, input.customerDetails, !attachedCustomer(ns, session));
  const shipping = shippingDetails(session, input.shipping, details);
  const customFields = answerCustomFields(session.customFields, input.customFields);
  // The changed cart decides whether a method is needed; a refusal after it puts the session back.
  const cart = orRestore(ns, session, () => applyCartChanges(ns, session, input));
  const prepared = orRestore(ns, session, () => checkAttempt(ns, cart, input, details));
  // Nothing to charge: a method sent anyway is neither validated nor used.
  if (!prepared) return completeWithoutPayment(sim, ns, { ...cart, customFields }, details, shipping);
  return attempt(sim, ns, { ...cart, customFields }, details, prepared, shipping);
}

/** Payer and intent for this attempt, with the session pointing at both. */
function startAttempt(sim: Simulator, ns: Namespace, session: SessionRecord, details: PayerDetails, prepared: PreparedAttempt, shipping: ShippingDetails | null) {
  const customer = resolvePayer(sim, ns, session, details, prepared.card, session.currency);
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
  return { stored, pi, payer };
}

function attempt(sim: Simulator, ns: Namespace, session: SessionRecord, details: PayerDetails, prepared: PreparedAttempt, shipping: ShippingDetails | null): PayOutcome {
  const { stored, payer, pi: intent } = startAttempt(sim, ns, session, details, prepared, shipping);
  const charge = createPendingCharge(ns, intent, {
    paymentMethodType: prepared.paymentMethodType,
    card: prepared.card,
    valu: prepared.valu ?? null,
    fawry: prepared.fawry ?? null,
    billingDetails: { address: addressShape(details.address ?? {}), email: details.email, name: prepared.nameOnMethod ?? details.name, phone: prepared.phoneOnMethod ?? details.phone },
    receiptEmail: payer.email,
    behaviour: prepared.behaviour,
  });
  const pi = attachCharge(ns, intent, charge);
  const decision = prepared.decision;
  if (decision.kind === 'challenge') {
    pendingChallenges(ns).add(charge.id);
    const url = sim.publicUrl + pagePaths.threeDs(sim, ns, stored.id, charge.id);
    requireAction(ns, pi, url, sim.publicUrl + pagePaths.checkout(sim, ns, stored.id));
    return { kind: 'requires_action', session: renderSession(sim, ns, stored), challengeUrl: url };
  }
  if (decision.kind === 'decline') return recordDecline(sim, ns, stored, pi, charge, decision.error);
  if (decision.kind === 'pending') return recordPending(sim, ns, stored, pi, charge, decision);
  return recordSuccess(sim, ns, stored, pi, charge);
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

/** Finishes the 3-D Secure challenge an attempt started (the challenge page and /_sim/.../3ds). */
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
  if (!ok) return recordDecline(sim, ns, session, pi, resolved, THREE_D_SECURE_FAILED);
  saveCharge(ns, resolved);
  return recordSuccess(sim, ns, session, pi, resolved);
}
