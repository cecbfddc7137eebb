// The SDK window pages over HTTP: the embed flag (and the SDK's locale) survive 3-D Secure and
// every form, a success stays in the window and describes itself for the frame script, and only
// these pages may run the simulator's frame script.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestSim, type TestSim } from '../helpers/sim.js';
import { createSession, getPage, pagePath, payFields, postForm, THREE_DS_CARD, DECLINED_CARD } from '../helpers/pages.js';

let sim: TestSim;
beforeEach(async () => {
  sim = await startTestSim();
});
afterEach(async () => {
  await sim.close();
});

/** The card element's path, as the SDK learns it from the client endpoint. */
async function elementPath(clientSecret: string): Promise<string> {
  const res = await sim.get(`/_sdk/checkout-session?clientSecret=${clientSecret}`, { key: 'pk_test_xpaysim_tests' });
  return new URL(res.body.frames.element).pathname;
}

/** The state the page hands to the frame script. */
function embedState(html: string): any {
  const m = /<meta name="xpay-embed-state" content="([^"]*)">/.exec(html);
  return m ? JSON.parse(m[1]!.replace(/&quot;/g, '"').replace(/&amp;/g, '&')) : null;
}

describe('SDK window pages', () => {
  it('keeps ?embed=true and the locale through a 3-D Secure challenge and its form, and finishes inside the window', async () => {
    const s = await createSession(sim, { uiMode: 'embedded' });
    const window = `${pagePath(s)}?embed=true&locale=ar`;
    const paid = await postForm(sim, window, payFields({ cardNumber: THREE_DS_CARD }));
    expect(paid.status).toBe(303);
    expect(paid.location).toMatch(/\/3ds\/ns_[\w-]{22}\/cs_test_\w+\/ch_test_\w+\?embed=true&locale=ar$/);
    const challenge = await getPage(sim, new URL(paid.location!, sim.url).pathname + '?embed=true&locale=ar');
    expect(challenge.status).toBe(200);
    expect(challenge.text).toContain('dir="rtl"');
    expect(embedState(challenge.text)).toEqual({ state: 'challenge' });
    const action = /<form method="post" action="([^"]+)">/.exec(challenge.text)![1]!.replace(/&amp;/g, '&');
    expect(action).toMatch(/\?embed=true&locale=ar$/);
    const done = await postForm(sim, action, { result: 'complete' });
    expect(done.status).toBe(303);
    expect(done.location).toBe(`${pagePath(s)}?embed=true&locale=ar`);
    const complete = await getPage(sim, done.location!);
    const pi = (await sim.get(`/checkout/sessions/${s.id}`)).body.paymentIntentId;
    expect(embedState(complete.text)).toEqual({ state: 'complete', sessionId: s.id, paymentIntentId: pi, redirectUrl: `https://shop.example/done?session=${s.id}`, paymentStatus: 'paid' });
  });

  it('describes a decline for the frame script and keeps the form in the window', async () => {
    const s = await createSession(sim, { uiMode: 'embedded' });
    const declined = await postForm(sim, `${pagePath(s)}?embed=true`, payFields({ cardNumber: DECLINED_CARD }));
    expect(declined.status).toBe(402);
    expect(embedState(declined.text)).toEqual({ state: 'failed', error: { type: 'card_error', code: 'card_declined', declineCode: 'insufficient_funds', message: 'Your card has insufficient funds.' } });
    expect(declined.text).toContain(`action="${pagePath(s)}?embed=true"`);
  });

  it('lets only SDK windows run the frame script, and serves the card element only for embedded and custom sessions', async () => {
    const custom = await createSession(sim, { uiMode: 'custom' });
    const path = await elementPath(custom.clientSecret);
    const element = await fetch(`${sim.url}${path}?embed=true`);
    expect(element.status).toBe(200);
    expect(element.headers.get('content-security-policy')).toContain("script-src 'self'; connect-src 'self'; frame-ancestors *");
    const html = await element.text();
    expect(html).toContain('<script src="/assets/sdk-frame.js" defer></script>');
    for (const ac of ['cc-name', 'cc-number', 'cc-exp', 'cc-csc']) expect(html).toContain(`autocomplete="${ac}"`);
    expect(html).not.toContain('name="email"');
    expect((await fetch(`${sim.url}${path}`)).status).toBe(404);
    const hosted = await createSession(sim);
    const hostedPage = await fetch(`${sim.url}${pagePath(hosted)}`);
    expect(hostedPage.headers.get('content-security-policy')).toContain("script-src 'none'");
    expect(await hostedPage.text()).not.toContain('<script');
    expect((await fetch(`${sim.url}${pagePath(hosted)}/element?embed=true`)).status).toBe(404);
    const script = await fetch(`${sim.url}/assets/sdk-frame.js`);
    expect(script.headers.get('content-type')).toMatch(/^application\/javascript/);
  });
});
