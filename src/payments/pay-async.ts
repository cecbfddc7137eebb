// Payments whose money arrives later (kiosk references, InstaPay and bank transfers, cash on
// delivery). The attempt completes the session unpaid; later a control call, a magic value's
// scheduled time or the reference's expiry (all on the namespace clock) pays or fails it, with
// the money recorded and the async events emitted only then.
import { pagePaths } from '../control/page-urls.js';
import { errors } from '../core/errors.js';
import { redeemDiscounts } from '../checkout/session-actions.js';
import { completionRedirectUrl, renderSession, sessionsOf, type SessionRecord } from '../checkout/session-record.js';
import type { Simulator } from '../simulator.js';
import type { Namespace } from '../store/namespace.js';
import { failCharge, findCharge, renderCharge, saveCharge, succeedCharge } from './charges.js';
import { findPaymentIntent, markFailed, markSucceeded, savePaymentIntent } from './intents.js';
import { ASYNC_EXPIRED, ASYNC_FAILED, COD_REFUSED } from './magic-phones.js';
import type { Decision } from './methods/family.js';
import { consumeStock } from './pay-free.js';
import { intentEventObject } from './pay-record.js';
import type { PayOutcome } from './pay-request.js';
import type { ChargeRecord, PaymentError, PaymentIntentRecord } from './types.js';
import { waitingIds } from './waiting-index.js';

const KEY = 'payments.pendingAsync';

export function isWaitingAsync(charge: ChargeRecord): boolean {
  return charge.status === 'PENDING' && charge._settleAt !== undefined;
}

/** Ids of charges that may still wait for their money (callers re-check each). */
function pendingAsync(ns: Namespace): Set<string> {
  return waitingIds(ns, KEY, () => ns.db.charges.values() as unknown as Iterable<ChargeRecord>, isWaitingAsync);
}

/** The attempt is accepted but unpaid: the session completes, the intent waits. */
export function recordPending(sim: Simulator, ns: Namespace, session: SessionRecord, pi: PaymentIntentRecord, pending: ChargeRecord, decision: Extract<Decision, { kind: 'pending' }>): PayOutcome {
  const charge: ChargeRecord = { ...pending, _settleAt: decision.settleAt, _settleOutcome: decision.settleOutcome, _expiresAt: decision.voucher?.expiresAt ?? null };
  saveCharge(ns, charge);
  pendingAsync(ns).add(charge.id);
  const voucherUrl = sim.publicUrl + pagePaths.checkout(sim, ns, session.id);
  const nextAction = decision.voucher && decision.nextActionType
    ? { type: decision.nextActionType, redirectToUrl: null, displayVoucherDetails: { ...decision.voucher, hostedVoucherUrl: voucherUrl } }
    : null;
  // A reference waits for the shopper to act; cash on delivery waits for the courier.
  savePaymentIntent(ns, { ...pi, status: nextAction ? 'REQUIRES_ACTION' : 'PROCESSING', nextAction, lastPaymentError: null, updatedAt: ns.nowIso() });
  consumeStock(ns, session);
  sessionsOf(ns).set(session.id, { ...session, status: 'complete', paymentStatus: 'unpaid', updatedAt: ns.nowIso() });
  const done = redeemDiscounts(ns, sessionsOf(ns).get(session.id)!);
  const shown = renderSession(sim, ns, done);
  sim.emit(ns, 'checkout.session.completed', shown);
  return { kind: 'pending', session: shown, redirectUrl: completionRedirectUrl(done) };
}

export type SettleOutcome = 'paid' | 'failed' | 'collected' | 'refused';

/** The waiting charge of an intent, or 409 when none waits. */
function waitingCharge(ns: Namespace, pi: PaymentIntentRecord): ChargeRecord {
  const id = pi._chargeIds[pi._chargeIds.length - 1];
  const charge = id ? findCharge(ns, id) : undefined;
  if (!charge || !isWaitingAsync(charge)) throw errors.invalidState(`Payment intent ${pi.id} has no payment waiting to be settled (it is ${pi.status}).`);
  return charge;
}

