// Refunds that do not reach the shopper at once (wallets, transfers, kiosks, cash on delivery):
// how each payment method's refund starts, and how a waiting refund ends (control call or the
// namespace clock), moving money only when it succeeds.
import { errors } from '../core/errors.js';
import type { Simulator } from '../simulator.js';
import type { Namespace } from '../store/namespace.js';
import type { OpenRecord } from '../store/types.js';
import { stripInternal } from '../store/render.js';
import { findCharge, renderCharge, saveCharge } from './charges.js';
import { findPaymentIntent, savePaymentIntent } from './intents.js';
import { recordRefundBalance } from './ledger-book.js';
import { methodInfo } from './method-catalog.js';
import type { ChargeRecord } from './types.js';
import type { RefundRecord } from './refund-service.js';
import { waitingIds } from './waiting-index.js';

const DAY = 86_400_000;
/** @assumption XPay documents no timings: a wallet/transfer refund arrives a day later; kiosk instructions stay valid 7 days. */
export const PENDING_REFUND_MS = DAY;
export const REFUND_ACTION_MS = 7 * DAY;

export type RefundRoute = 'instant' | 'pending' | 'requires_action';

/** Cards (and device wallets, BNPL) refund at once; wallets and transfers later; cash needs the shopper to act. */
export function refundRoute(charge: ChargeRecord): RefundRoute {
  const family = methodInfo(charge.paymentMethodDetails?.type ?? 'card')?.family ?? 'card';
  if (family === 'wallet') return 'pending';
  if (family === 'kiosk') return charge.paymentMethodDetails?.type === 'instapay' || charge.paymentMethodDetails?.type === 'bank_transfer' ? 'pending' : 'requires_action';
  if (family === 'cod') return 'requires_action';
  return 'instant';
}

function reference(ns: Namespace): string {
  return `RF${String(ns.random.nextUint32()).padStart(10, '0')}`;
}

/** The waiting fields of a new refund on `charge` (status, pendingReason, destination, next action). */
export function waitingRefundFields(ns: Namespace, charge: ChargeRecord, route: Exclude<RefundRoute, 'instant'>, instructionsEmail: string | null): Partial<RefundRecord> {
  const type = charge.paymentMethodDetails?.type ?? 'card';
  const now = ns.clock.now();
  const ref = reference(ns);
  if (route === 'pending') {
    const destinationDetails = methodInfo(type)?.family === 'wallet'
      ? { type: 'wallet', wallet: { provider: type, reference: ref } }
      : { type: 'bank_transfer', bankTransfer: { reference: ref, referenceStatus: 'pending' } };
    return { status: 'PENDING', pendingReason: 'processing', destinationDetails, _settleAt: new Date(now + PENDING_REFUND_MS).toISOString() };
  }
  const emailTo = instructionsEmail ?? charge.billingDetails.email;
  const displayDetails: Record<string, string> = { emailSentAt: new Date(now).toISOString(), expiresAt: new Date(now + REFUND_ACTION_MS).toISOString() };
  if (emailTo) displayDetails.emailSentTo = emailTo;
  return {
    status: 'REQUIRES_ACTION',
    destinationDetails: { type: 'kiosk', kiosk: { provider: type, reference: ref } },
    nextAction: { type: 'display_details', displayDetails },
    _settleAt: displayDetails.expiresAt,
  };
}

const KEY = 'payments.waitingRefunds';

export function isWaitingRefund(r: RefundRecord): boolean {
  return r.status === 'PENDING' || r.status === 'REQUIRES_ACTION';
}

/** Ids of refunds that may still wait (callers re-check each). */
export function waitingRefunds(ns: Namespace): Set<string> {
  return waitingIds(ns, KEY, () => ns.db.refunds.values() as unknown as Iterable<RefundRecord>, isWaitingRefund);
}

