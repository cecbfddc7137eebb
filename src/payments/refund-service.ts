// Refunds: resolving the target charge, the refund rules, and the all-or-nothing effects of one
// refund (refund record, charge and intent state, negative balance transaction, events).
// Synchronous from check to write, so refunds on one charge are serialized by construction.
import { errors } from '../core/errors.js';
import type { Simulator } from '../simulator.js';
import type { Namespace } from '../store/namespace.js';
import type { OpenRecord } from '../store/types.js';
import { stripInternal } from '../store/render.js';
import { findCharge, renderCharge, saveCharge } from './charges.js';
import { chargesOf, findPaymentIntent, savePaymentIntent } from './intents.js';
import { recordRefundBalance } from './ledger-book.js';
import { refundRoute, waitingRefundFields, waitingRefunds } from './refund-async.js';
import type { BalanceTransactionRecord, ChargeRecord, PaymentIntentRecord } from './types.js';

export const REFUND_REASONS = ['DUPLICATE', 'FRAUDULENT', 'REQUESTED_BY_CUSTOMER', 'RISK_HOLD_CAPTURE'] as const;

/** Behaviour a magic card leaves on its charge: every refund of it fails at the processor. */
export const REFUND_FAILS = 'refund_fails';

export interface RefundRecord {
  id: string;
  object: 'refund';
  amount: number;
  chargeId: string;
  paymentIntentId: string;
  balanceTransactionId: string | null;
  failureBalanceTransactionId: string | null;
  externalRefundId: string | null;
  createdAt: string;
  currency: string;
  presentmentDetails?: Record<string, unknown>;
  status: 'SUCCEEDED' | 'FAILED' | 'PENDING' | 'REQUIRES_ACTION';
  /** PENDING refunds: why (always `processing` here). */
  pendingReason?: string;
  /** REQUIRES_ACTION refunds: the instructions sent to the shopper. */
  nextAction?: Record<string, unknown>;
  /** When a waiting refund settles by itself (PENDING succeeds, REQUIRES_ACTION expires). */
  _settleAt?: string;
  // XPay's contract gives these enums no null value, so they are left out rather than null.
  reason?: string;
  failureReason?: string;
  failureCode: string | null;
  failureMessage: string | null;
  description: string | null;
  destinationDetails?: Record<string, unknown>;
  instructionsEmail: string | null;
  receiptNumber: string;
  feeAmount: number;
  /** Accepted on create; XPay's refund response has no metadata field. */
  _metadata: Record<string, unknown> | null;
}

export interface RefundInput {
  chargeId?: string | null;
  paymentIntentId?: string | null;
  amount?: number | null;
  reason?: string | null;
  description?: string | null;
  instructionsEmail?: string | null;
  metadata?: Record<string, unknown> | null;
}

/** Charges that captured money at some point (later refunds do not change that). */
const CAPTURED = new Set<ChargeRecord['status']>(['SUCCEEDED', 'PARTIALLY_REFUNDED', 'REFUNDED']);

export function findRefund(ns: Namespace, id: string, param = 'id'): RefundRecord {
  const refund = ns.db.refunds.get(id) as unknown as RefundRecord | undefined;
  if (!refund) throw errors.notFound('refund', id, param);
  return refund;
}

export function renderRefund(refund: RefundRecord): Record<string, unknown> {
  return stripInternal(refund);
}

/** Amount still refundable on a charge. */
export function remainingRefundable(charge: ChargeRecord): number {
  // Money promised to waiting refunds is not refundable twice.
  return charge.amountCaptured - charge.amountRefunded - (charge._amountPending ?? 0);
}

