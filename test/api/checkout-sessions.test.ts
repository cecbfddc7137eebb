import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectError, startTestSim, TEST_KEY, type TestSim } from '../helpers/sim.js';
import { chargeFee } from '../../src/core/fees.js';
import { namespaceToken } from '../../src/control/page-urls.js';
import { renderMethodType } from '../../src/checkout/session-record.js';

let sim: TestSim;
beforeEach(async () => {
  sim = await startTestSim();
});
afterEach(() => sim.close());

const redirect = { type: 'redirect', redirect: { url: 'https://shop.example/orders/{CHECKOUT_SESSION_ID}?paid=1' } };
const adHoc = (unitAmount: number, currency = 'EGP', name = 'Custom order') => ({ priceData: { currency, unitAmount, productData: { name } }, quantity: 1 });
const create = (body: Record<string, unknown>) => sim.post('/checkout/sessions', { afterCompletion: redirect, lineItems: [adHoc(149900)], ...body });
const ns = () => sim.sim.namespaces.get(TEST_KEY)!;
const events = (type: string) => [...ns().db.events.values()].filter((e) => e.type === type);

describe('creating a checkout session', () => {
  it('answers 201 with an open, unpaid session, its hosted url, client secret and 24-hour expiry', async () => {
    const res = await create({});
    expect(res.status).toBe(201);
    const s = res.body;
    expect(s.id).toMatch(/^cs_test_[A-Za-z0-9]{22}$/);
    expect(s).toMatchObject({
      object: 'checkout.session', status: 'open', paymentStatus: 'unpaid', mode: 'payment', uiMode: 'hosted', submitType: 'PAY',
      currency: 'EGP', amountSubtotal: 149900, amountTotal: 149900, isExpired: false, livemode: false, paymentIntent: null, paymentIntentId: null,
      url: `${sim.url}/c/${namespaceToken(sim.sim, TEST_KEY)}/${s.id}`, expiresAt: '2026-03-02T10:00:00.000Z', customerCreation: 'if_required', locale: 'en',
      totalDetails: { amountDiscount: 0, amountShipping: 0, amountTax: 0, amountPlatformFee: 0, amountCollectedVat: 0 },
      afterCompletion: redirect, discounts: [], customFields: [], metadata: {},
    });
    expect(s.clientSecret).toMatch(new RegExp(`^${s.id}_secret_[A-Za-z0-9]+$`));
    expect(s.lineItems[0]).toMatchObject({ quantity: 1, amountSubtotal: 149900, amountTotal: 149900, description: 'Custom order', price: { unitAmount: 149900, type: 'ONE_TIME', product: { name: 'Custom order' } } });
    expect(s.lineItems[0].id).toMatch(/^li_/);
    expect((await sim.get(`/checkout/sessions/${s.id}`)).body).toEqual(s);
  });

  it('requires afterCompletion, and a url when it redirects', async () => {
    expectError(await sim.post('/checkout/sessions', { lineItems: [adHoc(100)] }), 400, 'parameter_missing', 'afterCompletion');
    expectError(await create({ afterCompletion: { type: 'redirect' } }), 400, 'parameter_missing', 'afterCompletion.redirect.url');
    expectError(await create({ afterCompletion: { type: 'redirect', redirect: { url: '/relative/{CHECKOUT_SESSION_ID}' } } }), 400, 'parameter_invalid', 'afterCompletion.redirect.url');
    expectError(await create({ afterCompletion: { type: 'redirect', redirect: { url: 'https://x.example/{ORDER}' } } }), 400, 'parameter_invalid', 'afterCompletion.redirect.url');
    expectError(await create({ afterCompletion: { type: 'hosted_confirmation', redirect: { url: 'https://x.example' } } }), 400, 'parameter_invalid', 'afterCompletion.redirect');
  });

  it('accepts a hosted confirmation with its message and return button', async () => {
    const res = await create({ afterCompletion: { type: 'hosted_confirmation', hostedConfirmation: { customMessage: 'Shukran!', returnUrl: 'https://shop.example' } } });
    expect(res.body.afterCompletion).toEqual({ type: 'hosted_confirmation', hostedConfirmation: { customMessage: 'Shukran!', returnUrl: 'https://shop.example' } });
  });

  it('takes catalog prices and marks them used, so they can no longer be deleted', async () => {
    const res = await create({ lineItems: [{ price: 'price_coffee_beans_egp', quantity: 2 }, { price: 'price_tshirt_egp', quantity: 1 }] });
    expect(res.body.amountSubtotal).toBe(85000 * 2 + 49900);
    expect(res.body.lineItems[0].price).toMatchObject({ id: 'price_coffee_beans_egp', product: { id: 'prod_cairo_coffee_beans', name: 'Cairo Roast Coffee Beans', unitLabel: 'bag' } });
    expectError(await sim.del('/prices/price_coffee_beans_egp'), 400, 'resource_invalid_state');
    expectError(await sim.del('/products/prod_nile_tshirt'), 400, 'resource_invalid_state');
  });

  it('wants exactly one of price and priceData per line, with the indexed param', async () => {
    expectError(await create({ lineItems: [{ price: 'price_tshirt_egp', priceData: adHoc(100).priceData, quantity: 1 }] }), 400, 'parameters_exclusive', 'lineItems[0].price');
    expectError(await create({ lineItems: [adHoc(100), { quantity: 1 }] }), 400, 'parameter_missing', 'lineItems[1].price');
    expectError(await sim.post('/checkout/sessions', { afterCompletion: redirect }), 400, 'parameter_missing', 'lineItems');
    expectError(await create({ lineItems: [] }), 400, 'checkout_empty_cart', 'lineItems');
    expectError(await create({ lineItems: [{ ...adHoc(100), quantity: -1 }] }), 400, 'parameter_out_of_range', 'lineItems[0].quantity');
    expectError(await create({ lineItems: [{ ...adHoc(100), quantity: 0 }] }), 400, 'line_item_quantity_out_of_bounds', 'lineItems[0].quantity');
  });

  it('answers 404 resource_missing for an unknown price, customer or coupon', async () => {
    expectError(await create({ lineItems: [adHoc(100), { price: 'price_nope', quantity: 1 }] }), 404, 'resource_missing', 'lineItems[1].price');
    expectError(await create({ customerId: 'cus_nope' }), 404, 'resource_missing', 'customerId');
    expectError(await create({ discounts: [{ coupon: 'coupon_nope' }] }), 404, 'resource_missing', 'discounts[0].coupon');
    expectError(await create({ discounts: [{ promotionCode: 'NOPE' }] }), 404, 'resource_missing', 'discounts[0].promotionCode');
  });

  it('defaults the currency to EGP instead of inheriting it, and rejects lines in another currency', async () => {
    expectError(await create({ lineItems: [adHoc(500, 'USD')] }), 400, 'parameter_invalid', 'lineItems[0].priceData.currency');
    expectError(await create({ lineItems: [{ price: 'price_coffee_beans_usd', quantity: 1 }] }), 400, 'parameter_invalid', 'lineItems[0].price');
    const usd = await create({ currency: 'USD', lineItems: [adHoc(500, 'USD'), { price: 'price_workshop_usd', quantity: 2 }] });
    expect(usd.body).toMatchObject({ currency: 'USD', amountTotal: 500 + 9800, paymentMethodTypes: [{ type: 'card', displayName: 'Card' }] });
    const kwd = await create({ currency: 'KWD', lineItems: [{ price: 'price_workshop_kwd', quantity: 3 }] });
    expect(kwd.body.amountTotal).toBe(46500);
  });

  it('refuses prices that cannot be sold now with their price_* codes', async () => {
    await sim.patch('/prices/price_tshirt_egp', { active: false });
    expectError(await create({ lineItems: [{ price: 'price_tshirt_egp', quantity: 1 }] }), 400, 'price_inactive', 'lineItems[0].price');
    await sim.patch('/products/prod_cairo_coffee_beans', { active: false });
    expectError(await create({ lineItems: [{ price: 'price_coffee_beans_egp', quantity: 1 }] }), 400, 'product_archived', 'lineItems[0].price');
    expectError(await create({ lineItems: [{ price: 'price_streaming_monthly_egp', quantity: 1 }] }), 400, 'price_recurring_not_supported', 'lineItems[0].price');
    const later = await sim.post('/prices?productId=prod_workshop_ticket', { currency: 'EGP', unitAmount: 1000, startDate: '2026-06-01T00:00:00.000Z' });
    expectError(await create({ lineItems: [{ price: later.body.id, quantity: 1 }] }), 400, 'price_not_yet_active', 'lineItems[0].price');
    const gone = await sim.post('/prices?productId=prod_workshop_ticket', { currency: 'EGP', unitAmount: 1000, startDate: '2026-01-01T00:00:00.000Z', expirationDate: '2026-02-01T00:00:00.000Z' });
    expectError(await create({ lineItems: [{ price: gone.body.id, quantity: 1 }] }), 400, 'price_expired', 'lineItems[0].price');
    expectError(await create({ lineItems: [{ priceData: { ...adHoc(100).priceData, recurring: { interval: 'MONTH' } }, quantity: 1 }] }), 400, 'price_recurring_not_supported', 'lineItems[0].priceData.recurring');
  });

  it('refuses more units than a price has in stock', async () => {
    await sim.post('/products', { name: 'Limited', defaultPrice: { currency: 'EGP', unitAmount: 100, stock: 2 } });
    const product = (await sim.get('/products?search=Limited')).body.data[0];
    expectError(await create({ lineItems: [{ price: product.prices[0].id, quantity: 3 }] }), 400, 'price_sold_out', 'lineItems[0].price');
  });

  it('prices a customer-chosen (CUSTOM) price at its preset, with quantity 1 only, and never in custom mode', async () => {
    const res = await create({ lineItems: [{ price: 'price_donation_egp', quantity: 1 }] });
    expect(res.body.amountTotal).toBe(50000);
    expectError(await create({ lineItems: [{ price: 'price_donation_egp', quantity: 2 }] }), 400, 'line_item_quantity_not_supported_for_custom', 'lineItems[0].quantity');
    expectError(await create({ uiMode: 'custom', lineItems: [{ price: 'price_donation_egp', quantity: 1 }] }), 400, 'parameter_invalid', 'lineItems[0].price');
  });

  it('keeps adjustable quantities within their bounds', async () => {
    const res = await create({ lineItems: [{ ...adHoc(1000), quantity: 2, adjustableQuantity: { enabled: true } }] });
    expect(res.body.lineItems[0].adjustableQuantity).toEqual({ enabled: true, minimum: 1, maximum: 99 });
    expectError(await create({ lineItems: [{ ...adHoc(1000), quantity: 5, adjustableQuantity: { enabled: true, minimum: 1, maximum: 3 } }] }), 400, 'line_item_quantity_out_of_bounds', 'lineItems[0].quantity');
    expectError(await create({ lineItems: [{ ...adHoc(1000), quantity: 5, adjustableQuantity: { enabled: true, minimum: 6, maximum: 3 } }] }), 400, 'parameter_invalid', 'lineItems[0].adjustableQuantity.minimum');
  });

  it('takes submitType in the docs\' lowercase and the contract\'s uppercase, answering uppercase', async () => {
    expect((await create({ submitType: 'donate' })).body.submitType).toBe('DONATE');
    expect((await create({ submitType: 'BOOK' })).body.submitType).toBe('BOOK');
    expect((await create({})).body.submitType).toBe('PAY');
    expectError(await create({ submitType: 'Donate' }), 400, 'parameter_invalid', 'submitType');
  });

  it('applies the uiMode bans: cancelUrl only when hosted, redirect only for embedded and custom, no submitType or collection in custom', async () => {
    expect((await create({ cancelUrl: 'https://shop.example/cart' })).body.cancelUrl).toBe('https://shop.example/cart');
    expectError(await create({ uiMode: 'embedded', cancelUrl: 'https://shop.example/cart' }), 400, 'parameter_invalid', 'cancelUrl');
    expectError(await create({ cancelUrl: 'javascript:alert(1)' }), 400, 'parameter_invalid', 'cancelUrl');
    expectError(
      await create({ afterCompletion: { type: 'hosted_confirmation', hostedConfirmation: { returnUrl: 'javascript:alert(1)' } } }),
      400, 'parameter_invalid', 'afterCompletion.hostedConfirmation.returnUrl',
    );
    expectError(await create({ uiMode: 'custom', cancelUrl: 'https://shop.example/cart' }), 400, 'parameter_invalid', 'cancelUrl');
    expectError(await create({ uiMode: 'embedded', afterCompletion: { type: 'hosted_confirmation' } }), 400, 'parameter_invalid', 'afterCompletion.type');
    expectError(await create({ uiMode: 'custom', submitType: 'DONATE' }), 400, 'parameter_invalid', 'submitType');
    for (const flag of ['nameCollection', 'billingAddressCollection', 'shippingAddressCollection', 'phoneNumberCollection']) {
      expectError(await create({ uiMode: 'custom', [flag]: true }), 400, 'parameter_invalid', flag);
    }
    const custom = await create({ uiMode: 'custom', mode: 'payment' });
    expect(custom.body).toMatchObject({ uiMode: 'custom', submitType: 'PAY', status: 'open' });
    expect((await create({ uiMode: 'embedded', submitType: 'DONATE', phoneNumberCollection: true })).body).toMatchObject({ submitType: 'DONATE', phoneNumberCollection: true });
  });

  it('keeps customerId and customerDetails apart; customerUpdate takes effect with customerId', async () => {
    expectError(await create({ customerId: 'cus_demo_amina', customerDetails: { email: 'a@b.co' } }), 400, 'parameters_exclusive', 'customerId');
    expectError(await create({ customerId: 'cus_demo_amina', customerCreation: 'always' }), 400, 'parameters_exclusive', 'customerCreation');
    const known = await create({ customerId: 'cus_demo_amina', customerUpdate: { name: 'auto' } });
    expect(known.body).toMatchObject({ customerId: 'cus_demo_amina', customer: { id: 'cus_demo_amina', type: 'registered', name: 'Amina Hassan' }, customerUpdate: { name: 'auto' } });
    const guest = await create({ customerDetails: { name: 'Nour', email: 'nour@example.com', phone: '+201001112223' }, customerCreation: 'always' });
    expect(guest.body).toMatchObject({ customerId: null, customerDetails: { name: 'Nour', email: 'nour@example.com' }, customerCreation: 'always' });
  });

  it('refuses to reference a guest customer record by id', async () => {
    await sim.get('/account');
    const amina = ns().db.customers.get('cus_demo_amina')!;
    ns().db.customers.set('cus_guest_1', { ...amina, id: 'cus_guest_1', type: 'guest', email: 'g@example.com', phone: null });
    expectError(await create({ customerId: 'cus_guest_1' }), 400, 'parameter_invalid', 'customerId');
  });

  it('checks payment method types against what the account has for the currency', async () => {
    expect((await create({ paymentMethodTypes: ['valu'] })).body.paymentMethodTypes).toMatchObject([{ type: 'valu', displayName: 'valU', category: 'bnpl', paymentConfirmation: 'immediate', supportsRefund: false }]);
    expectError(await create({ currency: 'USD', lineItems: [adHoc(100, 'USD')], paymentMethodTypes: ['valu'] }), 400, 'parameter_invalid', 'paymentMethodTypes');
    expectError(await create({ paymentMethodTypes: [] }), 400, 'parameter_invalid', 'paymentMethodTypes');
  });

  it('adds the processing fee when fees pass through and VAT in basis points', async () => {
    const res = await create({ lineItems: [adHoc(50000)], feeConfig: { feesPassThrough: true, vatCollectionEnabled: true, vatCollectionRate: 1400 } });
    const fee = chargeFee(50000, 'EGP', 'card').total;
    expect(res.body.totalDetails).toMatchObject({ amountPlatformFee: fee, amountCollectedVat: 7000 });
    expect(res.body.amountTotal).toBe(50000 + fee + 7000);
    expect(res.body.feeConfig).toEqual({ feesPassThrough: true, vatCollectionEnabled: true, vatCollectionRate: 1400, source: 'session' });
    expect((await create({})).body.feeConfig).toMatchObject({ feesPassThrough: false, vatCollectionEnabled: false, source: 'system' });
    expectError(await create({ feeConfig: { feesPassThrough: false, vatCollectionEnabled: true, vatCollectionRate: 14.5 } }), 400, 'parameter_out_of_range', 'feeConfig.vatCollectionRate');
  });

  it('breaks the pass-through fee and VAT down in fees, agreeing with totalDetails, only when either is on', async () => {
    const both = (await create({ lineItems: [adHoc(50000)], feeConfig: { feesPassThrough: true, vatCollectionEnabled: true, vatCollectionRate: 1400 } })).body;
    const card = chargeFee(50000, 'EGP', 'card');
    expect(both.fees).toEqual({ paymentMethodType: 'card', feeAmount: card.processing, feePercentage: 2.75, vatAmount: card.vat + 7000, totalAmount: card.total + 7000 });
    expect(both.fees.totalAmount).toBe(both.totalDetails.amountPlatformFee + both.totalDetails.amountCollectedVat);
    expect(both.amountTotal).toBe(50000 + both.fees.totalAmount);
    const vatOnly = (await create({ lineItems: [adHoc(50000)], feeConfig: { feesPassThrough: false, vatCollectionEnabled: true, vatCollectionRate: 1000 } })).body;
    expect(vatOnly.fees).toEqual({ paymentMethodType: 'card', feeAmount: 0, feePercentage: 0, vatAmount: 5000, totalAmount: 5000 });
    const none = (await create({})).body;
    expect(none).not.toHaveProperty('fees');
    expect((await sim.get(`/checkout/sessions/${both.id}`)).body.fees).toEqual(both.fees);
  });

  it('sets expiry from expiresAfterMinutes within bounds', async () => {
    expect((await create({ expiresAfterMinutes: 60 })).body.expiresAt).toBe('2026-03-01T11:00:00.000Z');
    expectError(await create({ expiresAfterMinutes: 20 }), 400, 'parameter_out_of_range', 'expiresAfterMinutes');
    expectError(await create({ expiresAfterMinutes: 50000 }), 400, 'parameter_out_of_range', 'expiresAfterMinutes');
    expectError(await create({ expiresAfterMinutes: 45.5 }), 400, 'parameter_invalid', 'expiresAfterMinutes');
  });

  it('keeps locale, metadata, custom fields and branding merged over the defaults', async () => {
    const res = await create({
      locale: 'ar', metadata: { wc_order_id: '42' }, brandingSettings: { colorMode: 'system', colors: { primary: '#123456' } },
      customFields: [{ label: 'Gift note', type: 'TEXT', hasLimits: true, limitType: 'AT_MOST', maxCharacters: 120 }, { label: 'Size', type: 'DROPDOWN', dropdownOptions: [{ label: 'S' }, { label: 'M' }] }],
    });
    expect(res.body).toMatchObject({ locale: 'ar', metadata: { wc_order_id: '42' } });
    expect(res.body.brandingSettings).toMatchObject({ colorMode: 'system', borderStyle: 'rounded', colors: { primary: '#123456', background: '#ffffff' } });
    expect(res.body.customFields.map((f: { key: string }) => f.key)).toEqual(['gift_note', 'size']);
    expectError(await create({ customFields: [{ label: 'Size', type: 'DROPDOWN' }] }), 400, 'parameter_missing', 'customFields[0].dropdownOptions');
    expectError(await create({ customFields: [{ label: 'Note', type: 'TEXT', hasLimits: true }] }), 400, 'parameter_missing', 'customFields[0].limitType');
    expectError(await create({ brandingSettings: { colors: { primary: 'teal' } } }), 400, 'parameter_invalid', 'brandingSettings.colors.primary');
  });

  it('only takes mode payment', async () => {
    expectError(await create({ mode: 'subscription' }), 400, 'parameter_invalid', 'mode');
  });
});

