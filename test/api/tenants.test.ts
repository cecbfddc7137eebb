// One simulator, many tenants: every attack below is tried by key A (or by no key) on key B, and
// each asserts both the refusal and that nothing of B changed.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { drainDeliveries } from '../../src/webhooks/outbox.js';
import { expectError, startTestSim, type TestSim } from '../helpers/sim.js';
import { createSession, getPage, pagePath, payFields, postForm } from '../helpers/pages.js';
import { namespaceToken } from '../../src/control/page-urls.js';

const A = 'sk_test_tenant_a';
const B = 'sk_test_tenant_b';
const ADMIN = 'tenants-admin-key-0123456789';

let sim: TestSim;
beforeEach(async () => {
  sim = await startTestSim();
});
afterEach(() => sim.close());

const customerIds = async (key: string, on: TestSim = sim) => (await on.get('/customers?limit=100', { key })).body.data.map((c: { id: string }) => c.id);
const faultIds = async (key: string) => (await sim.get('/_sim/faults', { key })).body.data.map((f: { id: string }) => f.id);

describe('a caller without a key', () => {
  it('cannot read or change any namespace through /_sim (401), and B keeps its data and rules', async () => {
    const mine = await sim.post('/customers', { email: 'b@example.com' }, { key: B });
    await sim.post('/_sim/faults', { fault: 'status=500', path: '/products' }, { key: B });
    await sim.post('/_sim/snapshots', { name: 'b-prep' }, { key: B });
    const attempts: Array<[string, string, unknown]> = [
      ['GET', '/_sim/faults', undefined], ['POST', '/_sim/faults', { fault: 'status=500', global: true }], ['DELETE', '/_sim/faults', undefined],
      ['DELETE', '/_sim/data', undefined], ['GET', '/_sim/snapshots', undefined], ['POST', '/_sim/snapshots/b-prep/restore', undefined],
      ['GET', '/_sim/requests', undefined], ['GET', '/_sim/events', undefined], ['GET', '/_sim/deliveries', undefined], ['GET', '/_sim/export', undefined],
      ['GET', '/_sim/clock', undefined], ['POST', '/_sim/clock/advance', { by: '1d' }], ['GET', '/_sim/ledger', undefined], ['GET', '/_sim/coupons', undefined],
      ['POST', `/_sim/checkout/sessions/cs_test_x/pay`, { card: { number: '4242424242424242', exp: '12/39', cvc: '123' } }],
      ['POST', `/_sim/checkout/sessions/cs_test_x/3ds`, { chargeId: 'ch_test_x', result: 'pass' }],
      ['DELETE', '/_sim/snapshots/b-prep', undefined], ['GET', '/_sim/events/wait?type=customer.created&timeout=1', undefined],
    ];
    for (const [method, path, body] of attempts) expectError(await sim.request(method, path, { key: null, body }), 401, 'authentication_required');
    expect(await customerIds(B)).toContain(mine.body.id);
    expect(await faultIds(B)).toHaveLength(1);
    expect((await sim.get('/_sim/snapshots', { key: B })).body.data.map((s: { name: string }) => s.name)).toEqual(['b-prep']);
    expect((await sim.get('/_sim/clock', { key: B })).body.now).toBe('2026-03-01T10:00:00.000Z');
  });

  it('keeps the open routes open: magic cards, health and the spec', async () => {
    expect((await sim.get('/_sim/magic', { key: null })).status).toBe(200);
    expect((await sim.get('/health', { key: null })).status).toBe(200);
    expect((await sim.get('/openapi.yaml', { key: null })).status).toBe(200);
  });
});

