// Paying checkout sessions end to end: every magic card, retries, 3-D Secure, who the customer
// is, what the money core records (charges, balance transactions, ledger) and which events fire.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectError, startTestSim, TEST_KEY, type TestSim } from '../helpers/sim.js';
import { chargeFee } from '../../src/core/fees.js';
import { namespaceToken } from '../../src/control/page-urls.js';
import { MAGIC_CARDS, THREE_D_SECURE_FAILED } from '../../src/payments/magic-cards.js';
import { payCheckoutSession } from '../../src/payments/pay.js';
import { checkLedgerInvariants } from '../../src/payments/ledger-invariants.js';
import type { ChargeRecord } from '../../src/payments/types.js';

let sim: TestSim;
beforeEach(async () => {
  sim = await startTestSim();
});
afterEach(() => sim.close());

const redirect = { type: 'redirect', redirect: { url: 'https://shop.example/orders/{CHECKOUT_SESSION_ID}' } };
const adHoc = (unitAmount: number) => ({ priceData: { currency: 'EGP', unitAmount, productData: { name: 'Order' } }, quantity: 1 });
const ns = () => sim.sim.namespaces.get(TEST_KEY)!;
const card = (number: string) => ({ number, expMonth: 1, expYear: 2039, cvc: number.startsWith('3') ? '1234' : '100', name: 'Mona Adel' });
const shopper = { email: 'mona@example.com', name: 'Mona Adel' };
const eventTypes = () => [...ns().db.events.values()].map((e) => e.type as string);
const eventsOf = (type: string) => [...ns().db.events.values()].filter((e) => e.type === type) as unknown as Array<{ data: { object: Record<string, any> } }>;

async function session(body: Record<string, unknown> = {}): Promise<string> {
  const res = await sim.post('/checkout/sessions', { afterCompletion: redirect, lineItems: [adHoc(25000)], metadata: { orderId: 'A-1' }, ...body });
  expect(res.status).toBe(201);
  return res.body.id;
}
const pay = async (id: string, number: string, details: Record<string, unknown> = shopper) => {
  const res = await sim.post(`/_sim/checkout/sessions/${id}/pay`, { card: card(number), customerDetails: details });
  expect(res.status, res.text).toBe(200);
  return res.body;
};

async function ledgerBalanced(): Promise<void> {
  const res = await sim.get('/_sim/ledger?entries=false');
  expect(res.body.invariants, JSON.stringify(res.body.invariants)).toMatchObject({ ok: true });
  expect(checkLedgerInvariants(ns()).ok).toBe(true);
  // The merchant's ledger balance is the sum of balance-transaction nets.
  const nets = [...ns().db.balanceTransactions.values()].reduce((s, t) => s + (t.net as number), 0);
  const merchant = (res.body.balances.merchant_available.EGP ?? 0) + (res.body.balances.merchant_pending.EGP ?? 0);
  expect(merchant).toBe(nets);
}

