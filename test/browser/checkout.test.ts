// The hosted checkout in real Chromium: a shopper fills the form by its labels and pays,
// walks 3-D Secure, retries after a decline; layout, locale and accessibility checks.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startTestSim, type TestSim } from '../helpers/sim.js';
import { createSession, DECLINED_CARD, GOOD_CARD, THREE_DS_CARD, THREE_DS_FAILS_CARD } from '../helpers/pages.js';
import { CHROMIUM, hasChromium, launchChromium } from '../helpers/chromium.js';

// In CI a missing browser is a broken setup, not a reason to skip.
it('finds Chromium wherever it is required (always in CI)', () => {
  const required = !!process.env.CI;
  expect(hasChromium || !required, `${CHROMIUM} is missing in CI; .ci/run installs it with apt-get`).toBe(true);
});

describe.skipIf(!hasChromium)('hosted checkout in Chromium', () => {
  let browser: Browser;
  let receiver: Server;
  let receiverUrl: string;
  let sim: TestSim;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    browser = await launchChromium();
    // The merchant's site: where afterCompletion sends the shopper.
    receiver = createServer((req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(`<!doctype html><title>Merchant</title><h1>Order received</h1><p id="url">${req.url?.replace(/[<>&"]/g, '')}</p>`);
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((resolve) => (receiver ? receiver.close(() => resolve()) : resolve()));
  });
  beforeEach(async () => {
    sim = await startTestSim();
    context = await browser.newContext();
    page = await context.newPage();
  });
  afterEach(async () => {
    await context.close();
    await sim.close();
  });

  const redirectTo = () => ({ type: 'redirect', redirect: { url: `${receiverUrl}/done?session={CHECKOUT_SESSION_ID}` } });

  async function fillCard(p: Page, number: string, opts: { email?: boolean } = { email: true }): Promise<void> {
    if (opts.email) await p.getByLabel('Email').fill('amina@example.com');
    await p.getByLabel('Name on card').fill(GOOD_CARD.cardName);
    await p.getByLabel('Card number').fill(number);
    await p.getByLabel('Expiry (MM / YY)').fill('01/39');
    await p.getByLabel('Security code (CVC)').fill('100');
  }

  it('pays with the test card filled in by label and lands on the merchant URL with the session id', async () => {
    const s = await createSession(sim, { afterCompletion: redirectTo() });
    await page.goto(s.url);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('xpay-sim Demo Store');
    await fillCard(page, '5123 4500 0000 0008');
    await page.getByRole('button', { name: 'Pay EGP 1,499.00' }).click();
    await page.waitForURL(`${receiverUrl}/done**`);
    expect(page.url()).toBe(`${receiverUrl}/done?session=${s.id}`);
    const after = (await sim.get(`/checkout/sessions/${s.id}`)).body;
    expect(after).toMatchObject({ status: 'complete', paymentStatus: 'paid' });
  });

  it('completes an order made free by a 100%-off code without any card field', async () => {
    await sim.post('/_sim/coupons', { percentOff: 100, promotionCodes: [{ code: 'GIFTED' }] });
    const s = await createSession(sim, { afterCompletion: redirectTo(), allowPromotionCodes: true });
    await page.goto(s.url);
    await page.getByLabel('Promotion code').fill('gifted');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByRole('button', { name: 'Complete order' }).waitFor();
    expect(await page.getByLabel('Card number').count()).toBe(0);
    await page.getByLabel('Email').fill('amina@example.com');
    await page.getByRole('button', { name: 'Complete order' }).click();
    await page.waitForURL(`${receiverUrl}/done**`);
    expect(page.url()).toBe(`${receiverUrl}/done?session=${s.id}`);
    const after = (await sim.get(`/checkout/sessions/${s.id}`)).body;
    expect(after).toMatchObject({ status: 'complete', paymentStatus: 'no_payment_required', amountTotal: 0, paymentIntent: null });
  });

  it('walks a 3-D Secure challenge: Complete pays the session', async () => {
    const s = await createSession(sim, { afterCompletion: redirectTo() });
    await page.goto(s.url);
    await fillCard(page, THREE_DS_CARD);
    await page.getByRole('button', { name: /^Pay / }).click();
    await page.waitForURL(/\/3ds\//);
    await expect(page.getByRole('heading', { name: 'Confirm your payment' }).isVisible()).resolves.toBe(true);
    await page.getByRole('button', { name: 'Complete' }).click();
    await page.waitForURL(`${receiverUrl}/done**`);
    expect(page.url()).toContain(s.id);
    expect((await sim.get(`/checkout/sessions/${s.id}`)).body.status).toBe('complete');
  });

  it('walks a failing 3-D Secure challenge back to the form with an alert', async () => {
    const s = await createSession(sim, { afterCompletion: redirectTo() });
    await page.goto(s.url);
    await fillCard(page, THREE_DS_FAILS_CARD);
    await page.getByRole('button', { name: /^Pay / }).click();
    await page.waitForURL(/\/3ds\//);
    await page.getByRole('button', { name: 'Complete' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('could not be authenticated');
    expect((await sim.get(`/checkout/sessions/${s.id}`)).body.status).toBe('open');
  });

  it('shows a decline, keeps what was typed, and a retry with the good card succeeds on the same intent', async () => {
    const s = await createSession(sim, { afterCompletion: redirectTo() });
    await page.goto(s.url);
    await fillCard(page, DECLINED_CARD);
    await page.getByRole('button', { name: /^Pay / }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toBe('Your card has insufficient funds.');
    expect(await page.getByLabel('Email').inputValue()).toBe('amina@example.com');
    expect(await page.getByLabel('Card number').inputValue()).toBe('');
    await fillCard(page, GOOD_CARD.cardNumber, { email: false });
    await page.getByRole('button', { name: /^Pay / }).click();
    await page.waitForURL(`${receiverUrl}/done**`);
    const after = (await sim.get(`/checkout/sessions/${s.id}`)).body;
    expect(after.status).toBe('complete');
    expect(after.paymentIntent.charges.map((c: { status: string }) => c.status)).toEqual(['FAILED', 'SUCCEEDED']);
  });

  it('shows the hosted confirmation page with the custom message and return link', async () => {
    const s = await createSession(sim, { afterCompletion: { type: 'hosted_confirmation', hostedConfirmation: { customMessage: 'Thanks! Your order ships tomorrow.', returnUrl: `${receiverUrl}/shop` } } });
    await page.goto(s.url);
    await fillCard(page, GOOD_CARD.cardNumber);
    await page.getByRole('button', { name: /^Pay / }).click();
    await page.getByText('Thanks! Your order ships tomorrow.').waitFor();
    expect(await page.getByRole('link', { name: 'Return to merchant' }).getAttribute('href')).toBe(`${receiverUrl}/shop`);
  });

  it('offers a visible cancel link when the session has a cancelUrl', async () => {
    const s = await createSession(sim, { afterCompletion: redirectTo(), cancelUrl: `${receiverUrl}/cart` });
    await page.goto(s.url);
    const cancel = page.getByRole('link', { name: 'Cancel and return' });
    expect(await cancel.isVisible()).toBe(true);
    await cancel.click();
    await page.waitForURL(`${receiverUrl}/cart`);
  });

  it('shows an expired session as a page without a form', async () => {
    const s = await createSession(sim, { expiresAfterMinutes: 60 });
    await sim.post('/_sim/clock/advance', { by: '2h' });
    const res = await page.goto(s.url);
    expect(res?.status()).toBe(410);
    expect(await page.getByRole('heading', { name: 'This checkout session has expired' }).isVisible()).toBe(true);
    expect(await page.locator('form').count()).toBe(0);
  });

  it('renders locale ar right to left with Arabic labels', async () => {
    const s = await createSession(sim, { locale: 'ar' });
    await page.goto(s.url);
    expect(await page.evaluate(() => [document.documentElement.dir, document.documentElement.lang])).toEqual(['rtl', 'ar']);
    expect(await page.getByLabel('رقم البطاقة').isVisible()).toBe(true);
  });

  it('applies a promotion code and changes a quantity with the page buttons', async () => {
    const s = await createSession(sim, {
      allowPromotionCodes: true,
      lineItems: [{ priceData: { currency: 'EGP', unitAmount: 20000, productData: { name: 'Mug' } }, quantity: 1, adjustableQuantity: { enabled: true, maximum: 5 } }],
    });
    await page.goto(s.url);
    await page.getByLabel('Quantity: Mug').fill('2');
    await page.getByRole('button', { name: 'Update' }).click();
    await page.getByRole('button', { name: 'Pay EGP 400.00' }).waitFor();
    await page.getByLabel('Promotion code').fill('SAVE50');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByRole('button', { name: 'Pay EGP 350.00' }).waitFor();
  });

  it('buys through a payment link: pick a quantity, continue, pay', async () => {
    const created = await sim.post('/payment-links', {
      afterCompletion: redirectTo(),
      lineItems: [{ priceId: 'price_coffee_beans_egp', quantity: 1, adjustableQuantity: { enabled: true, maximum: 3 } }],
    });
    const link = created.body;
    await page.goto(created.headers.get('xpay-sim-page-url')!);
    await page.getByLabel('Quantity: Cairo Roast Coffee Beans').fill('2');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL(/\/c\/ns_[\w-]+\/cs_test_/);
    await fillCard(page, GOOD_CARD.cardNumber);
    await page.getByRole('button', { name: 'Pay EGP 1,700.00' }).click();
    await page.waitForURL(`${receiverUrl}/done**`);
    const sessionId = new URL(page.url()).searchParams.get('session')!;
    expect((await sim.get(`/checkout/sessions/${sessionId}`)).body).toMatchObject({ status: 'complete', paymentLinkId: link.id });
  });

  it('fits a 375×667 phone screen without horizontal scrolling', async () => {
    const s = await createSession(sim, { nameCollection: true, phoneNumberCollection: true, billingAddressCollection: true, allowPromotionCodes: true, cancelUrl: 'https://shop.example/cart' });
    await page.setViewportSize({ width: 375, height: 667 });
    await page.goto(s.url);
    const { scroll, client } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
    expect(scroll).toBeLessThanOrEqual(client);
    expect(await page.getByRole('button', { name: /^Pay / }).isVisible()).toBe(true);
  });

  it('gives every form control a visible label', async () => {
    const s = await createSession(sim, {
      nameCollection: true, phoneNumberCollection: true, billingAddressCollection: true, shippingAddressCollection: true, allowPromotionCodes: true,
      customFields: [{ label: 'Gift note', type: 'TEXT', isOptional: true }, { label: 'Size', type: 'DROPDOWN', dropdownOptions: [{ label: 'M' }] }, { label: 'I accept the terms', type: 'CHECKBOX' }],
      lineItems: [{ priceData: { currency: 'EGP', unitAmount: 1000, productData: { name: 'Tee' } }, quantity: 1, adjustableQuantity: { enabled: true } }],
    });
    await page.goto(s.url);
    const unlabeled = await page.evaluate(() =>
      [...document.querySelectorAll('input, select, textarea')]
        .filter((el) => (el as HTMLInputElement).type !== 'hidden')
        .filter((el) => {
          const labels = [...((el as HTMLInputElement).labels ?? [])];
          return !labels.some((l) => l.textContent!.trim() !== '' && l.getBoundingClientRect().width > 0);
        })
        .map((el) => (el as HTMLInputElement).name),
    );
    expect(unlabeled).toEqual([]);
    const count = await page.locator('input, select').count();
    expect(count).toBeGreaterThan(15);
  });

  it('chooses Fawry, gets a reference number and reads it on the confirmation page', async () => {
    const s = await createSession(sim, { afterCompletion: redirectTo() });
    await page.goto(s.url);
    await page.getByRole('link', { name: 'Fawry' }).click();
    await page.getByLabel('Email').fill('amina@example.com');
    await page.getByRole('button', { name: 'Get a reference number' }).click();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Your order is waiting for payment');
    const reference = (await page.getByTestId('reference').textContent())!.trim();
    const after = (await sim.get(`/checkout/sessions/${s.id}`)).body;
    expect(after).toMatchObject({ status: 'complete', paymentStatus: 'unpaid' });
    expect(reference).toBe(after.paymentIntent.latestCharge.paymentMethodDetails.fawry.fawryRefNumber);
    // The shopper goes on to the merchant from there.
    await page.getByRole('link', { name: 'Return to merchant' }).click();
    await page.waitForURL(`${receiverUrl}/done**`);
  });

  async function walletSteps(p: Page, otp: string): Promise<void> {
    await p.getByRole('link', { name: 'Vodafone Cash' }).click();
    await p.getByLabel('Email').fill('amina@example.com');
    await p.getByLabel('Wallet phone number').fill('01000000000');
    await p.getByRole('button', { name: 'Send code' }).click();
    expect(await p.getByRole('status').first().textContent()).toContain('01000000000');
    await p.getByLabel('Verification code (OTP)').fill(otp);
    await p.getByRole('button', { name: /^Pay / }).click();
  }

  it('pays with a mobile wallet: phone number, then the OTP', async () => {
    const s = await createSession(sim, { afterCompletion: redirectTo() });
    await page.goto(s.url);
    await walletSteps(page, '123456');
    await page.waitForURL(`${receiverUrl}/done**`);
    expect((await sim.get(`/checkout/sessions/${s.id}`)).body).toMatchObject({ status: 'complete', paymentStatus: 'paid', paymentIntent: { latestCharge: { paymentMethodDetails: { type: 'vodafone_cash' } } } });
  });

  it('shows a wrong wallet OTP as a decline and lets the shopper start again', async () => {
    const s = await createSession(sim, { afterCompletion: redirectTo() });
    await page.goto(s.url);
    await walletSteps(page, '999999');
    expect(await page.getByRole('alert').textContent()).toContain('The verification code is incorrect.');
    // Back at the phone step, with the wallet still chosen.
    expect(await page.getByLabel('Wallet phone number').inputValue()).toBe('01000000000');
    expect(await page.getByRole('button', { name: 'Send code' }).isVisible()).toBe(true);
    expect((await sim.get(`/checkout/sessions/${s.id}`)).body).toMatchObject({ status: 'open', paymentIntent: { lastPaymentError: { code: 'incorrect_otp' } } });
  });
});
