// The hosted pages as a shopper in Cairo (Arabic, phone) and one on a laptop (English) meet them in
// Chromium: a decline and a failed 3-D Secure challenge bring the shopper back to a form that kept
// what they typed, with the message announced, first in the form and next to the focused field;
// the confirmation, receipt and expired pages; no English on an Arabic page; one digit system.
import { afterAll, beforeAll, beforeEach, afterEach, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { FROZEN_NOW, startTestSim, type TestSim } from '../helpers/sim.js';
import { createSession, DECLINED_CARD, GOOD_CARD, THREE_DS_FAILS_CARD } from '../helpers/pages.js';
import { hasChromium, launchChromium } from '../helpers/chromium.js';
import { digitSystems, hasHorizontalScroll, inViewport, latinWordsOutsideData } from '../helpers/page-text.js';
import { CATALOGUES, type Locale } from '../../src/pages/i18n.js';
import { longDate, money } from '../../src/pages/money.js';

const LAPTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };
type Width = 'laptop' | 'phone';
const VIEWPORTS = { laptop: LAPTOP, phone: PHONE };

/** What the shopper typed before paying (all kept on the way back, except card number and CVC). */
const TYPED = {
  email: 'amina@example.com', name: 'Amina Hassan', phone: '+20 100 000 0000',
  billing_line1: '12 Talaat Harb St', billing_city: 'Cairo', billing_country: 'EG', custom_gift_note: 'Happy Eid, Omar',
  cardName: GOOD_CARD.cardName, cardExp: '01 / 39',
};

