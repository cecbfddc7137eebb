import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectError, startTestSim, TEST_KEY, type TestSim } from '../helpers/sim.js';

let sim: TestSim;
beforeEach(async () => {
  sim = await startTestSim();
});
afterEach(() => sim.close());

const after = { type: 'hosted_confirmation', hostedConfirmation: { customMessage: 'Thank you!' } };
const create = (body: Record<string, unknown> = {}) =>
  sim.post('/payment-links', { lineItems: [{ priceId: 'price_coffee_beans_egp', quantity: 2 }], afterCompletion: after, ...body });
const ns = () => sim.sim.namespaces.get(TEST_KEY)!;

describe('payment links', () => {
  it('creates a link whose amount and currency come from its line items', async () => {
    const res = await create({ lineItems: [{ priceId: 'price_coffee_beans_egp', quantity: 2 }, { priceId: 'price_tshirt_egp', quantity: 1, adjustableQuantity: { enabled: true, maximum: 5 } }] });
    expect(res.status).toBe(201);
    expect(res.body.id).toMatch(/^plink_[A-Za-z0-9]{22}$/);
    expect(res.body).toMatchObject({
      object: 'payment_link', active: true, currency: 'EGP', computedAmount: 85000 * 2 + 49900, submitType: 'PAY', customerCreation: 'if_required',
      allowPromotionCodes: false, nameCollection: false, afterCompletion: after, customFields: [], metadata: {}, feeConfig: null, brandingSettings: null,
      createdAt: '2026-03-01T10:00:00.000Z',
    });
    expect(res.body.expiresAt).toBeUndefined();
    expect(res.body.lineItems[1]).toMatchObject({ quantity: 1, adjustableQuantity: { enabled: true, minimum: 1, maximum: 5 }, price: { id: 'price_tshirt_egp', product: { name: 'Nile Cotton T-Shirt' } } });
    expect((await sim.get(`/payment-links/${res.body.id}`)).body).toEqual(res.body);
    // The link page's URL (XPay's object has no URL field) names the namespace by an opaque token.
    expect(res.headers.get('xpay-sim-page-url')).toMatch(new RegExp(`^${sim.sim.publicUrl}/p/ns_[A-Za-z0-9_-]{22}/${res.body.id}$`));
  });

  it('marks its prices used so they cannot be deleted', async () => {
    await create();
    expectError(await sim.del('/prices/price_coffee_beans_egp'), 400, 'resource_invalid_state');
  });

  it('refuses mixed currencies, unknown prices and unsellable prices', async () => {
    expectError(await create({ lineItems: [{ priceId: 'price_coffee_beans_egp', quantity: 1 }, { priceId: 'price_coffee_beans_usd', quantity: 1 }] }), 400, 'parameter_invalid', 'lineItems[1].priceId');
    expectError(await create({ lineItems: [{ priceId: 'price_nope', quantity: 1 }] }), 404, 'resource_missing', 'lineItems[0].priceId');
    expectError(await create({ lineItems: [{ priceId: 'price_coffee_beans_egp', quantity: 1 }, { priceId: 'price_nope', quantity: 1 }] }), 404, 'resource_missing', 'lineItems[1].priceId');
    expectError(await create({ lineItems: [{ priceId: 'price_streaming_monthly_egp', quantity: 1 }] }), 400, 'price_recurring_not_supported', 'lineItems[0].priceId');
    expectError(await create({ lineItems: [] }), 400, 'parameter_out_of_range', 'lineItems');
    expectError(await create({ lineItems: [{ priceId: 'price_tshirt_egp', quantity: 3, adjustableQuantity: { enabled: true, maximum: 2 } }] }), 400, 'line_item_quantity_out_of_bounds', 'lineItems[0].quantity');
  });

  it('checks the after-completion settings', async () => {
    expectError(await create({ afterCompletion: { type: 'redirect' } }), 400, 'parameter_missing', 'afterCompletion.redirect.url');
    expectError(await create({ afterCompletion: undefined }), 400, 'parameter_missing', 'afterCompletion');
    const ok = await create({ afterCompletion: { type: 'redirect', redirect: { url: 'https://shop.example/thanks?cs={CHECKOUT_SESSION_ID}' } } });
    expect(ok.body.afterCompletion.redirect.url).toBe('https://shop.example/thanks?cs={CHECKOUT_SESSION_ID}');
  });

  it('keeps custom fields, fee settings, branding, metadata and a future expiry', async () => {
    const res = await create({
      customFields: [{ label: 'Company', type: 'TEXT', isOptional: true }], feeConfig: { feesPassThrough: true, vatCollectionEnabled: false },
      brandingSettings: { colors: { primary: '#abcdef' } }, metadata: { campaign: 'eid' }, expiresAt: '2026-04-01T00:00:00Z', submitType: 'DONATE', allowPromotionCodes: true,
    });
    expect(res.body).toMatchObject({
      customFields: [{ key: 'company', label: 'Company', type: 'TEXT', isOptional: true }], feeConfig: { feesPassThrough: true, vatCollectionEnabled: false, vatCollectionRate: null },
      brandingSettings: { colors: { primary: '#abcdef' } }, metadata: { campaign: 'eid' }, expiresAt: '2026-04-01T00:00:00.000Z', submitType: 'DONATE', allowPromotionCodes: true,
    });
    expectError(await create({ expiresAt: '2026-02-01T00:00:00Z' }), 400, 'parameter_invalid', 'expiresAt');
    expectError(await create({ expiresAt: 'soon' }), 400, 'parameter_invalid', 'expiresAt');
    expectError(await create({ customFields: [{ label: 'A', type: 'TEXT', isOptional: false }, { label: 'B', type: 'TEXT', isOptional: false }, { label: 'C', type: 'TEXT', isOptional: false }, { label: 'D', type: 'TEXT', isOptional: false }] }), 400, 'parameter_out_of_range', 'customFields');
  });

  it('answers 404 for an unknown link', async () => {
    expectError(await sim.get('/payment-links/plink_nope'), 404, 'resource_missing', 'id');
    expectError(await sim.patch('/payment-links/plink_nope', { active: false }), 404, 'resource_missing', 'id');
  });
});