/** The one charge a refund request targets, with the parameter to blame in errors. */
export function resolveTarget(ns: Namespace, input: RefundInput): { charge: ChargeRecord; param: 'chargeId' | 'paymentIntentId' } {
  const hasCharge = input.chargeId !== undefined && input.chargeId !== null && input.chargeId !== '';
  const hasIntent = input.paymentIntentId !== undefined && input.paymentIntentId !== null && input.paymentIntentId !== '';
  if (hasCharge && hasIntent) throw errors.exclusive('chargeId', 'Provide exactly one of chargeId or paymentIntentId, not both.');
  if (!hasCharge && !hasIntent) throw errors.missing('chargeId');
  if (hasCharge) {
    const charge = findCharge(ns, input.chargeId!);
    if (!charge) throw errors.notFound('charge', input.chargeId!, 'chargeId');
    return { charge, param: 'chargeId' };
  }
  const pi = findPaymentIntent(ns, input.paymentIntentId!, 'paymentIntentId');
  const captured = chargesOf(ns, pi).filter((c) => CAPTURED.has(c.status));
  if (captured.length === 0) {
    throw errors.invalid('paymentIntentId', `Payment intent ${pi.id} has no succeeded charge to refund.`);
  }
  if (captured.length > 1) {
    throw errors.invalid('paymentIntentId', `Payment intent ${pi.id} has ${captured.length} succeeded charges; refund one of them by chargeId.`);
  }
  return { charge: captured[0]!, param: 'paymentIntentId' };
}

/**
 * Throws unless `amount` (or the whole remainder) may be refunded from `charge`; returns the amount.
 * Never 409: XPay's modules read 409 `resource_invalid_state` on POST /refunds as the platform's
 * per-charge lock ("a refund is still processing, retry"), which here cannot happen (see the header).
 */
export function checkRefundable(charge: ChargeRecord, requested: number | null | undefined, param: string): number {
  if (charge.paymentMethodDetails?.type === 'valu' || charge.processorCapabilities?.supportsRefund === false) {
    throw errors.invalid(param, `valU payments cannot be refunded through XPay (charge ${charge.id}); refund the customer through valU.`);
  }
  if (!CAPTURED.has(charge.status)) {
    throw errors.code(400, 'charge_not_captured', `Charge ${charge.id} is ${charge.status} and has no captured money to refund.`, param);
  }
  const remaining = remainingRefundable(charge);
  const amount = requested ?? remaining;
  // Any amount on a fully refunded charge is an amount problem too (XPay: 400 amount_invalid).
  if (remaining <= 0 || amount > remaining) {
    const asked = requested === undefined || requested === null ? 'A full refund' : `Refund amount ${amount}`;
    throw errors.code(400, 'amount_invalid',
      `${asked} exceeds the refundable balance of charge ${charge.id} (${remaining} left${remaining <= 0 ? ': already fully refunded' : ''}).`, 'amount');
  }
  if (amount < charge.amountCaptured && charge.processorCapabilities?.supportsPartialRefund === false) {
    throw errors.invalid('amount', `Charge ${charge.id} can only be refunded in full (${remaining}).`);
  }
  return amount;
}

function chargeFeeOf(ns: Namespace, charge: ChargeRecord): number {
  if (!charge._balanceTransactionId) return 0;
  const txn = ns.db.balanceTransactions.get(charge._balanceTransactionId) as unknown as BalanceTransactionRecord | undefined;
  return txn?.fee ?? 0;
}

/** The presentment share of a partial refund, when the charge was shown in another currency. */
function presentmentOf(charge: ChargeRecord, amount: number): Record<string, unknown> | undefined {
  const pd = charge.presentmentDetails as { amount?: unknown; currency?: unknown; exchangeRate?: unknown; exchangeRateId?: unknown } | null;
  if (!pd || typeof pd.amount !== 'number' || typeof pd.currency !== 'string' || typeof pd.exchangeRate !== 'number' || typeof pd.exchangeRateId !== 'string') return undefined;
  const share = charge.amount > 0 ? Math.round((amount * pd.amount) / charge.amount) : 0;
  return { amount: share, currency: pd.currency, exchangeRate: pd.exchangeRate, exchangeRateId: pd.exchangeRateId };
}

function receiptNumber(ns: Namespace): string {
  const digits = () => String(ns.random.nextUint32() % 10000).padStart(4, '0');
  return `${digits()}-${digits()}`;
}

/** Lowercase reasons (XPay's docs example) are stored in the contract's uppercase form. */
export function canonicalReason(reason: string | null | undefined): string | null {
  return reason ? reason.toUpperCase() : null;
}

/** Refund state of a charge after `refunded` of its captured amount went back. */
function chargeAfterRefund(charge: ChargeRecord, refundId: string, amount: number): ChargeRecord {
  const amountRefunded = charge.amountRefunded + amount;
  const full = amountRefunded >= charge.amountCaptured;
  return { ...charge, amountRefunded, refunded: full, status: full ? 'REFUNDED' : 'PARTIALLY_REFUNDED', _refundIds: [...charge._refundIds, refundId] };
}

