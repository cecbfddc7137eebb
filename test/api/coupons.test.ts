import { mkdtempSync, copyFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectError, startTestSim, TEST_KEY, type TestSim } from '../helpers/sim.js';
import { applyPromotionCode, findSession, redeemDiscounts, removePromotionCode, setLineItemQuantity } from '../../src/resources/checkout-sessions.js';
import { sessionsOf } from '../../src/checkout/session-record.js';
import { XPayError } from '../../src/core/errors.js';

let sim: TestSim;
beforeEach(async () => {
  sim = await startTestSim();
});
afterEach(() => sim.close());

const ns = () => sim.sim.namespaces.get(TEST_KEY)!;
const adHoc = (unitAmount: number, extra: Record<string, unknown> = {}) => ({ priceData: { currency: 'EGP', unitAmount, productData: { name: 'Order' } }, quantity: 1, ...extra });
const session = async (body: Record<string, unknown> = {}) =>
  (await sim.post('/checkout/sessions', { afterCompletion: { type: 'hosted_confirmation' }, lineItems: [adHoc(100000)], allowPromotionCodes: true, ...body })).body;

/** Runs a service function and returns the XPay error it throws, as expectError would see it. */
function failure(fn: () => unknown): { status: number; code: string; param?: string } {
  try {
    fn();
  } catch (e) {
    if (e instanceof XPayError) return { status: e.status, code: e.code, param: e.param };
    throw e;
  }
  throw new Error('expected an XPay error');
}
const markPaid = (id: string) => {
  const s = findSession(ns(), id);
  sessionsOf(ns()).set(id, { ...s, status: 'complete', paymentStatus: 'paid' });
  return redeemDiscounts(ns(), findSession(ns(), id));
};

