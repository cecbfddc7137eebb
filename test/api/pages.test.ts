// The hosted pages over plain HTTP: status codes, redirects, escaping, and that every answer
// is an HTML page rather than JSON or a stack trace.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestSim, type TestSim } from '../helpers/sim.js';
import { createSession, DECLINED_CARD, expectCleanHtml, getPage, linkPath, pagePath, payFields, postForm, THREE_DS_CARD, THREE_DS_FAILS_CARD } from '../helpers/pages.js';

let sim: TestSim;
beforeEach(async () => {
  sim = await startTestSim();
});
afterEach(async () => {
  await sim.close();
});

const pathOf = (url: string) => new URL(url).pathname + new URL(url).search;

describe('GET /c/{id}', () => {
  it('renders an open hosted session with its items, total and a labelled card form', async () => {
    const s = await createSession(sim, { cancelUrl: 'https://shop.example/cart' });
    const page = await getPage(sim, pathOf(s.url));
    expect(page.status).toBe(200);
    expectCleanHtml(page);
    expect(page.text).toContain('Custom order #4231');
    expect(page.text).toContain('Pay EGP 1,499.00');
    expect(page.text).toContain('<meta name="viewport"');
    for (const auto of ['cc-name', 'cc-number', 'cc-exp', 'cc-csc', 'email']) expect(page.text).toContain(`autocomplete="${auto}"`);
    for (const id of ['f-cardName', 'f-cardNumber', 'f-cardExp', 'f-cardCvc', 'f-email']) expect(page.text).toContain(`<label for="${id}">`);
    expect(page.text).toContain(`<form class="layout" method="post" action="${pagePath(s)}">`);
    expect(page.text).toContain('href="https://shop.example/cart"');
  });

  it('escapes merchant-provided strings such as product names', async () => {
    const s = await createSession(sim, {
      lineItems: [{ priceData: { currency: 'EGP', unitAmount: 1000, productData: { name: '<script>alert("x")</script>', description: '"><img src=x onerror=alert(1)>' } }, quantity: 1 }],
    });
    const page = await getPage(sim, `${pagePath(s)}`);
    expect(page.status).toBe(200);
    expect(page.text).not.toContain('<script>alert');
    expect(page.text).not.toContain('<img src=x');
    expect(page.text).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
  });

  it('never turns a javascript: cancelUrl or returnUrl into a link, even if one got stored', async () => {
    // The API refuses such URLs (see checkout-sessions tests); this plants them in the store to
    // prove the page does not rely on that alone.
    const s = await createSession(sim, { cancelUrl: 'https://shop.example/cart', afterCompletion: { type: 'hosted_confirmation', hostedConfirmation: { returnUrl: 'https://shop.example/' } } });
    const ns = [...sim.sim.namespaces.values()][0]!;
    const stored = ns.db.checkoutSessions.get(s.id)! as Record<string, any>;
    ns.db.checkoutSessions.set(s.id, { ...stored, id: s.id, cancelUrl: 'javascript:alert(1)', afterCompletion: { type: 'hosted_confirmation', hostedConfirmation: { customMessage: null, returnUrl: 'javascript:alert(2)' } } });
    const page = await getPage(sim, `${pagePath(s)}`);
    expect(page.text).not.toContain('javascript:');
    await postForm(sim, `${pagePath(s)}`, payFields());
    const done = await getPage(sim, `${pagePath(s)}`);
    expect(done.text).toContain('Thank you for your payment');
    expect(done.text).not.toContain('javascript:');
  });

  it('answers an unknown session with a 404 HTML page', async () => {
    const page = await getPage(sim, '/c/cs_test_doesnotexist');
    expect(page.status).toBe(404);
    expectCleanHtml(page);
    expect(page.text).toContain('Page not found');
  });

  it('formats three-decimal currencies with three decimals', async () => {
    const s = await createSession(sim, { currency: 'KWD', lineItems: [{ priceData: { currency: 'KWD', unitAmount: 12345, productData: { name: 'Dates' } }, quantity: 1 }] });
    const page = await getPage(sim, `${pagePath(s)}`);
    expect(page.text).toContain('Pay KWD 12.345');
  });

  it('names the submit button after submitType', async () => {
    const s = await createSession(sim, { submitType: 'DONATE' });
    expect((await getPage(sim, `${pagePath(s)}`)).text).toContain('>Donate EGP 1,499.00</button>');
  });

  it('renders Arabic sessions right to left', async () => {
    const s = await createSession(sim, { locale: 'ar' });
    const page = await getPage(sim, `${pagePath(s)}`);
    expect(page.text).toContain('<html lang="ar" dir="rtl">');
    expect(page.text).toContain('رقم البطاقة');
  });

  it('shows embedded sessions only inside the SDK window (?embed=true)', async () => {
    const s = await createSession(sim, { uiMode: 'embedded' });
    expect((await getPage(sim, `${pagePath(s)}`)).status).toBe(404);
    const framed = await fetch(`${sim.url}${pagePath(s)}?embed=true`);
    expect(framed.headers.get('x-frame-options')).toBeNull();
    expect(framed.headers.get('content-security-policy')).toContain('frame-ancestors *');
    const page = await getPage(sim, `${pagePath(s)}?embed=true`);
    expect(page.status).toBe(200);
    expect(page.text).toContain(`action="${pagePath(s)}?embed=true"`);
  });

  it('shows an expired page once the clock passes expiresAt', async () => {
    const s = await createSession(sim, { expiresAfterMinutes: 60 });
    expect((await sim.post('/_sim/clock/advance', { by: '2h' })).status).toBe(200);
    const page = await getPage(sim, `${pagePath(s)}`);
    expect(page.status).toBe(410);
    expectCleanHtml(page);
    expect(page.text).toContain('This checkout session has expired');
    expect(page.text).not.toContain('<form');
  });

  it('shows an expired page after POST /expire, and a POST cannot pay it', async () => {
    const s = await createSession(sim);
    await sim.post(`/checkout/sessions/${s.id}/expire`, {});
    const page = await postForm(sim, `${pagePath(s)}`, payFields());
    expect(page.status).toBe(410);
    expect(page.text).toContain('This checkout session has expired');
  });
});