describe('operations over all namespaces', () => {
  it('are refused (403) when no admin key is configured, whatever is sent', async () => {
    await sim.post('/customers', { email: 'b@example.com' }, { key: B });
    const admin = { 'XPay-Sim-Admin': 'anything-at-all-0123' };
    expectError(await sim.del('/_sim/data', { key: null, headers: admin }), 403, 'permission_denied');
    expectError(await sim.get('/_sim/namespaces', { key: null, headers: admin }), 403, 'permission_denied');
    expectError(await sim.get('/_sim/namespaces', { key: null }), 403, 'permission_denied');
    expectError(await sim.post('/_sim/faults', { fault: 'status=500', global: true }, { key: A, headers: admin }), 403, 'permission_denied');
    expect(sim.sim.namespaces.has(B)).toBe(true);
    expect(await customerIds(B)).toHaveLength(4);
  });

  it('need the configured admin key; a wrong one is 403 and changes nothing', async () => {
    const adminSim = await startTestSim({ adminKey: ADMIN });
    try {
      const theirs = await adminSim.post('/customers', { email: 'b@example.com' }, { key: B });
      expectError(await adminSim.del('/_sim/data', { key: null, headers: { 'XPay-Sim-Admin': 'not-the-admin-key-01' } }), 403, 'permission_denied');
      expect(await customerIds(B, adminSim)).toContain(theirs.body.id);
      // A tenant's key is not the admin key.
      expectError(await adminSim.get('/_sim/namespaces', { key: null, headers: { 'XPay-Sim-Admin': B } }), 403, 'permission_denied');
      const listed = await adminSim.get('/_sim/namespaces', { key: null, headers: { 'XPay-Sim-Admin': ADMIN } });
      expect(listed.status).toBe(200);
      expect(listed.body.data).toEqual([{ object: 'sim.namespace', key: 'sk_test_…nt_b', livemode: false, snapshots: 0 }]);
      expect(listed.text).not.toContain(B);
      expect((await adminSim.del('/_sim/data', { key: null, headers: { 'XPay-Sim-Admin': ADMIN } })).body).toEqual({ object: 'sim.reset', scope: 'all' });
      expect(await customerIds(B, adminSim)).not.toContain(theirs.body.id);
    } finally {
      await adminSim.close();
    }
  });

  it('the admin sees and clears every rule; a tenant only its own and the global ones', async () => {
    const adminSim = await startTestSim({ adminKey: ADMIN });
    try {
      const headers = { 'XPay-Sim-Admin': ADMIN };
      await adminSim.post('/_sim/faults', { fault: 'latency=1ms', path: '/b-only' }, { key: B });
      await adminSim.post('/_sim/faults', { fault: 'latency=1ms', path: '/global' }, { key: null, headers });
      const seenByA = (await adminSim.get('/_sim/faults', { key: A })).body.data;
      expect(seenByA.map((f: { path: string }) => f.path)).toEqual(['/global']);
      expect((await adminSim.del('/_sim/faults', { key: A })).body.deleted).toBe(0);
      expect((await adminSim.get('/_sim/faults', { key: null, headers })).body.data).toHaveLength(2);
      expect((await adminSim.del('/_sim/faults', { key: null, headers })).body.deleted).toBe(2);
    } finally {
      await adminSim.close();
    }
  });
});

describe('key A against key B', () => {
  it('cannot see, clear or trip B\'s fault rules', async () => {
    await sim.post('/_sim/faults', { fault: 'status=500', path: '/customers' }, { key: B });
    expect(await faultIds(A)).toEqual([]);
    expect((await sim.del('/_sim/faults', { key: A })).body.deleted).toBe(0);
    expect(await faultIds(B)).toHaveLength(1);
    expect((await sim.get('/customers', { key: A })).status).toBe(200);
  });

  it('cannot list, restore, overwrite or delete B\'s snapshots', async () => {
    const secret = await sim.post('/customers', { email: 'secret@b.example' }, { key: B });
    await sim.post('/_sim/snapshots', { name: 'prep' }, { key: B });
    expect((await sim.get('/_sim/snapshots', { key: A })).body.data).toEqual([]);
    expectError(await sim.post('/_sim/snapshots/prep/restore', undefined, { key: A }), 404, 'resource_missing', 'name');
    expect(await customerIds(A)).not.toContain(secret.body.id);
    expectError(await sim.del('/_sim/snapshots/prep', { key: A }), 404, 'resource_missing', 'name');
    // A's own "prep" is another snapshot: B's is untouched.
    await sim.post('/_sim/snapshots', { name: 'prep' }, { key: A });
    await sim.del('/_sim/data', { key: B });
    await sim.post('/_sim/snapshots/prep/restore', undefined, { key: B });
    expect(await customerIds(B)).toContain(secret.body.id);
  });

  it('cannot read B\'s request log, events or deliveries', async () => {
    const theirs = await sim.post('/customers', { email: 'log@b.example' }, { key: B });
    const log = await sim.get('/_sim/requests', { key: A });
    expect(log.text).not.toContain(theirs.body.id);
    const events = await sim.get('/_sim/events', { key: A });
    expect(events.text).not.toContain(theirs.body.id);
  });

  it('cannot pay B\'s session through /_sim, even knowing its id', async () => {
    const s = await createSession(sim, {}, B);
    expectError(await sim.post(`/_sim/checkout/sessions/${s.id}/pay`, { card: { number: '4242424242424242', exp: '12/39', cvc: '123' }, customerDetails: { email: 'a@example.com' } }, { key: A }), 404, 'resource_missing', 'id');
    expect((await sim.get(`/checkout/sessions/${s.id}`, { key: B })).body.status).toBe('open');
  });
});

