// Helpers for the hosted-page tests: sessions with sensible defaults, form posts, and
// checks that a page is plain HTML without leaked internals.
import { expect } from 'vitest';
import type { TestSim } from './sim.js';

export const GOOD_CARD = { cardNumber: '5123 4500 0000 0008', cardExp: '01 / 39', cardCvc: '100', cardName: 'Amina Hassan' };
/** Insufficient funds (a decline with advice, so the intent's lastPaymentError meets XPay's contract). */
export const DECLINED_CARD = '4000 0000 0000 9995';
export const THREE_DS_CARD = '4000 0000 0000 3220';
export const THREE_DS_FAILS_CARD = '4000 0000 0000 3246';

export function sessionBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    afterCompletion: { type: 'redirect', redirect: { url: 'https://shop.example/done?session={CHECKOUT_SESSION_ID}' } },
    lineItems: [{ priceData: { currency: 'EGP', unitAmount: 149900, productData: { name: 'Custom order #4231' } }, quantity: 1 }],
    ...overrides,
  };
}

export async function createSession(sim: TestSim, overrides: Record<string, unknown> = {}, key?: string): Promise<any> {
  const res = await sim.post('/checkout/sessions', sessionBody(overrides), key ? { key } : {});
  if (res.status !== 201) throw new Error(`session create failed: ${res.status} ${res.text}`);
  return res.body;
}

/** Path of a session's hosted page, from the url the API handed out (it names the namespace). */
export function pagePath(session: { url: string }): string {
  return new URL(session.url).pathname;
}

/** Path of a payment link's page, from the XPay-Sim-Page-Url header the API answered with. */
export function linkPath(link: { pageUrl: string | null }): string {
  if (!link.pageUrl) throw new Error('payment link without XPay-Sim-Page-Url');
  return new URL(link.pageUrl).pathname;
}

export interface PageResponse {
  status: number;
  text: string;
  location: string | null;
  contentType: string | null;
}

export async function getPage(sim: TestSim, path: string): Promise<PageResponse> {
  const res = await fetch(sim.url + path, { redirect: 'manual' });
  return { status: res.status, text: await res.text(), location: res.headers.get('location'), contentType: res.headers.get('content-type') };
}

export async function postForm(sim: TestSim, path: string, fields: Record<string, string>): Promise<PageResponse> {
  const res = await fetch(sim.url + path, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });
  return { status: res.status, text: await res.text(), location: res.headers.get('location'), contentType: res.headers.get('content-type') };
}

/** An HTML page, not JSON, and no stack trace or file path anywhere in it. */
export function expectCleanHtml(page: PageResponse): void {
  expect(page.contentType).toMatch(/^text\/html/);
  expect(page.text).toMatch(/^<!doctype html>/i);
  expect(page.text).not.toMatch(/\bat [\w.<>]+ \(|node_modules|\/src\/|Error:/);
}

export function payFields(card: Partial<typeof GOOD_CARD> = {}, extra: Record<string, string> = {}): Record<string, string> {
  return { email: 'amina@example.com', ...GOOD_CARD, ...card, ...extra };
}