describe('POST /c/{id}', () => {
  it('pays with the test card and redirects to the completion URL with the session id', async () => {
    const s = await createSession(sim);
    const res = await postForm(sim, `${pagePath(s)}`, payFields());
    expect(res.status).toBe(303);
    expect(res.location).toBe(`https://shop.example/done?session=${s.id}`);
    const after = await sim.get(`/checkout/sessions/${s.id}`);
    expect(after.body).toMatchObject({ status: 'complete', paymentStatus: 'paid' });
    const done = await getPage(sim, `${pagePath(s)}`);
    expect(done.text).toContain('This payment is complete');
  });

  it('shows a decline in role=alert, keeps the session open and lets the shopper retry', async () => {
    const s = await createSession(sim);
    const declined = await postForm(sim, `${pagePath(s)}`, payFields({ cardNumber: DECLINED_CARD }));
    expect(declined.status).toBe(402);
    expectCleanHtml(declined);
    expect(declined.text).toMatch(/<div class="alert summary" role="alert" id="errors"[^>]*><p>Your card has insufficient funds\.<\/p><\/div>/);
    // The message also sits under the card number, which the page focuses for the retry.
    expect(declined.text).toMatch(/id="f-cardNumber"[^>]*aria-invalid="true" aria-describedby="f-cardNumber-error" autofocus>/);
    expect(declined.text).toContain('value="amina@example.com"');
    expect(declined.text).not.toContain('4000 0000 0000 9995');
    expect((await sim.get(`/checkout/sessions/${s.id}`)).body.status).toBe('open');
    const retry = await postForm(sim, `${pagePath(s)}`, payFields());
    expect(retry.status).toBe(303);
    const after = (await sim.get(`/checkout/sessions/${s.id}`)).body;
    expect(after.status).toBe('complete');
    expect(after.paymentIntent.charges.map((c: { status: string }) => c.status)).toEqual(['FAILED', 'SUCCEEDED']);
  });

  it('puts a card validation error next to its field with aria-invalid', async () => {
    const s = await createSession(sim);
    const res = await postForm(sim, `${pagePath(s)}`, payFields({ cardNumber: '4242 4242 4242 4241' }));
    expect(res.status).toBe(400);
    expect(res.text).toMatch(/id="f-cardNumber"[^>]*aria-invalid="true" aria-describedby="f-cardNumber-error"/);
    expect(res.text).toContain('<span class="field-error" id="f-cardNumber-error">');
  });

  it('asks for missing fields without calling the payment service', async () => {
    const s = await createSession(sim, { nameCollection: true });
    const res = await postForm(sim, `${pagePath(s)}`, { cardNumber: '5123450000000008' });
    expect(res.status).toBe(400);
    for (const f of ['email', 'name', 'cardExp', 'cardCvc']) expect(res.text).toContain(`id="f-${f}-error"`);
    expect((await sim.get(`/checkout/sessions/${s.id}`)).body.paymentIntent).toBeNull();
  });

  it('sends 3-D Secure cards to the challenge page; Complete pays the session', async () => {
    const s = await createSession(sim);
    const res = await postForm(sim, `${pagePath(s)}`, payFields({ cardNumber: THREE_DS_CARD }));
    expect(res.status).toBe(303);
    expect(res.location).toMatch(new RegExp(`/3ds/ns_[\\w-]{22}/${s.id}/ch_test_\\w+$`));
    const challenge = await getPage(sim, pathOf(res.location!));
    expect(challenge.status).toBe(200);
    expect(challenge.text).toContain('>Complete</button>');
    const done = await postForm(sim, pathOf(res.location!), { result: 'complete' });
    expect(done.status).toBe(303);
    expect(done.location).toBe(`https://shop.example/done?session=${s.id}`);
  });

  it('links back to an unfinished 3-D Secure challenge when the shopper returns to the checkout', async () => {
    const s = await createSession(sim);
    const res = await postForm(sim, `${pagePath(s)}`, payFields({ cardNumber: THREE_DS_CARD }));
    const page = await getPage(sim, `${pagePath(s)}`);
    expect(page.text).toContain(`<a href="${res.location}">Finish confirming your previous payment attempt</a>`);
  });

  it('returns to the form with an alert when the 3-D Secure challenge fails', async () => {
    const s = await createSession(sim);
    const res = await postForm(sim, `${pagePath(s)}`, payFields({ cardNumber: THREE_DS_FAILS_CARD }));
    const failed = await postForm(sim, pathOf(res.location!), { result: 'complete' });
    expect(failed.status).toBe(402);
    expect(failed.text).toContain('role="alert"');
    expect((await sim.get(`/checkout/sessions/${s.id}`)).body.status).toBe('open');
    // The challenge is spent: opening it again leads back to the checkout.
    expect((await getPage(sim, pathOf(res.location!))).location).toBe(`${pagePath(s)}`);
  });

  it('shows the hosted confirmation with its message and return link', async () => {
    const s = await createSession(sim, { afterCompletion: { type: 'hosted_confirmation', hostedConfirmation: { customMessage: 'Your order <#7> is on its way', returnUrl: 'https://shop.example/' } } });
    const res = await postForm(sim, `${pagePath(s)}`, payFields());
    expect(res.status).toBe(303);
    expect(res.location).toBe(`${pagePath(s)}`);
    const page = await getPage(sim, res.location!);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Your order &lt;#7&gt; is on its way');
    expect(page.text).toContain('href="https://shop.example/"');
  });
});

