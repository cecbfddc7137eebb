// Payment intents: one per checkout session, created at the first payment attempt.
// (Filled in by the payments capability; the checkout session renderer calls this.)
import type { Namespace } from '../store/namespace.js';

/** The session's payment intent as XPay's NestedPaymentIntentResponse, or null before any attempt. */
export function renderSessionPaymentIntent(_ns: Namespace, paymentIntentId: string | null): Record<string, unknown> | null {
  if (paymentIntentId === null) return null;
  return null;
}
