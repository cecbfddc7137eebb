// Completing a session whose total is 0 (a 100%-off discount, free prices): no card, no payment
// intent, no charge and no money in the ledger, but everything else a paid completion does
// (customer, stock, discount redemption, checkout.session.completed, the redirect).
import { completionRedirectUrl, renderSession, sessionsOf, type SessionRecord } from '../checkout/session-record.js';
import { redeemDiscounts } from '../checkout/session-actions.js';
import type { Simulator } from '../simulator.js';
import type { Namespace } from '../store/namespace.js';
import { findPaymentIntent, savePaymentIntent } from './intents.js';
import { resolvePayer } from './pay-customer.js';
import { sessionCustomerDetails, type ShippingDetails } from './pay-input.js';
import type { PayerDetails } from './pay-customer.js';

/** Takes what the session's lines used from their prices' stock. */
export function consumeStock(ns: Namespace, session: SessionRecord): void {
  for (const item of session.lineItems) {
    const price = item._catalog ? ns.db.prices.get(item.price.id) : undefined;
    if (price && price.stock !== null) ns.db.prices.set(price.id, { ...price, stock: Math.max(0, price.stock - item.quantity), updatedAt: ns.nowIso() });
  }
}

/** The caller has checked everything; `session` is the cart as it will complete. */
export function completeWithoutPayment(sim: Simulator, ns: Namespace, session: SessionRecord, details: PayerDetails, shipping: ShippingDetails | null) {
  const customer = resolvePayer(sim, ns, session, details, null, session.currency);
  // An intent left by an earlier attempt (declined before the cart became free) will never be paid.
  if (session._paymentIntentId) {
    const pi = findPaymentIntent(ns, session._paymentIntentId);
    if (pi.status === 'REQUIRES_PAYMENT_METHOD') savePaymentIntent(ns, { ...pi, status: 'CANCELED', canceledAt: ns.nowIso(), updatedAt: ns.nowIso() });
  }
  consumeStock(ns, session);
  sessionsOf(ns).set(session.id, {
    ...session,
    customerId: customer.id,
    customerDetails: sessionCustomerDetails(session, details, shipping),
    status: 'complete',
    paymentStatus: 'no_payment_required',
    updatedAt: ns.nowIso(),
  });
  const done = redeemDiscounts(ns, sessionsOf(ns).get(session.id)!);
  const shown = renderSession(sim, ns, done);
  sim.emit(ns, 'checkout.session.completed', shown);
  return { kind: 'succeeded' as const, session: shown, redirectUrl: completionRedirectUrl(done) };
}