describe('coupon fixtures and /_sim/coupons', () => {
  it('seeds every namespace with the fixture coupons and codes, rendered as XPay shapes', async () => {
    const res = await sim.get('/_sim/coupons');
    expect(res.status).toBe(200);
    const coupons = Object.fromEntries(res.body.coupons.map((c: { id: string }) => [c.id, c]));
    expect(coupons.coupon_welcome10).toMatchObject({ object: 'coupon', discountType: 'percentage', percentOff: 10, valid: true, active: true, timesRedeemed: 0, livemode: false });
    expect(coupons.coupon_winter20.valid).toBe(false);
    expect(coupons.coupon_launch30).toMatchObject({ valid: false, timesRedeemed: 2, maxRedemptions: 2 });
    const codes = res.body.promotionCodes.map((p: { code: string }) => p.code);
    expect(codes).toEqual(expect.arrayContaining(['WELCOME10', 'SAVE50', 'RAMADAN25', 'BIGSPENDER', 'COFFEE20']));
    const big = res.body.promotionCodes.find((p: { code: string }) => p.code === 'BIGSPENDER');
    expect(big).toMatchObject({ object: 'promotion_code', restrictions: { minimumAmount: '100000', minimumAmountCurrency: 'EGP' }, coupon: { id: 'coupon_big_spender' } });
  });

  it('adds a coupon with promotion codes that sessions can use at once', async () => {
    const res = await sim.post('/_sim/coupons', {
      id: 'coupon_eid', name: 'Eid 100 EGP', discountType: 'fixed_amount', amountOff: 10000, currency: 'EGP',
      promotionCodes: [{ code: 'EID100', maxRedemptions: 5 }, { id: 'promo_eid_vip', code: 'EIDVIP', customerId: 'cus_demo_omar' }],
    });
    expect(res.status).toBe(201);
    expect(res.body.coupon).toMatchObject({ id: 'coupon_eid', amountOff: 10000, currency: 'EGP', duration: 'once', valid: true });
    expect(res.body.promotionCodes[0].id).toMatch(/^promo_/);
    expect(res.body.promotionCodes[1]).toMatchObject({ id: 'promo_eid_vip', customerId: 'cus_demo_omar' });
    const s = await session({ allowPromotionCodes: false, discounts: [{ promotionCode: 'eid100' }] });
    expect(s.amountTotal).toBe(90000);
    const generated = await sim.post('/_sim/coupons', { percentOff: 5 });
    expect(generated.body.coupon).toMatchObject({ discountType: 'percentage', percentOff: 5 });
    expect(generated.body.coupon.id).toMatch(/^coupon_/);
  });

  it('refuses coupons XPay could not have, with the field at fault', async () => {
    expectError(await sim.post('/_sim/coupons', { discountType: 'percentage' }), 400, 'parameter_missing', 'percentOff');
    expectError(await sim.post('/_sim/coupons', { percentOff: 150 }), 400, 'parameter_out_of_range', 'percentOff');
    expectError(await sim.post('/_sim/coupons', { discountType: 'fixed_amount', amountOff: 500 }), 400, 'parameter_missing', 'currency');
    expectError(await sim.post('/_sim/coupons', { discountType: 'fixed_amount', currency: 'EGP' }), 400, 'parameter_missing', 'amountOff');
    expectError(await sim.post('/_sim/coupons', { discountType: 'percentage', percentOff: 5, amountOff: 500 }), 400, 'parameters_exclusive', 'amountOff');
    expectError(await sim.post('/_sim/coupons', { percentOff: 5, duration: 'repeating' }), 400, 'parameter_missing', 'durationInMonths');
    expectError(await sim.post('/_sim/coupons', { percentOff: 5, redeemBy: 'tomorrow' }), 400, 'parameter_invalid', 'redeemBy');
    expectError(await sim.post('/_sim/coupons', { id: 'coupon_welcome10', percentOff: 5 }), 409, 'resource_already_exists', 'id');
    expectError(await sim.post('/_sim/coupons', { percentOff: 5, appliesToProductIds: ['prod_nope'] }), 404, 'resource_missing', 'appliesToProductIds[0]');
    expectError(await sim.post('/_sim/coupons', { percentOff: 5, promotionCodes: [{ code: 'welcome10' }] }), 409, 'promotion_code_exists', 'promotionCodes[0].code');
    expectError(await sim.post('/_sim/coupons', { percentOff: 5, promotionCodes: [{ code: 'NEW1' }, { code: 'new1' }] }), 409, 'promotion_code_exists', 'promotionCodes[1].code');
    expectError(await sim.post('/_sim/coupons', { percentOff: 5, promotionCodes: [{ code: 'X1', customerId: 'cus_nope' }] }), 404, 'resource_missing', 'promotionCodes[0].customerId');
    expectError(await sim.post('/_sim/coupons', { percentOff: 5, promotionCodes: [{ code: 'has space' }] }), 400, 'parameter_invalid', 'promotionCodes[0].code');
    expect((await sim.get('/_sim/coupons')).body.coupons).toHaveLength(8);
  });

  it('needs a key to know which namespace the coupons belong to', async () => {
    expectError(await sim.get('/_sim/coupons', { key: null }), 401, 'authentication_required');
  });

  it('refuses to start on a broken coupon fixture, naming the file and the field', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'xpay-sim-coupons-'));
    copyFileSync(join(import.meta.dirname, '../../fixtures/catalog.yaml'), join(dir, 'catalog.yaml'));
    const bad = async (yaml: string) => {
      writeFileSync(join(dir, 'coupons.yaml'), yaml);
      return startTestSim({ fixturesDir: dir }).then(async (s) => { await s.close(); return 'started'; }, (e: Error) => e.message);
    };
    expect(await bad('coupons:\n  - id: coupon_x\n    discountType: percentage\n')).toMatch(/coupons\.yaml: coupons\[0\]\.percentOff/);
    expect(await bad('coupons:\n  - id: coupon_x\n    percentOff: 5\n    appliesToProductIds: [prod_nope]\n')).toMatch(/unknown product prod_nope/);
    expect(await bad('coupons:\n  - percentOff: 5\n')).toMatch(/coupons\[0\]\.id/);
    expect(await bad('promotionCodes:\n  - id: promo_x\n    code: X\n    coupon: coupon_nope\n')).toMatch(/promotionCodes\[0\]\.coupon/);
    expect(await bad('coupons:\n  - id: coupon_x\n    percentOff: 5\n    promotionCodes:\n      - id: promo_a\n        code: SAME\n      - id: promo_b\n        code: same\n')).toMatch(/promotionCodes\[1\]\.code/);
  });
});