describe('promotion codes and quantities', () => {
  it('applies a promotion code and shows the discounted total', async () => {
    const s = await createSession(sim, { allowPromotionCodes: true });
    const res = await postForm(sim, `${pagePath(s)}/promo`, { code: 'save50', email: 'a@example.com' });
    expect(res.status).toBe(200);
    expect(res.text).toContain('Pay EGP 1,449.00');
    expect(res.text).toContain('<strong><bdi>SAVE50</bdi></strong>');
    expect(res.text).toContain('value="a@example.com"');
    const removed = await postForm(sim, `${pagePath(s)}/promo`, { remove: '1' });
    expect(removed.text).toContain('Pay EGP 1,499.00');
  });

  it('shows an unknown promotion code as an error on the code field', async () => {
    const s = await createSession(sim, { allowPromotionCodes: true });
    const res = await postForm(sim, `${pagePath(s)}/promo`, { code: 'NOPE' });
    expect(res.status).toBe(400);
    expect(res.text).toMatch(/id="f-code"[^>]*aria-invalid="true"/);
  });

  it('shows a refused code page-wide when the session takes no promotion codes', async () => {
    const s = await createSession(sim);
    const res = await postForm(sim, `${pagePath(s)}/promo`, { code: 'SAVE50' });
    expect(res.status).toBe(400);
    expect(res.text).toMatch(/role="alert"[^>]*><p>This checkout session does not accept promotion codes\.</);
  });

  it('changes an adjustable quantity and re-renders the totals', async () => {
    const s = await createSession(sim, {
      lineItems: [{ priceData: { currency: 'EGP', unitAmount: 10000, productData: { name: 'Mug' } }, quantity: 1, adjustableQuantity: { enabled: true, maximum: 5 } }],
    });
    const li = s.lineItems[0].id;
    const res = await postForm(sim, `${pagePath(s)}/quantity`, { [`qty_${li}`]: '3', lineItem: li });
    expect(res.status).toBe(200);
    expect(res.text).toContain('Pay EGP 300.00');
    const tooMany = await postForm(sim, `${pagePath(s)}/quantity`, { [`qty_${li}`]: '9', lineItem: li });
    expect(tooMany.status).toBe(400);
    expect(tooMany.text).toContain(`id="f-qty_${li}-error"`);
  });
});