describe('paying with each magic card', () => {
  for (const magic of MAGIC_CARDS) {
    it(`${magic.number} (${magic.outcome}${magic.decline ? ` ${magic.decline.declineCode}` : ''}) leaves the session, intent, charge and ledger as documented`, async () => {
      const id = await session();
      const s = await pay(id, magic.number);
      const pi = s.paymentIntent;
      expect(s.paymentIntentId).toBe(pi.id);
      expect(pi).toMatchObject({ object: 'payment_intent', checkoutSessionId: id, amount: 25000, currency: 'EGP', metadata: { orderId: 'A-1' } });
      expect(pi.id).toMatch(/^pi_test_/);
      expect(pi.charges).toHaveLength(1);
      const charge = pi.latestCharge;
      expect(charge).toEqual(pi.charges[0]);
      expect(charge.paymentMethodDetails.card).toMatchObject({ brand: magic.brand, funding: magic.funding, country: magic.country, last4: magic.number.slice(-4), expMonth: 1, expYear: 2039 });
      expect(charge.paymentMethodDetails.card.fingerprint).toMatch(/^[A-Za-z0-9]{16}$/);
      const stored = ns().db.charges.get(charge.id) as unknown as ChargeRecord;
      if (magic.outcome === 'succeeded') {
        expect(s).toMatchObject({ status: 'complete', paymentStatus: 'paid' });
        expect(pi).toMatchObject({ status: 'SUCCEEDED', amountReceived: 25000, lastPaymentError: null, nextAction: null });
        expect(charge).toMatchObject({ status: 'SUCCEEDED', paid: true, captured: true, amountCaptured: 25000, failureCode: null });
        const fee = chargeFee(25000, 'EGP', 'card').total;
        expect(charge.balanceTransaction).toMatchObject({ type: 'CHARGE', amount: 25000, fee, net: 25000 - fee, status: 'AVAILABLE', source: charge.id, paymentIntentId: pi.id });
        expect(charge.balanceTransaction.id).toMatch(/^txn_/);
        expect(charge.balanceTransaction.feeDetails.reduce((a: number, f: { amount: number }) => a + f.amount, 0)).toBe(fee);
        expect(stored._behaviour).toBe(magic.behaviour);
      } else if (magic.outcome === 'declined') {
        const d = magic.decline!;
        expect(s).toMatchObject({ status: 'open', paymentStatus: 'unpaid' });
        expect(pi.status).toBe('REQUIRES_PAYMENT_METHOD');
        expect(charge).toMatchObject({ status: 'FAILED', paid: false, failureCode: d.declineCode ?? d.code, failureMessage: d.message, balanceTransaction: null });
        expect(pi.lastPaymentError).toMatchObject({
          type: 'card_error', code: d.code, declineCode: d.declineCode, networkDeclineCode: d.networkDeclineCode, adviceCode: d.adviceCode,
          message: d.message, merchantMessage: d.merchantMessage, chargeId: charge.id, paymentMethodType: 'card',
          docUrl: `https://docs.xpay.app/integrate/errors/decline-codes#${d.declineCode}`,
          paymentMethod: { card: { brand: magic.brand, last4: magic.number.slice(-4) } },
        });
      } else {
        expect(s).toMatchObject({ status: 'open', paymentStatus: 'unpaid' });
        expect(pi.status).toBe('REQUIRES_ACTION');
        expect(pi.nextAction).toEqual({
          type: 'redirect_to_url',
          redirectToUrl: { url: `${sim.sim.publicUrl}/3ds/${namespaceToken(sim.sim, TEST_KEY)}/${id}/${charge.id}`, returnUrl: `${sim.sim.publicUrl}/c/${namespaceToken(sim.sim, TEST_KEY)}/${id}` },
          displayVoucherDetails: null,
        });
        expect(charge).toMatchObject({ status: 'PENDING', balanceTransaction: null });
        expect(charge.paymentMethodDetails.card.threeDSecure).toMatchObject({ authenticationFlow: 'challenge', result: null });
      }
      await ledgerBalanced();
    });
  }

  it('any other Luhn-valid number succeeds with its brand from the BIN', async () => {
    const s = await pay(await session(), '5555555555554444');
    expect(s.status).toBe('complete');
    expect(s.paymentIntent.latestCharge.paymentMethodDetails.card).toMatchObject({ brand: 'mastercard', last4: '4444' });
  });

  it('refunds of a charge paid with the refund-failure card fail; the ledger keeps the money', async () => {
    const s = await pay(await session(), '4000000000005126');
    const refund = await sim.post('/refunds', { chargeId: s.paymentIntent.latestCharge.id });
    expect(refund.body.status).toBe('FAILED');
    await ledgerBalanced();
  });
});

