// The Workbench (/_sim/ui) in Chromium, driven like a developer would: paste a key, watch a payment
// arrive live, read its webhook delivery, redeliver, refund, check the ledger, move the clock, add a
// fault rule; with accessibility checks (labels, roles, landmarks) along the way.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { hasChromium, launchChromium } from '../helpers/chromium.js';
import { startTestSim, TEST_KEY, type TestSim } from '../helpers/sim.js';
import { startReceiver, type Receiver } from '../helpers/webhook-receiver.js';
import { createSession } from '../helpers/pages.js';

const OTHER_KEY = 'sk_test_someone_else';
const KEY_ITEM = 'xpay-sim.workbench.key';

/** Every form control in the page has an accessible name (a label or aria-label). */
async function unlabelledControls(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll('input, select, textarea')]
      .filter((el) => (el as HTMLInputElement).labels?.length === 0 && !el.getAttribute('aria-label'))
      .map((el) => el.outerHTML.slice(0, 120)));
}

describe.skipIf(!hasChromium)('the Workbench in Chromium', () => {
  let browser: Browser;
  let page: Page;
  let sim: TestSim;
  let receiver: Receiver;

  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });
  beforeEach(async () => {
    sim = await startTestSim({ keys: [TEST_KEY, OTHER_KEY] });
    receiver = await startReceiver({ nowSec: () => Date.parse('2026-03-01T10:00:00Z') / 1000 });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  });
  afterEach(async () => {
    await page?.close();
    await receiver?.close();
    await sim?.close();
  });

  const pay = (id: string, number = '4242424242424242') =>
    sim.post(`/_sim/checkout/sessions/${id}/pay`, { card: { number, exp: '01/39', cvc: '100', name: 'Mona Adel' }, customerDetails: { email: 'mona@example.com', name: 'Mona Adel' } });

  it('opens with a key, shows a payment live, its webhook attempts, redelivers, refunds, and never shows another key', async () => {
    await sim.post('/webhook-endpoints', { url: `${receiver.url}/hooks`, enabledEvents: ['*'] });
    const theirs = await createSession(sim, {}, OTHER_KEY);

    await page.goto(`${sim.url}/_sim/ui`);
    // A key the simulator does not accept is refused with its own words, and nothing opens.
    await page.getByLabel('API key').fill('sk_test_not_on_the_list');
    await page.getByRole('button', { name: 'Open' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('Invalid API key provided');
    expect(await page.evaluate((item) => sessionStorage.getItem(item), KEY_ITEM)).toBeNull();
    await page.getByLabel('API key').fill(TEST_KEY);
    await page.getByRole('button', { name: 'Open' }).click();

    // Landmarks and names a screen reader relies on.
    await page.getByRole('navigation', { name: 'Sections' }).waitFor();
    expect(await page.getByRole('link', { name: 'Payments', exact: true }).getAttribute('aria-current')).toBe('page');
    await page.getByText('No checkout sessions yet.').waitFor();
    await page.getByRole('status').filter({ hasText: 'Live' }).waitFor();
    expect(await unlabelledControls(page)).toEqual([]);

    // Paid through the API while the page is open: it appears without a reload.
    const session = await createSession(sim);
    expect((await pay(session.id)).status).toBe(200);
    await page.getByRole('link', { name: session.id }).click();
    const detail = page.locator('section.detail');
    await detail.getByText('Session: complete').waitFor();
    await expect.poll(() => page.evaluate(() => location.hash)).toBe(`#/payments/${session.id}`);
    expect(await detail.getByRole('heading', { name: 'Status history' }).count()).toBe(1);
    await detail.getByRole('link', { name: 'checkout.session.completed' }).click();

    // The event: its payload and the delivery with the request we sent and the receiver's answer.
    await page.getByRole('heading', { name: 'Webhook deliveries' }).waitFor();
    await expect.poll(() => receiver.received.length).toBeGreaterThan(0);
    const delivery = page.getByRole('article', { name: /^Delivery whdel_/ });
    await delivery.getByText('Attempt 1').waitFor();
    await delivery.getByText('Request sent (headers and body)').click();
    expect(await delivery.getByRole('region', { name: 'Request headers' }).textContent()).toContain('XPay-Signature');
    expect(await delivery.getByRole('region', { name: 'Request body' }).textContent()).toContain('"type": "checkout.session.completed"');
    const completedDeliveries = () => receiver.received.filter((r) => r.body.type === 'checkout.session.completed').length;
    const before = completedDeliveries();
    await delivery.getByRole('button', { name: /^Redeliver / }).click();
    await delivery.getByText('Attempt 2').waitFor();
    expect(completedDeliveries()).toBe(before + 1);

    // Refund part of it from the payment's deep link; the charge and the ledger show it.
    const pi = (await sim.get(`/checkout/sessions/${session.id}`)).body.paymentIntentId as string;
    await page.goto(`${sim.url}/_sim/ui#/payments/${pi}`);
    await page.getByLabel('Amount to refund (minor units)').fill('10000');
    await page.getByLabel('Reason').selectOption('REQUESTED_BY_CUSTOMER');
    await page.getByRole('button', { name: 'Refund', exact: true }).click();
    await page.locator('section.detail').getByRole('link', { name: /^re_/ }).waitFor();
    const refunds = (await sim.get(`/refunds?chargeId=${(await sim.get(`/checkout/sessions/${session.id}`)).body.paymentIntent.latestCharge.id}`)).body;
    expect(refunds.map((r: any) => r.amount)).toEqual([10000]);
    await page.getByRole('link', { name: 'Balance and ledger' }).click();
    await page.getByText('Ledger balances: every invariant holds').waitFor();
    expect(await page.getByRole('cell', { name: 'refund', exact: true }).count()).toBe(1);

    // Another key's session never shows, listed or by deep link.
    await page.getByRole('link', { name: 'Payments', exact: true }).click();
    await page.getByRole('link', { name: session.id }).waitFor();
    expect(await page.getByRole('link', { name: theirs.id }).count()).toBe(0);
    await page.goto(`${sim.url}/_sim/ui#/payments/${theirs.id}`);
    await expect.poll(() => page.locator('section.detail').getByRole('alert').textContent()).toContain(`No such checkout_session: ${theirs.id}`);
    expect(await unlabelledControls(page)).toEqual([]);
  });

  it('advances the clock to expire a session, counts a fault rule firing, and reads in Arabic at phone width', async () => {
    await page.addInitScript(([item, key]) => sessionStorage.setItem(item, key), [KEY_ITEM, TEST_KEY] as const);
    const session = await createSession(sim);
    await page.goto(`${sim.url}/_sim/ui#/clock`);
    await page.getByText('2026-03-01 10:00:00Z').waitFor();
    await page.getByRole('textbox', { name: 'Advance by' }).fill('25h');
    await page.getByRole('button', { name: 'Advance' }).first().click();
    const due = page.getByRole('table', { name: 'What fell due' });
    await due.getByRole('cell', { name: 'checkout.session.expired' }).waitFor();
    expect(await due.getByRole('cell', { name: session.id }).count()).toBe(1);
    await page.getByRole('link', { name: 'Payments', exact: true }).click();
    await page.getByRole('row', { name: new RegExp(session.id) }).getByText('expired').waitFor();

    // A fault rule: its counter moves when the integration's request hits it (seen live).
    await page.getByRole('link', { name: 'Faults' }).click();
    await page.getByText('No fault rules.').waitFor();
    await page.getByLabel('Method').selectOption('POST');
    await page.getByLabel('Path').fill('/customers');
    await page.getByLabel('Fault', { exact: true }).fill('status=503');
    await page.getByRole('button', { name: 'Add fault rule' }).click();
    const fired = page.locator('[data-counter="fired"]');
    await expect.poll(() => fired.textContent()).toBe('0');
    expect((await sim.post('/customers', { name: 'Nour', email: 'nour@example.com' })).status).toBe(503);
    await expect.poll(() => fired.textContent()).toBe('1');
    await page.getByRole('button', { name: /^Remove / }).click();
    await page.getByText('No fault rules.').waitFor();
    expect((await sim.get('/_sim/faults')).body.data).toEqual([]);
    expect(await unlabelledControls(page)).toEqual([]);

    // Arabic turns the page right-to-left; at phone width nothing is wider than the screen.
    await page.getByLabel('Language').selectOption('ar');
    await page.getByRole('navigation', { name: 'الأقسام' }).waitFor();
    expect(await page.evaluate(() => [document.documentElement.dir, document.documentElement.lang])).toEqual(['rtl', 'ar']);
    await page.setViewportSize({ width: 390, height: 800 });
    await page.getByRole('link', { name: 'المدفوعات' }).click();
    await page.getByRole('link', { name: session.id }).waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1)).toBe(true);
  });
});