describe('receipts and unknown pages', () => {
  it('serves a receipt for a paid charge and 404 for anything else', async () => {
    const s = await createSession(sim);
    await postForm(sim, `${pagePath(s)}`, payFields());
    const charge = (await sim.get(`/checkout/sessions/${s.id}`)).body.paymentIntent.charges[0];
    const receipt = await getPage(sim, pathOf(charge.receiptUrl));
    expect(receipt.status).toBe(200);
    expect(receipt.text).toContain('EGP 1,499.00');
    expect(receipt.text).toContain('0008');
    expect((await getPage(sim, '/receipts/ch_test_nope')).status).toBe(404);
    // Without its namespace token (an old-style URL) a real charge is not found either.
    expect((await getPage(sim, `/receipts/${charge.id}`)).status).toBe(404);
  });

  it('answers unknown page paths and malformed bodies with HTML, not stack traces', async () => {
    expectCleanHtml(await getPage(sim, '/3ds/cs_test_x/ch_test_y'));
    const s = await createSession(sim);
    const res = await fetch(`${sim.url}/c/${s.id}`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'a='.repeat(70_000) });
    expect(res.status).toBe(413);
    expectCleanHtml({ status: res.status, text: await res.text(), location: null, contentType: res.headers.get('content-type') });
  });
});

