// The hosted form over plain HTTP: every step that returns to it (a refused promotion code, a
// quantity change, a form error) keeps what the shopper typed except card number and CVC, and
// words its messages in the session's language; receipts name their status; the favicon.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestSim, type TestSim } from '../helpers/sim.js';
import { createSession, expectCleanHtml, getPage, pagePath, payFields, postForm, THREE_DS_FAILS_CARD } from '../helpers/pages.js';
import { CATALOGUES } from '../../src/pages/i18n.js';
import { escapeHtml } from '../../src/pages/html.js';

let sim: TestSim;
beforeEach(async () => {
  sim = await startTestSim();
});
afterEach(async () => {
  await sim.close();
});

const TYPED = {
  email: 'amina@example.com', name: 'Amina Hassan', phone: '+20 100 000 0000',
  billing_line1: '12 Talaat Harb St', billing_city: 'Cairo', billing_country: 'EG', billing_postalCode: '11511',
  shipping_line1: '3 Road 9', shipping_city: 'Maadi', shipping_country: 'EG', custom_gift_note: 'Happy Eid, Omar',
  cardName: 'Amina Hassan', cardExp: '01 / 39',
};
const SECRETS = { cardNumber: '4000 0000 0000 9995', cardCvc: '987' };

function sessionWithEverything(locale: 'en' | 'ar') {
  return createSession(sim, {
    locale, nameCollection: true, phoneNumberCollection: true, billingAddressCollection: true, allowPromotionCodes: true,
    shippingAddressCollection: true,
    customFields: [{ label: 'Gift note', type: 'TEXT', isOptional: true }],
    lineItems: [{ priceData: { currency: 'EGP', unitAmount: 20000, productData: { name: 'Mug' } }, quantity: 1, adjustableQuantity: { enabled: true, maximum: 5 } }],
  });
}

function expectKept(text: string): void {
  for (const [name, value] of Object.entries(TYPED)) expect(text, name).toMatch(new RegExp(`name="${name}"[^>]*value="${escapeHtml(value).replace(/[+()]/g, '\\$&')}"`));
  expect(text).not.toContain(SECRETS.cardNumber);
  expect(text).not.toContain(SECRETS.cardCvc);
}

describe('state kept on the way back to the form', () => {
  it('after a refused promotion code: every field but card number and CVC, the refusal in Arabic on the focused code field', async () => {
    const s = await sessionWithEverything('ar');
    const res = await postForm(sim, `${pagePath(s)}/promo`, { ...TYPED, ...SECRETS, code: 'NOPE' });
    expect(res.status).toBe(400);
    expectCleanHtml(res);
    expectKept(res.text);
    expect(res.text).toContain(`id="f-code-error">${CATALOGUES.ar.serviceErrors.promotion_code_not_found.replace('{code}', 'NOPE')}<`);
    expect(res.text).toMatch(/id="f-code"[^>]*aria-invalid="true" aria-describedby="f-code-error" autofocus>/);
    // The summary first in the form links to the field.
    expect(res.text).toMatch(/<form class="layout"[^>]*>\s*<div class="alert summary" role="alert" id="errors" tabindex="-1"><p>[^<]+<\/p><ul><li><a href="#f-code">/);
  });

  it('after a failed 3-D Secure challenge (no form post to refill from): everything from the stored attempt', async () => {
    const s = await sessionWithEverything('en');
    const pay = await postForm(sim, pagePath(s), { ...TYPED, cardNumber: THREE_DS_FAILS_CARD, cardCvc: '987' });
    expect(pay.status).toBe(303);
    const failed = await postForm(sim, new URL(pay.location!, sim.url).pathname, { result: 'complete' });
    expect(failed.status).toBe(402);
    expectKept(failed.text);
    expect(failed.text).toContain('<p>Your card could not be authenticated. Try again or use another card.</p>');
  });

  it('after a quantity change: the new total and every typed field', async () => {
    const s = await sessionWithEverything('en');
    const li = s.lineItems[0].id;
    const res = await postForm(sim, `${pagePath(s)}/quantity`, { ...TYPED, ...SECRETS, [`qty_${li}`]: '3', lineItem: li });
    expect(res.status).toBe(200);
    expect(res.text).toContain('Pay EGP 600.00');
    expectKept(res.text);
    // A quantity out of bounds is worded with the line's own bounds, in the page language.
    const ar = await sessionWithEverything('ar');
    const arLine = ar.lineItems[0].id;
    const tooMany = await postForm(sim, `${pagePath(ar)}/quantity`, { ...TYPED, [`qty_${arLine}`]: '9', lineItem: arLine });
    expect(tooMany.status).toBe(400);
    expect(tooMany.text).toContain(`id="f-qty_${arLine}-error">اختر كمية من 1 إلى 5.<`);
    expectKept(tooMany.text);
  });

  it('after form errors: Arabic messages, a summary linking each field, focus on the first', async () => {
    const s = await sessionWithEverything('ar');
    const res = await postForm(sim, pagePath(s), { email: 'not-an-email', cardExp: '13' });
    expect(res.status).toBe(400);
    const t = CATALOGUES.ar;
    expect(res.text).toMatch(/id="f-email"[^>]*aria-invalid="true" aria-describedby="f-email-error" autofocus>/);
    expect(res.text.match(/ autofocus/g)).toHaveLength(1);
    expect(res.text).toContain(`<a href="#f-email">${t.badEmail}</a>`);
    expect(res.text).toContain(`<a href="#f-name">${t.required}</a>`);
    expect(res.text).toContain(`<a href="#f-cardExp">${t.badExp}</a>`);
    expect(res.text).not.toMatch(/This field|Enter a valid/);
  });
});

