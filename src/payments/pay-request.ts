// What a payment attempt asks for (the orchestrator's input) and how it ends (its outcome).
// Shared by the pay orchestrator, the method families and every caller (pages, /_sim, SDK frames).
import type { PaymentError } from './types.js';
import type { ShippingInput } from './pay-input.js';

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

/** The phone a wallet or BNPL provider charges (the payer's when left out) and the code it sent. */
export interface PhoneInput {
  phone?: string | null;
  otp?: string | null;
  /** Set by the hosted page only: the code was typed after its window closed. */
  otpExpired?: boolean;
  /** BNPL only: months to pay over. */
  tenure?: number;
}

export interface PayInput {
  /** One of the session's paymentMethodTypes; card when left out. */
  paymentMethodType?: string;
  /** A function when reading it can fail by itself (expiry formats): a free session never reads it. */
  card?: PayCardInput | (() => PayCardInput);
  /** Mobile wallets (vodafone_cash, etisalat_cash, orange_cash, we_pay). */
  wallet?: PhoneInput;
  /** valU, Sympl, Tabby, Tamara. */
  bnpl?: PhoneInput;
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
  | { kind: 'requires_action'; session: Record<string, unknown>; challengeUrl: string }
  /** The session completed unpaid: a kiosk reference or transfer to pay, or cash on delivery. */
  | { kind: 'pending'; session: Record<string, unknown>; redirectUrl: string | null };
