// XPay's drop-in (xpay.checkout) against the simulator in Chromium: a merchant page on its own
// origin loads /v1/sdk.js and pays in the modal and the inline window, as XPay's examples do.
import { describe, expect, it } from 'vitest';
import type { FrameLocator } from 'playwright-core';
import { createSession, DECLINED_CARD, GOOD_CARD, THREE_DS_CARD } from '../helpers/pages.js';
import { hasChromium } from '../helpers/chromium.js';
import { expectPaidAndNotified, pageLog, TEST_PK, useSdkBrowser } from '../helpers/sdk-browser.js';
import { merchantPage } from '../helpers/merchant-site.js';


describe.skipIf(!hasChromium)('drop-in checkout (modal and inline) in Chromium', () => {
  const env = useSdkBrowser();
  const { log, waitFor: waitForLog } = pageLog(env);

  const embeddedSession = () => createSession(env.sim, { uiMode: 'embedded', afterCompletion: { type: 'redirect', redirect: { url: `${env.site.url}/done?session={CHECKOUT_SESSION_ID}` } } });

  async function fillCard(frame: FrameLocator, number: string, email = true): Promise<void> {
    if (email) await frame.getByLabel('Email').fill('amina@example.com');
    await frame.getByLabel('Name on card').fill(GOOD_CARD.cardName);
    await frame.getByLabel('Card number').fill(number);
    await frame.getByLabel('Expiry (MM / YY)').fill('01/39');
    await frame.getByLabel('Security code (CVC)').fill('100');
  }

  const callbacks = `onReady: (s) => note('ready', s), onConfirmed: () => note('confirmed'), onComplete: (r) => note('complete', r),
      onClose: () => note('close'), onError: (e) => note('error', e)`;

  it('modal: opens over the page, closes with Escape and the close button, then pays and hands the result to the page', async () => {
    const s = await embeddedSession();
    await env.page.goto(env.site.page('/modal', merchantPage(`${env.sim.url}/v1/sdk.js`, `
      const checkout = XPay('${TEST_PK}').checkout({ clientSecret: '${s.clientSecret}', mode: 'modal', ${callbacks} });
      window.openCheckout = () => checkout.open();
      window.checkout = checkout;`)));
    await env.page.evaluate(() => (window as any).openCheckout());
    const dialog = env.page.getByRole('dialog', { name: 'Checkout' });
    await dialog.waitFor();
    await waitForLog('ready');
    expect((await log()).find((e) => e.name === 'ready')!.value).toMatchObject({ id: s.id, status: { type: 'open' }, amountTotal: 149900, canConfirm: true });
    expect(await env.page.evaluate(() => document.body.style.overflow)).toBe('hidden');
    await env.page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await env.page.evaluate(() => document.body.style.overflow)).toBe('');
    // Escape pressed inside the window (focus in the frame) closes it too.
    await env.page.evaluate(() => (window as any).openCheckout());
    await env.page.frameLocator('iframe[title="XPay checkout"]').getByLabel('Email').press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await env.page.evaluate(() => (window as any).openCheckout());
    await env.page.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect((await log()).filter((e) => e.name === 'close')).toHaveLength(3);

    await env.page.evaluate(() => (window as any).openCheckout());
    const frame = env.page.frameLocator('iframe[title="XPay checkout"]');
    await fillCard(frame, GOOD_CARD.cardNumber);
    await frame.getByRole('button', { name: /^Pay / }).click();
    await waitForLog('complete');
    const entries = await log();
    expect(entries.map((e) => e.name)).toEqual(['ready', 'close', 'close', 'close', 'confirmed', 'complete']);
    const pi = (await env.sim.get(`/checkout/sessions/${s.id}`)).body.paymentIntentId;
    expect(entries.at(-1)!.value).toEqual({ sessionId: s.id, paymentIntentId: pi, redirectUrl: `${env.site.url}/done?session=${s.id}`, paymentStatus: 'paid' });
    await dialog.waitFor({ state: 'detached' });
    expect(await env.page.evaluate(() => (window as any).checkout.isMounted())).toBe(false);
    expect(env.page.url()).toBe(`${env.site.url}/modal`);
    await expectPaidAndNotified(env, s.id);
  });

  it('modal: cannot be closed while the payment is confirming (3-D Secure), and the challenge runs inside the window', async () => {
    const s = await embeddedSession();
    await env.page.goto(env.site.page('/modal-3ds', merchantPage(`${env.sim.url}/v1/sdk.js`, `
      const checkout = XPay('${TEST_PK}').checkout({ clientSecret: '${s.clientSecret}', ${callbacks} });
      checkout.open();`)));
    const frame = env.page.frameLocator('iframe[title="XPay checkout"]');
    await fillCard(frame, THREE_DS_CARD);
    await frame.getByRole('button', { name: /^Pay / }).click();
    await frame.getByRole('heading', { name: 'Confirm your payment' }).waitFor();
    await env.page.keyboard.press('Escape');
    await frame.getByRole('button', { name: 'Complete' }).press('Escape');
    await env.page.getByRole('button', { name: 'Close' }).click();
    expect(await env.page.getByRole('dialog', { name: 'Checkout' }).count()).toBe(1);
    await frame.getByRole('button', { name: 'Complete' }).click();
    await waitForLog('complete');
    expect((await log()).map((e) => e.name)).toEqual(['ready', 'confirmed', 'complete']);
    await expectPaidAndNotified(env, s.id);
  });

  it('inline: mounts into its container at once, sizes the frame to its content, reports a decline, then pays', async () => {
    const s = await embeddedSession();
    await env.page.goto(env.site.page('/inline', merchantPage(`${env.sim.url}/v1/sdk.js`, `
      XPay('${TEST_PK}').checkout({ clientSecret: '${s.clientSecret}', mode: 'inline', container: '#checkout', ${callbacks} });`)));
    await waitForLog('ready');
    const iframe = env.page.locator('#checkout iframe');
    // The frame's height follows its content (not the 480px it starts with), so nothing scrolls inside it.
    await env.page.waitForFunction(() => {
      const f = document.querySelector('#checkout iframe') as HTMLIFrameElement;
      return f && f.style.height !== '480px';
    });
    const frameHeight = await iframe.evaluate((f: HTMLIFrameElement) => f.getBoundingClientRect().height);
    const content = await env.page.frameLocator('#checkout iframe').locator('body').evaluate((b) => Math.ceil(b.getBoundingClientRect().height));
    expect(Math.abs(frameHeight - content)).toBeLessThanOrEqual(2);
    const frame = env.page.frameLocator('#checkout iframe');
    await fillCard(frame, DECLINED_CARD);
    await frame.getByRole('button', { name: /^Pay / }).click();
    await waitForLog('error');
    expect((await log()).find((e) => e.name === 'error')!.value).toMatchObject({ type: 'card_error', declineCode: 'insufficient_funds', message: 'Your card has insufficient funds.' });
    await fillCard(frame, GOOD_CARD.cardNumber, false);
    await frame.getByRole('button', { name: /^Pay / }).click();
    await waitForLog('complete');
    expect((await log()).map((e) => e.name)).toEqual(['ready', 'confirmed', 'error', 'confirmed', 'complete']);
    await expectPaidAndNotified(env, s.id);
  });

  it('shows the window in the locale asked for (Arabic, right-to-left) with the appearance colours, across a decline', async () => {
    const s = await embeddedSession();
    await env.page.goto(env.site.page('/arabic', merchantPage(`${env.sim.url}/v1/sdk.js`, `
      XPay('${TEST_PK}').checkout({ clientSecret: '${s.clientSecret}', mode: 'inline', container: '#checkout', locale: 'ar',
        appearance: { colors: { primary: '#7c3aed' } }, ${callbacks} });`)));
    const frame = env.page.frameLocator('#checkout iframe');
    await expect.poll(() => frame.locator('body').evaluate((b) => b.style.getPropertyValue('--primary'))).toBe('#7c3aed');
    expect(await frame.locator('html').getAttribute('dir')).toBe('rtl');
    await frame.getByLabel('البريد الإلكتروني').fill('amina@example.com');
    await frame.getByLabel('الاسم على البطاقة').fill(GOOD_CARD.cardName);
    await frame.getByLabel('رقم البطاقة').fill(DECLINED_CARD);
    await frame.getByLabel('تاريخ الانتهاء (شهر / سنة)').fill('01/39');
    await frame.getByLabel('رمز الأمان', { exact: true }).fill('100');
    await frame.locator('button.pay').click();
    await waitForLog('error');
    // The page after the decline is still the Arabic window, restyled again.
    expect(await frame.locator('html').getAttribute('dir')).toBe('rtl');
    await expect.poll(() => frame.locator('body').evaluate((b) => b.style.getPropertyValue('--primary'))).toBe('#7c3aed');
  });

  it('modal with Fawry: onComplete says unpaid, and the window stays open on the reference until closed', async () => {
    const s = await embeddedSession();
    await env.page.goto(env.site.page('/fawry', merchantPage(`${env.sim.url}/v1/sdk.js`, `
      XPay('${TEST_PK}').checkout({ clientSecret: '${s.clientSecret}', ${callbacks} }).open();`)));
    const frame = env.page.frameLocator('iframe[title="XPay checkout"]');
    await frame.getByRole('link', { name: 'Fawry' }).click();
    await frame.getByLabel('Email').fill('amina@example.com');
    await frame.locator('button.pay').click();
    await waitForLog('complete');
    const after = (await env.sim.get(`/checkout/sessions/${s.id}`)).body;
    expect(after).toMatchObject({ status: 'complete', paymentStatus: 'unpaid' });
    expect((await log()).at(-1)!.value).toMatchObject({ sessionId: s.id, paymentIntentId: after.paymentIntentId, paymentStatus: 'unpaid' });
    expect(await frame.getByTestId('reference').textContent()).toBe(after.paymentIntent.latestCharge.paymentMethodDetails.fawry.fawryRefNumber);
    await env.page.getByRole('button', { name: 'Close' }).click();
    await env.page.getByRole('dialog', { name: 'Checkout' }).waitFor({ state: 'detached' });
    expect((await log()).map((e) => e.name)).toEqual(['ready', 'confirmed', 'complete', 'close']);
  });

  it("works unchanged when the page loads XPay's CDN script, routed to the simulator (env.page.route)", async () => {
    const s = await embeddedSession();
    await env.page.route('https://checkout.xpay.app/v1/sdk.js', async (route) => {
      const res = await fetch(`${env.sim.url}/v1/sdk.js`);
      await route.fulfill({ status: res.status, contentType: 'application/javascript', body: await res.text() });
    });
    await env.page.goto(env.site.page('/cdn', merchantPage('https://checkout.xpay.app/v1/sdk.js', `
      XPay('${TEST_PK}').checkout({ clientSecret: '${s.clientSecret}', mode: 'inline', container: document.getElementById('checkout'), ${callbacks} });`)));
    await waitForLog('ready');
    expect(await env.page.locator('#checkout iframe').getAttribute('src')).toMatch(new RegExp(`^${env.sim.url}/c/ns_[\\w-]{22}/${s.id}\\?embed=true$`));
  });

  it('refuses a malformed key at once, a pk_ of another namespace, and a pk_live_ key on a test session', async () => {
    const s = await embeddedSession();
    await env.page.goto(env.site.page('/keys', merchantPage(`${env.sim.url}/v1/sdk.js`, `
      try { XPay('sk_test_xpaysim_tests'); } catch (e) { note('thrown', e.message); }
      XPay('pk_test_someone_else').checkout({ clientSecret: '${s.clientSecret}', mode: 'inline', container: '#checkout', onError: (e) => note('foreign', e) });
      XPay('pk_live_xpaysim_tests').checkout({ clientSecret: '${s.clientSecret}', mode: 'inline', container: '#checkout', onError: (e) => note('live', e) });`)));
    await waitForLog('foreign');
    await waitForLog('live');
    const entries = Object.fromEntries((await log()).map((e) => [e.name, e.value]));
    expect(entries.thrown).toMatch(/invalid publishable key/);
    expect(entries.foreign).toMatchObject({ type: 'invalid_request_error', code: 'resource_missing', param: 'clientSecret' });
    expect(entries.live).toMatchObject({ type: 'invalid_request_error', code: 'parameter_invalid', message: expect.stringMatching(/live publishable key cannot open a test/) });
    expect(await env.page.locator('#checkout iframe').count()).toBe(0);
  });

  it('reports an expired session through onError and mounts nothing', async () => {
    const s = await embeddedSession();
    await env.sim.post(`/checkout/sessions/${s.id}/expire`);
    await env.page.goto(env.site.page('/expired', merchantPage(`${env.sim.url}/v1/sdk.js`, `
      XPay('${TEST_PK}').checkout({ clientSecret: '${s.clientSecret}', mode: 'inline', container: '#checkout', ${callbacks} });`)));
    await waitForLog('error');
    expect((await log()).map((e) => [e.name, e.value?.code])).toEqual([['error', 'checkout_session_expired']]);
    expect(await env.page.locator('#checkout iframe').count()).toBe(0);
  });
});