describe('updating a payment link', () => {
  it('changes only the fields sent', async () => {
    const link = (await create({ metadata: { a: '1' } })).body;
    const res = await sim.patch(`/payment-links/${link.id}`, { active: false, metadata: { b: '2' } });
    expect(res.body).toMatchObject({ active: false, metadata: { a: '1', b: '2' }, computedAmount: link.computedAmount, lineItems: link.lineItems });
  });

  it('replaces line items and recomputes amount and currency', async () => {
    const link = (await create()).body;
    const res = await sim.patch(`/payment-links/${link.id}`, { lineItems: [{ priceId: 'price_workshop_usd', quantity: 3 }] });
    expect(res.body).toMatchObject({ currency: 'USD', computedAmount: 14700 });
    expect(res.body.lineItems).toHaveLength(1);
    expectError(await sim.patch(`/payment-links/${link.id}`, { lineItems: [{ priceId: 'price_workshop_usd', quantity: 1 }, { priceId: 'price_workshop_kwd', quantity: 1 }] }), 400, 'parameter_invalid', 'lineItems[1].priceId');
    expectError(await sim.patch(`/payment-links/${link.id}`, { lineItems: [{ priceId: 'price_nope', quantity: 1 }] }), 404, 'resource_missing', 'lineItems[0].priceId');
  });

  it('replaces custom fields ([] removes all) and after-completion, and removes expiry with null', async () => {
    const link = (await create({ customFields: [{ label: 'Company', type: 'TEXT', isOptional: false }], expiresAt: '2026-04-01T00:00:00.000Z' })).body;
    const res = await sim.patch(`/payment-links/${link.id}`, { customFields: [], expiresAt: null, afterCompletion: { type: 'redirect', redirect: { url: 'https://shop.example/ok' } } });
    expect(res.body.customFields).toEqual([]);
    expect(res.body.expiresAt).toBeUndefined();
    expect(res.body.afterCompletion).toEqual({ type: 'redirect', redirect: { url: 'https://shop.example/ok' } });
    expect(res.body.updatedAt).toBe('2026-03-01T10:00:00.000Z');
  });
});

