import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectError, startTestSim, TEST_KEY, type TestSim } from '../helpers/sim.js';

let sim: TestSim;
beforeEach(async () => {
  sim = await startTestSim();
});
afterEach(() => sim.close());

const ns = () => sim.sim.namespaces.get(TEST_KEY)!;
const adHoc = (unitAmount: number) => ({ priceData: { currency: 'EGP', unitAmount, productData: { name: 'Order' } }, quantity: 1 });
const shopper = { email: 'shopper@example.com', name: 'Mona Adel' };
const eventTypes = () => [...ns().db.events.values()].map((e) => e.type as string);
const card = (number = '4242424242424242') => ({ number, expMonth: 1, expYear: 39, cvc: '100' });

async function session(body: Record<string, unknown> = {}): Promise<string> {
  const res = await sim.post('/checkout/sessions', { afterCompletion: { type: 'hosted_confirmation' }, lineItems: [adHoc(100000)], ...body });
  expect(res.status, res.text).toBe(201);
  return res.body.id;
}
const pay = (id: string, body: Record<string, unknown>) => sim.post(`/_sim/checkout/sessions/${id}/pay`, body);
const ledgerOk = async () => expect((await sim.get('/_sim/ledger?entries=false')).body.invariants.ok).toBe(true);

describe('GET /account and paymentMethodTypes', () => {
  it('lists every XPay method for EGP by default and only cards elsewhere', async () => {
    const res = await sim.get('/account');
    const egp = res.body.supportedCurrencies.find((c: { code: string }) => c.code === 'EGP');
    expect(egp.paymentMethodTypes).toHaveLength(17);
    expect(egp.paymentMethodTypes).toEqual(expect.arrayContaining(['fawry', 'aman', 'vodafone_cash', 'valu', 'tabby', 'instapay', 'cash_on_delivery', 'samsung_pay']));
    expect(res.body.supportedCurrencies.find((c: { code: string }) => c.code === 'USD').paymentMethodTypes).toEqual(['card']);
  });

  it('narrows the methods with the paymentMethods option, and sessions are checked against it', async () => {
    sim.close();
    sim = await startTestSim({ paymentMethods: { EGP: ['card', 'fawry'] } });
    const egp = (await sim.get('/account')).body.supportedCurrencies.find((c: { code: string }) => c.code === 'EGP');
    expect(egp.paymentMethodTypes).toEqual(['card', 'fawry']);
    const created = await sim.post('/checkout/sessions', { afterCompletion: { type: 'hosted_confirmation' }, lineItems: [adHoc(1000)] });
    expect(created.body.paymentMethodTypes.map((m: { type: string }) => m.type)).toEqual(['card', 'fawry']);
    expectError(await sim.post('/checkout/sessions', { afterCompletion: { type: 'hosted_confirmation' }, lineItems: [adHoc(1000)], paymentMethodTypes: ['valu'] }), 400, 'parameter_invalid', 'paymentMethodTypes');
  });

  it('refuses paymentMethodTypes together with paymentMethodConfigurationId', async () => {
    expectError(await sim.post('/checkout/sessions', { afterCompletion: { type: 'hosted_confirmation' }, lineItems: [adHoc(1000)], paymentMethodTypes: ['card'], paymentMethodConfigurationId: 'pmc_abc123' }), 400, 'parameters_exclusive', 'paymentMethodConfigurationId');
  });

  it('describes each method on the session: confirmation, refund support, required fields and limits', async () => {
    const s = (await sim.get(`/checkout/sessions/${await session()}`)).body;
    const byType = Object.fromEntries(s.paymentMethodTypes.map((m: { type: string }) => [m.type, m]));
    expect(byType.fawry).toMatchObject({ displayName: 'Fawry', category: 'cash', paymentConfirmation: 'async', supportsRefund: true, maxTransactionAmount: '5000000' });
    expect(byType.vodafone_cash).toMatchObject({ category: 'wallet', paymentConfirmation: 'immediate', requiredCustomerFields: ['phone'] });
    expect(byType.valu).toMatchObject({ category: 'bnpl', supportsRefund: false, minTransactionAmount: '50000' });
  });
});