describe('promotion codes on an open session (hosted page and Elements)', () => {
  it('applies a code case-insensitively, replacing the earlier one, and recomputes totals', async () => {
    const s = await session();
    const a = applyPromotionCode(ns(), findSession(ns(), s.id), ' welcome10 ');
    expect(a.totalDetails.amountDiscount).toBe(10000);
    const b = applyPromotionCode(ns(), a, 'RAMADAN25');
    expect(b._discounts).toHaveLength(1);
    expect(b.amountTotal).toBe(80000);
    const got = await sim.get(`/checkout/sessions/${s.id}`);
    expect(got.body.discounts[0]).toMatchObject({ id: 'pending', promotionCodeCode: 'RAMADAN25' });
    expect(removePromotionCode(ns(), findSession(ns(), s.id)).amountTotal).toBe(100000);
  });

  it('answers with the promotion code error codes', async () => {
    const closed = await session({ allowPromotionCodes: false });
    expect(failure(() => applyPromotionCode(ns(), findSession(ns(), closed.id), 'WELCOME10'))).toEqual({ status: 400, code: 'promotion_codes_not_allowed', param: 'promotionCode' });
    const s = findSession(ns(), (await session()).id);
    expect(failure(() => applyPromotionCode(ns(), s, 'NOPE'))).toEqual({ status: 400, code: 'promotion_code_not_found', param: 'promotionCode' });
    expect(failure(() => applyPromotionCode(ns(), s, 'PAUSED10')).code).toBe('promotion_code_inactive');
    expect(failure(() => applyPromotionCode(ns(), s, 'WELCOME2025')).code).toBe('promotion_code_expired');
    expect(failure(() => applyPromotionCode(ns(), s, 'VIPAMINA')).code).toBe('promotion_code_customer_mismatch');
    expect(failure(() => applyPromotionCode(ns(), s, 'SAVE5USD')).code).toBe('coupon_currency_mismatch');
    expect(failure(() => applyPromotionCode(ns(), s, 'LAUNCH30')).code).toBe('coupon_invalid');
    const small = findSession(ns(), (await session({ lineItems: [adHoc(20000)] })).id);
    expect(failure(() => applyPromotionCode(ns(), small, 'SAVE50')).code).toBe('coupon_minimum_amount');
    expect(failure(() => applyPromotionCode(ns(), small, 'BIGSPENDER')).code).toBe('promotion_code_minimum_amount');
  });

  it('refuses codes on a session that expired or completed', async () => {
    const s = await session();
    await sim.post(`/checkout/sessions/${s.id}/expire`);
    expect(failure(() => applyPromotionCode(ns(), findSession(ns(), s.id), 'WELCOME10')).code).toBe('checkout_session_expired');
    const done = await session();
    sessionsOf(ns()).set(done.id, { ...findSession(ns(), done.id), status: 'complete', paymentStatus: 'paid' });
    expect(failure(() => applyPromotionCode(ns(), findSession(ns(), done.id), 'WELCOME10'))).toMatchObject({ status: 409, code: 'resource_invalid_state' });
  });

  it('stops a coupon at its redeemBy instant on the namespace clock', async () => {
    await sim.post('/_sim/coupons', { id: 'coupon_flash', percentOff: 50, redeemBy: '2026-03-01T11:00:00.000Z', promotionCodes: [{ code: 'FLASH' }] });
    const s = await session();
    expect(applyPromotionCode(ns(), findSession(ns(), s.id), 'FLASH').amountTotal).toBe(50000);
    ns().clock.advance(3_600_000);
    const t = await session();
    expect(failure(() => applyPromotionCode(ns(), findSession(ns(), t.id), 'FLASH')).code).toBe('coupon_invalid');
  });
});

