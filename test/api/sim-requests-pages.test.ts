// Hosted-page requests show up in the request log and on `--log json`, masked like API requests.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startTestSim, type TestSim } from '../helpers/sim.js';
import { createSession, getPage, pagePath, payFields, postForm } from '../helpers/pages.js';

const sims: TestSim[] = [];
afterEach(async () => {
  for (const sim of sims.splice(0)) await sim.close();
});

describe('page requests in the request log', () => {
  it('lists page views and form posts of the namespace, newest first, with the card masked and the CVC redacted', async () => {
    const sim = await startTestSim();
    sims.push(sim);
    const session = await createSession(sim);
    const path = pagePath(session);
    expect((await getPage(sim, path)).status).toBe(200);
    const paid = await postForm(sim, path, payFields());
    expect(paid.status).toBe(303);
    const entries = (await sim.get('/_sim/requests?path=/c/')).body.data;
    expect(entries.map((e: any) => `${e.source} ${e.method} ${e.status}`)).toEqual(['page POST 303', 'page GET 200']);
    const post = entries[0];
    expect(post.path).toBe(path);
    expect(post.requestBody).toMatchObject({ cardNumber: '**** **** **** 0008', cardCvc: '[redacted]', email: 'amina@example.com' });
    expect(JSON.stringify(entries)).not.toMatch(/5123\s?4500/);
    expect(post.responseBody).toBeNull();
    expect(post.requestId).toMatch(/^req_/);
    // API requests are marked as such beside them.
    expect((await sim.get('/_sim/requests?path=/checkout/sessions')).body.data[0].source).toBe('api');
  });

  it('keeps page requests out of other namespaces', async () => {
    const sim = await startTestSim();
    sims.push(sim);
    const session = await createSession(sim);
    await getPage(sim, pagePath(session));
    const other = (await sim.get('/_sim/requests', { key: 'sk_test_page_log_other' })).body.data;
    expect(other).toEqual([]);
  });

  it('prints one --log json line per page request, with the card number never in it', async () => {
    const sim = await startTestSim({ log: 'json' });
    sims.push(sim);
    const session = await createSession(sim);
    const written: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => (written.push(String(chunk)), true));
    try {
      await getPage(sim, pagePath(session));
      await postForm(sim, pagePath(session), payFields());
    } finally {
      spy.mockRestore();
    }
    const lines = written.filter((l) => l.startsWith('{"time"')).map((l) => JSON.parse(l));
    expect(lines.map((l) => `${l.source} ${l.method} ${l.status}`)).toEqual(['page GET 200', 'page POST 303']);
    expect(written.join('')).not.toMatch(/5123\s?4500/);
  });
});