describe('kiosk payments (Fawry, Aman, InstaPay, bank transfer)', () => {
  it('issues a Fawry reference: the session completes unpaid, the intent waits and no money moves', async () => {
    const id = await session();
    const res = await pay(id, { paymentMethodType: 'fawry', customerDetails: shopper });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ status: 'complete', paymentStatus: 'unpaid' });
    const pi = res.body.paymentIntent;
    expect(pi.status).toBe('REQUIRES_ACTION');
    expect(pi.nextAction).toMatchObject({ type: 'display_voucher_details', displayVoucherDetails: { provider: 'fawry', expiresAt: '2026-03-03T10:00:00.000Z' } });
    const ref = pi.nextAction.displayVoucherDetails.reference;
    expect(ref).toMatch(/^\d{9}$/);
    expect(pi.latestCharge).toMatchObject({ status: 'PENDING', paid: false, balanceTransaction: null, paymentMethodDetails: { type: 'fawry', fawry: { fawryRefNumber: ref, expiresAt: '2026-03-03T10:00:00.000Z' } } });
    expect(ns().db.balanceTransactions.size).toBe(0);
    expect(eventTypes()).toEqual(['customer.created', 'checkout.session.completed']);
    expectError(await pay(id, { paymentMethodType: 'fawry', customerDetails: shopper }), 409, 'payment_already_completed');
    await ledgerOk();
  });

  it('turns paid by the control call: charge, balance transaction, ledger and async events in order', async () => {
    const id = await session();
    const pi = (await pay(id, { paymentMethodType: 'aman', customerDetails: shopper })).body.paymentIntent;
    const settled = await sim.post(`/_sim/payment-intents/${pi.id}/settle`, { outcome: 'paid' });
    expect(settled.status, settled.text).toBe(200);
    expect(settled.body).toMatchObject({ status: 'SUCCEEDED', nextAction: null, amountReceived: 100000, checkoutSession: { status: 'complete', paymentStatus: 'paid' } });
    expect(settled.body.latestCharge).toMatchObject({ status: 'SUCCEEDED', paid: true, paymentMethodDetails: { type: 'aman' } });
    expect(settled.body.latestCharge.balanceTransaction).toMatchObject({ amount: 100000, type: 'CHARGE' });
    expect(eventTypes().slice(-3)).toEqual(['charge.succeeded', 'payment_intent.succeeded', 'checkout.session.async_payment_succeeded']);
    expectError(await sim.post(`/_sim/payment-intents/${pi.id}/settle`, { outcome: 'paid' }), 409, 'resource_invalid_state');
    await ledgerOk();
  });

  it('fails by the control call with the async failure events, moving no money', async () => {
    const id = await session();
    const pi = (await pay(id, { paymentMethodType: 'instapay', customerDetails: shopper })).body.paymentIntent;
    expect(pi.nextAction).toMatchObject({ type: 'display_bank_transfer_instructions', displayVoucherDetails: { provider: 'instapay' } });
    expectError(await sim.post(`/_sim/payment-intents/${pi.id}/settle`, { outcome: 'collected' }), 400, 'parameter_invalid', 'outcome');
    const failed = await sim.post(`/_sim/payment-intents/${pi.id}/settle`, { outcome: 'failed' });
    expect(failed.body).toMatchObject({ status: 'FAILED', lastPaymentError: { code: 'payment_failed', paymentMethodType: 'instapay' }, checkoutSession: { status: 'complete', paymentStatus: 'unpaid' } });
    expect(eventTypes().slice(-3)).toEqual(['charge.failed', 'payment_intent.payment_failed', 'checkout.session.async_payment_failed']);
    expect(ns().db.balanceTransactions.size).toBe(0);
    await ledgerOk();
  });

  it('expires an unpaid bank transfer reference when the clock passes its expiry', async () => {
    const id = await session();
    await pay(id, { paymentMethodType: 'bank_transfer', customerDetails: shopper });
    await sim.post('/_sim/clock/advance', { by: '71h' });
    expect((await sim.get(`/checkout/sessions/${id}`)).body.paymentIntent.status).toBe('REQUIRES_ACTION');
    await sim.post('/_sim/clock/advance', { by: '2h' });
    const after = (await sim.get(`/checkout/sessions/${id}`)).body;
    expect(after.paymentIntent).toMatchObject({ status: 'FAILED', lastPaymentError: { code: 'payment_expired' } });
    expect(eventTypes()).toContain('checkout.session.async_payment_failed');
  });

  it('settles magic phones by the clock: paid 30 minutes later, or failed', async () => {
    const paid = await session();
    const fails = await session();
    await pay(paid, { paymentMethodType: 'fawry', customerDetails: { ...shopper, phone: '01000000010' } });
    await pay(fails, { paymentMethodType: 'fawry', customerDetails: { email: 'other@example.com', phone: '+201000000011' } });
    await sim.post('/_sim/clock/advance', { by: '30m' });
    expect((await sim.get(`/checkout/sessions/${paid}`)).body).toMatchObject({ paymentStatus: 'paid', paymentIntent: { status: 'SUCCEEDED' } });
    expect((await sim.get(`/checkout/sessions/${fails}`)).body).toMatchObject({ paymentStatus: 'unpaid', paymentIntent: { status: 'FAILED' } });
    await ledgerOk();
  });

  it('keeps a waiting reference across a snapshot restore: it still expires by the clock afterwards', async () => {
    const id = await session();
    await pay(id, { paymentMethodType: 'fawry', customerDetails: shopper });
    expect((await sim.post('/_sim/snapshots', { name: 'waiting' })).status).toBe(201);
    await sim.post('/_sim/clock/advance', { by: '49h' });
    expect((await sim.get(`/checkout/sessions/${id}`)).body.paymentIntent.status).toBe('FAILED');
    expect((await sim.post('/_sim/snapshots/waiting/restore')).status).toBe(200);
    expect((await sim.get(`/checkout/sessions/${id}`)).body.paymentIntent.status).toBe('REQUIRES_ACTION');
    await sim.post('/_sim/clock/advance', { by: '49h' });
    expect((await sim.get(`/checkout/sessions/${id}`)).body.paymentIntent).toMatchObject({ status: 'FAILED', lastPaymentError: { code: 'payment_expired' } });
    await ledgerOk();
  });

  it('refuses amounts a kiosk cannot take with amount_invalid, charging nothing', async () => {
    const id = await session({ lineItems: [adHoc(6_000_000)] });
    expectError(await pay(id, { paymentMethodType: 'fawry', customerDetails: shopper }), 400, 'amount_invalid', 'paymentMethodType');
    expect(ns().db.charges.size).toBe(0);
  });
});

