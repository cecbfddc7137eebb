import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectError, startTestSim, TEST_KEY, type TestSim } from '../helpers/sim.js';

let sim: TestSim;
beforeEach(async () => {
  sim = await startTestSim();
});
afterEach(() => sim.close());

const ns = () => sim.sim.namespaces.get(TEST_KEY)!;
const adHoc = (unitAmount: number) => ({ priceData: { currency: 'EGP', unitAmount, productData: { name: 'Order' } }, quantity: 1 });
const shopper = { email: 'shopper@example.com', name: 'Mona Adel', phone: '01012345678' };
const eventTypes = () => [...ns().db.events.values()].map((e) => e.type as string);
const ledgerOk = async () => expect((await sim.get('/_sim/ledger?entries=false')).body.invariants.ok).toBe(true);

/** A paid session of `method`; returns its charge id. */
async function paid(method: string, extra: Record<string, unknown> = {}): Promise<{ chargeId: string; piId: string }> {
  const created = await sim.post('/checkout/sessions', { afterCompletion: { type: 'hosted_confirmation' }, lineItems: [adHoc(100000)] });
  const res = await sim.post(`/_sim/checkout/sessions/${created.body.id}/pay`, { paymentMethodType: method, customerDetails: shopper, ...extra });
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
