// Records of money movement: payment intents, charges and balance transactions.
// Stored in ns.db as XPay's response shapes; `_` fields are internal links, stripped on render.
import type { LedgerEntry } from '../core/ledger.js';

export interface CardDetails {
  brand: string;
  country: string | null;
  expMonth: number;
  expYear: number;
  funding: string;
  last4: string;
  network: string | null;
  fingerprint: string | null;
  threeDSecure: Record<string, string | null> | null;
  /** Apple Pay, Google Pay, Samsung Pay: the device wallet the card came through. */
  wallet: { type: string; dynamicLast4: string | null } | null;
  /** Shown on customers' latest payment method; not part of the charge's card object. */
  _cardholderName?: string | null;
}

/** XPay's ValuDetails: the installment plan of a valU (or other BNPL) purchase. */
export interface ValuDetails {
  loanNumber: string | null;
  tenure: number | null;
  emi: string | null;
  downPayment: string | null;
  financedAmount: string | null;
  firstEmiDueDate: string | null;
  lastInstallmentDate: string | null;
}

/** XPay's FawryDetails: the kiosk reference of a Fawry (or Aman) payment. */
export interface FawryDetails {
  fawryRefNumber: string | null;
  paymentReferenceNumber: string | null;
  paymentMethod: string | null;
  paymentTime: number | null;
  expiresAt: string | null;
}

export interface PaymentError {
  type: 'card_error' | 'payment_method_error' | 'processor_error' | 'api_error' | 'invalid_request_error' | 'authentication_error' | 'idempotency_error';
  code: string;
  declineCode: string | null;
  networkDeclineCode: string | null;
  message: string;
  merchantMessage: string | null;
  adviceCode: 'confirm_card_data' | 'do_not_try_again' | 'try_again_later' | null;
}

export interface PaymentIntentRecord {
  id: string;
  object: 'payment_intent';
  checkoutSessionId: string | null;
  amount: number;
  amountCapturable: number;
  amountReceived: number;
  currency: string;
  status: string;
  createdAt: string;
  updatedAt: string;
  clientSecret: string;
  captureMethod: 'automatic';
  confirmationMethod: 'automatic';
  description: string | null;
  receiptEmail: string | null;
  canceledAt: string | null;
  shipping: Record<string, unknown> | null;
  amountDetails: Record<string, unknown> | null;
  presentmentDetails: Record<string, unknown> | null;
  paymentMethod: Record<string, unknown> | null;
  customer: { id: string; name: string | null; email: string | null; phone: string | null } | null;
  nextAction: Record<string, unknown> | null;
  metadata: Record<string, unknown> | unknown[];
  lastPaymentError: Record<string, unknown> | null;
  /** Charge ids, oldest first. */
  _chargeIds: string[];
  _customerId: string | null;
}

export interface ChargeRecord {
  id: string;
  object: 'charge';
  amount: number;
  amountCaptured: number;
  amountRefunded: number;
  currency: string;
  createdAt: string;
  status: 'SUCCEEDED' | 'PENDING' | 'FAILED' | 'CANCELED' | 'REFUNDED' | 'PARTIALLY_REFUNDED';
  paid: boolean;
  refunded: boolean;
  captured: boolean;
  capturedAt: string | null;
  failureCode: string | null;
  failureMessage: string | null;
  receiptUrl: string | null;
  receiptEmail: string | null;
  billingDetails: { address: Record<string, string | null>; email: string | null; name: string | null; phone: string | null };
  paymentMethodDetails: { type: string; card: CardDetails | null; valu: ValuDetails | null; fawry: FawryDetails | null } | null;
  outcome: { networkStatus: string | null; reason: string | null; riskLevel: string; riskScore: number; sellerMessage: string | null; type: string } | null;
  presentmentDetails: Record<string, unknown> | null;
  paymentIntentId: string;
  paymentMethodId: string | null;
  calculatedStatementDescriptor: string | null;
  disputed: boolean;
  externalChargeId: string | null;
  config: Record<string, unknown> | null;
  geocoding: null;
  session: null;
  merchantOrigin: string | null;
  merchantDomain: string | null;
  processorCapabilities: { supportsRefund: boolean; supportsPartialRefund: boolean } | null;
  activeHoldId: string | null;
  settlementModel: 'aggregated' | 'direct';
  _balanceTransactionId: string | null;
  /** Refund ids, oldest first (rendered newest first). */
  _refundIds: string[];
  _customerId: string | null;
  _checkoutSessionId: string | null;
  /** Behaviour the magic card asked for later on (e.g. refunds that fail). */
  _behaviour: string | null;
  /** A payment that completes later: when a magic value settles it, and how (else a control call or its expiry). */
  _settleAt?: string | null;
  _settleOutcome?: 'paid' | 'failed' | null;
  _expiresAt?: string | null;
  /** Refunded by refunds still PENDING or REQUIRES_ACTION (not yet in amountRefunded). */
  _amountPending?: number;
}

export interface BalanceTransactionRecord {
  id: string;
  object: 'balance_transaction';
  amount: number;
  availableOn: string | null;
  createdAt: string;
  currency: string;
  description: string | null;
  fee: number;
  net: number;
  feeDetails: Array<{ amount: number; currency: string; description: string | null; type: string; application: string | null }>;
  status: 'AVAILABLE' | 'PENDING';
  type: string;
  reportingCategory: string;
  exchangeRate: number | null;
  source: string;
  payoutBatch: null;
  paymentIntentId: string | null;
  merchantId: string;
}

export type { LedgerEntry };