describe('card fingerprints', () => {
  it('are stable for one number within a namespace, differ between numbers and between namespaces', async () => {
    const a = await pay(await session(), '4242424242424242');
    const b = await pay(await session(), '4242 4242 4242 4242'.replace(/ /g, ''));
    const c = await pay(await session(), '5123450000000008');
    const fp = (s: any) => s.paymentIntent.latestCharge.paymentMethodDetails.card.fingerprint;
    expect(fp(a)).toBe(fp(b));
    expect(fp(a)).not.toBe(fp(c));
    const otherKey = 'sk_test_other_namespace';
    const created = await sim.post('/checkout/sessions', { afterCompletion: redirect, lineItems: [adHoc(1000)] }, { key: otherKey });
    const other = await sim.post(`/_sim/checkout/sessions/${created.body.id}/pay`, { card: card('4242424242424242'), customerDetails: shopper }, { key: otherKey });
    expect(fp(other.body)).not.toBe(fp(a));
  });
});

describe('retries and 3-D Secure', () => {
  it('a declined attempt then a good card: one intent, two charges oldest first, the session completes', async () => {
    const id = await session();
    const first = await pay(id, '4000000000009995');
    const second = await pay(id, '5123450000000008');
    expect(second.paymentIntent.id).toBe(first.paymentIntent.id);
    expect(second.paymentIntent.charges.map((c: { status: string }) => c.status)).toEqual(['FAILED', 'SUCCEEDED']);
    expect(second.paymentIntent.latestCharge.id).toBe(second.paymentIntent.charges[1].id);
    expect(second.paymentIntent).toMatchObject({ status: 'SUCCEEDED', lastPaymentError: null });
    expect(second).toMatchObject({ status: 'complete', paymentStatus: 'paid' });
    expect(ns().db.paymentIntents.size).toBe(1);
    await ledgerBalanced();
  });

  it('a passed challenge completes the payment', async () => {
    const id = await session();
    const pending = await pay(id, '4000000000003220');
    const chargeId = pending.paymentIntent.latestCharge.id;
    const res = await sim.post(`/_sim/checkout/sessions/${id}/3ds`, { chargeId, result: 'pass' });
    expect(res.body).toMatchObject({ status: 'complete', paymentStatus: 'paid' });
    expect(res.body.paymentIntent).toMatchObject({ status: 'SUCCEEDED', nextAction: null });
    expect(res.body.paymentIntent.latestCharge).toMatchObject({ id: chargeId, status: 'SUCCEEDED' });
    expect(res.body.paymentIntent.latestCharge.paymentMethodDetails.card.threeDSecure).toMatchObject({ result: 'authenticated', electronicCommerceIndicator: '05' });
    expect((ns().db.charges.get(chargeId) as unknown as ChargeRecord)._behaviour).toBeNull();
    await ledgerBalanced();
  });

  it('a failed challenge declines the charge and leaves the session open for another card', async () => {
    const id = await session();
    const pending = await pay(id, '4000000000003220');
    const chargeId = pending.paymentIntent.latestCharge.id;
    const res = await sim.post(`/_sim/checkout/sessions/${id}/3ds`, { chargeId, result: 'fail' });
    expect(res.body).toMatchObject({ status: 'open', paymentStatus: 'unpaid' });
    expect(res.body.paymentIntent.latestCharge).toMatchObject({ status: 'FAILED', failureCode: THREE_D_SECURE_FAILED.code });
    expect(res.body.paymentIntent.lastPaymentError).toMatchObject({ type: 'card_error', code: 'authentication_required', chargeId });
    const retry = await pay(id, '4242424242424242');
    expect(retry.status).toBe('complete');
  });

  it('the always-failing challenge card fails even when the challenge is passed', async () => {
    const id = await session();
    const pending = await pay(id, '4000000000003246');
    const res = await sim.post(`/_sim/checkout/sessions/${id}/3ds`, { chargeId: pending.paymentIntent.latestCharge.id, result: 'pass' });
    expect(res.body.status).toBe('open');
    expect(res.body.paymentIntent.latestCharge.status).toBe('FAILED');
  });

  it('a challenge still waiting when the session expires fails before the session expired event', async () => {
    const id = await session({ expiresAfterMinutes: 30 });
    const pending = await pay(id, '4000000000003220');
    const chargeId = pending.paymentIntent.latestCharge.id;
    await sim.post('/_sim/clock/advance', { by: '31m' });
    expect(eventTypes().slice(-3)).toEqual(['charge.failed', 'payment_intent.payment_failed', 'checkout.session.expired']);
    const expired = eventsOf('checkout.session.expired')[0]!.data.object;
    expect(expired.status).toBe('expired');
    expect(expired.paymentIntent).toMatchObject({ status: 'REQUIRES_PAYMENT_METHOD', lastPaymentError: { code: 'authentication_required', chargeId } });
    expect(expired.paymentIntent.latestCharge).toMatchObject({ id: chargeId, status: 'FAILED' });
    const late = await sim.post(`/_sim/checkout/sessions/${id}/3ds`, { chargeId, result: 'pass' });
    expect(late.status).toBe(409);
    await ledgerBalanced();
  });

  it('the service reports the redirect URL with the session id, or null for hosted confirmation', async () => {
    const id = await session();
    const outcome = payCheckoutSession(sim.sim, ns(), id, { card: card('4242424242424242'), customerDetails: shopper });
    expect(outcome).toMatchObject({ kind: 'succeeded', redirectUrl: `https://shop.example/orders/${id}` });
    const hosted = await session({ afterCompletion: { type: 'hosted_confirmation' } });
    expect(payCheckoutSession(sim.sim, ns(), hosted, { card: card('4242424242424242'), customerDetails: shopper })).toMatchObject({ kind: 'succeeded', redirectUrl: null });
    const declined = payCheckoutSession(sim.sim, ns(), await session(), { card: card('4000000000000002'), customerDetails: shopper });
    expect(declined).toMatchObject({ kind: 'failed', error: { code: 'card_declined', declineCode: 'generic_decline' } });
    const challenged = payCheckoutSession(sim.sim, ns(), await session(), { card: card('4000000000003220'), customerDetails: shopper });
    expect(challenged.kind).toBe('requires_action');
  });
});

