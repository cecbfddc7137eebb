import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectError, startTestSim, TEST_KEY, type TestSim } from '../helpers/sim.js';

let sim: TestSim;
beforeEach(async () => {
  sim = await startTestSim();
});
afterEach(() => sim.close());

const redirect = { type: 'redirect', redirect: { url: 'https://shop.example/orders/{CHECKOUT_SESSION_ID}' } };
const adHoc = (unitAmount: number) => ({ priceData: { currency: 'EGP', unitAmount, productData: { name: 'Order' } }, quantity: 1 });
const ns = () => sim.sim.namespaces.get(TEST_KEY)!;
const card = (number = '5123 4500 0000 0008', extra: Record<string, unknown> = {}) => ({ number, expMonth: 1, expYear: 39, cvc: '100', ...extra });
const shopper = { email: 'shopper@example.com', name: 'Mona Adel' };

async function session(body: Record<string, unknown> = {}): Promise<string> {
  const res = await sim.post('/checkout/sessions', { afterCompletion: redirect, lineItems: [adHoc(25000)], ...body });
  expect(res.status).toBe(201);
  return res.body.id;
}
const pay = (id: string, body: Record<string, unknown>, options = {}) => sim.post(`/_sim/checkout/sessions/${id}/pay`, body, options);

describe('GET /_sim/magic', () => {
  it('serves the magic card table with every outcome and the validation rules', async () => {
    const res = await sim.get('/_sim/magic');
    expect(res.status).toBe(200);
    const byNumber = Object.fromEntries(res.body.data.map((c: { number: string }) => [c.number, c]));
    expect(byNumber['5123450000000008']).toMatchObject({ brand: 'mastercard', outcome: 'succeeded', decline: null });
    expect(byNumber['5078030000000003']).toMatchObject({ brand: 'meeza', funding: 'debit', outcome: 'succeeded' });
    expect(byNumber['4000000000009995'].decline).toMatchObject({ code: 'card_declined', declineCode: 'insufficient_funds', networkDeclineCode: '51', adviceCode: 'try_again_later' });
    expect(byNumber['4000000000005126'].behaviour).toBe('refund_fails');
    const outcomes = new Set(res.body.data.map((c: { outcome: string }) => c.outcome));
    expect([...outcomes].sort()).toEqual(['declined', 'succeeded', 'three_d_secure', 'three_d_secure_fails']);
    expect(res.body.validation.map((v: { code: string }) => v.code)).toEqual(['invalid_number', 'invalid_expiry_month', 'invalid_expiry_year', 'invalid_cvc']);
  });
});