describe('GET/POST /p/{linkId}', () => {
  async function createLink(overrides: Record<string, unknown> = {}): Promise<any> {
    const res = await sim.post('/payment-links', {
      afterCompletion: { type: 'redirect', redirect: { url: 'https://shop.example/thanks/{CHECKOUT_SESSION_ID}' } },
      lineItems: [
        { priceId: 'price_coffee_beans_egp', quantity: 1, adjustableQuantity: { enabled: true, minimum: 1, maximum: 3 } },
        { priceId: 'price_tshirt_egp', quantity: 2 },
      ],
      customFields: [{ label: 'Gift message', type: 'TEXT', isOptional: false }],
      ...overrides,
    });
    if (res.status !== 201) throw new Error(`link create failed: ${res.status} ${res.text}`);
    return { ...res.body, pageUrl: res.headers.get('xpay-sim-page-url') };
  }

  it('shows the link items with an adjustable quantity and its custom fields', async () => {
    const link = await createLink();
    const page = await getPage(sim, linkPath(link));
    expect(page.status).toBe(200);
    expectCleanHtml(page);
    expect(page.text).toContain('Cairo Roast Coffee Beans');
    expect(page.text).toContain('EGP 1,848.00');
    expect(page.text).toContain(`name="qty_${link.lineItems[0].id}"`);
    expect(page.text).not.toContain(`name="qty_${link.lineItems[1].id}"`);
    expect(page.text).toContain('<label for="f-custom_gift_message"><bdi>Gift message</bdi></label>');
  });

  it('creates a session from the link with the chosen quantity and opens its checkout', async () => {
    const link = await createLink();
    const res = await postForm(sim, linkPath(link), { [`qty_${link.lineItems[0].id}`]: '2', custom_gift_message: 'Happy Eid' });
    expect(res.status).toBe(303);
    const sessionId = /^\/c\/ns_[\w-]{22}\/(cs_test_\w+)$/.exec(res.location!)?.[1];
    expect(sessionId).toBeTruthy();
    const session = (await sim.get(`/checkout/sessions/${sessionId}`)).body;
    expect(session).toMatchObject({ status: 'open', amountTotal: 2 * 85000 + 2 * 49900, paymentLinkId: link.id });
    const checkout = await getPage(sim, res.location!);
    expect(checkout.text).toContain('Pay EGP 2,698.00');
    expect(checkout.text).toContain('value="Happy Eid"');
    const paid = await postForm(sim, res.location!, payFields({}, { custom_gift_message: 'Happy Eid' }));
    expect(paid.location).toBe(`https://shop.example/thanks/${sessionId}`);
  });

  it('refuses a quantity outside the link bounds next to its input', async () => {
    const link = await createLink();
    const res = await postForm(sim, linkPath(link), { [`qty_${link.lineItems[0].id}`]: '7', custom_gift_message: 'x' });
    expect(res.status).toBe(400);
    expect(res.text).toContain(`id="f-qty_${link.lineItems[0].id}-error"`);
  });

  it('shows inactive and expired links as pages without a form, and unknown links as 404', async () => {
    const inactive = await createLink();
    await sim.patch(`/payment-links/${inactive.id}`, { active: false });
    const off = await getPage(sim, linkPath(inactive));
    expect(off.status).toBe(410);
    expect(off.text).toContain('This payment link is no longer active');
    const expiring = await createLink({ expiresAt: '2026-03-01T11:00:00.000Z' });
    await sim.post('/_sim/clock/advance', { by: '2h' });
    const gone = await getPage(sim, linkPath(expiring));
    expect(gone.text).toContain('This payment link has expired');
    expect(gone.text).not.toContain('<form');
    expect((await postForm(sim, linkPath(expiring), {})).status).toBe(410);
    expect((await getPage(sim, '/p/plink_nope')).status).toBe(404);
    expect((await getPage(sim, `/p/${inactive.id}`)).status).toBe(404);
  });
});

