// The browser SDK's client endpoints (/_sdk/*) and /v1/sdk.js over HTTP: publishable-key auth and
// its tenant boundary, the session view, cart actions, confirm outcomes, CORS and the served script.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectError, startTestSim, TEST_KEY, type TestSim } from '../helpers/sim.js';
import { createSession, DECLINED_CARD, THREE_DS_CARD } from '../helpers/pages.js';

const PK = 'pk_test_xpaysim_tests';
const CARD = { number: '4242424242424242', expMonth: 1, expYear: 2039, cvc: '100', name: 'Amina Hassan' };

let sim: TestSim;
beforeEach(async () => {
  sim = await startTestSim();
});
afterEach(async () => {
  await sim.close();
});

const view = (secret: string, key: string | null = PK) => sim.get(`/_sdk/checkout-session?clientSecret=${encodeURIComponent(secret)}`, { key });
const confirm = (body: Record<string, unknown>, headers: Record<string, string> = {}) => sim.post('/_sdk/checkout-session/confirm', body, { key: PK, headers });
const custom = (overrides: Record<string, unknown> = {}, key?: string) => createSession(sim, { uiMode: 'custom', allowPromotionCodes: true, ...overrides }, key);

describe('publishable key and clientSecret', () => {
  it('answers the SDK session view and the frames of the session of the pk_ key\'s namespace', async () => {
    const s = await custom();
    const res = await view(s.clientSecret);
    expect(res.status).toBe(200);
    expect(res.body.session).toMatchObject({ id: s.id, status: { type: 'open' }, canConfirm: true, amountTotal: 149900, currency: 'EGP', livemode: false, fees: null, discounts: [] });
    expect(res.body.frames.checkout).toMatch(new RegExp(`^${sim.url}/c/ns_[\\w-]{22}/${s.id}\\?embed=true$`));
    expect(res.body.frames.element).toBe(res.body.frames.checkout.replace('?embed=true', '/element?embed=true'));
  });

  it('refuses a missing or malformed key (401), a secret key (403) and a bad clientSecret (400)', async () => {
    const s = await custom();
    expectError(await view(s.clientSecret, null), 401, 'authentication_required');
    expectError(await view(s.clientSecret, 'pk_nope'), 401, 'authentication_required');
    expectError(await view(s.clientSecret, TEST_KEY), 403, 'permission_denied');
    expectError(await view('cs_test_abc'), 400, 'parameter_invalid', 'clientSecret');
  });

  it("never reaches another tenant's session, and refuses a key of the other mode", async () => {
    const mine = await custom();
    const theirs = await custom({}, 'sk_test_other_team');
    expectError(await view(theirs.clientSecret), 404, 'resource_missing', 'clientSecret');
    expect((await view(theirs.clientSecret, 'pk_test_other_team')).body.session.id).toBe(theirs.id);
    expectError(await view(mine.clientSecret, 'pk_live_xpaysim_tests'), 400, 'parameter_invalid', 'clientSecret');
    // Looking a session up creates no namespace for an unknown pk_ suffix.
    const before = sim.sim.namespaces.size;
    expectError(await view(mine.clientSecret, 'pk_test_nobody'), 404, 'resource_missing');
    expect(sim.sim.namespaces.size).toBe(before);
  });

  it('answers 200 for expired and completed sessions, with status.type saying which', async () => {
    const expired = await custom();
    await sim.post(`/checkout/sessions/${expired.id}/expire`);
    expect((await view(expired.clientSecret)).body.session).toMatchObject({ status: { type: 'expired' }, canConfirm: false });
    const paid = await custom();
    expect((await confirm({ clientSecret: paid.clientSecret, card: CARD, customerDetails: { email: 'a@example.com' } })).body.outcome).toBe('succeeded');
    expect((await view(paid.clientSecret)).body.session).toMatchObject({ status: { type: 'complete', paymentStatus: 'paid' }, canConfirm: false });
  });
});