describe('POST /_sim/checkout/sessions/{id}/pay: card validation', () => {
  it('answers 400 card_error with the code and param of each invalid card field, creating no charge', async () => {
    const id = await session();
    const cases: Array<[Record<string, unknown>, string, string]> = [
      [card('5123 4500 0000 0009'), 'invalid_number', 'card.number'],
      [card('1234'), 'invalid_number', 'card.number'],
      [card('5123-4500-0000-000a'), 'invalid_number', 'card.number'],
      [card(undefined, { expMonth: 13 }), 'invalid_expiry_month', 'card.expMonth'],
      [card(undefined, { expMonth: 0 }), 'invalid_expiry_month', 'card.expMonth'],
      [card(undefined, { expMonth: 2, expYear: 2026 }), 'invalid_expiry_year', 'card.expYear'],
      [card(undefined, { expYear: 25 }), 'invalid_expiry_year', 'card.expYear'],
      [card(undefined, { cvc: '12' }), 'invalid_cvc', 'card.cvc'],
      [card(undefined, { cvc: '12a' }), 'invalid_cvc', 'card.cvc'],
      [card('378282246310005', { cvc: '123' }), 'invalid_cvc', 'card.cvc'],
    ];
    for (const [c, code, param] of cases) {
      const error = expectError(await pay(id, { card: c, customerDetails: shopper }), 400, code, param);
      expect(error.type).toBe('card_error');
    }
    expect(ns().db.charges.size).toBe(0);
    expect(ns().db.paymentIntents.size).toBe(0);
    const after = await sim.get(`/checkout/sessions/${id}`);
    expect(after.body).toMatchObject({ status: 'open', paymentIntent: null, paymentIntentId: null });
  });

  it('accepts an expiry in the current month by the namespace clock, and exp as MM/YY', async () => {
    const id = await session();
    const res = await pay(id, { card: { number: '4242424242424242', exp: '03/26', cvc: '123' }, customerDetails: shopper });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('complete');
    expect(res.body.paymentIntent.latestCharge.paymentMethodDetails.card).toMatchObject({ expMonth: 3, expYear: 2026, last4: '4242', brand: 'visa' });
  });

  it('accepts a 4-digit CVC for amex-like numbers', async () => {
    const id = await session();
    const res = await pay(id, { card: card('378282246310005', { cvc: '1234' }), customerDetails: shopper });
    expect(res.body.paymentIntent.latestCharge.paymentMethodDetails.card.brand).toBe('amex');
  });

  it('refuses malformed requests with the parameter named', async () => {
    const id = await session();
    expectError(await pay(id, { customerDetails: shopper }), 400, 'parameter_missing', 'card');
    expectError(await pay(id, { card: { number: '4242424242424242', cvc: '123', expMonth: 1 }, customerDetails: shopper }), 400, 'parameter_missing', 'card.expYear');
    expectError(await pay(id, { card: { number: '4242424242424242', cvc: '123', exp: '1/2039x' }, customerDetails: shopper }), 400, 'parameter_invalid', 'card.exp');
    expectError(await pay(id, { card: { ...card(), exp: '01/39' }, customerDetails: shopper }), 400, 'parameters_exclusive', 'card.exp');
    expectError(await pay(id, { card: card(), customerDetails: shopper, tip: 5 }), 400, 'parameter_unknown', 'tip');
    expectError(await pay(id, { card: card(), customerDetails: { email: 'not-an-email' } }), 400, 'parameter_invalid', 'customerDetails.email');
    expectError(await pay(id, { card: card() }), 400, 'parameter_missing', 'customerDetails.email');
    expect(ns().db.charges.size).toBe(0);
  });

  it('requires the details the session collects and answers for required custom fields', async () => {
    const id = await session({
      nameCollection: true, phoneNumberCollection: true,
      customFields: [{ label: 'Order note', type: 'TEXT' }, { label: 'Size', type: 'DROPDOWN', dropdownOptions: [{ label: 'S' }, { label: 'M' }] }],
    });
    expectError(await pay(id, { card: card(), customerDetails: { email: 'a@b.co', phone: '01012345678' } }), 400, 'parameter_missing', 'customerDetails.name');
    expectError(await pay(id, { card: card(), customerDetails: { email: 'a@b.co', name: 'A' } }), 400, 'parameter_missing', 'customerDetails.phone');
    const details = { email: 'a@b.co', name: 'A', phone: '01012345678' };
    expectError(await pay(id, { card: card(), customerDetails: details, customFields: { size: 'M' } }), 400, 'parameter_missing', 'customFields.order_note');
    expectError(await pay(id, { card: card(), customerDetails: details, customFields: { order_note: 'x', size: 'XL' } }), 400, 'parameter_invalid', 'customFields.size');
    expectError(await pay(id, { card: card(), customerDetails: details, customFields: { order_note: 'x', size: 'M', colour: 'red' } }), 400, 'parameter_unknown', 'customFields.colour');
    const ok = await pay(id, { card: card(), customerDetails: details, customFields: { order_note: 'Gift wrap', size: 'M' } });
    expect(ok.body.customFields.map((f: Record<string, unknown>) => f.text ?? f.dropdown)).toEqual([{ value: 'Gift wrap' }, { value: 'M' }]);
    expect(ok.body.customerDetails).toMatchObject({ name: 'A', email: 'a@b.co', phone: '01012345678' });
  });
});