describe('discounts on a session', () => {
  it('applies a coupon or a promotion code to the totals, pending until paid', async () => {
    const res = await create({ lineItems: [adHoc(100000)], discounts: [{ promotionCode: 'ramadan25' }] });
    expect(res.body.totalDetails.amountDiscount).toBe(20000);
    expect(res.body.amountTotal).toBe(80000);
    expect(res.body.lineItems[0].amountDiscount).toBe(20000);
    expect(res.body.discounts).toEqual([{
      id: 'pending', object: 'discount', checkoutSessionId: res.body.id, start: '2026-03-01T10:00:00.000Z', promotionCodeId: 'promo_ramadan25', promotionCodeCode: 'RAMADAN25',
      coupon: { id: 'coupon_ramadan25', object: 'coupon', name: 'Ramadan 25% (up to 200 EGP)', discountType: 'percentage', percentOff: 25, amountOff: null, currency: 'EGP', valid: true, livemode: false },
    }]);
    const fixed = await create({ lineItems: [adHoc(40000)], discounts: [{ coupon: 'coupon_save50_egp' }] });
    expect(fixed.body.amountTotal).toBe(35000);
  });

  it('refuses a second discount and discounts together with promotion-code entry', async () => {
    expectError(await create({ discounts: [{ coupon: 'coupon_welcome10' }, { coupon: 'coupon_save50_egp' }] }), 400, 'too_many_discounts', 'discounts');
    expectError(await create({ allowPromotionCodes: true, discounts: [{ coupon: 'coupon_welcome10' }] }), 400, 'parameters_exclusive', 'discounts');
    expectError(await create({ discounts: [{ coupon: 'coupon_welcome10', promotionCode: 'WELCOME10' }] }), 400, 'parameters_exclusive', 'discounts[0].coupon');
    expectError(await create({ discounts: [{}] }), 400, 'parameter_missing', 'discounts[0].coupon');
  });

  it('answers each coupon and promotion code rule with its own code', async () => {
    const d = (x: Record<string, string>, lineItems = [adHoc(100000)], extra = {}) => create({ lineItems, discounts: [x], ...extra });
    expectError(await d({ coupon: 'coupon_winter20' }), 400, 'coupon_invalid', 'discounts[0].coupon');
    expectError(await d({ coupon: 'coupon_launch30' }), 400, 'coupon_invalid', 'discounts[0].coupon');
    expectError(await d({ coupon: 'coupon_coffee20' }), 400, 'coupon_invalid', 'discounts[0].coupon');
    expectError(await d({ coupon: 'coupon_save5_usd' }), 400, 'coupon_currency_mismatch', 'discounts[0].coupon');
    expectError(await d({ coupon: 'coupon_save50_egp' }, [adHoc(20000)]), 400, 'coupon_minimum_amount', 'discounts[0].coupon');
    expectError(await d({ promotionCode: 'PAUSED10' }), 400, 'promotion_code_inactive', 'discounts[0].promotionCode');
    expectError(await d({ promotionCode: 'WELCOME2025' }), 400, 'promotion_code_expired', 'discounts[0].promotionCode');
    expectError(await d({ promotionCode: 'VIPAMINA' }), 400, 'promotion_code_customer_mismatch', 'discounts[0].promotionCode');
    expect((await d({ promotionCode: 'VIPAMINA' }, [adHoc(100000)], { customerId: 'cus_demo_amina' })).status).toBe(201);
    expectError(await d({ promotionCode: 'BIGSPENDER' }, [adHoc(99999)]), 400, 'promotion_code_minimum_amount', 'discounts[0].promotionCode');
    expectError(await d({ promotionCode: 'WINTER20' }), 400, 'coupon_invalid', 'discounts[0].promotionCode');
  });

  it('discounts only the products a coupon is restricted to', async () => {
    const res = await create({ lineItems: [{ price: 'price_coffee_beans_egp', quantity: 1 }, { price: 'price_tshirt_egp', quantity: 1 }], discounts: [{ coupon: 'coupon_coffee20' }] });
    expect(res.body.lineItems.map((l: { amountDiscount: number }) => l.amountDiscount)).toEqual([17000, 0]);
    expect(res.body.amountTotal).toBe(85000 + 49900 - 17000);
  });
});