describe('customers', () => {
  it('matches a returning guest by email in any case, refreshing name and remembering cards', async () => {
    const first = await pay(await session(), '4242424242424242', { email: 'Guest@Example.com', name: 'First Name' });
    const second = await pay(await session(), '4242424242424242', { email: ' guest@example.COM', name: 'Second Name', phone: '01012345678' });
    expect(second.customerId).toBe(first.customerId);
    const customer = await sim.get(`/customers/${first.customerId}`);
    expect(customer.body).toMatchObject({ type: 'guest', email: 'guest@example.com', name: 'Second Name', phone: '+201012345678' });
    expect(customer.body.guestFingerprint.emails).toEqual(['guest@example.com']);
    expect(customer.body.guestFingerprint.phones).toEqual(['+201012345678']);
    expect(customer.body.guestFingerprint.cardFingerprints).toEqual([
      expect.objectContaining({ fingerprint: first.paymentIntent.latestCharge.paymentMethodDetails.card.fingerprint, brand: 'visa', last4: '4242', chargeCount: 2 }),
    ]);
    expect(second.customer).toMatchObject({ id: first.customerId, type: 'guest' });
    expect(eventsOf('customer.created')).toHaveLength(1);
    expect(eventsOf('customer.updated').at(-1)!.data.object).toEqual(customer.body);
  });

  it("leaves a session's registered customer untouched unless customerUpdate allows it", async () => {
    const before = (await sim.get('/customers/cus_demo_amina')).body;
    const s = await pay(await session({ customerId: 'cus_demo_amina' }), '4242424242424242', { name: 'Someone Else', email: 'other@example.com' });
    expect(s.customerId).toBe('cus_demo_amina');
    expect((await sim.get('/customers/cus_demo_amina')).body).toEqual(before);
    expect(eventsOf('customer.updated')).toHaveLength(0);
    expect((ns().db.charges.get(s.paymentIntent.latestCharge.id) as unknown as ChargeRecord)._customerId).toBe('cus_demo_amina');
    await pay(await session({ customerId: 'cus_demo_amina', customerUpdate: { name: 'auto' } }), '4242424242424242', { name: 'Amina H.' });
    expect((await sim.get('/customers/cus_demo_amina')).body.name).toBe('Amina H.');
  });

  it('creates a registered customer when the session says customerCreation always', async () => {
    const s = await pay(await session({ customerCreation: 'always' }), '4242424242424242', { email: 'new.buyer@example.com' });
    expect((await sim.get(`/customers/${s.customerId}`)).body).toMatchObject({ type: 'registered', email: 'new.buyer@example.com', guestFingerprint: null });
  });

  it('counts real payments in customer stats, the customers list and product stats', async () => {
    const id = await session({ lineItems: [{ price: 'price_coffee_beans_egp', quantity: 2 }] });
    await pay(id, '4000000000000002', { email: 'stats@example.com' });
    const paid = await pay(id, '5123450000000008', { email: 'stats@example.com' });
    const stats = await sim.get(`/customers/${paid.customerId}/stats`);
    expect(stats.body).toMatchObject({ transactionCount: 2, succeededCount: 1, failedCount: 1, totalSpent: [{ currency: 'EGP', amount: 170000 }] });
    const listed = (await sim.get('/customers?search=stats@example.com')).body.data[0];
    expect(listed.spendData).toMatchObject({ numPayments: 1, grossSpend: 170000 });
    expect(listed.latestPaymentMethod).toMatchObject({ type: 'card', card: { brand: 'mastercard', last4: '0008', cardholderName: 'Mona Adel' } });
    const product = await sim.get('/products/prod_cairo_coffee_beans/stats');
    expect(product.body.prices.find((p: { priceId: string }) => p.priceId === 'price_coffee_beans_egp')).toMatchObject({ checkoutSessions: 1, quantitySold: 2, amountCollected: 170000 });
  });
});