describe('POST /_sim/checkout/sessions/{id}/pay: session state', () => {
  it('answers 404 resource_missing for an unknown session', async () => {
    expectError(await pay('cs_test_nope', { card: card(), customerDetails: shopper }), 404, 'resource_missing', 'id');
  });

  it('needs the key the session was created with: no key is 401, another key finds nothing', async () => {
    const id = await session();
    expectError(await pay(id, { card: card(), customerDetails: shopper }, { key: null }), 401, 'authentication_required');
    expectError(await pay(id, { card: card(), customerDetails: shopper }, { key: 'sk_test_sim_pay_other' }), 404, 'resource_missing', 'id');
    expect(ns().db.charges.size).toBe(0);
    expect((await sim.get(`/checkout/sessions/${id}`)).body.status).toBe('open');
  });

  it('answers 409 payment_already_completed for a paid session', async () => {
    const id = await session();
    await pay(id, { card: card(), customerDetails: shopper });
    expectError(await pay(id, { card: card(), customerDetails: shopper }), 409, 'payment_already_completed');
    expect(ns().db.charges.size).toBe(1);
  });

  it('answers 409 checkout_session_expired once the clock passes expiresAt, and for an expired session', async () => {
    const id = await session({ expiresAfterMinutes: 30 });
    await sim.post('/_sim/clock/advance', { by: '31m' });
    expectError(await pay(id, { card: card(), customerDetails: shopper }), 409, 'checkout_session_expired');
    const other = await session();
    await sim.post(`/checkout/sessions/${other}/expire`);
    expectError(await pay(other, { card: card(), customerDetails: shopper }), 409, 'checkout_session_expired');
    expect(ns().db.charges.size).toBe(0);
  });

  it('answers 409 payment_still_confirming while a 3-D Secure challenge waits', async () => {
    const id = await session();
    const first = await pay(id, { card: card('4000000000003220'), customerDetails: shopper });
    expect(first.body.paymentIntent.status).toBe('REQUIRES_ACTION');
    expectError(await pay(id, { card: card(), customerDetails: shopper }), 409, 'payment_still_confirming');
  });

  it('refuses a sold-out price with price_sold_out before charging, and leaves the cart as it was', async () => {
    const id = await session({ lineItems: [{ price: 'price_tshirt_egp', quantity: 2, adjustableQuantity: { enabled: true, minimum: 1, maximum: 10 } }] });
    const price = ns().db.prices.get('price_tshirt_egp')!;
    ns().db.prices.set(price.id, { ...price, stock: 1 });
    expectError(await pay(id, { card: card(), customerDetails: shopper }), 409, 'price_sold_out', 'lineItems[0].price');
    expect(ns().db.charges.size).toBe(0);
    const li = (await sim.get(`/checkout/sessions/${id}`)).body.lineItems[0].id;
    expectError(await pay(id, { card: card(), customerDetails: shopper, quantities: { [li]: 11 } }), 400, 'line_item_quantity_out_of_bounds');
    expectError(await pay(id, { card: card(), customerDetails: shopper, promotionCode: 'NOPE-CODE' }), 400, 'promotion_codes_not_allowed', 'promotionCode');
    expect((await sim.get(`/checkout/sessions/${id}`)).body.lineItems[0].quantity).toBe(2);
    const ok = await pay(id, { card: card(), customerDetails: shopper, quantities: { [li]: 1 } });
    expect(ok.body).toMatchObject({ status: 'complete', amountTotal: 49900 });
    expect(ns().db.prices.get('price_tshirt_egp')!.stock).toBe(0);
  });

  it('applies a promotion code typed at payment and charges the discounted total', async () => {
    const id = await session({ allowPromotionCodes: true, lineItems: [adHoc(100000)] });
    const res = await pay(id, { card: card(), customerDetails: shopper, promotionCode: 'welcome10' });
    expect(res.body.status).toBe('complete');
    expect(res.body.amountTotal).toBeLessThan(100000);
    expect(res.body.paymentIntent.amount).toBe(res.body.amountTotal);
    expect(res.body.discounts[0].id).toMatch(/^di_/);
  });
});

describe('POST /_sim/checkout/sessions/{id}/3ds', () => {
  it('answers 404 for an unknown charge and 409 for a charge with no challenge waiting', async () => {
    const id = await session();
    expectError(await sim.post(`/_sim/checkout/sessions/${id}/3ds`, { chargeId: 'ch_test_nope', result: 'pass' }), 404, 'resource_missing', 'chargeId');
    const declined = await pay(id, { card: card('4000000000000002'), customerDetails: shopper });
    const chargeId = declined.body.paymentIntent.latestCharge.id;
    expectError(await sim.post(`/_sim/checkout/sessions/${id}/3ds`, { chargeId, result: 'pass' }), 409, 'resource_invalid_state', 'chargeId');
    expectError(await sim.post(`/_sim/checkout/sessions/${id}/3ds`, { chargeId, result: 'maybe' }), 400, 'parameter_invalid', 'result');
  });
});

const freeCoupon = (code: string, extra: Record<string, unknown> = {}) =>
  sim.post('/_sim/coupons', { percentOff: 100, promotionCodes: [{ code, ...extra }] });