describe('mobile wallets', () => {
  it('pays with the wallet phone and the OTP at once', async () => {
    const id = await session();
    const res = await pay(id, { paymentMethodType: 'vodafone_cash', wallet: { phone: '01000000000', otp: '123456' }, customerDetails: shopper });
    expect(res.body).toMatchObject({ status: 'complete', paymentStatus: 'paid', paymentIntent: { status: 'SUCCEEDED' } });
    expect(res.body.paymentIntent.latestCharge).toMatchObject({ status: 'SUCCEEDED', billingDetails: { phone: '01000000000' }, paymentMethodDetails: { type: 'vodafone_cash', card: null } });
    await ledgerOk();
  });

  it('declines an unknown wallet, a low balance, a timeout and a wrong OTP, leaving the session open', async () => {
    const id = await session();
    const cases: Array<[string, string, string]> = [
      ['01000000001', '123456', 'account_not_found'],
      ['01000000002', '123456', 'insufficient_funds'],
      ['01000000003', '123456', 'authentication_timeout'],
      ['01000000000', '000000', 'incorrect_otp'],
    ];
    for (const [phone, otp, code] of cases) {
      const res = await pay(id, { paymentMethodType: 'we_pay', wallet: { phone, otp }, customerDetails: shopper });
      expect(res.body.status).toBe('open');
      expect(res.body.paymentIntent.lastPaymentError).toMatchObject({ code, type: 'payment_method_error', paymentMethodType: 'we_pay' });
    }
    expect(eventTypes().filter((t) => t === 'charge.failed')).toHaveLength(4);
    expect(ns().db.balanceTransactions.size).toBe(0);
  });

  it('needs the OTP and a phone (400 before any charge)', async () => {
    const id = await session();
    expectError(await pay(id, { paymentMethodType: 'orange_cash', wallet: { phone: '01000000000' }, customerDetails: shopper }), 400, 'parameter_missing', 'wallet.otp');
    expectError(await pay(id, { paymentMethodType: 'orange_cash', wallet: { otp: '123456' }, customerDetails: shopper }), 400, 'parameter_missing', 'wallet.phone');
    expect(ns().db.charges.size).toBe(0);
  });
});

