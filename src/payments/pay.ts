// The single pay service: one payment attempt on a checkout session (hosted page and
// POST /_sim/checkout/sessions/{id}/pay both call it), and the 3-D Secure challenge outcome.
import type { Simulator } from '../simulator.js';
import type { Namespace } from '../store/namespace.js';
import type { PaymentError } from './types.js';

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
  card?: PayCardInput;
  customerDetails?: PayCustomerDetails;
  promotionCode?: string;
  /** lineItemId → quantity */
  quantities?: Record<string, number>;
  customFields?: Record<string, string>;
}

/** `session` is the session as GET /checkout/sessions/{id} renders it. */
export type PayOutcome =
  | { kind: 'succeeded'; session: Record<string, unknown>; redirectUrl: string | null }
  | { kind: 'failed'; session: Record<string, unknown>; error: PaymentError }
  | { kind: 'requires_action'; session: Record<string, unknown>; challengeUrl: string };

export function payCheckoutSession(sim: Simulator, ns: Namespace, sessionId: string, input: PayInput): PayOutcome {
  void sim; void ns; void sessionId; void input;
  throw new Error('payCheckoutSession: not implemented yet');
}

export function resolveThreeDSecure(sim: Simulator, ns: Namespace, sessionId: string, chargeId: string, passed: boolean): PayOutcome {
  void sim; void ns; void sessionId; void chargeId; void passed;
  throw new Error('resolveThreeDSecure: not implemented yet');
}