function intentAfterRefund(ns: Namespace, pi: PaymentIntentRecord, charge: ChargeRecord): PaymentIntentRecord {
  return { ...pi, status: charge.refunded ? 'REFUNDED' : 'PARTIALLY_REFUNDED', updatedAt: ns.nowIso() };
}

/**
 * Creates one refund with all its effects, or throws before changing anything.
 * Returns the refund record (render it with renderRefund).
 */
export function createRefund(sim: Simulator, ns: Namespace, input: RefundInput): RefundRecord {
  const { charge, param } = resolveTarget(ns, input);
  const amount = checkRefundable(charge, input.amount, param);
  const pi = findPaymentIntent(ns, charge.paymentIntentId);
  const fails = charge._behaviour === REFUND_FAILS;
  const id = ns.ids.next('re');
  const card = charge.paymentMethodDetails?.type === 'card' || charge.paymentMethodDetails?.card;
  const refund: RefundRecord = {
    id,
    object: 'refund',
    amount,
    chargeId: charge.id,
    paymentIntentId: charge.paymentIntentId,
    balanceTransactionId: null,
    failureBalanceTransactionId: null,
    externalRefundId: null,
    createdAt: ns.nowIso(),
    currency: charge.currency,
    status: fails ? 'FAILED' : 'SUCCEEDED',
    failureCode: fails ? 'expired_or_canceled_card' : null,
    failureMessage: fails ? 'The card the payment came from is expired or canceled; the refund could not be sent to it.' : null,
    description: input.description ?? null,
    instructionsEmail: input.instructionsEmail ?? null,
    receiptNumber: receiptNumber(ns),
    feeAmount: chargeFeeOf(ns, charge),
    _metadata: input.metadata ?? null,
  };
  const reason = canonicalReason(input.reason);
  if (reason) refund.reason = reason;
  if (fails) refund.failureReason = 'expired_or_canceled_card';
  const presentment = presentmentOf(charge, amount);
  if (presentment) refund.presentmentDetails = presentment;
  if (card && !fails) refund.destinationDetails = { type: 'card', card: { type: 'refund', referenceStatus: 'pending' } };
  const route = fails ? 'instant' : refundRoute(charge);
  if (route !== 'instant') {
    // Wallets, transfers and cash: the refund waits; no money moves until it succeeds.
    Object.assign(refund, waitingRefundFields(ns, charge, route, refund.instructionsEmail));
    ns.db.refunds.set(id, refund as unknown as OpenRecord);
    saveCharge(ns, { ...charge, _amountPending: (charge._amountPending ?? 0) + amount, _refundIds: [...charge._refundIds, id] });
    waitingRefunds(ns).add(id);
    sim.emit(ns, 'refund.created', renderRefund(refund));
    return refund;
  }

  // All checks are done: from here on every write happens, with no await in between.
  if (fails) {
    ns.db.refunds.set(id, refund as unknown as OpenRecord);
    saveCharge(ns, { ...charge, _refundIds: [...charge._refundIds, id] });
    const shown = renderRefund(refund);
    sim.emit(ns, 'refund.created', shown);
    sim.emit(ns, 'refund.failed', shown);
    return refund;
  }
  const nextCharge = chargeAfterRefund(charge, id, amount);
  const txn = recordRefundBalance(ns, id, charge, amount);
  refund.balanceTransactionId = txn.id;
  ns.db.refunds.set(id, refund as unknown as OpenRecord);
  saveCharge(ns, nextCharge);
  savePaymentIntent(ns, intentAfterRefund(ns, pi, nextCharge));
  sim.emit(ns, 'refund.created', renderRefund(refund));
  sim.emit(ns, 'charge.refunded', renderCharge(ns, nextCharge));
  return refund;
}

/** Refunds newest first, optionally of one charge only. */
export function listRefundRecords(ns: Namespace, chargeId: string | undefined): RefundRecord[] {
  if (chargeId !== undefined) {
    const charge = findCharge(ns, chargeId);
    if (!charge) return [];
    return [...charge._refundIds].reverse().flatMap((id) => {
      const r = ns.db.refunds.get(id) as unknown as RefundRecord | undefined;
      return r ? [r] : [];
    });
  }
  return ([...ns.db.refunds.values()] as unknown as RefundRecord[]).reverse();
}