describe('valU and BNPL', () => {
  it('records the installment plan on an approved valU charge', async () => {
    const id = await session({ lineItems: [adHoc(120000)] });
    const res = await pay(id, { paymentMethodType: 'valu', bnpl: { phone: '01000000000', otp: '123456', tenure: 12 }, customerDetails: shopper });
    expect(res.body.paymentStatus).toBe('paid');
    expect(res.body.paymentIntent.latestCharge.paymentMethodDetails.valu).toMatchObject({ tenure: 12, emi: '100.00', downPayment: '0.00', financedAmount: '1200.00', firstEmiDueDate: '2026-04-01', lastInstallmentDate: '2027-03-01' });
    expect(res.body.paymentIntent.latestCharge.processorCapabilities).toMatchObject({ supportsRefund: false });
    expect(res.body.paymentIntent.paymentMethod).toMatchObject({ type: 'valu', card: null, valu: { tenure: 12 } });
  });

  it('declines a refused application and refuses amounts under the provider minimum', async () => {
    const id = await session();
    const res = await pay(id, { paymentMethodType: 'tabby', bnpl: { phone: '01000000004', otp: '123456' }, customerDetails: shopper });
    expect(res.body.paymentIntent.lastPaymentError).toMatchObject({ code: 'application_refused' });
    const small = await session({ lineItems: [adHoc(5000)] });
    expectError(await pay(small, { paymentMethodType: 'tamara', bnpl: { phone: '01000000000', otp: '123456' }, customerDetails: shopper }), 400, 'amount_invalid', 'paymentMethodType');
  });
});