describe.skipIf(!hasChromium)('hosted pages a shopper would trust (Chromium)', () => {
  let browser: Browser;
  let sim: TestSim;
  let context: BrowserContext;

  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });
  beforeEach(async () => {
    sim = await startTestSim();
  });
  afterEach(async () => {
    await context?.close();
    await sim.close();
  });

  async function open(url: string, width: Width): Promise<Page> {
    context = await browser.newContext({ viewport: VIEWPORTS[width] });
    const page = await context.newPage();
    await page.goto(url);
    return page;
  }

  const fullSession = (locale: Locale, extra: Record<string, unknown> = {}) =>
    createSession(sim, {
      locale, nameCollection: true, phoneNumberCollection: true, billingAddressCollection: true, allowPromotionCodes: true,
      customFields: [{ label: 'Gift note', type: 'TEXT', isOptional: true }],
      afterCompletion: { type: 'hosted_confirmation', hostedConfirmation: { returnUrl: 'https://shop.example/orders' } },
      ...extra,
    });

  async function typeAndPay(page: Page, cardNumber: string): Promise<void> {
    for (const [name, value] of Object.entries(TYPED)) await page.locator(`[name="${name}"]`).fill(value);
    await page.locator('[name="cardNumber"]').fill(cardNumber);
    await page.locator('[name="cardCvc"]').fill('100');
    await page.locator('button.pay').click();
  }

  /** Back at the form: the message announced first in the form and under the focused card number; typed fields kept. */
  async function expectBackAtForm(page: Page, message: string): Promise<void> {
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect((await alert.textContent())!.trim()).toBe(message);
    expect(await page.evaluate(() => document.querySelector('form.layout')!.firstElementChild!.id)).toBe('errors');
    const focused = await page.evaluate(() => {
      const el = document.activeElement as HTMLInputElement;
      const note = document.getElementById(el.getAttribute('aria-describedby') ?? '');
      return { name: el.name, invalid: el.getAttribute('aria-invalid'), note: note?.textContent };
    });
    expect(focused).toEqual({ name: 'cardNumber', invalid: 'true', note: message });
    // Wherever the page landed, the field and its message are on screen.
    expect(await inViewport(page, '#f-cardNumber')).toBe(true);
    expect(await inViewport(page, '#f-cardNumber-error')).toBe(true);
    for (const [name, value] of Object.entries(TYPED)) expect(await page.locator(`[name="${name}"]`).inputValue(), name).toBe(value);
    expect(await page.locator('[name="cardNumber"]').inputValue()).toBe('');
    expect(await page.locator('[name="cardCvc"]').inputValue()).toBe('');
    expect(await hasHorizontalScroll(page)).toBe(false);
  }

  async function expectLocaleClean(page: Page, locale: Locale): Promise<void> {
    expect(await page.evaluate(() => [document.documentElement.lang, document.documentElement.dir])).toEqual([locale, locale === 'ar' ? 'rtl' : 'ltr']);
    // Only Western digits, in both locales (an expired page may have no digits at all).
    expect((await digitSystems(page)).filter((d) => d !== 'western')).toEqual([]);
    // The same check finds the English page's words, so an empty list on an Arabic page means something.
    if (locale === 'ar') expect(await latinWordsOutsideData(page)).toEqual([]);
    else expect((await latinWordsOutsideData(page)).length).toBeGreaterThan(2);
  }

  it.each([
    ['en', 'laptop'], ['en', 'phone'], ['ar', 'laptop'], ['ar', 'phone'],
  ] as Array<[Locale, Width]>)('a decline (%s, %s): announced in the page language, focus on the card number, every other field kept', async (locale, width) => {
    const s = await fullSession(locale, { cancelUrl: 'https://shop.example/cart' });
    const page = await open(s.url, width);
    await typeAndPay(page, DECLINED_CARD);
    await expectBackAtForm(page, CATALOGUES[locale].cardDeclines.insufficient_funds);
    await expectLocaleClean(page, locale);
    expect(await page.locator('link[rel="icon"]').getAttribute('href')).toBe('/assets/favicon.svg');
  });

  it.each([['en', 'laptop'], ['ar', 'phone']] as Array<[Locale, Width]>)('a failed 3-D Secure challenge (%s, %s) returns to a form that kept the billing address and the rest', async (locale, width) => {
    const t = CATALOGUES[locale];
    const s = await fullSession(locale);
    const page = await open(s.url, width);
    await typeAndPay(page, THREE_DS_FAILS_CARD);
    await page.waitForURL(/\/3ds\//);
    await expectLocaleClean(page, locale);
    await page.getByRole('button', { name: t.threeDsComplete, exact: true }).click();
    await expectBackAtForm(page, t.cardDeclines.authentication_required);
    await expectLocaleClean(page, locale);
  });

  it.each([['en', 'phone'], ['ar', 'laptop']] as Array<[Locale, Width]>)('the confirmation (%s, %s) shows amount, date, card, reference and a receipt with a status word', async (locale, width) => {
    const t = CATALOGUES[locale];
    const s = await fullSession(locale);
    const page = await open(s.url, width);
    await typeAndPay(page, GOOD_CARD.cardNumber);
    await page.getByRole('heading', { name: t.thanks }).waitFor();
    const charge = (await sim.get(`/checkout/sessions/${s.id}`)).body.paymentIntent.latestCharge;
    expect(await page.getByTestId('amount').textContent()).toBe(money(149900, 'EGP', locale));
    const details = await page.locator('dl.totals').innerText();
    expect(details).toContain(longDate(FROZEN_NOW, locale));
    expect(details).toContain(`${t.cardBrands.mastercard}`);
    expect(details).toContain('0008');
    expect(await page.getByTestId('reference').textContent()).toBe(charge.id);
    expect(await page.getByRole('link', { name: t.returnToMerchant }).getAttribute('href')).toBe('https://shop.example/orders');
    await expectLocaleClean(page, locale);
    await page.getByRole('link', { name: t.viewReceipt }).click();
    await page.getByRole('heading', { name: t.receipt }).waitFor();
    expect(await page.getByTestId('status').textContent()).toBe(t.chargeStatuses.SUCCEEDED);
    expect(await page.locator('body').innerText()).not.toContain('SUCCEEDED');
    await expectLocaleClean(page, locale);
  });

  it.each([['ar', 'phone', true], ['en', 'laptop', false]] as Array<[Locale, Width, boolean]>)('an expired session (%s, %s) links back to the shop', async (locale, width, withCancelUrl) => {
    const t = CATALOGUES[locale];
    const s = await createSession(sim, {
      locale, expiresAfterMinutes: 60,
      afterCompletion: { type: 'redirect', redirect: { url: 'https://shop.example/thanks?session={CHECKOUT_SESSION_ID}' } },
      ...(withCancelUrl ? { cancelUrl: 'https://shop.example/cart' } : {}),
    });
    await sim.post('/_sim/clock/advance', { by: '2h' });
    context = await browser.newContext({ viewport: VIEWPORTS[width] });
    const page = await context.newPage();
    expect((await page.goto(s.url))?.status()).toBe(410);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(t.expired);
    // The session's cancelUrl, else the origin of where it would have sent the shopper.
    expect(await page.getByRole('link', { name: t.backToShop }).getAttribute('href')).toBe(withCancelUrl ? 'https://shop.example/cart' : 'https://shop.example/');
    await expectLocaleClean(page, locale);
  });

  it('a wrong wallet code in Arabic: the Arabic decline, focus back on the wallet phone', async () => {
    const t = CATALOGUES.ar;
    const s = await createSession(sim, { locale: 'ar' });
    const page = await open(s.url, 'phone');
    await page.getByRole('link', { name: t.methodNames.vodafone_cash }).click();
    await page.locator('[name="email"]').fill('amina@example.com');
    await page.locator('[name="methodPhone"]').fill('01000000000');
    await page.locator('button.pay').click();
    await page.locator('[name="otp"]').fill('999999');
    await expectLocaleClean(page, 'ar');
    await page.locator('button.pay').click();
    await page.getByRole('alert').waitFor();
    expect((await page.getByRole('alert').textContent())!.trim()).toBe(t.methodDeclines.incorrect_otp);
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement).name)).toBe('methodPhone');
    expect(await page.locator('[name="methodPhone"]').inputValue()).toBe('01000000000');
    await expectLocaleClean(page, 'ar');
  });

  it('every other Arabic step has no English: the payment link page, a fresh form, the BNPL step, a kiosk reference', async () => {
    const t = CATALOGUES.ar;
    const created = await sim.post('/payment-links', {
      afterCompletion: { type: 'redirect', redirect: { url: 'https://shop.example/done' } },
      lineItems: [{ priceId: 'price_coffee_beans_egp', quantity: 1, adjustableQuantity: { enabled: true, maximum: 3 } }],
      customFields: [{ label: 'Gift note', type: 'TEXT', isOptional: true }],
    });
    // An Arabic browser (Accept-Language ar-EG): links carry no locale of their own.
    context = await browser.newContext({ viewport: PHONE, locale: 'ar-EG' });
    const page = await context.newPage();
    await page.goto(created.headers.get('xpay-sim-page-url')!);
    await expectLocaleClean(page, 'ar');
    await page.locator('button.pay').click();
    await page.waitForURL(/\/c\/ns_[\w-]+\/cs_test_/);
    await expectLocaleClean(page, 'ar');
    await page.getByRole('link', { name: t.methodNames.valu }).click();
    await page.getByLabel(t.tenure).waitFor();
    await expectLocaleClean(page, 'ar');
    await page.getByRole('link', { name: t.methodNames.fawry }).click();
    await page.locator('[name="email"]').fill('amina@example.com');
    await page.getByRole('button', { name: t.getReference }).click();
    await page.getByRole('heading', { name: t.awaitingPayment }).waitFor();
    expect(await page.getByTestId('reference').textContent()).toMatch(/^\d+$/);
    await expectLocaleClean(page, 'ar');
  });
});
