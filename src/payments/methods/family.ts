// The contract between the pay orchestrator and a payment method family (card, kiosk, wallet,
// bnpl, cod): a family checks its own input and says how the attempt ends right now, or what
// the payment waits for. The orchestrator alone creates charges, moves money and emits events.
import type { Namespace } from '../../store/namespace.js';
import type { PayerDetails } from '../pay-customer.js';
import type { PayInput } from '../pay-request.js';
import type { CardDetails, FawryDetails, PaymentError, ValuDetails } from '../types.js';

/** What a waiting payment shows the shopper (XPay's NextActionVoucher, without the page URL). */
export interface Voucher {
  provider: string;
  reference: string;
  expiresAt: string | null;
  instructions: string;
}

/** How the attempt ends at once, or what it waits for. */
export type Decision =
  | { kind: 'approve' }
  | { kind: 'decline'; error: PaymentError }
  /** The shopper must pass a 3-D Secure challenge first. */
  | { kind: 'challenge' }
  /**
   * The money arrives later (kiosk, transfer, cash on delivery): the session completes unpaid.
   * `settleAt`/`settleOutcome`: what a magic value scheduled; else the payment waits for a control
   * call or `voucher.expiresAt`.
   */
  | { kind: 'pending'; voucher: Voucher | null; nextActionType: 'display_voucher_details' | 'display_bank_transfer_instructions' | null; settleAt: string | null; settleOutcome: 'paid' | 'failed' | null };

export interface AttemptRequest {
  input: PayInput;
  type: string;
  payer: PayerDetails;
  amount: number;
  currency: string;
}

/** A checked attempt: what the charge records and what happens to it. */
export interface PreparedAttempt {
  paymentMethodType: string;
  card: CardDetails | null;
  valu?: ValuDetails | null;
  fawry?: FawryDetails | null;
  /** The name on the method (a cardholder), else the payer's. */
  nameOnMethod: string | null;
  /** The phone the method charged (wallets, BNPL), else the payer's. */
  phoneOnMethod?: string | null;
  /** Carried on the charge for later operations (3-D Secure, refunds that fail). */
  behaviour: string | null;
  decision: Decision;
}

export interface MethodFamily {
  name: 'card' | 'kiosk' | 'wallet' | 'bnpl' | 'cod';
  types: readonly string[];
  /** Checks the method's part of the input (throws a 400) before anything changes. */
  prepare(ns: Namespace, req: AttemptRequest): PreparedAttempt;
}