describe('device wallets and cash on delivery', () => {
  it('pays Apple Pay as a card with wallet details', async () => {
    const id = await session();
    const res = await pay(id, { paymentMethodType: 'apple_pay', card: card(), customerDetails: shopper });
    expect(res.body.paymentIntent.latestCharge.paymentMethodDetails).toMatchObject({ type: 'apple_pay', card: { brand: 'visa', last4: '4242', wallet: { type: 'apple_pay', dynamicLast4: '4242' } } });
    expect(res.body.paymentIntent.paymentMethod).toMatchObject({ type: 'apple_pay', card: { wallet: { type: 'apple_pay' } } });
  });

  it('completes cash on delivery unpaid until the cash is collected (or the order refused)', async () => {
    const collected = await session();
    const refused = await session();
    expectError(await pay(collected, { paymentMethodType: 'cash_on_delivery', customerDetails: shopper }), 400, 'parameter_missing', 'customerDetails.phone');
    const a = (await pay(collected, { paymentMethodType: 'cash_on_delivery', customerDetails: { ...shopper, phone: '01012345678' } })).body;
    expect(a).toMatchObject({ status: 'complete', paymentStatus: 'unpaid', paymentIntent: { status: 'PROCESSING', nextAction: null } });
    const b = (await pay(refused, { paymentMethodType: 'cash_on_delivery', customerDetails: { email: 'b@example.com', phone: '01012345679' } })).body;
    expectError(await sim.post(`/_sim/payment-intents/${a.paymentIntent.id}/settle`, { outcome: 'paid' }), 400, 'parameter_invalid', 'outcome');
    expect((await sim.post(`/_sim/payment-intents/${a.paymentIntent.id}/settle`, { outcome: 'collected' })).body.checkoutSession.paymentStatus).toBe('paid');
    expect((await sim.post(`/_sim/payment-intents/${b.paymentIntent.id}/settle`, { outcome: 'refused' })).body.lastPaymentError.code).toBe('delivery_refused');
    await ledgerOk();
  });
});

describe('GET /_sim/magic for other methods', () => {
  it('lists the OTP and every magic phone with its families', async () => {
    const res = await sim.get('/_sim/magic');
    expect(res.body.otherMethods.otp).toBe('123456');
    const outcomes = res.body.otherMethods.phones.map((p: { outcome: string }) => p.outcome);
    expect(outcomes).toEqual(['approve', 'unknown_account', 'insufficient_balance', 'timeout', 'refused', 'paid_later', 'fails_later']);
  });
});

/** A paid session of `method`; returns its charge id. */
async function paid(method: string, extra: Record<string, unknown> = {}): Promise<{ chargeId: string; piId: string }> {
  const created = await sim.post('/checkout/sessions', { afterCompletion: { type: 'hosted_confirmation' }, lineItems: [adHoc(100000)] });
  const res = await sim.post(`/_sim/checkout/sessions/${created.body.id}/pay`, { paymentMethodType: method, customerDetails: { ...shopper, phone: '01012345678' }, ...extra });
  let pi = res.body.paymentIntent;
  if (pi.status !== 'SUCCEEDED') pi = (await sim.post(`/_sim/payment-intents/${pi.id}/settle`, { outcome: method === 'cash_on_delivery' ? 'collected' : 'paid' })).body;
  expect(pi.status).toBe('SUCCEEDED');
  return { chargeId: pi.latestCharge.id, piId: pi.id };
}

describe('refunds of wallet and transfer payments', () => {
  it('start PENDING (processing) with the wallet as destination, and succeed a day later by the clock', async () => {
    const { chargeId } = await paid('vodafone_cash', { wallet: { phone: '01000000000', otp: '123456' } });
    const created = await sim.post('/refunds', { chargeId, amount: 40000 });
    expect(created.status, created.text).toBe(201);
    expect(created.body).toMatchObject({ status: 'PENDING', pendingReason: 'processing', balanceTransactionId: null, destinationDetails: { type: 'wallet', wallet: { provider: 'vodafone_cash' } } });
    expect(eventTypes().slice(-1)).toEqual(['refund.created']);
    // The pending 400.00 is not refundable twice.
    expectError(await sim.post('/refunds', { chargeId, amount: 60001 }), 400, 'amount_invalid', 'amount');
    expect((await sim.get(`/refunds/${created.body.id}`)).body.status).toBe('PENDING');
    await ledgerOk();
    await sim.post('/_sim/clock/advance', { by: '1d' });
    const done = (await sim.get(`/refunds/${created.body.id}`)).body;
    expect(done.status).toBe('SUCCEEDED');
    expect(done).not.toHaveProperty('pendingReason');
    expect(done.balanceTransactionId).toMatch(/^txn_/);
    expect(eventTypes().slice(-1)).toEqual(['charge.refunded']);
    expect(ns().db.charges.get(chargeId)).toMatchObject({ amountRefunded: 40000, status: 'PARTIALLY_REFUNDED' });
    await ledgerOk();
  });

  it('settle at once by the control call, with the bank-transfer reference then available', async () => {
    const { chargeId } = await paid('bank_transfer');
    const created = (await sim.post('/refunds', { chargeId })).body;
    expect(created.destinationDetails).toMatchObject({ type: 'bank_transfer', bankTransfer: { referenceStatus: 'pending' } });
    const settled = await sim.post(`/_sim/refunds/${created.id}/settle`, { outcome: 'succeeded' });
    expect(settled.body).toMatchObject({ status: 'SUCCEEDED', destinationDetails: { bankTransfer: { referenceStatus: 'available' } } });
    expectError(await sim.post(`/_sim/refunds/${created.id}/settle`, { outcome: 'failed' }), 409, 'resource_invalid_state');
    expect(ns().db.charges.get(chargeId)).toMatchObject({ refunded: true, status: 'REFUNDED' });
    await ledgerOk();
  });
});