describe('namespace tokens in key-less URLs', () => {
  it('are opaque, deterministic per seed and key, and differ between keys and seeds', async () => {
    const other = await startTestSim();
    const reseeded = await startTestSim({ seed: 'another-seed' });
    try {
      const token = namespaceToken(sim.sim, A);
      expect(token).toMatch(/^ns_[A-Za-z0-9_-]{22}$/);
      expect(token).not.toContain('tenant');
      expect(namespaceToken(other.sim, A)).toBe(token);
      expect(namespaceToken(sim.sim, B)).not.toBe(token);
      expect(namespaceToken(reseeded.sim, A)).not.toBe(token);
    } finally {
      await other.close();
      await reseeded.close();
    }
  });

  it('survive a restart with --data: the page URL handed out before still opens the session', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'xpay-sim-tenants-'));
    try {
      const first = await startTestSim({ dataFile: join(dir, 'state.json') });
      const s = await createSession(first, {}, B);
      await first.close();
      const again = await startTestSim({ dataFile: join(dir, 'state.json') });
      try {
        const page = await getPage(again, pagePath(s));
        expect(page.status).toBe(200);
        expect(page.text).toContain('Pay EGP 1,499.00');
      } finally {
        await again.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('old-style page URLs without a token answer 404, and a session is not found under another namespace\'s token', async () => {
    const s = await createSession(sim, {}, B);
    expect((await getPage(sim, `/c/${s.id}`)).status).toBe(404);
    expect((await postForm(sim, `/c/${s.id}`, payFields())).status).toBe(404);
    sim.sim.namespace({ raw: A, kind: 'secret', livemode: false });
    expect((await postForm(sim, `/c/${namespaceToken(sim.sim, A)}/${s.id}`, payFields())).status).toBe(404);
    expect((await getPage(sim, pagePath(s))).status).toBe(200);
    expect((await sim.get(`/checkout/sessions/${s.id}`, { key: B })).body.status).toBe('open');
  });
});

describe('a forked pair of namespaces', () => {
  /** A prepares state, snapshots it and forks it into B; both then hold the same ids and id stream. */
  async function forkAIntoB(): Promise<void> {
    await sim.post('/customers', { email: 'prepared@a.example' }, { key: A });
    await sim.post('/_sim/snapshots', { name: 'prepared' }, { key: A });
    const forked = await sim.post('/_sim/snapshots/prepared/restore', { into: B }, { key: A });
    expect(forked.status).toBe(200);
    expect(forked.body.into).toBe('sk_test_…nt_b');
  }

  it('hand out the same session ids, but each page URL opens and pays only its own session', async () => {
    await forkAIntoB();
    const a = await createSession(sim, {}, A);
    const b = await createSession(sim, {}, B);
    expect(b.id).toBe(a.id); // the shared id stream: ids alone cannot tell the namespaces apart
    expect(b.clientSecret).toBe(a.clientSecret);
    expect(b.url).not.toBe(a.url);
    const paid = await postForm(sim, pagePath(a), payFields());
    expect(paid.status).toBe(303);
    expect((await sim.get(`/checkout/sessions/${a.id}`, { key: A })).body.status).toBe('complete');
    expect((await sim.get(`/checkout/sessions/${b.id}`, { key: B })).body.status).toBe('open');
    expect((await getPage(sim, pagePath(b))).text).toContain('Pay EGP 1,499.00');
    // The receipt of A's charge is not reachable through B's token.
    const charge = (await sim.get(`/checkout/sessions/${a.id}`, { key: A })).body.paymentIntent.charges[0];
    expect((await getPage(sim, new URL(charge.receiptUrl).pathname)).status).toBe(200);
    expect((await getPage(sim, `/receipts/${namespaceToken(sim.sim, B)}/${charge.id}`)).status).toBe(404);
  });

  it('hand out the same payment link and upload ids, each resolved in its own namespace', async () => {
    await forkAIntoB();
    const body = { lineItems: [{ priceId: 'price_coffee_beans_egp', quantity: 1 }], afterCompletion: { type: 'hosted_confirmation', hostedConfirmation: {} } };
    const la = await sim.post('/payment-links', body, { key: A });
    const lb = await sim.post('/payment-links', body, { key: B });
    expect(lb.body.id).toBe(la.body.id);
    await sim.patch(`/payment-links/${la.body.id}`, { active: false }, { key: A });
    expect((await getPage(sim, new URL(la.headers.get('xpay-sim-page-url')!).pathname)).status).toBe(410);
    expect((await getPage(sim, new URL(lb.headers.get('xpay-sim-page-url')!).pathname)).status).toBe(200);

    const ua = (await sim.post('/upload-url', undefined, { key: A })).body;
    const ub = (await sim.post('/upload-url', undefined, { key: B })).body;
    expect(ub.uploadUrl.split('/').pop()).toBe(ua.uploadUrl.split('/').pop());
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 9, 9]);
    expect((await fetch(ua.uploadUrl, { method: 'PUT', headers: { 'Content-Type': 'image/png' }, body: new Uint8Array(png) })).status).toBe(200);
    expect((await fetch(ua.fileUrl)).status).toBe(200);
    expect((await fetch(ub.fileUrl)).status).toBe(404);
    expectError(await sim.post('/products', { name: 'Not mine', image: ua.fileUrl }, { key: B }), 400, 'parameter_invalid', 'image');
  });

  it('never copies webhook secrets, idempotency keys or deliveries into the other key', async () => {
    // A webhook endpoint whose receiver is closed: its deliveries stay pending or failed.
    const endpoint = await sim.post('/webhook-endpoints', { url: 'http://127.0.0.1:9/hook', enabledEvents: ['*'] }, { key: A });
    await sim.post('/customers', { email: 'keyed@a.example' }, { key: A, headers: { 'Idempotency-Key': 'same-key' } });
    expect((await sim.get('/_sim/deliveries', { key: A })).body.data.length).toBeGreaterThan(0);
    await forkAIntoB();
    const stored = (key: string) => (sim.sim.namespaces.get(key)!.db.webhookEndpoints.get(endpoint.body.id) as unknown as { _secret: string })._secret;
    expect(stored(A)).toBe(endpoint.body.secret);
    expect(stored(B)).toMatch(/^whsec_/);
    expect(stored(B)).not.toBe(stored(A));
    expect((await sim.get('/_sim/deliveries', { key: B })).body.data).toEqual([]);
    const again = await sim.post('/customers', { email: 'fresh@b.example' }, { key: B, headers: { 'Idempotency-Key': 'same-key' } });
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBeNull();
    expect(again.body.email).toBe('fresh@b.example');
    // A's own state is untouched by the fork.
    expect((await sim.get('/_sim/deliveries', { key: A })).body.data.length).toBeGreaterThan(0);
  });

  it('refuses to fork into a key outside --keys, or into a publishable key', async () => {
    const locked = await startTestSim({ keys: [A, B] });
    try {
      await locked.post('/_sim/snapshots', { name: 'p' }, { key: A });
      expectError(await locked.post('/_sim/snapshots/p/restore', { into: 'sk_test_stranger' }, { key: A }), 400, 'parameter_invalid', 'into');
      expectError(await locked.post('/_sim/snapshots/p/restore', { into: 'pk_test_tenant_b' }, { key: A }), 400, 'parameter_invalid', 'into');
      expect(locked.sim.namespaces.has('sk_test_stranger')).toBe(false);
    } finally {
      await locked.close();
    }
  });
});

describe('webhook deliveries', () => {
  it('never show a full card number, a CVC or a secret that a receiver echoed back', async () => {
    const echo = createServer((req, res) => {
      req.resume();
      res.writeHead(200, { 'Content-Type': 'text/plain' }).end('got card 4242 4242 4242 4242 cvc=737 and secret whsec_abcdef0123456789');
    });
    await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(echo.address() as AddressInfo).port}/hook`;
      await sim.post('/webhook-endpoints', { url, enabledEvents: ['customer.created'] }, { key: A });
      await sim.post('/customers', { email: 'echo@example.com' }, { key: A });
      await drainDeliveries(sim.sim);
      const listed = await sim.get('/_sim/deliveries', { key: A });
      const attempt = listed.body.data[0].attempts[0];
      expect(attempt.responseStatus).toBe(200);
      expect(attempt.responseBody).toContain('4242');
      expect(listed.text.replace(/[\s-]/g, '')).not.toContain('4242424242424242');
      expect(listed.text).not.toContain('737');
      expect(listed.text).not.toContain('whsec_abcdef0123456789');
    } finally {
      await new Promise((resolve) => echo.close(resolve));
    }
  });
});
