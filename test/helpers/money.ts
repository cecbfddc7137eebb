// Paid charges made straight through the money core (payment intent → pending charge → succeeded),
// for tests that need money to refund without going through checkout.
import { pagePaths } from '../../src/control/page-urls.js';
import { parseKey } from '../../src/http/auth.js';
import { createPaymentIntent, attachCharge, markSucceeded } from '../../src/payments/intents.js';
import { createPendingCharge, failCharge, succeedCharge } from '../../src/payments/charges.js';
import type { ChargeRecord, PaymentIntentRecord } from '../../src/payments/types.js';
import type { Namespace } from '../../src/store/namespace.js';
import { TEST_KEY, type TestSim } from './sim.js';

export interface PaidOptions {
  amount?: number;
  currency?: string;
  method?: 'card' | 'valu' | 'fawry';
  behaviour?: string | null;
  /** Leave the charge in this state instead of paying it. */
  outcome?: 'succeeded' | 'failed' | 'pending';
  presentmentDetails?: Record<string, unknown> | null;
}

export function nsFor(sim: TestSim, key = TEST_KEY): Namespace {
  return sim.sim.namespace(parseKey(key)!);
}

const CARD = { brand: 'visa', country: 'EG', expMonth: 1, expYear: 2039, funding: 'credit', last4: '4242', network: null, fingerprint: 'fp_test', threeDSecure: null, wallet: null } as const;

/** A payment intent with one charge (succeeded unless `outcome` says otherwise). */
export function paidCharge(sim: TestSim, options: PaidOptions = {}, key = TEST_KEY): { pi: PaymentIntentRecord; charge: ChargeRecord } {
  const ns = nsFor(sim, key);
  sim.sim.runDue(ns);
  const method = options.method ?? 'card';
  let pi = createPaymentIntent(ns, { checkoutSessionId: null, amount: options.amount ?? 10000, currency: options.currency ?? 'EGP', presentmentDetails: options.presentmentDetails ?? null });
  let charge = createPendingCharge(ns, pi, {
    paymentMethodType: method,
    card: method === 'card' ? { ...CARD } : null,
    billingDetails: { address: {}, email: 'payer@example.com', name: 'Test Payer', phone: null },
    receiptEmail: null,
    behaviour: options.behaviour ?? null,
  });
  pi = attachCharge(ns, pi, charge);
  const outcome = options.outcome ?? 'succeeded';
  if (outcome === 'succeeded') {
    charge = succeedCharge(ns, charge, sim.url + pagePaths.receipt(sim.sim, ns, charge.id));
    pi = markSucceeded(ns, pi, charge);
  } else if (outcome === 'failed') {
    charge = failCharge(ns, charge, { type: 'card_error', code: 'card_declined', declineCode: 'generic_decline', networkDeclineCode: '05', message: 'Your card was declined.', merchantMessage: null, adviceCode: null });
  }
  return { pi, charge };
}

/** A second charge on an existing intent (for "several succeeded charges" cases). */
export function secondCharge(sim: TestSim, pi: PaymentIntentRecord, key = TEST_KEY): ChargeRecord {
  const ns = nsFor(sim, key);
  const current = ns.db.paymentIntents.get(pi.id) as unknown as PaymentIntentRecord;
  const charge = createPendingCharge(ns, current, { paymentMethodType: 'card', card: { ...CARD }, billingDetails: { address: {}, email: null, name: null, phone: null }, receiptEmail: null });
  attachCharge(ns, current, charge);
  return succeedCharge(ns, charge, sim.url + pagePaths.receipt(sim.sim, ns, charge.id));
}

/** A checkout session paid through the real API (create session → /_sim/…/pay) with a magic card. */
export async function paidThroughCheckout(sim: TestSim, amount: number, cardNumber = '5123450000000008', key = TEST_KEY): Promise<{ sessionId: string; paymentIntentId: string; chargeId: string }> {
  const created = await sim.post('/checkout/sessions', {
    afterCompletion: { type: 'redirect', redirect: { url: 'https://shop.example/orders/{CHECKOUT_SESSION_ID}' } },
    lineItems: [{ priceData: { currency: 'EGP', unitAmount: amount, productData: { name: 'Order' } }, quantity: 1 }],
  }, { key });
  if (created.status !== 201) throw new Error(`session create answered ${created.status}: ${created.text}`);
  const paid = await sim.post(`/_sim/checkout/sessions/${created.body.id}/pay`, {
    card: { number: cardNumber, expMonth: 1, expYear: 2039, cvc: '100' },
    customerDetails: { email: 'shopper@example.com', name: 'Mona Adel' },
  }, { key });
  const charge = paid.body?.paymentIntent?.latestCharge;
  if (paid.status !== 200 || charge?.status !== 'SUCCEEDED') throw new Error(`pay answered ${paid.status}: ${paid.text.slice(0, 500)}`);
  return { sessionId: created.body.id, paymentIntentId: paid.body.paymentIntent.id, chargeId: charge.id };
}