describe('receipts', () => {
  it('names the status in words (paid, then partially refunded), never the API enum', async () => {
    const s = await createSession(sim, { locale: 'ar' });
    await postForm(sim, pagePath(s), payFields());
    const charge = (await sim.get(`/checkout/sessions/${s.id}`)).body.paymentIntent.latestCharge;
    const receiptPath = new URL(charge.receiptUrl).pathname;
    const paid = await getPage(sim, receiptPath);
    expect(paid.text).toContain(`data-testid="status">${CATALOGUES.ar.chargeStatuses.SUCCEEDED}<`);
    expect(paid.text).not.toContain('SUCCEEDED');
    expect((await sim.post('/refunds', { chargeId: charge.id, amount: 50000 })).status).toBeLessThan(300);
    const refunded = await getPage(sim, receiptPath);
    expect(refunded.text).toContain(`data-testid="status">${CATALOGUES.ar.chargeStatuses.PARTIALLY_REFUNDED}<`);
    expect(refunded.text).not.toContain('PARTIALLY_REFUNDED');
  });
});

describe('favicon', () => {
  it('answers /favicon.ico with an icon (not the JSON 404) and every page links the SVG one', async () => {
    const ico = await fetch(`${sim.url}/favicon.ico`);
    expect(ico.status).toBe(200);
    expect(ico.headers.get('content-type')).toBe('image/x-icon');
    const bytes = Buffer.from(await ico.arrayBuffer());
    expect([...bytes.subarray(0, 6)]).toEqual([0, 0, 1, 0, 1, 0]);
    expect(bytes.subarray(22, 26).toString('latin1')).toBe('\x89PNG');
    const svg = await fetch(`${sim.url}/assets/favicon.svg`);
    expect(svg.headers.get('content-type')).toMatch(/^image\/svg\+xml/);
    expect(await svg.text()).toMatch(/^<svg /);
    const s = await createSession(sim);
    expect((await getPage(sim, pagePath(s))).text).toContain('<link rel="icon" href="/assets/favicon.svg" type="image/svg+xml">');
  });
});

describe('payment link pages', () => {
  it("follow the browser's language (links carry none), and the session made from the link keeps it", async () => {
    const created = await sim.post('/payment-links', {
      afterCompletion: { type: 'redirect', redirect: { url: 'https://shop.example/done' } },
      lineItems: [{ priceId: 'price_coffee_beans_egp', quantity: 1, adjustableQuantity: { enabled: true, maximum: 3 } }],
    });
    const path = new URL(created.headers.get('xpay-sim-page-url')!).pathname;
    const arabic = { 'Accept-Language': 'ar-EG,ar;q=0.9,en;q=0.5' };
    const page = await fetch(sim.url + path, { headers: arabic });
    const text = await page.text();
    expect(text).toContain('<html lang="ar" dir="rtl">');
    expect(text).toContain(`>${CATALOGUES.ar.continue}</button>`);
    expect((await (await fetch(sim.url + path, { headers: { 'Accept-Language': 'en-GB,en;q=0.9' } })).text())).toContain('<html lang="en" dir="ltr">');
    const lineId = created.body.lineItems[0].id;
    const tooMany = await fetch(sim.url + path, { method: 'POST', redirect: 'manual', headers: { ...arabic, 'Content-Type': 'application/x-www-form-urlencoded' }, body: `qty_${lineId}=7` });
    expect(tooMany.status).toBe(400);
    expect(await tooMany.text()).toContain('اختر كمية من 1 إلى 3.');
    const go = await fetch(sim.url + path, { method: 'POST', redirect: 'manual', headers: { ...arabic, 'Content-Type': 'application/x-www-form-urlencoded' }, body: `qty_${lineId}=2` });
    expect(go.status).toBe(303);
    const sessionId = go.headers.get('location')!.split('/').pop()!;
    expect((await sim.get(`/checkout/sessions/${sessionId}`)).body.locale).toBe('ar');
  });
});

describe('pages with no session to take a language from', () => {
  it("answer an unknown page, a missing receipt and a post from another site in the browser's language", async () => {
    const arabic = { 'Accept-Language': 'ar-EG,ar;q=0.9,en;q=0.5' };
    const s = await createSession(sim);
    const nsPath = pagePath(s).split('/').slice(0, 3).join('/');
    for (const path of [`${nsPath}/cs_test_none`, '/receipts/nothing/ch_test_none', '/c/nothing-here']) {
      const page = await fetch(sim.url + path, { headers: arabic });
      expect(page.status, path).toBe(404);
      const text = await page.text();
      expect(text, path).toContain('<html lang="ar" dir="rtl">');
      expect(text, path).toContain(escapeHtml(CATALOGUES.ar.notFound));
      expect((await (await fetch(sim.url + path)).text()), path).toContain(escapeHtml(CATALOGUES.en.notFound));
    }
    const foreign = await fetch(sim.url + pagePath(s), {
      method: 'POST', redirect: 'manual',
      headers: { ...arabic, Origin: 'https://elsewhere.example', 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'email=a%40example.com',
    });
    expect(foreign.status).toBe(403);
    const refused = await foreign.text();
    expect(refused).toContain('<html lang="ar" dir="rtl">');
    expect(refused).toContain(escapeHtml(CATALOGUES.ar.foreignOrigin));
    expect((await sim.get(`/checkout/sessions/${s.id}`)).body.status).toBe('open');
  });
});