describe('POST /_sim/checkout/sessions/{id}/pay: zero-total sessions', () => {
  it('completes a free session without a card: no_payment_required, no intent, charge or money', async () => {
    const id = await session({ lineItems: [adHoc(0)] });
    const res = await pay(id, { customerDetails: shopper });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ status: 'complete', paymentStatus: 'no_payment_required', amountTotal: 0, paymentIntent: null, paymentIntentId: null });
    expect(res.body.customer).toMatchObject({ type: 'guest', email: 'shopper@example.com', name: 'Mona Adel' });
    expect(ns().db.paymentIntents.size).toBe(0);
    expect(ns().db.charges.size).toBe(0);
    expect(ns().db.balanceTransactions.size).toBe(0);
    expectError(await pay(id, { customerDetails: shopper }), 409, 'payment_already_completed');
  });

  it('ignores a card sent for a free session, even an invalid one', async () => {
    const id = await session({ lineItems: [adHoc(0)] });
    const res = await pay(id, { card: { number: '1234', exp: 'soon', cvc: 'x' }, customerDetails: shopper });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ status: 'complete', paymentStatus: 'no_payment_required', paymentIntent: null });
    expect(ns().db.charges.size).toBe(0);
  });

  it('needs no payment method the session takes: a card-less session refuses cards but completes when free', async () => {
    const paid = await session({ paymentMethodTypes: ['fawry'] });
    expectError(await pay(paid, { card: card(), customerDetails: shopper }), 400, 'parameter_invalid', 'paymentMethodType');
    const free = await session({ paymentMethodTypes: ['fawry'], lineItems: [adHoc(0)] });
    expect((await pay(free, { customerDetails: shopper })).body).toMatchObject({ status: 'complete', paymentStatus: 'no_payment_required' });
  });

  it('needs no card when the promotion code typed at payment makes the total 0, and redeems it', async () => {
    await freeCoupon('FREEBIE');
    const id = await session({ allowPromotionCodes: true });
    const res = await pay(id, { customerDetails: shopper, promotionCode: 'freebie' });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ status: 'complete', paymentStatus: 'no_payment_required', amountSubtotal: 25000, amountTotal: 0 });
    expect(res.body.discounts[0].id).toMatch(/^di_/);
    const codes = (await sim.get('/_sim/coupons')).body.promotionCodes;
    expect(codes.find((p: { code: string }) => p.code === 'FREEBIE').timesRedeemed).toBe(1);
  });

  it('still requires a card when the cart is not free, and leaves the session as it was', async () => {
    const id = await session({ allowPromotionCodes: true });
    expectError(await pay(id, { customerDetails: shopper }), 400, 'parameter_missing', 'card');
    // The typed code applies but leaves a total to pay: refused for the card, the code is not kept.
    expectError(await pay(id, { customerDetails: shopper, promotionCode: 'welcome10' }), 400, 'parameter_missing', 'card');
    const after = (await sim.get(`/checkout/sessions/${id}`)).body;
    expect(after).toMatchObject({ status: 'open', amountTotal: 25000, discounts: [] });
  });
});