/** POST /_sim/payment-intents/{id}/settle: kiosk/transfer payments take paid|failed, cash on delivery collected|refused. */
export function settleAsyncPayment(sim: Simulator, ns: Namespace, paymentIntentId: string, outcome: SettleOutcome): Record<string, unknown> {
  const pi = findPaymentIntent(ns, paymentIntentId, 'id');
  const charge = waitingCharge(ns, pi);
  const cod = charge.paymentMethodDetails?.type === 'cash_on_delivery';
  const allowed = cod ? ['collected', 'refused'] : ['paid', 'failed'];
  if (!allowed.includes(outcome)) throw errors.invalid('outcome', `A ${charge.paymentMethodDetails?.type} payment settles as ${allowed.join(' or ')}, not ${outcome}.`);
  const paid = outcome === 'paid' || outcome === 'collected';
  finish(sim, ns, pi, charge, paid ? null : cod ? COD_REFUSED : ASYNC_FAILED);
  return intentEventObject(sim, ns, findPaymentIntent(ns, pi.id));
}

/** Pays (error null) or fails the waiting charge, moving money only when paid. */
function finish(sim: Simulator, ns: Namespace, pi: PaymentIntentRecord, pending: ChargeRecord, error: PaymentError | null): void {
  pendingAsync(ns).delete(pending.id);
  // No longer waiting: the settle fields go (isWaitingAsync reads their presence).
  const { _settleAt, _settleOutcome, ...settled } = pending;
  const session = pi.checkoutSessionId ? sessionsOf(ns).get(pi.checkoutSessionId) : undefined;
  if (!error) {
    const charge = succeedCharge(ns, settled, sim.publicUrl + pagePaths.receipt(sim, ns, settled.id));
    const intent = markSucceeded(ns, pi, charge);
    if (session) sessionsOf(ns).set(session.id, { ...session, paymentStatus: 'paid', updatedAt: ns.nowIso() });
    sim.emit(ns, 'charge.succeeded', renderCharge(ns, charge));
    sim.emit(ns, 'payment_intent.succeeded', intentEventObject(sim, ns, intent));
    if (session) sim.emit(ns, 'checkout.session.async_payment_succeeded', renderSession(sim, ns, sessionsOf(ns).get(session.id)!));
    return;
  }
  const charge = failCharge(ns, settled, error);
  // The session is complete, so no other attempt can follow: the intent ends FAILED.
  const failed = markFailed(ns, pi, charge, error);
  savePaymentIntent(ns, { ...failed, status: 'FAILED' });
  if (session) sessionsOf(ns).set(session.id, { ...session, updatedAt: ns.nowIso() });
  sim.emit(ns, 'charge.failed', renderCharge(ns, charge));
  sim.emit(ns, 'payment_intent.payment_failed', intentEventObject(sim, ns, findPaymentIntent(ns, pi.id)));
  if (session) sim.emit(ns, 'checkout.session.async_payment_failed', renderSession(sim, ns, sessionsOf(ns).get(session.id)!));
}

/** When the charge settles by itself: a magic value's time, else its reference's expiry. */
function dueAt(charge: ChargeRecord): number | undefined {
  const at = charge._settleAt ?? charge._expiresAt;
  return at ? Date.parse(at) : undefined;
}

/** Due work: magic payments settle and unpaid references expire once the clock reaches them. */
export function settleDueAsyncPayments(ns: Namespace, sim: Simulator): void {
  const waiting = pendingAsync(ns);
  if (waiting.size === 0) return;
  const now = ns.clock.now();
  const due = [...waiting]
    .map((id) => findCharge(ns, id))
    .filter((c): c is ChargeRecord => c !== undefined && isWaitingAsync(c) && (dueAt(c) ?? Infinity) <= now)
    .sort((a, b) => dueAt(a)! - dueAt(b)! || a.id.localeCompare(b.id));
  for (const id of [...waiting]) {
    const c = findCharge(ns, id);
    if (!c || !isWaitingAsync(c)) waiting.delete(id);
  }
  for (const charge of due) {
    const pi = findPaymentIntent(ns, charge.paymentIntentId);
    const error = charge._settleAt ? (charge._settleOutcome === 'paid' ? null : charge.paymentMethodDetails?.type === 'cash_on_delivery' ? COD_REFUSED : ASYNC_FAILED) : ASYNC_EXPIRED;
    finish(sim, ns, pi, charge, error);
  }
}

/** The earliest instant a waiting payment settles or expires, so clock moves stop exactly there. */
export function nextAsyncDue(ns: Namespace): number | undefined {
  let earliest: number | undefined;
  for (const id of pendingAsync(ns)) {
    const c = findCharge(ns, id);
    const at = c && isWaitingAsync(c) ? dueAt(c) : undefined;
    if (at !== undefined && (earliest === undefined || at < earliest)) earliest = at;
  }
  return earliest;
}