/** A waiting refund succeeds (money leaves the merchant's balance) or fails (its amount is refundable again). */
export function finishRefund(sim: Simulator, ns: Namespace, refund: RefundRecord, succeeded: boolean, failure?: { code: string; message: string }): RefundRecord {
  waitingRefunds(ns).delete(refund.id);
  const charge = findCharge(ns, refund.chargeId)!;
  const { _settleAt, nextAction, pendingReason, ...rest } = refund;
  const held = Math.max(0, (charge._amountPending ?? 0) - refund.amount);
  if (!succeeded) {
    const failed: RefundRecord = { ...rest, status: 'FAILED', failureReason: 'unknown', failureCode: failure?.code ?? 'refund_failed', failureMessage: failure?.message ?? 'The refund could not be delivered.' };
    ns.db.refunds.set(failed.id, failed as unknown as OpenRecord);
    saveCharge(ns, { ...charge, _amountPending: held });
    sim.emit(ns, 'refund.failed', stripInternal(failed));
    return failed;
  }
  const txn = recordRefundBalance(ns, refund.id, charge, refund.amount);
  const done: RefundRecord = { ...rest, status: 'SUCCEEDED', balanceTransactionId: txn.id };
  if (done.destinationDetails?.type === 'bank_transfer') done.destinationDetails = { type: 'bank_transfer', bankTransfer: { ...(done.destinationDetails.bankTransfer as object), referenceStatus: 'available' } };
  ns.db.refunds.set(done.id, done as unknown as OpenRecord);
  const amountRefunded = charge.amountRefunded + refund.amount;
  const full = amountRefunded >= charge.amountCaptured;
  const nextCharge: ChargeRecord = { ...charge, _amountPending: held, amountRefunded, refunded: full, status: full ? 'REFUNDED' : 'PARTIALLY_REFUNDED' };
  saveCharge(ns, nextCharge);
  const pi = findPaymentIntent(ns, charge.paymentIntentId);
  savePaymentIntent(ns, { ...pi, status: full ? 'REFUNDED' : 'PARTIALLY_REFUNDED', updatedAt: ns.nowIso() });
  sim.emit(ns, 'charge.refunded', renderCharge(ns, nextCharge));
  return done;
}


/** POST /_sim/refunds/{id}/settle. */
export function settleRefund(sim: Simulator, ns: Namespace, id: string, outcome: 'succeeded' | 'failed'): RefundRecord {
  const refund = ns.db.refunds.get(id) as unknown as RefundRecord | undefined;
  if (!refund) throw errors.notFound('refund', id, 'id');
  if (!isWaitingRefund(refund)) throw errors.invalidState(`Refund ${refund.id} is ${refund.status}; only PENDING and REQUIRES_ACTION refunds settle.`);
  return finishRefund(sim, ns, refund, outcome === 'succeeded', outcome === 'failed' ? { code: 'refund_declined', message: 'The provider declined the refund.' } : undefined);
}

/** Due work: pending refunds arrive, and refund instructions nobody used expire (the refund fails). */
export function settleDueRefunds(ns: Namespace, sim: Simulator): void {
  const waiting = waitingRefunds(ns);
  if (waiting.size === 0) return;
  const now = ns.clock.now();
  const due: RefundRecord[] = [];
  for (const id of [...waiting]) {
    const r = ns.db.refunds.get(id) as unknown as RefundRecord | undefined;
    if (!r || !isWaitingRefund(r)) waiting.delete(id);
    else if (r._settleAt && Date.parse(r._settleAt) <= now) due.push(r);
  }
  due.sort((a, b) => Date.parse(a._settleAt!) - Date.parse(b._settleAt!) || a.id.localeCompare(b.id));
  for (const r of due) {
    if (r.status === 'PENDING') finishRefund(sim, ns, r, true);
    else finishRefund(sim, ns, r, false, { code: 'refund_expired', message: 'The shopper did not collect the refund before its instructions expired.' });
  }
}

export function nextRefundDue(ns: Namespace): number | undefined {
  let earliest: number | undefined;
  for (const id of waitingRefunds(ns)) {
    const r = ns.db.refunds.get(id) as unknown as RefundRecord | undefined;
    const at = r && isWaitingRefund(r) && r._settleAt ? Date.parse(r._settleAt) : undefined;
    if (at !== undefined && (earliest === undefined || at < earliest)) earliest = at;
  }
  return earliest;
}
