// Security headers of the pages, framing rules, and the Origin check of form posts.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestSim, type TestSim } from '../helpers/sim.js';
import { createSession, pagePath, payFields } from '../helpers/pages.js';

let sim: TestSim;
beforeEach(async () => {
  sim = await startTestSim();
});
afterEach(() => sim.close());

function postWithOrigin(path: string, fields: Record<string, string>, origin: string | null): Promise<Response> {
  const headers: Record<string, string> = { 'Content-Type': 'application/x-www-form-urlencoded' };
  if (origin !== null) headers.Origin = origin;
  return fetch(sim.url + path, { method: 'POST', redirect: 'manual', headers, body: new URLSearchParams(fields).toString() });
}

describe('page security headers', () => {
  it('hosted pages carry a CSP without scripts, nosniff, a referrer policy, and refuse framing', async () => {
    const s = await createSession(sim);
    const res = await fetch(sim.url + pagePath(s));
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
  });

  it('a hosted session stays unframable even when opened with ?embed=true', async () => {
    const s = await createSession(sim);
    const res = await fetch(`${sim.url}${pagePath(s)}?embed=true`);
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
  });

  it('only an embedded session opened with ?embed=true may be framed', async () => {
    const s = await createSession(sim, { uiMode: 'embedded' });
    const res = await fetch(`${sim.url}${pagePath(s)}?embed=true`);
    expect(res.status).toBe(200);
    expect(res.headers.get('x-frame-options')).toBeNull();
    expect(res.headers.get('content-security-policy')).toContain('frame-ancestors *');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('an embedded session\'s 3-D Secure challenge stays framable inside the SDK window; a hosted one\'s does not', async () => {
    const card = { cardNumber: '4000 0000 0000 3220' };
    const embedded = await createSession(sim, { uiMode: 'embedded' });
    const res = await postWithOrigin(`${pagePath(embedded)}?embed=true`, payFields(card), null);
    expect(res.status).toBe(303);
    const challenge = res.headers.get('location')!;
    expect(challenge).toMatch(/\/3ds\/ns_[\w-]{22}\/cs_test_\w+\/ch_test_\w+\?embed=true$/);
    const page = await fetch(challenge);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain('frame-ancestors *');
    const hosted = await createSession(sim);
    const hostedChallenge = (await postWithOrigin(pagePath(hosted), payFields(card), null)).headers.get('location')!;
    expect((await fetch(hostedChallenge)).headers.get('x-frame-options')).toBe('DENY');
  });

  it('not-found and error pages carry the same headers', async () => {
    const res = await fetch(`${sim.url}/c/ns_unknown/cs_test_nope`);
    expect(res.status).toBe(404);
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
  });
});

describe('form posts check the Origin', () => {
  it('refuses a payment posted from another site (403) and leaves the session unpaid', async () => {
    const s = await createSession(sim);
    const res = await postWithOrigin(pagePath(s), payFields(), 'https://evil.example');
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('sent from another site');
    const after = (await sim.get(`/checkout/sessions/${s.id}`)).body;
    expect(after).toMatchObject({ status: 'open', paymentIntent: null });
  });

  it('refuses Origin: null, and cross-site promotion code and quantity posts', async () => {
    const s = await createSession(sim, { allowPromotionCodes: true });
    expect((await postWithOrigin(pagePath(s), payFields(), 'null')).status).toBe(403);
    expect((await postWithOrigin(`${pagePath(s)}/promo`, { code: 'SAVE50' }, 'http://attacker.test')).status).toBe(403);
    expect((await postWithOrigin(`${pagePath(s)}/quantity`, {}, 'http://attacker.test')).status).toBe(403);
    expect((await sim.get(`/checkout/sessions/${s.id}`)).body.discounts).toEqual([]);
  });

  it('accepts posts from its own origin, and posts without an Origin (clients without a browser)', async () => {
    const own = await createSession(sim);
    expect((await postWithOrigin(pagePath(own), payFields(), new URL(sim.url).origin)).status).toBe(303);
    const bare = await createSession(sim);
    expect((await postWithOrigin(pagePath(bare), payFields(), null)).status).toBe(303);
    expect((await sim.get(`/checkout/sessions/${bare.id}`)).body.status).toBe('complete');
  });
});