describe('redemptions once a session is paid', () => {
  it('counts coupon and code redemptions and gives the discount its permanent id', async () => {
    const s = await session({ allowPromotionCodes: false, discounts: [{ promotionCode: 'ONCEONLY' }], customerId: 'cus_demo_amina' });
    const paid = markPaid(s.id);
    expect(paid._discounts[0]!.id).toMatch(/^di_/);
    expect(redeemDiscounts(ns(), paid)._discounts[0]!.id).toBe(paid._discounts[0]!.id);
    const got = await sim.get(`/checkout/sessions/${s.id}`);
    expect(got.body.discounts[0]).toMatchObject({ id: paid._discounts[0]!.id, object: 'discount', promotionCodeCode: 'ONCEONLY', customerId: 'cus_demo_amina', coupon: { id: 'coupon_ramadan25', timesRedeemed: 1 } });
    const list = (await sim.get('/_sim/coupons')).body;
    expect(list.promotionCodes.find((p: { code: string }) => p.code === 'ONCEONLY').timesRedeemed).toBe(1);
    expectError(await sim.post('/checkout/sessions', { afterCompletion: { type: 'hosted_confirmation' }, lineItems: [adHoc(100000)], discounts: [{ promotionCode: 'ONCEONLY' }] }), 400, 'promotion_code_max_redemptions', 'discounts[0].promotionCode');
  });

  it('enforces per-customer limits and first-purchase-only codes after a payment', async () => {
    const coffee = { price: 'price_coffee_beans_egp', quantity: 1 };
    const first = await session({ lineItems: [coffee], allowPromotionCodes: false, discounts: [{ coupon: 'coupon_coffee20' }], customerId: 'cus_demo_amina' });
    markPaid(first.id);
    const again = findSession(ns(), (await session({ lineItems: [coffee], customerId: 'cus_demo_amina' })).id);
    expect(failure(() => applyPromotionCode(ns(), again, 'COFFEE20')).code).toBe('coupon_customer_max_redemptions');
    expect(failure(() => applyPromotionCode(ns(), again, 'WELCOME10')).code).toBe('promotion_code_first_time_only');
    const omar = findSession(ns(), (await session({ lineItems: [coffee], customerId: 'cus_demo_omar' })).id);
    expect(applyPromotionCode(ns(), omar, 'COFFEE20').totalDetails.amountDiscount).toBe(17000);
    const guest = await session({ customerDetails: { email: 'Guest@Example.com' } });
    markPaid(guest.id);
    const guestAgain = findSession(ns(), (await session({ customerDetails: { email: 'guest@example.com' } })).id);
    expect(failure(() => applyPromotionCode(ns(), guestAgain, 'WELCOME10')).code).toBe('promotion_code_first_time_only');
  });
});

describe('adjusting quantities on an open session', () => {
  it('changes an adjustable line within its bounds and recomputes the totals and discount', async () => {
    const s = await session({ lineItems: [adHoc(10000, { adjustableQuantity: { enabled: true, minimum: 1, maximum: 3 } }), adHoc(5000)], allowPromotionCodes: false, discounts: [{ coupon: 'coupon_welcome10' }] });
    const li = s.lineItems[0].id;
    const next = setLineItemQuantity(ns(), findSession(ns(), s.id), li, 3);
    expect(next.amountSubtotal).toBe(35000);
    expect(next.totalDetails.amountDiscount).toBe(3500);
    expect((await sim.get(`/checkout/sessions/${s.id}`)).body.lineItems[0].quantity).toBe(3);
    expect(failure(() => setLineItemQuantity(ns(), next, li, 4))).toEqual({ status: 400, code: 'line_item_quantity_out_of_bounds', param: 'quantity' });
    expect(failure(() => setLineItemQuantity(ns(), next, li, 0)).code).toBe('line_item_quantity_out_of_bounds');
    expect(failure(() => setLineItemQuantity(ns(), next, s.lineItems[1].id, 2))).toEqual({ status: 400, code: 'line_item_quantity_not_adjustable', param: 'quantity' });
    expect(failure(() => setLineItemQuantity(ns(), next, 'li_nope', 2))).toEqual({ status: 404, code: 'resource_missing', param: 'lineItem' });
  });

  it('drops a discount whose minimum the smaller cart no longer reaches', async () => {
    const s = await session({ lineItems: [adHoc(20000, { quantity: 2, adjustableQuantity: { enabled: true } })], allowPromotionCodes: false, discounts: [{ coupon: 'coupon_save50_egp' }] });
    expect(s.amountTotal).toBe(35000);
    const next = setLineItemQuantity(ns(), findSession(ns(), s.id), s.lineItems[0].id, 1);
    expect(next._discounts).toEqual([]);
    expect(next.amountTotal).toBe(20000);
  });

  it('respects stock and refuses quantities on customer-chosen prices', async () => {
    await sim.post('/products', { name: 'Limited', defaultPrice: { currency: 'EGP', unitAmount: 100, stock: 2 } });
    const price = (await sim.get('/products?search=Limited')).body.data[0].prices[0].id;
    const s = await session({ lineItems: [{ price, quantity: 1, adjustableQuantity: { enabled: true, maximum: 10 } }, { price: 'price_donation_egp', quantity: 1 }] });
    expect(failure(() => setLineItemQuantity(ns(), findSession(ns(), s.id), s.lineItems[0].id, 3)).code).toBe('price_sold_out');
    expect(failure(() => setLineItemQuantity(ns(), findSession(ns(), s.id), s.lineItems[1].id, 2)).code).toBe('line_item_quantity_not_supported_for_custom');
  });
});
