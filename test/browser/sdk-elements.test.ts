// XPay Elements (initCheckout / elements + the payment element) against the simulator in Chromium:
// a merchant page on its own origin drives promotion codes, quantities, card payments with
// declines and 3-D Secure, redirect "always", expired sessions, appearance and locale.
import { describe, expect, it } from 'vitest';
import type { FrameLocator } from 'playwright-core';
import { createSession, DECLINED_CARD, GOOD_CARD, THREE_DS_CARD, THREE_DS_FAILS_CARD } from '../helpers/pages.js';
import { hasChromium } from '../helpers/chromium.js';
import { expectPaidAndNotified, pageLog, TEST_PK, useSdkBrowser } from '../helpers/sdk-browser.js';
import { merchantPage } from '../helpers/merchant-site.js';
import { stringsFor } from '../../src/pages/i18n.js';


describe.skipIf(!hasChromium)('Elements in Chromium', () => {
  const env = useSdkBrowser();
  const { log, named, waitFor: waitForLog } = pageLog(env);

  const customSession = (overrides: Record<string, unknown> = {}) => createSession(env.sim, {
    uiMode: 'custom', allowPromotionCodes: true,
    afterCompletion: { type: 'redirect', redirect: { url: `${env.site.url}/done?session={CHECKOUT_SESSION_ID}` } },
    lineItems: [{ priceData: { currency: 'EGP', unitAmount: 10000, productData: { name: 'Tea' } }, quantity: 2, adjustableQuantity: { enabled: true, minimum: 1, maximum: 5 } }],
    ...overrides,
  });
  const run = <T>(code: string): Promise<T> => env.page.evaluate(`(async () => { ${code} })()`) as Promise<T>;

  /** The page of XPay's Elements example: initCheckout, then the payment element mounted and listened to. */
  async function openElementsPage(clientSecret: string, options = ''): Promise<FrameLocator> {
    await env.page.goto(env.site.page('/elements', merchantPage(`${env.sim.url}/v1/sdk.js`, `
      const xpay = XPay('${TEST_PK}');
      window.ready = xpay.initCheckout({ clientSecret: Promise.resolve('${clientSecret}') ${options} }).then((checkout) => {
        window.checkout = checkout;
        checkout.on('change', (s) => note('change', s));
        if (checkout.status.type !== 'open') return checkout;
        const el = checkout.getElements().create('payment');
        ['loaderstart', 'ready', 'change', 'loaderror'].forEach((n) => el.on(n, (p) => note('element:' + n, p)));
        el.mount('#payment-element');
        return checkout;
      });`)));
    await run('await window.ready;');
    return env.page.frameLocator('#payment-element iframe');
  }

  async function fillCard(frame: FrameLocator, number: string): Promise<void> {
    await frame.getByLabel('Name on card').fill(GOOD_CARD.cardName);
    await frame.getByLabel('Card number').fill(number);
    await frame.getByLabel('Expiry (MM / YY)').fill('01/39');
    await frame.getByLabel('Security code (CVC)').fill('100');
  }

  const confirm = (opts = "{ customerDetails: { email: 'amina@example.com', name: 'Amina Hassan' } }") => run<any>(`return await window.checkout.confirm(${opts});`);


  it('applies and removes a promotion code and changes a quantity, each resolving and emitting the full session', async () => {
    await env.sim.post('/_sim/coupons', { percentOff: 10, name: 'Ten off', promotionCodes: [{ code: 'SAVE10' }] });
    const s = await customSession();
    await openElementsPage(s.clientSecret);
    const snapshot = await run<any>('const { confirm, on, ...fields } = window.checkout; return JSON.parse(JSON.stringify(fields));');
    expect(snapshot).toMatchObject({ id: s.id, status: { type: 'open' }, canConfirm: true, amountTotal: 20000, amountSubtotal: 20000, currency: 'EGP', merchantName: 'xpay-sim Demo Store', livemode: false, expiresAt: s.expiresAt, fees: null, discounts: [] });
    expect(snapshot.paymentMethods[0]).toMatchObject({ type: 'card', displayName: 'Card', category: 'card' });
    expect(snapshot.lineItems[0]).toMatchObject({ description: 'Tea', quantity: 2, amountTotal: 20000, price: { unitAmount: 10000, product: { name: 'Tea' } } });
    expect(snapshot.totalDetails).toMatchObject({ amountDiscount: 0, amountShipping: 0, amountTax: 0 });

    const applied = await run<any>("return await window.checkout.applyPromotionCode('save10');");
    expect(applied).toMatchObject({ type: 'success', session: { amountTotal: 18000, totalDetails: { amountDiscount: 2000 }, discounts: [{ promotionCodeCode: 'SAVE10' }] } });
    const invalid = await run<any>("return await window.checkout.applyPromotionCode('NOPE');");
    expect(invalid).toMatchObject({ type: 'error', error: { type: 'invalid_request_error', code: 'promotion_code_not_found' } });
    const removed = await run<any>('return await window.checkout.removePromotionCode();');
    expect(removed).toMatchObject({ type: 'success', session: { amountTotal: 20000, discounts: [] } });
    const quantity = await run<any>(`return await window.checkout.updateLineItemQuantity({ lineItem: '${s.lineItems[0].id}', quantity: 3 });`);
    expect(quantity).toMatchObject({ type: 'success', session: { amountTotal: 30000, lineItems: [{ quantity: 3, amountTotal: 30000 }] } });
    const tooMany = await run<any>(`return await window.checkout.updateLineItemQuantity({ lineItem: '${s.lineItems[0].id}', quantity: 9 });`);
    expect(tooMany.type).toBe('error');
    // One change per successful action, with the whole session; fetchUpdates re-reads and emits nothing.
    expect((await named('change')).map((v) => v.amountTotal)).toEqual([18000, 20000, 30000]);
    expect(await run<any>('return await window.checkout.fetchUpdates();')).toMatchObject({ type: 'success', session: { amountTotal: 30000 } });
    expect(await named('change')).toHaveLength(3);
    expect((await env.sim.get(`/checkout/sessions/${s.id}`)).body.amountTotal).toBe(30000);
  });

  it('mounts the card element, reports loaderstart, ready and complete, gets a decline with its codes, then pays', async () => {
    const s = await customSession();
    const frame = await openElementsPage(s.clientSecret);
    await waitForLog('element:ready');
    expect(await run('return await window.checkout.submit();')).toMatchObject({ error: { type: 'invalid_request_error' } });
    await fillCard(frame, DECLINED_CARD);
    await waitForLog('element:change');
    expect((await named('element:change')).at(-1)).toMatchObject({ complete: true, value: { type: 'card' } });
    expect(await run('return await window.checkout.submit();')).toEqual({ selectedPaymentMethod: 'card' });
    const declined = await confirm();
    expect(declined).toMatchObject({ type: 'error', error: { type: 'card_error', code: 'card_declined', declineCode: 'insufficient_funds', message: 'Your card has insufficient funds.' } });
    await frame.getByLabel('Card number').fill(GOOD_CARD.cardNumber);
    const paid = await confirm();
    expect(paid).toMatchObject({ type: 'success', session: { id: s.id, status: { type: 'complete', paymentStatus: 'paid' }, canConfirm: false } });
    expect((await log()).slice(0, 2).map((e) => e.name)).toEqual(['element:loaderstart', 'element:ready']);
    expect((await named('change')).at(-1)).toMatchObject({ status: { type: 'complete', paymentStatus: 'paid' } });
    expect((await env.sim.get(`/checkout/sessions/${s.id}`)).body.customerDetails).toMatchObject({ email: 'amina@example.com', name: 'Amina Hassan' });
    await expectPaidAndNotified(env, s.id);
    expect(env.page.url()).toBe(`${env.site.url}/elements`);
  });

  it('opens the 3-D Secure overlay from confirm(); Fail resolves a decline, Complete then resolves success', async () => {
    const s = await customSession();
    const frame = await openElementsPage(s.clientSecret);
    await fillCard(frame, THREE_DS_FAILS_CARD);
    const failing = env.page.evaluate(() => (window as any).checkout.confirm({ customerDetails: { email: 'amina@example.com' } }));
    const challenge = env.page.frameLocator('iframe[title="3-D Secure"]');
    await challenge.getByRole('button', { name: 'Complete' }).click();
    expect(await failing).toMatchObject({ type: 'error', error: { type: 'card_error', message: expect.stringContaining('could not be authenticated') } });
    expect(await env.page.locator('iframe[title="3-D Secure"]').count()).toBe(0);

    await frame.getByLabel('Card number').fill(THREE_DS_CARD);
    const failed = env.page.evaluate(() => (window as any).checkout.confirm({ customerDetails: { email: 'amina@example.com' } }));
    await challenge.getByRole('button', { name: 'Fail' }).click();
    expect(await failed).toMatchObject({ type: 'error', error: { type: 'card_error' } });
    expect((await env.sim.get(`/checkout/sessions/${s.id}`)).body.status).toBe('open');

    const passing = env.page.evaluate(() => (window as any).checkout.confirm({ customerDetails: { email: 'amina@example.com' } }));
    await challenge.getByRole('button', { name: 'Complete' }).click();
    expect(await passing).toMatchObject({ type: 'success', session: { status: { type: 'complete', paymentStatus: 'paid' } } });
    await expectPaidAndNotified(env, s.id);
  });

  it('with redirect "always" leaves for the session\'s redirect URL after paying', async () => {
    const s = await customSession();
    const frame = await openElementsPage(s.clientSecret);
    await fillCard(frame, GOOD_CARD.cardNumber);
    void env.page.evaluate(() => (window as any).checkout.confirm({ redirect: 'always', customerDetails: { email: 'amina@example.com' } })).catch(() => undefined);
    await env.page.waitForURL(`${env.site.url}/done**`);
    expect(env.page.url()).toBe(`${env.site.url}/done?session=${s.id}`);
    await expectPaidAndNotified(env, s.id);
  });

  it('loads an expired session with status.type "expired", and a payment element on it reports loaderror', async () => {
    const s = await customSession();
    await env.sim.post(`/checkout/sessions/${s.id}/expire`);
    await openElementsPage(s.clientSecret);
    expect(await run('return window.checkout.status;')).toEqual({ type: 'expired' });
    expect(await run('return window.checkout.canConfirm;')).toBe(false);
    await run(`const els = XPay('${TEST_PK}').elements({ clientSecret: '${s.clientSecret}' });
      const el = els.create('payment'); el.on('loaderror', (e) => note('loaderror', e)); el.mount('#payment-element');`);
    await waitForLog('loaderror');
    expect((await named('loaderror'))[0]).toMatchObject({ error: { code: 'checkout_session_expired' } });
    // Actions that need the element's frame answer "not initialised" until one is mounted and ready.
    const unmounted = await run<any>(`const els = XPay('${TEST_PK}').elements({ clientSecret: '${s.clientSecret}' });
      return [await els.submit(), await window.checkout.confirm()];`);
    expect(unmounted).toMatchObject([{ error: { code: 'elements_not_initialized' } }, { type: 'error', error: { code: 'elements_not_initialized' } }]);
    expect(await run(`return await new Promise((r) => XPay('${TEST_PK}').elements({ clientSecret: 'cs_test_nope_secret_nope' }).on('loaderror', r));`)).toMatchObject({ type: 'invalid_request_error', code: 'resource_missing' });
  });

  it('hands appearance and locale to the card frame: Arabic right-to-left, colours and radius, restyled in place', async () => {
    const s = await customSession();
    const frame = await openElementsPage(s.clientSecret, ", locale: 'ar', appearance: { colors: { primary: '#112233' }, borderStyle: 'sharp' }");
    await waitForLog('element:ready');
    await expect.poll(() => frame.locator('body').evaluate((b) => b.style.getPropertyValue('--primary'))).toBe('#112233');
    expect(await frame.locator('html').getAttribute('dir')).toBe('rtl');
    expect(await frame.getByLabel('رقم البطاقة').count()).toBe(1);
    expect(await frame.locator('input[name="cardNumber"]').evaluate((i) => getComputedStyle(i).borderRadius)).toBe('0px');
    await frame.getByLabel('رقم البطاقة').fill('4242');
    await run("window.checkout.changeAppearance({ colors: { primary: '#445566' }, borderStyle: 'pill' });");
    await expect.poll(() => frame.locator('body').evaluate((b) => b.style.getPropertyValue('--primary'))).toBe('#445566');
    expect(await frame.getByLabel('رقم البطاقة').inputValue()).toBe('4242');
    // The frame's own messages follow the page's locale; the merchant's callbacks keep the API's words.
    const ar = stringsFor('ar');
    await run('await window.checkout.submit();');
    await expect.poll(() => frame.getByRole('alert').textContent()).toBe(ar.serviceErrors.invalid_number);
    for (const [name, value] of [['cardName', GOOD_CARD.cardName], ['cardNumber', DECLINED_CARD], ['cardExp', '01/39'], ['cardCvc', '100']]) {
      await frame.locator(`input[name="${name}"]`).fill(value!);
    }
    expect(await confirm()).toMatchObject({ type: 'error', error: { declineCode: 'insufficient_funds', message: 'Your card has insufficient funds.' } });
    await expect.poll(() => frame.getByRole('alert').textContent()).toBe(ar.cardDeclines.insufficient_funds);
  });

  it('answers the client endpoints across origins (CORS) but never the card confirm endpoint', async () => {
    const s = await customSession();
    await env.page.goto(env.site.page('/cors', '<!doctype html><title>cors</title>'));
    const fromPage = await env.page.evaluate(async ([url, secret, pk]) => {
      const res = await fetch(`${url}/_sdk/checkout-session?clientSecret=${secret}`, { headers: { Authorization: `Bearer ${pk}` } });
      const confirm = await fetch(`${url}/_sdk/checkout-session/confirm`, { method: 'POST', headers: { Authorization: `Bearer ${pk}`, 'Content-Type': 'application/json' }, body: '{}' }).then(() => 'read', () => 'blocked');
      return { status: res.status, id: (await res.json()).session.id, confirm };
    }, [env.sim.url, s.clientSecret, TEST_PK] as const);
    expect(fromPage).toEqual({ status: 200, id: s.id, confirm: 'blocked' });
    const preflight = await fetch(`${env.sim.url}/_sdk/checkout-session/promotion-code`, {
      method: 'OPTIONS', headers: { Origin: env.site.url, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization, content-type' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    expect(preflight.headers.get('access-control-allow-methods')).toBe('POST, DELETE');
    expect(preflight.headers.get('access-control-allow-headers')).toBe('Authorization, Content-Type');
    const others = await Promise.all(['/_sdk/checkout-session/confirm', '/checkout/sessions', '/_sim/ledger'].map((p) => fetch(env.sim.url + p, { method: 'OPTIONS', headers: { Origin: env.site.url } })));
    for (const res of others) {
      expect(res.status).toBe(405);
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
    }
  });
});
