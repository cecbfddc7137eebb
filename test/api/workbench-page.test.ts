// The Workbench's files at /_sim/ui and the home page at /: served from dist/workbench with a strict
// Content-Security-Policy, no key needed to load them (the page asks for one).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSim, type TestSim } from '../helpers/sim.js';

let sim: TestSim;
beforeAll(async () => {
  sim = await startTestSim();
});
afterAll(() => sim.close());

describe('the Workbench files and the home page', () => {
  it('serves one page, one script and one style sheet, each under a CSP that allows only this origin', async () => {
    const page = await fetch(`${sim.url}/_sim/ui`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const csp = page.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    const html = await page.text();
    expect(html).toContain('<script src="/_sim/ui/workbench.js" defer></script>');
    expect(html).not.toMatch(/https?:\/\//);
    const script = await fetch(`${sim.url}/_sim/ui/workbench.js`);
    expect(script.headers.get('content-type')).toBe('application/javascript; charset=utf-8');
    expect((await script.text()).length).toBeGreaterThan(1000);
    expect((await fetch(`${sim.url}/_sim/ui/workbench.css`)).headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect((await fetch(`${sim.url}/_sim/ui/`)).status).toBe(200);
  });

  it('answers an unknown Workbench file with 404, and other methods with 404 in the XPay envelope', async () => {
    const missing = await fetch(`${sim.url}/_sim/ui/secrets.json`);
    expect(missing.status).toBe(404);
    await missing.text();
    const post = await fetch(`${sim.url}/_sim/ui`, { method: 'POST' });
    expect(post.status).toBe(404);
    expect((await post.json()).error.code).toBe('invalid_request');
  });

  it('GET / links to the Workbench: as JSON for programs, as a page for browsers', async () => {
    const json = await sim.get('/', { key: null, unchecked: true });
    expect(json.status).toBe(200);
    expect(json.body).toMatchObject({ object: 'sim.home', name: 'xpay-sim', workbench: `${sim.url}/_sim/ui` });
    const html = await fetch(`${sim.url}/`, { headers: { Accept: 'text/html' } });
    expect(html.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await html.text()).toContain('<a href="/_sim/ui">Open the Workbench</a>');
  });
});