describe('refunds of cash payments (Fawry, Aman, cash on delivery)', () => {
  it('need the shopper to act: REQUIRES_ACTION with kiosk destination and emailed instructions', async () => {
    const { chargeId } = await paid('fawry');
    const created = (await sim.post('/refunds', { chargeId, instructionsEmail: 'refunds@example.com' })).body;
    expect(created).toMatchObject({
      status: 'REQUIRES_ACTION',
      destinationDetails: { type: 'kiosk', kiosk: { provider: 'fawry' } },
      nextAction: { type: 'display_details', displayDetails: { emailSentTo: 'refunds@example.com', emailSentAt: '2026-03-01T10:00:00.000Z', expiresAt: '2026-03-08T10:00:00.000Z' } },
    });
    const failed = await sim.post(`/_sim/refunds/${created.id}/settle`, { outcome: 'failed' });
    expect(failed.body).toMatchObject({ status: 'FAILED', failureReason: 'unknown', balanceTransactionId: null });
    expect(eventTypes().slice(-2)).toEqual(['refund.created', 'refund.failed']);
    // A failed refund gives its amount back: the whole charge is refundable again.
    const again = (await sim.post('/refunds', { chargeId })).body;
    expect(again.amount).toBe(100000);
    await ledgerOk();
  });

  it('fail when their instructions expire unused, by the clock', async () => {
    const { chargeId } = await paid('cash_on_delivery');
    const created = (await sim.post('/refunds', { chargeId })).body;
    expect(created.nextAction.displayDetails.emailSentTo).toBe('shopper@example.com');
    await sim.post('/_sim/clock/advance', { by: '7d' });
    expect((await sim.get(`/refunds/${created.id}`)).body).toMatchObject({ status: 'FAILED', failureCode: 'refund_expired' });
    expect(eventTypes().at(-1)).toBe('refund.failed');
    await ledgerOk();
  });
});

describe('refunds of BNPL and device wallets', () => {
  it('go through at once like cards, except valU which refuses', async () => {
    const tabby = await paid('tabby', { bnpl: { phone: '01000000000', otp: '123456' } });
    expect((await sim.post('/refunds', { chargeId: tabby.chargeId, amount: 100 })).body.status).toBe('SUCCEEDED');
    const google = await paid('google_pay', { card: { number: '4242424242424242', expMonth: 1, expYear: 39, cvc: '100' } });
    expect((await sim.post('/refunds', { chargeId: google.chargeId })).body).toMatchObject({ status: 'SUCCEEDED', destinationDetails: { type: 'card' } });
    const valu = await paid('valu', { bnpl: { phone: '01000000000', otp: '123456' } });
    expectError(await sim.post('/refunds', { chargeId: valu.chargeId }), 400, 'parameter_invalid', 'chargeId');
    await ledgerOk();
  });
});
