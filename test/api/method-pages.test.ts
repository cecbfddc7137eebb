import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestSim, type TestSim } from '../helpers/sim.js';
import { createSession, expectCleanHtml, getPage, pagePath, postForm } from '../helpers/pages.js';

let sim: TestSim;
beforeEach(async () => {
  sim = await startTestSim();
});
afterEach(() => sim.close());

const contact = { email: 'amina@example.com' };

describe('payment methods on the hosted and embedded pages', () => {
  it('lists the session methods as links and shows the chosen one’s own fields, without JavaScript', async () => {
    const s = await createSession(sim, { paymentMethodTypes: ['card', 'valu', 'cash_on_delivery'] });
    const page = await getPage(sim, `${pagePath(s)}?method=valu`);
    expectCleanHtml(page);
    expect(page.text).not.toContain('<script');
    expect(page.text).toContain(`href="${pagePath(s)}?method=cash_on_delivery"`);
    expect(page.text).toMatch(/aria-current="true" data-method="valu"/);
    expect(page.text).toContain('name="method" value="valu"');
    expect(page.text).toContain('Months to pay over');
    expect(page.text).not.toContain('name="cardNumber"');
    // An unknown method falls back to the session's first.
    expect((await getPage(sim, `${pagePath(s)}?method=bitcoin`)).text).toContain('name="method" value="card"');
  });

  it('walks BNPL on the embedded page: phone and tenure, then the OTP, staying inside the frame', async () => {
    const s = await createSession(sim, { uiMode: 'embedded', afterCompletion: { type: 'redirect', redirect: { url: 'https://shop.example/done' } }, paymentMethodTypes: ['valu'] });
    const path = `${pagePath(s)}?embed=true`;
    const first = await postForm(sim, path, { ...contact, method: 'valu', methodPhone: '01000000000', tenure: '12' });
    expect(first.status).toBe(200);
    expect(first.text).toContain('Verification code (OTP)');
    expect(first.text).toContain('name="otpStep" value="1"');
    expect(first.text).toContain(`action="${path}"`);
    const paid = await postForm(sim, path, { ...contact, method: 'valu', methodPhone: '01000000000', tenure: '12', otpStep: '1', otp: '123456' });
    expect(paid.status).toBe(303);
    // The SDK window stays on its own completion page; the SDK hands redirectUrl to the merchant page.
    expect(paid.location).toBe(path);
    expect((await getPage(sim, path)).text).toContain('&quot;redirectUrl&quot;:&quot;https://shop.example/done&quot;');
    const after = (await sim.get(`/checkout/sessions/${s.id}`)).body;
    expect(after.paymentIntent.latestCharge.paymentMethodDetails.valu).toMatchObject({ tenure: 12 });
  });

  it('asks for the code again when the OTP step is sent empty', async () => {
    const s = await createSession(sim, { paymentMethodTypes: ['we_pay'] });
    const res = await postForm(sim, pagePath(s), { ...contact, method: 'we_pay', methodPhone: '01000000000', otpStep: '1', otp: '' });
    expect(res.status).toBe(400);
    expect(res.text).toContain('aria-invalid="true" aria-describedby="f-otp-error"');
  });

  it('places a cash-on-delivery order and shows it confirmed but unpaid', async () => {
    const s = await createSession(sim, { paymentMethodTypes: ['cash_on_delivery'] });
    expect((await postForm(sim, pagePath(s), { ...contact, method: 'cash_on_delivery' })).status).toBe(400);
    const placed = await postForm(sim, pagePath(s), { ...contact, method: 'cash_on_delivery', methodPhone: '01012345678' });
    expect(placed.status).toBe(303);
    const page = await getPage(sim, pagePath(s));
    expect(page.text).toContain('Your order is confirmed');
    expect((await sim.get(`/checkout/sessions/${s.id}`)).body).toMatchObject({ status: 'complete', paymentStatus: 'unpaid', customerDetails: { phone: '01012345678' } });
  });

  it('shows a kiosk reference in Arabic, right to left, with the number kept left to right', async () => {
    const s = await createSession(sim, { locale: 'ar', paymentMethodTypes: ['aman'] });
    await postForm(sim, pagePath(s), { ...contact, method: 'aman' });
    const page = await getPage(sim, pagePath(s));
    expect(page.text).toContain('dir="rtl"');
    expect(page.text).toContain('طلبك في انتظار الدفع');
    const ref = (await sim.get(`/checkout/sessions/${s.id}`)).body.paymentIntent.nextAction.displayVoucherDetails.reference;
    expect(page.text).toContain(`<strong data-testid="reference" dir="ltr">${ref}</strong>`);
    expect(page.text).toContain('ادفع في أي منفذ أمان');
  });

  it('shows a failed pay-later payment as not paid', async () => {
    const s = await createSession(sim, { paymentMethodTypes: ['fawry'] });
    await postForm(sim, pagePath(s), { ...contact, method: 'fawry' });
    const pi = (await sim.get(`/checkout/sessions/${s.id}`)).body.paymentIntent.id;
    await sim.post(`/_sim/payment-intents/${pi}/settle`, { outcome: 'failed' });
    expect((await getPage(sim, pagePath(s))).text).toContain('This payment did not go through');
  });
});