describe('listing payment links', () => {
  async function seed() {
    const day = 86_400_000;
    const made: Record<string, string> = {};
    const add = async (name: string, lineItems: unknown[], extra: Record<string, unknown> = {}) => {
      made[name] = (await create({ lineItems, ...extra })).body.id;
    };
    await sim.get('/account'); // creates the namespace
    ns().clock.set('frozen', Date.parse('2026-01-10T12:00:00.000Z'));
    await add('coffee', [{ priceId: 'price_coffee_beans_egp', quantity: 1 }]); // 85000
    ns().clock.advance(20 * day); // 2026-01-30
    await add('shirts', [{ priceId: 'price_tshirt_egp', quantity: 2 }]); // 99800
    ns().clock.advance(20 * day); // 2026-02-19
    await add('workshop', [{ priceId: 'price_workshop_usd', quantity: 1 }]); // 4900 USD
    ns().clock.advance(10 * day); // 2026-03-01 12:00
    await add('donation', [{ priceId: 'price_donation_egp', quantity: 1 }]); // 50000
    await sim.patch(`/payment-links/${made.shirts}`, { active: false });
    return made;
  }
  const ids = (res: { body: { data: Array<{ id: string }> } }) => res.body.data.map((l) => l.id);

  it('lists newest first with totalCount and page/limit', async () => {
    const m = await seed();
    const all = await sim.get('/payment-links');
    expect(ids(all)).toEqual([m.donation, m.workshop, m.shirts, m.coffee]);
    expect(all.body.totalCount).toBe(4);
    expect(Object.keys(all.body.data[0]).sort()).toEqual(['active', 'afterCompletion', 'computedAmount', 'createdAt', 'currency', 'id', 'lineItems', 'merchantId', 'submitType', 'updatedAt']);
    const page2 = await sim.get('/payment-links?limit=3&page=2');
    expect(ids(page2)).toEqual([m.coffee]);
    expect(page2.body.totalCount).toBe(4);
    expectError(await sim.get('/payment-links?limit=0'), 400, 'parameter_out_of_range', 'limit');
  });

  it('filters by active and searches product name, description and unit label', async () => {
    const m = await seed();
    expect(ids(await sim.get('/payment-links?active=false'))).toEqual([m.shirts]);
    expect(ids(await sim.get('/payment-links?active=true'))).toEqual([m.donation, m.workshop, m.coffee]);
    expect(ids(await sim.get('/payment-links?search=ARABICA'))).toEqual([m.coffee]);
    expect(ids(await sim.get('/payment-links?search=seat,choose how'))).toEqual([m.donation, m.workshop]);
    expect(ids(await sim.get('/payment-links?search=piece'))).toEqual([m.shirts]);
    expectError(await sim.get('/payment-links?active=maybe'), 400, 'parameter_invalid', 'active');
  });

  it('filters by amount with eq, bt, gt and lt', async () => {
    const m = await seed();
    expect(ids(await sim.get('/payment-links?amount=eq:85000'))).toEqual([m.coffee]);
    expect(ids(await sim.get('/payment-links?amount=bt:50000,85000'))).toEqual([m.donation, m.coffee]);
    expect(ids(await sim.get('/payment-links?amount=gt:85000'))).toEqual([m.shirts]);
    expect(ids(await sim.get('/payment-links?amount=lt:50000'))).toEqual([m.workshop]);
    for (const bad of ['85000', 'eq:', 'bt:5', 'gt:1.5', 'ne:5', 'bt:9,1']) {
      expectError(await sim.get(`/payment-links?amount=${bad}`), 400, 'parameter_invalid', 'amount');
    }
  });

  it('filters by creation date: last, eq, bt, after and before, in a timezone', async () => {
    const m = await seed();
    expect(ids(await sim.get('/payment-links?date=last:7,days'))).toEqual([m.donation]);
    expect(ids(await sim.get('/payment-links?date=last:2,weeks'))).toEqual([m.donation, m.workshop]);
    expect(ids(await sim.get('/payment-links?date=last:1,months'))).toEqual([m.donation, m.workshop]);
    expect(ids(await sim.get('/payment-links?date=eq:2026-01-30'))).toEqual([m.shirts]);
    expect(ids(await sim.get('/payment-links?date=bt:2026-01-10,2026-01-30'))).toEqual([m.shirts, m.coffee]);
    expect(ids(await sim.get('/payment-links?date=after:2026-01-30'))).toEqual([m.donation, m.workshop]);
    expect(ids(await sim.get('/payment-links?date=before:2026-01-30'))).toEqual([m.coffee]);
    // 12:00 UTC on 2026-01-10 is still the 10th in Cairo, but already the 11th at +14:00.
    expect(ids(await sim.get('/payment-links?date=eq:2026-01-10&timezone=Africa/Cairo'))).toEqual([m.coffee]);
    expect(ids(await sim.get('/payment-links?date=eq:2026-01-11&timezone=%2B14:00'))).toEqual([m.coffee]);
    for (const bad of ['yesterday', 'last:7', 'last:7,years', 'eq:2026-02-30', 'bt:2026-02-01', 'after:soon', 'bt:2026-02-02,2026-02-01']) {
      expectError(await sim.get(`/payment-links?date=${bad}`), 400, 'parameter_invalid', 'date');
    }
    expectError(await sim.get('/payment-links?date=eq:2026-01-10&timezone=Mars/Olympus'), 400, 'parameter_invalid', 'timezone');
  });

  it('accepts IANA names, UTC and offsets within ±14:00 as timezone, and refuses anything else', async () => {
    await seed();
    const accepted = ['UTC', 'Z', 'Africa/Cairo', 'America/Argentina/Buenos_Aires', 'Etc/GMT+5', '+02:00', '-0530', '+14:00', '-12:00', '-14:00', '+00:00'];
    for (const tz of accepted) {
      const res = await sim.get(`/payment-links?date=last:7,days&timezone=${encodeURIComponent(tz)}`);
      expect(res.status, tz).toBe(200);
    }
    const refused = ['+99:00', '-9999', '+14:01', '-15:00', '+02:60', '+2:00', '02:00', 'Mars/Olympus', '../etc', 'Africa/Cairo ', '+02:00:00'];
    for (const tz of refused) {
      const err = expectError(await sim.get(`/payment-links?timezone=${encodeURIComponent(tz)}`), 400, 'parameter_invalid', 'timezone');
      expect(err.message, tz).toContain('timezone');
    }
  });

  it('combines filters', async () => {
    const m = await seed();
    expect(ids(await sim.get('/payment-links?active=true&amount=gt:10000&date=after:2026-01-01&search=coffee,donation'))).toEqual([m.donation, m.coffee]);
  });
});

describe('the payment link list index', () => {
  it('follows a collection replaced behind its back (snapshot restore, reset)', async () => {
    const a = (await create()).body;
    const b = (await create()).body;
    expect((await sim.get('/payment-links')).body.totalCount).toBe(2);
    const links = ns().db.paymentLinks;
    ns().db = { ...ns().db, paymentLinks: new Map([[a.id, links.get(a.id)!]]) };
    const after = await sim.get('/payment-links');
    expect(after.body.data.map((l: { id: string }) => l.id)).toEqual([a.id]);
    await sim.patch(`/payment-links/${a.id}`, { active: false });
    expect((await sim.get('/payment-links?active=false')).body.totalCount).toBe(1);
    expectError(await sim.get(`/payment-links/${b.id}`), 404, 'resource_missing', 'id');
  });
});