describe('updating a checkout session', () => {
  it('replaces line items and recomputes the totals', async () => {
    const s = (await create({ discounts: [{ coupon: 'coupon_welcome10' }] })).body;
    const res = await sim.patch(`/checkout/sessions/${s.id}`, { lineItems: [adHoc(20000), { price: 'price_tshirt_egp', quantity: 2 }] });
    expect(res.status).toBe(200);
    expect(res.body.lineItems).toHaveLength(2);
    expect(res.body).toMatchObject({ amountSubtotal: 119800, totalDetails: { amountDiscount: 11980 }, amountTotal: 107820 });
    expect(res.body.clientSecret).toBe(s.clientSecret);
  });

  it('changes only the fields sent; an empty body changes nothing', async () => {
    const s = (await create({ metadata: { a: '1', b: '2' } })).body;
    expect((await sim.patch(`/checkout/sessions/${s.id}`, {})).body).toEqual(s);
    // XPay's contract lets lineItems be null on update: the lines stay.
    const kept = await sim.patch(`/checkout/sessions/${s.id}`, { lineItems: null });
    expect(kept.status).toBe(200);
    expect(kept.body.lineItems).toEqual(s.lineItems);
    const res = await sim.patch(`/checkout/sessions/${s.id}`, { metadata: { b: null, c: '3' }, locale: 'ar', afterCompletion: { type: 'hosted_confirmation' } });
    expect(res.body).toMatchObject({ metadata: { a: '1', c: '3' }, locale: 'ar', afterCompletion: { type: 'hosted_confirmation' }, amountTotal: s.amountTotal });
  });

  it('refuses fields fixed at creation with 400', async () => {
    const s = (await create({})).body;
    for (const field of ['currency', 'uiMode', 'mode', 'submitType', 'expiresAfterMinutes']) {
      expectError(await sim.patch(`/checkout/sessions/${s.id}`, { [field]: field === 'expiresAfterMinutes' ? 60 : 'EGP' }), 400, 'parameter_unknown', field);
    }
  });

  it('re-applies the creation rules to the merged session', async () => {
    const s = (await create({ customerId: 'cus_demo_omar' })).body;
    expectError(await sim.patch(`/checkout/sessions/${s.id}`, { customerDetails: { email: 'x@y.co' } }), 400, 'parameters_exclusive', 'customerId');
    expectError(await sim.patch(`/checkout/sessions/${s.id}`, { lineItems: [adHoc(100, 'USD')] }), 400, 'parameter_invalid', 'lineItems[0].priceData.currency');
    const moved = await sim.patch(`/checkout/sessions/${s.id}`, { customerId: null, customerDetails: { email: 'x@y.co' } });
    expect(moved.body).toMatchObject({ customerId: null, customerDetails: { email: 'x@y.co' } });
    expect(moved.body.customer).toBeUndefined();
  });

  it('drops a discount the new cart no longer qualifies for', async () => {
    const s = (await create({ lineItems: [adHoc(40000)], discounts: [{ coupon: 'coupon_save50_egp' }] })).body;
    const res = await sim.patch(`/checkout/sessions/${s.id}`, { lineItems: [adHoc(10000)] });
    expect(res.body.discounts).toEqual([]);
    expect(res.body.amountTotal).toBe(10000);
  });

  it('answers 409 once the session is no longer open, and 404 for an unknown id', async () => {
    const s = (await create({})).body;
    await sim.post(`/checkout/sessions/${s.id}/expire`);
    expectError(await sim.patch(`/checkout/sessions/${s.id}`, { locale: 'ar' }), 409, 'resource_invalid_state');
    expectError(await sim.patch('/checkout/sessions/cs_test_nope', { locale: 'ar' }), 404, 'resource_missing', 'id');
  });
});

