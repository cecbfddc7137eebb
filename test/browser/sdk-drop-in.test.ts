// XPay's drop-in (xpay.checkout) against the simulator in Chromium: a merchant page on its own
// origin loads /v1/sdk.js and pays in the modal and the inline window, as XPay's examples do.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, FrameLocator, Page } from 'playwright-core';
import { FROZEN_NOW, startTestSim, type TestSim } from '../helpers/sim.js';
import { createSession, DECLINED_CARD, GOOD_CARD, THREE_DS_CARD } from '../helpers/pages.js';
import { hasChromium, launchChromium } from '../helpers/chromium.js';
import { merchantPage, startMerchantSite, type MerchantSite } from '../helpers/merchant-site.js';
import { startReceiver, type Receiver } from '../helpers/webhook-receiver.js';
import { drainDeliveries } from '../../src/webhooks/outbox.js';

const PK = 'pk_test_xpaysim_tests';

describe.skipIf(!hasChromium)('drop-in checkout (modal and inline) in Chromium', () => {
  let browser: Browser;
  let site: MerchantSite;
  let sim: TestSim;
  let receiver: Receiver;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    browser = await launchChromium();
    site = await startMerchantSite();
  });
  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });
  beforeEach(async () => {
    sim = await startTestSim();
    receiver = await startReceiver({ nowSec: () => Math.floor(Date.parse(FROZEN_NOW) / 1000), defaultStatus: 200 });
    const endpoint = await sim.post('/webhook-endpoints', { url: receiver.url, enabledEvents: ['checkout.session.completed'] });
    receiver.secret = endpoint.body.secret;
    context = await browser.newContext();
    page = await context.newPage();
  });
  afterEach(async () => {
    await context.close();
    await receiver.close();
    await sim.close();
  });

  const embeddedSession = () => createSession(sim, { uiMode: 'embedded', afterCompletion: { type: 'redirect', redirect: { url: `${site.url}/done?session={CHECKOUT_SESSION_ID}` } } });
  const log = (): Promise<Array<{ name: string; value: any }>> => page.evaluate(() => (window as any).log);
  const waitForLog = (name: string) => page.waitForFunction((n) => (window as any).log.some((e: { name: string }) => e.name === n), name);

  async function fillCard(frame: FrameLocator, number: string, email = true): Promise<void> {
    if (email) await frame.getByLabel('Email').fill('amina@example.com');
    await frame.getByLabel('Name on card').fill(GOOD_CARD.cardName);
    await frame.getByLabel('Card number').fill(number);
    await frame.getByLabel('Expiry (MM / YY)').fill('01/39');
    await frame.getByLabel('Security code (CVC)').fill('100');
  }

  /** After a payment: the API shows the session paid and the completed webhook reached the merchant. */
  async function expectPaidAndNotified(id: string): Promise<void> {
    expect((await sim.get(`/checkout/sessions/${id}`)).body).toMatchObject({ status: 'complete', paymentStatus: 'paid' });
    await drainDeliveries(sim.sim);
    expect(receiver.received.map((r) => [r.body.type, r.body.data.object.id, r.verified])).toEqual([['checkout.session.completed', id, true]]);
  }

  const callbacks = `onReady: (s) => note('ready', s), onConfirmed: () => note('confirmed'), onComplete: (r) => note('complete', r),
      onClose: () => note('close'), onError: (e) => note('error', e)`;

  it('modal: opens over the page, closes with Escape and the close button, then pays and hands the result to the page', async () => {
    const s = await embeddedSession();
    await page.goto(site.page('/modal', merchantPage(`${sim.url}/v1/sdk.js`, `
      const checkout = XPay('${PK}').checkout({ clientSecret: '${s.clientSecret}', mode: 'modal', ${callbacks} });
      window.openCheckout = () => checkout.open();
      window.checkout = checkout;`)));
    await page.evaluate(() => (window as any).openCheckout());
    const dialog = page.getByRole('dialog', { name: 'Checkout' });
    await dialog.waitFor();
    await waitForLog('ready');
    expect((await log()).find((e) => e.name === 'ready')!.value).toMatchObject({ id: s.id, status: { type: 'open' }, amountTotal: 149900, canConfirm: true });
    expect(await page.evaluate(() => document.body.style.overflow)).toBe('hidden');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await page.evaluate(() => document.body.style.overflow)).toBe('');
    await page.evaluate(() => (window as any).openCheckout());
    await page.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect((await log()).filter((e) => e.name === 'close')).toHaveLength(2);

    await page.evaluate(() => (window as any).openCheckout());
    const frame = page.frameLocator('iframe[title="XPay checkout"]');
    await fillCard(frame, GOOD_CARD.cardNumber);
    await frame.getByRole('button', { name: /^Pay / }).click();
    await waitForLog('complete');
    const entries = await log();
    expect(entries.map((e) => e.name)).toEqual(['ready', 'close', 'close', 'confirmed', 'complete']);
    const pi = (await sim.get(`/checkout/sessions/${s.id}`)).body.paymentIntentId;
    expect(entries.at(-1)!.value).toEqual({ sessionId: s.id, paymentIntentId: pi, redirectUrl: `${site.url}/done?session=${s.id}`, paymentStatus: 'paid' });
    await dialog.waitFor({ state: 'detached' });
    expect(await page.evaluate(() => (window as any).checkout.isMounted())).toBe(false);
    expect(page.url()).toBe(`${site.url}/modal`);
    await expectPaidAndNotified(s.id);
  });

  it('modal: cannot be closed while the payment is confirming (3-D Secure), and the challenge runs inside the window', async () => {
    const s = await embeddedSession();
    await page.goto(site.page('/modal-3ds', merchantPage(`${sim.url}/v1/sdk.js`, `
      const checkout = XPay('${PK}').checkout({ clientSecret: '${s.clientSecret}', ${callbacks} });
      checkout.open();`)));
    const frame = page.frameLocator('iframe[title="XPay checkout"]');
    await fillCard(frame, THREE_DS_CARD);
    await frame.getByRole('button', { name: /^Pay / }).click();
    await frame.getByRole('heading', { name: 'Confirm your payment' }).waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Close' }).click();
    expect(await page.getByRole('dialog', { name: 'Checkout' }).count()).toBe(1);
    await frame.getByRole('button', { name: 'Complete' }).click();
    await waitForLog('complete');
    expect((await log()).map((e) => e.name)).toEqual(['ready', 'confirmed', 'complete']);
    await expectPaidAndNotified(s.id);
  });

  it('inline: mounts into its container at once, sizes the frame to its content, reports a decline, then pays', async () => {
    const s = await embeddedSession();
    await page.goto(site.page('/inline', merchantPage(`${sim.url}/v1/sdk.js`, `
      XPay('${PK}').checkout({ clientSecret: '${s.clientSecret}', mode: 'inline', container: '#checkout', ${callbacks} });`)));
    await waitForLog('ready');
    const iframe = page.locator('#checkout iframe');
    // The frame's height follows its content (not the 480px it starts with), so nothing scrolls inside it.
    await page.waitForFunction(() => {
      const f = document.querySelector('#checkout iframe') as HTMLIFrameElement;
      return f && f.style.height !== '480px';
    });
    const frameHeight = await iframe.evaluate((f: HTMLIFrameElement) => f.getBoundingClientRect().height);
    const content = await page.frameLocator('#checkout iframe').locator('body').evaluate((b) => Math.ceil(b.getBoundingClientRect().height));
    expect(Math.abs(frameHeight - content)).toBeLessThanOrEqual(2);
    const frame = page.frameLocator('#checkout iframe');
    await fillCard(frame, DECLINED_CARD);
    await frame.getByRole('button', { name: /^Pay / }).click();
    await waitForLog('error');
    expect((await log()).find((e) => e.name === 'error')!.value).toMatchObject({ type: 'card_error', declineCode: 'insufficient_funds', message: 'Your card has insufficient funds.' });
    await fillCard(frame, GOOD_CARD.cardNumber, false);
    await frame.getByRole('button', { name: /^Pay / }).click();
    await waitForLog('complete');
    expect((await log()).map((e) => e.name)).toEqual(['ready', 'confirmed', 'error', 'confirmed', 'complete']);
    await expectPaidAndNotified(s.id);
  });

  it('shows the window in the locale asked for (Arabic, right-to-left) with the appearance colours, across a decline', async () => {
    const s = await embeddedSession();
    await page.goto(site.page('/arabic', merchantPage(`${sim.url}/v1/sdk.js`, `
      XPay('${PK}').checkout({ clientSecret: '${s.clientSecret}', mode: 'inline', container: '#checkout', locale: 'ar',
        appearance: { colors: { primary: '#7c3aed' } }, ${callbacks} });`)));
    const frame = page.frameLocator('#checkout iframe');
    await expect.poll(() => frame.locator('body').evaluate((b) => b.style.getPropertyValue('--primary'))).toBe('#7c3aed');
    expect(await frame.locator('html').getAttribute('dir')).toBe('rtl');
    await frame.getByLabel('البريد الإلكتروني').fill('amina@example.com');
    await frame.getByLabel('الاسم على البطاقة').fill(GOOD_CARD.cardName);
    await frame.getByLabel('رقم البطاقة').fill(DECLINED_CARD);
    await frame.getByLabel('تاريخ الانتهاء (شهر / سنة)').fill('01/39');
    await frame.getByLabel('رمز الأمان (CVC)').fill('100');
    await frame.locator('button.pay').click();
    await waitForLog('error');
    // The page after the decline is still the Arabic window, restyled again.
    expect(await frame.locator('html').getAttribute('dir')).toBe('rtl');
    await expect.poll(() => frame.locator('body').evaluate((b) => b.style.getPropertyValue('--primary'))).toBe('#7c3aed');
  });

  it("works unchanged when the page loads XPay's CDN script, routed to the simulator (page.route)", async () => {
    const s = await embeddedSession();
    await page.route('https://checkout.xpay.app/v1/sdk.js', async (route) => {
      const res = await fetch(`${sim.url}/v1/sdk.js`);
      await route.fulfill({ status: res.status, contentType: 'application/javascript', body: await res.text() });
    });
    await page.goto(site.page('/cdn', merchantPage('https://checkout.xpay.app/v1/sdk.js', `
      XPay('${PK}').checkout({ clientSecret: '${s.clientSecret}', mode: 'inline', container: document.getElementById('checkout'), ${callbacks} });`)));
    await waitForLog('ready');
    expect(await page.locator('#checkout iframe').getAttribute('src')).toMatch(new RegExp(`^${sim.url}/c/ns_[\\w-]{22}/${s.id}\\?embed=true$`));
  });

  it('refuses a malformed key at once, a pk_ of another namespace, and a pk_live_ key on a test session', async () => {
    const s = await embeddedSession();
    await page.goto(site.page('/keys', merchantPage(`${sim.url}/v1/sdk.js`, `
      try { XPay('sk_test_xpaysim_tests'); } catch (e) { note('thrown', e.message); }
      XPay('pk_test_someone_else').checkout({ clientSecret: '${s.clientSecret}', mode: 'inline', container: '#checkout', onError: (e) => note('foreign', e) });
      XPay('pk_live_xpaysim_tests').checkout({ clientSecret: '${s.clientSecret}', mode: 'inline', container: '#checkout', onError: (e) => note('live', e) });`)));
    await waitForLog('foreign');
    await waitForLog('live');
    const entries = Object.fromEntries((await log()).map((e) => [e.name, e.value]));
    expect(entries.thrown).toMatch(/invalid publishable key/);
    expect(entries.foreign).toMatchObject({ type: 'invalid_request_error', code: 'resource_missing', param: 'clientSecret' });
    expect(entries.live).toMatchObject({ type: 'invalid_request_error', code: 'parameter_invalid', message: expect.stringMatching(/live publishable key cannot open a test/) });
    expect(await page.locator('#checkout iframe').count()).toBe(0);
  });

  it('reports an expired session through onError and mounts nothing', async () => {
    const s = await embeddedSession();
    await sim.post(`/checkout/sessions/${s.id}/expire`);
    await page.goto(site.page('/expired', merchantPage(`${sim.url}/v1/sdk.js`, `
      XPay('${PK}').checkout({ clientSecret: '${s.clientSecret}', mode: 'inline', container: '#checkout', ${callbacks} });`)));
    await waitForLog('error');
    expect((await log()).map((e) => [e.name, e.value?.code])).toEqual([['error', 'checkout_session_expired']]);
    expect(await page.locator('#checkout iframe').count()).toBe(0);
  });
});