describe('cart actions', () => {
  it('applies and removes a promotion code and changes a quantity through the same rules as the API', async () => {
    await sim.post('/_sim/coupons', { amountOff: 10000, currency: 'EGP', promotionCodes: [{ code: 'TENNER' }] });
    const s = await custom({ lineItems: [{ priceData: { currency: 'EGP', unitAmount: 50000, productData: { name: 'Mug' } }, quantity: 1, adjustableQuantity: { enabled: true, minimum: 1, maximum: 3 } }] });
    const applied = await sim.post('/_sdk/checkout-session/promotion-code', { clientSecret: s.clientSecret, code: 'tenner' }, { key: PK });
    expect(applied.body.session).toMatchObject({ amountTotal: 40000, discounts: [{ promotionCodeCode: 'TENNER' }] });
    expectError(await sim.post('/_sdk/checkout-session/promotion-code', { clientSecret: s.clientSecret, code: 'NOPE' }, { key: PK }), 400, 'promotion_code_not_found');
    const removed = await sim.del(`/_sdk/checkout-session/promotion-code?clientSecret=${s.clientSecret}`, { key: PK });
    expect(removed.body.session.amountTotal).toBe(50000);
    const more = await sim.post(`/_sdk/checkout-session/line-items/${s.lineItems[0].id}`, { clientSecret: s.clientSecret, quantity: 3 }, { key: PK });
    expect(more.body.session.amountTotal).toBe(150000);
    expectError(await sim.post(`/_sdk/checkout-session/line-items/${s.lineItems[0].id}`, { clientSecret: s.clientSecret, quantity: 4 }, { key: PK }), 400, 'line_item_quantity_out_of_bounds', 'quantity');
    expect((await sim.get(`/checkout/sessions/${s.id}`)).body.amountTotal).toBe(150000);
  });
});

describe('confirm', () => {
  it('reports a decline with its codes and a 3-D Secure action as outcomes, then pays', async () => {
    const s = await custom();
    const declined = await confirm({ clientSecret: s.clientSecret, card: { ...CARD, number: DECLINED_CARD.replace(/ /g, '') }, customerDetails: { email: 'a@example.com' } });
    expect(declined.body).toMatchObject({ outcome: 'failed', error: { type: 'card_error', code: 'card_declined', declineCode: 'insufficient_funds' }, session: { status: { type: 'open' } } });
    const challenged = await confirm({ clientSecret: s.clientSecret, card: { ...CARD, number: THREE_DS_CARD.replace(/ /g, '') } });
    expect(challenged.body.outcome).toBe('requires_action');
    expect(challenged.body.actionUrl).toMatch(new RegExp(`^${sim.url}/3ds/ns_[\\w-]{22}/${s.id}/ch_test_\\w+\\?embed=true$`));
    expect(challenged.body.session.canConfirm).toBe(false);
    expect((await fetch(challenged.body.actionUrl)).status).toBe(200);
  });

  it('takes card data only from the simulator\'s own origin, and rejects an invalid card as card_error', async () => {
    const s = await custom();
    expectError(await confirm({ clientSecret: s.clientSecret, card: CARD }, { Origin: 'https://shop.example' }), 403, 'permission_denied');
    const own = await confirm({ clientSecret: s.clientSecret, card: CARD, customerDetails: { email: 'a@example.com' } }, { Origin: sim.url });
    expect(own.body).toMatchObject({ outcome: 'succeeded', redirectUrl: `https://shop.example/done?session=${s.id}` });
    expect(own.body.paymentIntentId).toMatch(/^pi_test_/);
    const other = await custom();
    const bad = await confirm({ clientSecret: other.clientSecret, card: { ...CARD, number: '4242424242424241' }, customerDetails: { email: 'a@example.com' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.type).toBe('card_error');
  });
});

describe('CORS and the script', () => {
  it('lets any origin read client endpoint answers, errors included, and preflights only them', async () => {
    const res = await fetch(`${sim.url}/_sdk/checkout-session?clientSecret=x`, { headers: { Origin: 'https://shop.example' } });
    expect(res.status).toBe(401);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    const preflight = await fetch(`${sim.url}/_sdk/checkout-session`, { method: 'OPTIONS', headers: { Origin: 'https://shop.example', 'Access-Control-Request-Method': 'GET' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-methods')).toBe('GET');
    const api = await fetch(`${sim.url}/customers`, { headers: { Origin: 'https://shop.example', Authorization: `Bearer ${TEST_KEY}` } });
    expect(api.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('serves /v1/sdk.js as JavaScript with the public URL written in', async () => {
    const other = await startTestSim({ publicUrl: 'https://sim.ci.example' });
    try {
      const res = await fetch(`${other.url}/v1/sdk.js`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/javascript; charset=utf-8');
      expect(res.headers.get('cache-control')).toBe('no-cache');
      const text = await res.text();
      expect(text).toContain('"https://sim.ci.example"');
      expect(text).not.toContain('__XPAY_SIM_PUBLIC_URL__');
      expect(text).not.toMatch(/\bimport\s*\(|\brequire\(/);
    } finally {
      await other.close();
    }
  });
});