describe('events', () => {
  it('fire in causal order, and checkout.session.completed carries the session exactly as GET shows it', async () => {
    const id = await session();
    await pay(id, '4000000000000002');
    await pay(id, '4242424242424242');
    expect(eventTypes()).toEqual([
      'customer.created', 'charge.failed', 'payment_intent.payment_failed',
      'customer.updated', 'charge.succeeded', 'payment_intent.succeeded', 'checkout.session.completed',
    ]);
    const completed = eventsOf('checkout.session.completed')[0]!.data.object;
    expect(completed).toEqual((await sim.get(`/checkout/sessions/${id}`)).body);
    expect(completed.metadata).toEqual({ orderId: 'A-1' });
    expect(completed.paymentIntent.status).toBe('SUCCEEDED');
    const failed = eventsOf('payment_intent.payment_failed')[0]!.data.object;
    expect(failed).toMatchObject({ checkoutSessionId: id, metadata: { orderId: 'A-1' }, lastPaymentError: { declineCode: 'generic_decline' } });
    expect(eventsOf('charge.failed')[0]!.data.object).toMatchObject({ object: 'charge', status: 'FAILED', failureCode: 'generic_decline' });
    expect(eventsOf('charge.succeeded')[0]!.data.object).toMatchObject({ object: 'charge', status: 'SUCCEEDED' });
    expect(failed.checkoutSession).toMatchObject({ id, object: 'checkout.session', metadata: { orderId: 'A-1' } });
    expect(failed.checkoutSession).not.toHaveProperty('paymentIntent');
  });

  it("carry XPay's shapes: PaymentIntentResponse for intents, ChargeResponse for charges, CustomerResponse for customers", async () => {
    const id = await session();
    await pay(id, '4000000000000002');
    await pay(id, '4242424242424242');
    const schema = (name: string) => sim.sim.ajv.getSchema(`xpay-sim-openapi#/components/schemas/${name}`)!;
    const shapes: Record<string, string> = {
      'payment_intent.payment_failed': 'PaymentIntentResponse', 'payment_intent.succeeded': 'PaymentIntentResponse',
      'charge.failed': 'ChargeResponse', 'charge.succeeded': 'ChargeResponse',
      'customer.created': 'CustomerResponse', 'customer.updated': 'CustomerResponse', 'checkout.session.completed': 'CheckoutSessionResponse',
    };
    for (const [type, name] of Object.entries(shapes)) {
      const validate = schema(name);
      for (const e of eventsOf(type)) expect(validate(e.data.object), `${type}: ${JSON.stringify(validate.errors)}`).toBe(true);
    }
  });
});