describe('POST /_sim/checkout/sessions/{id}/pay: discounts checked again before charging', () => {
  it('refuses the second session of a single-use code once the first one paid, moving no money', async () => {
    await sim.post('/_sim/coupons', { percentOff: 20, promotionCodes: [{ code: 'ONCE', maxRedemptions: 1 }] });
    const first = await session({ discounts: [{ promotionCode: 'ONCE' }] });
    const second = await session({ discounts: [{ promotionCode: 'ONCE' }] });
    expect((await pay(first, { customerDetails: shopper, card: card() })).body).toMatchObject({ status: 'complete', amountTotal: 20000 });
    const charges = ns().db.charges.size;
    const txns = ns().db.balanceTransactions.size;
    const error = expectError(await pay(second, { customerDetails: { email: 'other@example.com' }, card: card() }), 400, 'promotion_code_max_redemptions', 'discounts[0].promotionCode');
    expect(error.message).toContain('ONCE');
    expect(ns().db.charges.size).toBe(charges);
    expect(ns().db.balanceTransactions.size).toBe(txns);
    expect(ns().db.paymentIntents.size).toBe(1);
    expect((await sim.get(`/checkout/sessions/${second}`)).body).toMatchObject({ status: 'open', paymentIntent: null, amountTotal: 20000 });
    expect((await sim.get('/_sim/ledger?entries=false')).body.invariants.ok).toBe(true);
  });

  it('refuses a promotion code that expired by the clock, and a deactivated coupon', async () => {
    const byCode = await session();
    const expiresAt = new Date(ns().clock.now() + 60 * 60_000).toISOString();
    await sim.post('/_sim/coupons', { id: 'coupon_flash', percentOff: 10, promotionCodes: [{ code: 'FLASH', expiresAt }] });
    const flash = await session({ discounts: [{ promotionCode: 'FLASH' }] });
    await sim.post('/_sim/clock/advance', { by: '2h' });
    expectError(await pay(flash, { customerDetails: shopper, card: card() }), 400, 'promotion_code_expired', 'discounts[0].promotionCode');

    await sim.post('/_sim/coupons', { id: 'coupon_staff', percentOff: 15 });
    const staff = await session({ discounts: [{ coupon: 'coupon_staff' }] });
    const coupon = ns().db.coupons.get('coupon_staff')! as Record<string, any>;
    ns().db.coupons.set('coupon_staff', { ...coupon, id: 'coupon_staff', active: false });
    expectError(await pay(staff, { customerDetails: shopper, card: card() }), 400, 'coupon_invalid', 'discounts[0].coupon');
    expect(ns().db.charges.size).toBe(0);
    // Sessions without a discount are not affected.
    expect((await pay(byCode, { customerDetails: shopper, card: card() })).body.status).toBe('complete');
  });
});

describe('POST /_sim/checkout/sessions/{id}/pay: shipping', () => {
  const address = { line1: '12 Tahrir St', city: 'Cairo', country: 'EG' };

  it('carries the shipping address to the payment intent and the session', async () => {
    const id = await session({ shippingAddressCollection: true });
    const res = await pay(id, { card: card(), customerDetails: { ...shopper, phone: '01012345678' }, shipping: { address } });
    expect(res.status, res.text).toBe(200);
    const shipping = { name: 'Mona Adel', phone: '01012345678', address: { ...address, line2: null, state: null, postalCode: null } };
    expect(res.body.paymentIntent.shipping).toEqual(shipping);
    expect(res.body.customerDetails.shipping).toEqual(shipping);
    expect(res.body.customer.shipping).toEqual(shipping);
  });

  it('requires the address parts the session collects, naming the parameter', async () => {
    const id = await session({ shippingAddressCollection: true });
    expectError(await pay(id, { card: card(), customerDetails: shopper }), 400, 'parameter_missing', 'shipping.address');
    expectError(await pay(id, { card: card(), customerDetails: shopper, shipping: { name: 'Gift for Omar' } }), 400, 'parameter_missing', 'shipping.address');
    expectError(await pay(id, { card: card(), customerDetails: shopper, shipping: { address: { ...address, city: ' ' } } }), 400, 'parameter_missing', 'shipping.address.city');
    expectError(await pay(id, { card: card(), customerDetails: shopper, shipping: { address, phone: 'call me' } }), 400, 'parameter_invalid', 'shipping.phone');
    expectError(await pay(id, { card: card(), customerDetails: shopper, shipping: { address: { ...address, planet: 'Mars' } } }), 400, 'parameter_unknown', 'shipping.address.planet');
    expect(ns().db.charges.size).toBe(0);
    const ok = await pay(id, { card: card(), customerDetails: shopper, shipping: { name: 'Omar', address } });
    expect(ok.body.paymentIntent.shipping).toMatchObject({ name: 'Omar', phone: null });
  });

  it('leaves shipping null when the session does not collect it and none is sent', async () => {
    const id = await session();
    const res = await pay(id, { card: card(), customerDetails: shopper });
    expect(res.body.paymentIntent.shipping).toBeNull();
    expect(res.body.customerDetails.shipping).toBeNull();
  });

  it('stores shipping on a free session too', async () => {
    const id = await session({ lineItems: [adHoc(0)], shippingAddressCollection: true });
    expectError(await pay(id, { customerDetails: shopper }), 400, 'parameter_missing', 'shipping.address');
    const res = await pay(id, { customerDetails: shopper, shipping: { address } });
    expect(res.body).toMatchObject({ paymentStatus: 'no_payment_required', customerDetails: { shipping: { name: 'Mona Adel', address: { city: 'Cairo' } } } });
  });
});
