// What every SDK browser test needs: Chromium, a merchant site on its own origin, a fresh
// simulator with a webhook receiver subscribed to checkout.session.completed, and a page.
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { FROZEN_NOW, startTestSim, type TestSim } from './sim.js';
import { launchChromium } from './chromium.js';
import { startMerchantSite, type MerchantSite } from './merchant-site.js';
import { startReceiver, type Receiver } from './webhook-receiver.js';
import { drainDeliveries } from '../../src/webhooks/outbox.js';

export const TEST_PK = 'pk_test_xpaysim_tests';

export interface SdkBrowserEnv {
  sim: TestSim;
  site: MerchantSite;
  receiver: Receiver;
  page: Page;
}

/** Registers the hooks of a describe block; the returned object's fields are fresh in each test. */
export function useSdkBrowser(): SdkBrowserEnv {
  const env = {} as SdkBrowserEnv;
  let browser: Browser;
  let context: BrowserContext;
  beforeAll(async () => {
    browser = await launchChromium();
    env.site = await startMerchantSite();
  });
  afterAll(async () => {
    await browser?.close();
    await env.site?.close();
  });
  beforeEach(async () => {
    env.sim = await startTestSim();
    env.receiver = await startReceiver({ nowSec: () => Math.floor(Date.parse(FROZEN_NOW) / 1000), defaultStatus: 200 });
    const endpoint = await env.sim.post('/webhook-endpoints', { url: env.receiver.url, enabledEvents: ['checkout.session.completed'] });
    env.receiver.secret = endpoint.body.secret;
    context = await browser.newContext();
    env.page = await context.newPage();
  });
  afterEach(async () => {
    await context.close();
    await env.receiver.close();
    await env.sim.close();
  });
  return env;
}

/** The page's `window.log` (what the merchant code noted) and a wait for an entry. */
export function pageLog(env: SdkBrowserEnv) {
  const log = (): Promise<Array<{ name: string; value: any }>> => env.page.evaluate(() => (window as any).log);
  return {
    log,
    named: async (name: string) => (await log()).filter((e) => e.name === name).map((e) => e.value),
    waitFor: (name: string) => env.page.waitForFunction((n) => (window as any).log.some((e: { name: string }) => e.name === n), name),
  };
}

/** After a payment: the API shows the session paid, and the signed completed webhook reached the merchant. */
export async function expectPaidAndNotified(env: SdkBrowserEnv, id: string): Promise<void> {
  expect((await env.sim.get(`/checkout/sessions/${id}`)).body).toMatchObject({ status: 'complete', paymentStatus: 'paid' });
  await drainDeliveries(env.sim.sim);
  expect(env.receiver.received.map((r) => [r.body.type, r.body.data.object.id, r.verified])).toEqual([['checkout.session.completed', id, true]]);
}