describe('zero-total sessions', () => {
  it('complete without money: customer, stock, redemption, completed event and redirect, ledger untouched', async () => {
    await sim.post('/_sim/coupons', { percentOff: 100, promotionCodes: [{ code: 'ALLFREE', maxRedemptions: 5 }] });
    const stock = ns().db.prices.get('price_tshirt_egp')!;
    ns().db.prices.set(stock.id, { ...stock, stock: 5 });
    const id = await session({ lineItems: [{ price: 'price_tshirt_egp', quantity: 2 }], allowPromotionCodes: true });
    const before = (await sim.get('/_sim/ledger?entries=false')).body.balances;
    const outcome = payCheckoutSession(sim.sim, ns(), id, { customerDetails: shopper, promotionCode: 'ALLFREE' });
    expect(outcome).toMatchObject({ kind: 'succeeded', redirectUrl: `https://shop.example/orders/${id}` });
    const s = (await sim.get(`/checkout/sessions/${id}`)).body;
    expect(s).toMatchObject({ status: 'complete', paymentStatus: 'no_payment_required', amountTotal: 0, paymentIntent: null, customer: { type: 'guest', email: 'mona@example.com' } });
    expect(s.discounts[0].id).toMatch(/^di_/);
    expect(ns().db.prices.get('price_tshirt_egp')!.stock).toBe(3);
    expect(ns().db.customers.get(s.customerId)).toBeDefined();
    const types = eventTypes();
    expect(types).toContain('customer.created');
    expect(types).toContain('checkout.session.completed');
    expect(types.filter((t) => t.startsWith('charge.') || t.startsWith('payment_intent.'))).toEqual([]);
    expect(eventsOf('checkout.session.completed')[0]!.data.object).toMatchObject({ id, paymentStatus: 'no_payment_required' });
    expect(ns().db.charges.size + ns().db.paymentIntents.size + ns().db.balanceTransactions.size).toBe(0);
    expect((await sim.get('/_sim/ledger?entries=false')).body.balances).toEqual(before);
    await ledgerBalanced();
  });

  it('counts a free order as the shopper\'s first purchase for first-purchase-only codes', async () => {
    await pay(await session({ lineItems: [adHoc(0)] }), '4242424242424242');
    const next = await session({ lineItems: [adHoc(100000)], allowPromotionCodes: true });
    const res = await sim.post(`/_sim/checkout/sessions/${next}/pay`, { card: card('4242424242424242'), customerDetails: shopper, promotionCode: 'WELCOME10' });
    expectError(res, 400, 'promotion_code_first_time_only', 'promotionCode');
    expect(ns().db.charges.size).toBe(0);
  });

  it('cancels the intent of an earlier declined attempt when the cart becomes free', async () => {
    await sim.post('/_sim/coupons', { percentOff: 100, promotionCodes: [{ code: 'SORRY' }] });
    const id = await session({ allowPromotionCodes: true });
    const declined = await pay(id, '4000000000000002');
    expect(declined.paymentIntent.status).toBe('REQUIRES_PAYMENT_METHOD');
    const res = await sim.post(`/_sim/checkout/sessions/${id}/pay`, { customerDetails: shopper, promotionCode: 'SORRY' });
    expect(res.body).toMatchObject({ status: 'complete', paymentStatus: 'no_payment_required', paymentIntentId: declined.paymentIntent.id });
    expect(res.body.paymentIntent).toMatchObject({ status: 'CANCELED', amountReceived: 0 });
    expect(res.body.paymentIntent.canceledAt).not.toBeNull();
    expect(ns().db.charges.size).toBe(1);
    await ledgerBalanced();
  });
});