describe('expiring a checkout session', () => {
  it('expires an open session once, emits checkout.session.expired, and refuses a second time with 409', async () => {
    const s = (await create({})).body;
    const res = await sim.post(`/checkout/sessions/${s.id}/expire`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: s.id, status: 'expired', isExpired: true, paymentStatus: 'unpaid' });
    expect((await sim.get(`/checkout/sessions/${s.id}`)).body.status).toBe('expired');
    expectError(await sim.post(`/checkout/sessions/${s.id}/expire`), 409, 'resource_invalid_state');
    expect(events('checkout.session.expired').map((e) => (e.data as { object: { id: string } }).object.id)).toEqual([s.id]);
  });

  it('accepts the empty-array body PHP clients send', async () => {
    const s = (await create({})).body;
    const res = await sim.request('POST', `/checkout/sessions/${s.id}/expire`, { rawBody: '[]', headers: { 'Content-Type': 'application/json' } });
    expect(res.body.status).toBe('expired');
  });

  it('answers 404 for an unknown session', async () => {
    expectError(await sim.post('/checkout/sessions/cs_test_nope/expire'), 404, 'resource_missing', 'id');
    expectError(await sim.get('/checkout/sessions/cs_test_nope'), 404, 'resource_missing', 'id');
  });

  it('expires open sessions by the clock when expiresAt passes, with one event each', async () => {
    const short = (await create({ expiresAfterMinutes: 30 })).body;
    const long = (await create({})).body;
    ns().clock.advance(30 * 60_000);
    const got = await sim.get(`/checkout/sessions/${short.id}`);
    expect(got.body).toMatchObject({ status: 'expired', isExpired: true });
    expect((await sim.get(`/checkout/sessions/${long.id}`)).body.status).toBe('open');
    ns().clock.advance(24 * 3_600_000);
    await sim.get('/account');
    expect(events('checkout.session.expired').map((e) => (e.data as { object: { id: string } }).object.id)).toEqual([short.id, long.id]);
    expectError(await sim.post(`/checkout/sessions/${long.id}/expire`), 409, 'resource_invalid_state');
  });
});