describe('sessions with nothing to pay', () => {
  const free = { lineItems: [{ priceData: { currency: 'EGP', unitAmount: 0, productData: { name: 'Free sample' } }, quantity: 1 }] };

  it('shows no card section and a Complete order button, and completes without card fields', async () => {
    const s = await createSession(sim, free);
    const page = await getPage(sim, `${pagePath(s)}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('>Complete order</button>');
    for (const name of ['cardName', 'cardNumber', 'cardExp', 'cardCvc']) expect(page.text).not.toContain(`name="${name}"`);
    const done = await postForm(sim, `${pagePath(s)}`, { email: 'amina@example.com' });
    expect(done.status).toBe(303);
    expect(done.location).toBe(`https://shop.example/done?session=${s.id}`);
    const after = (await sim.get(`/checkout/sessions/${s.id}`)).body;
    expect(after).toMatchObject({ status: 'complete', paymentStatus: 'no_payment_required', paymentIntent: null });
    const end = await getPage(sim, `${pagePath(s)}`);
    expect(end.text).toContain('Your order is complete');
  });

  it('says Complete order in Arabic, and shows the order-complete confirmation', async () => {
    const s = await createSession(sim, { ...free, locale: 'ar', afterCompletion: { type: 'hosted_confirmation' } });
    const page = await getPage(sim, `${pagePath(s)}`);
    expect(page.text).toContain('>إتمام الطلب</button>');
    expect(page.text).not.toContain('name="cardNumber"');
    const done = await postForm(sim, `${pagePath(s)}`, { email: 'amina@example.com' });
    expect(done.status).toBe(303);
    expect((await getPage(sim, done.location!)).text).toContain('تم إتمام طلبك');
  });

  it('drops the card section once a 100%-off code is applied', async () => {
    await sim.post('/_sim/coupons', { percentOff: 100, promotionCodes: [{ code: 'ONTHEHOUSE' }] });
    const s = await createSession(sim, { allowPromotionCodes: true });
    expect((await getPage(sim, `${pagePath(s)}`)).text).toContain('name="cardNumber"');
    const applied = await postForm(sim, `${pagePath(s)}/promo`, { code: 'onthehouse', email: 'amina@example.com' });
    expect(applied.status).toBe(200);
    expect(applied.text).not.toContain('name="cardNumber"');
    expect(applied.text).toContain('>Complete order</button>');
    expect((await postForm(sim, `${pagePath(s)}`, { email: 'amina@example.com' })).status).toBe(303);
  });
});

describe('discounts that became invalid before payment', () => {
  it('shows the refusal page-wide, keeps the code applied and charges nothing', async () => {
    await sim.post('/_sim/coupons', { percentOff: 20, promotionCodes: [{ code: 'LASTONE', maxRedemptions: 1 }] });
    const first = await createSession(sim, { allowPromotionCodes: true });
    const second = await createSession(sim, { allowPromotionCodes: true });
    expect((await postForm(sim, `${pagePath(first)}/promo`, { code: 'LASTONE' })).status).toBe(200);
    expect((await postForm(sim, `${pagePath(second)}/promo`, { code: 'LASTONE' })).status).toBe(200);
    expect((await postForm(sim, `${pagePath(first)}`, payFields())).status).toBe(303);
    const refused = await postForm(sim, `${pagePath(second)}`, payFields({}, { email: 'omar@example.com' }));
    expect(refused.status).toBe(400);
    expect(refused.text).toMatch(/role="alert"[^>]*><p>The promotion code LASTONE has been fully redeemed\.</);
    expect(refused.text).toContain('<strong><bdi>LASTONE</bdi></strong>');
    const ns = [...sim.sim.namespaces.values()][0]!;
    expect(ns.db.charges.size).toBe(1);
    // Removing the code lets the shopper pay the full price.
    await postForm(sim, `${pagePath(second)}/promo`, { remove: '1' });
    expect((await postForm(sim, `${pagePath(second)}`, payFields({}, { email: 'omar@example.com' }))).status).toBe(303);
  });
});

describe('shipping address', () => {
  const shipping = { shipping_line1: '12 Tahrir St', shipping_city: 'Cairo', shipping_country: 'EG' };

  it('requires the shipping address the session collects and carries it to the payment intent', async () => {
    const s = await createSession(sim, { shippingAddressCollection: true });
    const page = await getPage(sim, `${pagePath(s)}`);
    expect(page.text).toContain('<label for="f-shipping_line1">');
    const missing = await postForm(sim, `${pagePath(s)}`, payFields());
    expect(missing.status).toBe(400);
    expect(missing.text).toContain('aria-describedby="f-shipping_city-error"');
    const done = await postForm(sim, `${pagePath(s)}`, payFields({}, { ...shipping, name: 'Amina Hassan' }));
    expect(done.status).toBe(303);
    const after = (await sim.get(`/checkout/sessions/${s.id}`)).body;
    const expected = { name: 'Amina Hassan', phone: null, address: { line1: '12 Tahrir St', line2: null, city: 'Cairo', state: null, postalCode: null, country: 'EG' } };
    expect(after.paymentIntent.shipping).toEqual(expected);
    expect(after.customerDetails.shipping).toEqual(expected);
  });
});
