// Charges: one per payment attempt on a payment intent. A succeeded charge moves money
// (balance transaction + ledger entry); a failed one records why.
import type { Namespace } from '../store/namespace.js';
import type { OpenRecord } from '../store/types.js';
import { stripInternal } from '../store/render.js';
import { recordChargeBalance } from './ledger-book.js';
import { methodInfo } from './method-catalog.js';
import type { BalanceTransactionRecord, CardDetails, ChargeRecord, FawryDetails, PaymentError, PaymentIntentRecord, ValuDetails } from './types.js';

export interface AttemptInput {
  paymentMethodType: string;
  card: CardDetails | null;
  valu?: ValuDetails | null;
  fawry?: FawryDetails | null;
  billingDetails: ChargeRecord['billingDetails'];
  receiptEmail: string | null;
  /** Behaviour carried to later operations (e.g. 'refund_fails'). */
  behaviour?: string | null;
}

export function findCharge(ns: Namespace, id: string): ChargeRecord | undefined {
  return ns.db.charges.get(id) as unknown as ChargeRecord | undefined;
}

export function saveCharge(ns: Namespace, charge: ChargeRecord): void {
  ns.db.charges.set(charge.id, charge as unknown as OpenRecord);
}

/** A new PENDING charge for one attempt on the intent. */
export function createPendingCharge(ns: Namespace, pi: PaymentIntentRecord, input: AttemptInput): ChargeRecord {
  const id = ns.ids.next('ch', true);
  const method = methodInfo(input.paymentMethodType);
  const charge: ChargeRecord = {
    id,
    object: 'charge',
    amount: pi.amount,
    amountCaptured: 0,
    amountRefunded: 0,
    currency: pi.currency,
    createdAt: ns.nowIso(),
    status: 'PENDING',
    paid: false,
    refunded: false,
    captured: false,
    capturedAt: null,
    failureCode: null,
    failureMessage: null,
    receiptUrl: null,
    receiptEmail: input.receiptEmail,
    billingDetails: input.billingDetails,
    paymentMethodDetails: { type: input.paymentMethodType, card: input.card, valu: input.valu ?? null, fawry: input.fawry ?? null },
    outcome: null,
    presentmentDetails: pi.presentmentDetails,
    paymentIntentId: pi.id,
    paymentMethodId: `pm_${id.slice(id.lastIndexOf('_') + 1)}`,
    calculatedStatementDescriptor: 'XPAY* DEMO STORE',
    disputed: false,
    externalChargeId: null,
    config: null,
    geocoding: null,
    session: null,
    merchantOrigin: null,
    merchantDomain: null,
    processorCapabilities: { supportsRefund: method?.supportsRefund ?? true, supportsPartialRefund: method?.supportsPartialRefund ?? true },
    activeHoldId: null,
    settlementModel: 'aggregated',
    _balanceTransactionId: null,
    _refundIds: [],
    _customerId: pi._customerId,
    _checkoutSessionId: pi.checkoutSessionId,
    _behaviour: input.behaviour ?? null,
  };
  saveCharge(ns, charge);
  return charge;
}

/** PENDING → SUCCEEDED: captured, receipt, balance transaction and ledger entry. */
/** `receiptUrl`: where the shopper's receipt page for this charge is (it names the namespace). */
export function succeedCharge(ns: Namespace, charge: ChargeRecord, receiptUrl: string): ChargeRecord {
  const now = ns.nowIso();
  const done: ChargeRecord = {
    ...charge,
    status: 'SUCCEEDED',
    paid: true,
    captured: true,
    capturedAt: now,
    amountCaptured: charge.amount,
    receiptUrl,
    outcome: { networkStatus: 'approved_by_network', reason: null, riskLevel: 'normal', riskScore: 12, sellerMessage: 'Payment complete.', type: 'authorized' },
  };
  if (done.paymentMethodDetails?.card) done.paymentMethodDetails = { ...done.paymentMethodDetails, card: { ...done.paymentMethodDetails.card, network: done.paymentMethodDetails.card.brand } };
  const txn = recordChargeBalance(ns, done, charge.paymentIntentId);
  done._balanceTransactionId = txn.id;
  saveCharge(ns, done);
  return done;
}

/** PENDING → FAILED with the decline recorded on the charge. */
export function failCharge(ns: Namespace, charge: ChargeRecord, error: PaymentError): ChargeRecord {
  const failed: ChargeRecord = {
    ...charge,
    status: 'FAILED',
    failureCode: error.declineCode ?? error.code,
    failureMessage: error.message,
    outcome: {
      networkStatus: error.type === 'card_error' ? 'declined_by_network' : 'not_sent_to_network',
      reason: error.declineCode ?? error.code,
      riskLevel: 'normal',
      riskScore: 40,
      sellerMessage: error.merchantMessage,
      type: error.type === 'card_error' ? 'issuer_declined' : 'invalid',
    },
  };
  saveCharge(ns, failed);
  return failed;
}

export function renderCharge(ns: Namespace, charge: ChargeRecord): Record<string, unknown> {
  const shape = stripInternal(charge);
  if (charge.paymentMethodDetails?.card) {
    shape.paymentMethodDetails = { ...charge.paymentMethodDetails, card: stripInternal(charge.paymentMethodDetails.card) };
  }
  const txn = charge._balanceTransactionId ? (ns.db.balanceTransactions.get(charge._balanceTransactionId) as unknown as BalanceTransactionRecord | undefined) : undefined;
  shape.balanceTransaction = txn ? stripInternal(txn) : null;
  // Newest refund first, as XPay lists them.
  shape.refunds = [...charge._refundIds].reverse().flatMap((id) => {
    const refund = ns.db.refunds.get(id);
    return refund ? [stripInternal(refund)] : [];
  });
  return shape;
}
