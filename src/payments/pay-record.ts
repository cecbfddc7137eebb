// The end of a payment attempt: money recorded (charge, balance transaction, ledger through
// succeedCharge), the session completed, and the events in their order. Method families never
// come here; the pay orchestrator does once a family has decided.
import { pagePaths } from '../control/page-urls.js';
import { completionRedirectUrl, renderSession, sessionsOf, type SessionRecord } from '../checkout/session-record.js';
import { redeemDiscounts } from '../checkout/session-actions.js';
import type { Simulator } from '../simulator.js';
import type { Namespace } from '../store/namespace.js';
import { failCharge, renderCharge, succeedCharge } from './charges.js';
import { markFailed, markSucceeded, renderPaymentIntent } from './intents.js';
import { consumeStock } from './pay-free.js';
import type { PayOutcome } from './pay-request.js';
import type { ChargeRecord, PaymentError, PaymentIntentRecord } from './types.js';

export function recordSuccess(sim: Simulator, ns: Namespace, session: SessionRecord, pi: PaymentIntentRecord, pending: ChargeRecord): PayOutcome {
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

/** A declined attempt: the session stays open for another one. */
export function recordDecline(sim: Simulator, ns: Namespace, session: SessionRecord, pi: PaymentIntentRecord, pending: ChargeRecord, error: PaymentError): PayOutcome {
  recordFailure(sim, ns, pi, pending, error);
  return { kind: 'failed', session: renderSession(sim, ns, sessionsOf(ns).get(session.id)!), error };
}

export function recordFailure(sim: Simulator, ns: Namespace, pi: PaymentIntentRecord, pending: ChargeRecord, error: PaymentError): void {
  const charge = failCharge(ns, pending, error);
  const intent = markFailed(ns, pi, charge, error);
  sim.emit(ns, 'charge.failed', renderCharge(ns, charge));
  sim.emit(ns, 'payment_intent.payment_failed', intentEventObject(sim, ns, intent));
}

/** XPay's PaymentIntentResponse: the nested intent plus its session (which leaves out paymentIntent). */
export function intentEventObject(sim: Simulator, ns: Namespace, intent: PaymentIntentRecord): Record<string, unknown> {
  const session = intent.checkoutSessionId ? sessionsOf(ns).get(intent.checkoutSessionId) : undefined;
  let checkoutSession: Record<string, unknown> | null = null;
  if (session) {
    const { paymentIntent: _omitted, ...rest } = renderSession(sim, ns, session);
    checkoutSession = rest;
  }
  return { ...renderPaymentIntent(ns, intent), checkoutSession };
}