describe("what XPay's own integrations rely on", () => {
  it('gives uiMode custom sessions url null (Elements render on the merchant page); hosted and embedded keep theirs', async () => {
    const custom = await create({ uiMode: 'custom' });
    expect(custom.status).toBe(201);
    expect(custom.body.url).toBeNull();
    expect((await sim.get(`/checkout/sessions/${custom.body.id}`)).body.url).toBeNull();
    expect((await sim.patch(`/checkout/sessions/${custom.body.id}`, { locale: 'ar' })).body.url).toBeNull();
    expect((await sim.post(`/checkout/sessions/${custom.body.id}/expire`)).body.url).toBeNull();
    const hosted = (await create({})).body;
    expect(hosted.url).toBe(`${sim.url}/c/${namespaceToken(sim.sim, TEST_KEY)}/${hosted.id}`);
    const embedded = (await create({ uiMode: 'embedded' })).body;
    expect(embedded.url).toBe(`${sim.url}/c/${namespaceToken(sim.sim, TEST_KEY)}/${embedded.id}`);
  });

  it('a custom session is still payable: by the SDK frame (/c/{ns}/{id}?embed=true) and by /_sim/.../pay, not by a plain page visit', async () => {
    const s = (await create({ uiMode: 'custom' })).body;
    const page = `${sim.url}/c/${namespaceToken(sim.sim, TEST_KEY)}/${s.id}`;
    expect((await fetch(page)).status).toBe(404);
    expect((await fetch(`${page}?embed=true`)).status).toBe(200);
    const paid = await sim.post(`/_sim/checkout/sessions/${s.id}/pay`, { card: { number: '4242424242424242', expMonth: 12, expYear: 2030, cvc: '123' }, customerDetails: { email: 'elements@example.com' } });
    expect(paid.status).toBe(200);
    expect(paid.body).toMatchObject({ status: 'complete', paymentStatus: 'paid', url: null });
  });

  it('takes session metadata as an object or an array, on create and update, and returns it as given', async () => {
    const list = [{ sku: 'A-1', qty: 2 }, 'gift', 7];
    const created = await create({ metadata: list });
    expect(created.status).toBe(201);
    expect(created.body.metadata).toEqual(list);
    expect((await sim.get(`/checkout/sessions/${created.body.id}`)).body.metadata).toEqual(list);
    const nested = { wc_order_id: '42', cart: { lines: [1, 2] } };
    const updated = await sim.patch(`/checkout/sessions/${created.body.id}`, { metadata: nested });
    expect(updated.status).toBe(200);
    expect(updated.body.metadata).toEqual(nested);
    const back = await sim.patch(`/checkout/sessions/${created.body.id}`, { metadata: ['x'] });
    expect(back.body.metadata).toEqual(['x']);
    expect((await create({ metadata: [] })).body.metadata).toEqual([]);
    // Other resources keep the contract's object-only metadata.
    expectError(await sim.post('/customers', { email: 'arr@example.com', metadata: ['x'] }), 400, 'parameter_invalid', 'metadata');
  });

  it('copies array metadata onto the payment intent at the first payment attempt', async () => {
    const s = (await create({ metadata: ['order', 42] })).body;
    const paid = await sim.post(`/_sim/checkout/sessions/${s.id}/pay`, { card: { number: '4242424242424242', expMonth: 12, expYear: 2030, cvc: '123' }, customerDetails: { email: 'arr@example.com' } });
    expect(paid.status).toBe(200);
    expect(paid.body.paymentIntent.metadata).toEqual(['order', 42]);
  });

  it('ignores customerUpdate without customerId (create and update) instead of refusing it', async () => {
    const res = await create({ customerUpdate: { name: 'auto', address: 'auto' }, customerDetails: { email: 'nour@example.com' } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ customerId: null, customerUpdate: null });
    const patched = await sim.patch(`/checkout/sessions/${res.body.id}`, { customerUpdate: { name: 'auto' } });
    expect(patched.status).toBe(200);
    expect(patched.body.customerUpdate).toBeNull();
    // With customerId it is kept and applies.
    const known = await sim.patch(`/checkout/sessions/${res.body.id}`, { customerDetails: null, customerId: 'cus_demo_amina', customerUpdate: { name: 'auto' } });
    expect(known.status).toBe(200);
    expect(known.body.customerUpdate).toMatchObject({ name: 'auto' });
  });

  it('lists apple_pay and google_pay under the digital_wallet category', async () => {
    const s = (await create({})).body;
    const byType = Object.fromEntries(s.paymentMethodTypes.map((m: { type: string; category: string }) => [m.type, m.category]));
    expect(byType).toMatchObject({ apple_pay: 'digital_wallet', google_pay: 'digital_wallet', card: 'card' });
    const pinned = (await create({ paymentMethodTypes: ['apple_pay'] })).body;
    expect(pinned.paymentMethodTypes).toMatchObject([{ type: 'apple_pay', displayName: 'Apple Pay', category: 'digital_wallet' }]);
  });

  it('names samsung_pay a digital_wallet too (a method no fixture account enables yet)', () => {
    expect(renderMethodType('samsung_pay')).toMatchObject({ type: 'samsung_pay', displayName: 'Samsung Pay', category: 'digital_wallet' });
  });
});
