import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectError, startTestSim, type TestSim } from '../helpers/sim.js';

let sim: TestSim;
beforeEach(async () => {
  sim = await startTestSim();
});
afterEach(() => sim.close());

const create = (body: Record<string, unknown>) => sim.post('/webhook-endpoints', body);

describe('webhook endpoints', () => {
  it('creates an endpoint and shows its whsec_ secret only in the create answer', async () => {
    const res = await create({ url: 'https://shop.example.com/xpay', enabledEvents: ['checkout.session.completed', 'charge.*'], description: 'shop', metadata: { env: 'ci' } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      object: 'webhook_endpoint', url: 'https://shop.example.com/xpay', description: 'shop', status: 'enabled',
      enabledEvents: ['checkout.session.completed', 'charge.*'], livemode: false, metadata: { env: 'ci' },
      createdAt: '2026-03-01T10:00:00.000Z', updatedAt: '2026-03-01T10:00:00.000Z',
    });
    expect(res.body.id).toMatch(/^we_[A-Za-z0-9]{22}$/);
    expect(res.body.secret).toMatch(/^whsec_[0-9a-f]{48}$/);
    const fetched = await sim.get(`/webhook-endpoints/${res.body.id}`);
    expect(fetched.status).toBe(200);
    expect(fetched.body.secret).toBeUndefined();
    const { secret: _secret, ...shown } = res.body;
    expect(fetched.body).toEqual(shown);
  });

  it('accepts plain http:// receivers, the * wildcard and an empty list meaning every event', async () => {
    expect((await create({ url: 'http://127.0.0.1:3000/hooks', enabledEvents: ['*'] })).status).toBe(201);
    const all = await create({ url: 'http://localhost:3000/all', enabledEvents: [] });
    expect(all.body).toMatchObject({ enabledEvents: [], description: null, metadata: {} });
  });

  it('refuses event types outside the known families and malformed patterns, naming the index', async () => {
    expectError(await create({ url: 'https://a.example/h', enabledEvents: ['charge.refunded', 'invoice.paid'] }), 400, 'parameter_invalid', 'enabledEvents[1]');
    expectError(await create({ url: 'https://a.example/h', enabledEvents: ['Charge.Refunded'] }), 400, 'parameter_invalid', 'enabledEvents[0]');
    expectError(await create({ url: 'https://a.example/h', enabledEvents: ['charge'] }), 400, 'parameter_invalid', 'enabledEvents[0]');
  });

  it('refuses a missing url or event list, unknown fields and non-http schemes', async () => {
    expectError(await create({ enabledEvents: ['*'] }), 400, 'parameter_missing', 'url');
    expectError(await create({ url: 'https://a.example/h' }), 400, 'parameter_missing', 'enabledEvents');
    expectError(await create({ url: 'https://a.example/h', enabledEvents: ['*'], secret: 'x' }), 400, 'parameter_unknown', 'secret');
    expectError(await create({ url: 'not a url', enabledEvents: ['*'] }), 400, 'parameter_invalid', 'url');
    expectError(await create({ url: 'ftp://a.example/h', enabledEvents: ['*'] }), 400, 'parameter_invalid', 'url');
  });

  it('lets several endpoints share a URL (create the new one, then delete the old, as XPay modules reconnect)', async () => {
    const old = await create({ url: 'https://a.example/h', enabledEvents: ['*'] });
    const fresh = await create({ url: 'https://a.example/h', enabledEvents: ['customer.*'] });
    expect(fresh.status).toBe(201);
    expect(fresh.body.id).not.toBe(old.body.id);
    const other = await create({ url: 'https://b.example/h', enabledEvents: ['*'] });
    const moved = await sim.patch(`/webhook-endpoints/${other.body.id}`, { url: 'https://a.example/h' });
    expect(moved.status).toBe(200);
    expect((await sim.del(`/webhook-endpoints/${old.body.id}`)).status).toBe(204);
    const urls = (await sim.get('/webhook-endpoints')).body.data.map((e: { url: string }) => e.url);
    expect(urls).toEqual(['https://a.example/h', 'https://a.example/h']);
  });

  it('caps endpoints per namespace at --limit webhookEndpoints (16): the next create is 400 naming the maximum', async () => {
    for (let i = 0; i < 16; i++) expect((await create({ url: 'https://a.example/h', enabledEvents: ['*'] })).status).toBe(201);
    const err = expectError(await create({ url: 'https://a.example/h', enabledEvents: ['*'] }), 400, 'invalid_request');
    expect(err.type).toBe('invalid_request_error');
    expect(err.param).toBeUndefined();
    expect(err.message).toContain('maximum of 16 endpoints');
    expect((await sim.get('/webhook-endpoints')).body.data).toHaveLength(16);
    // Another namespace has its own room; deleting one makes room again.
    expect((await sim.post('/webhook-endpoints', { url: 'https://a.example/h', enabledEvents: ['*'] }, { key: 'sk_test_someone_else' })).status).toBe(201);
    const first = (await sim.get('/webhook-endpoints')).body.data[0];
    await sim.del(`/webhook-endpoints/${first.id}`);
    expect((await create({ url: 'https://a.example/h', enabledEvents: ['*'] })).status).toBe(201);
  });

  it('takes the cap from the limit setting, and the message follows it', async () => {
    await sim.close();
    sim = await startTestSim({ limits: { webhookEndpoints: 2 }, webhookUrl: 'http://127.0.0.1:9/hooks' });
    // The --webhook-url endpoint counts: one more fits.
    expect((await create({ url: 'https://a.example/h', enabledEvents: ['*'] })).status).toBe(201);
    const err = expectError(await create({ url: 'https://b.example/h', enabledEvents: ['*'] }), 400, 'invalid_request');
    expect(err.message).toContain('maximum of 2 endpoints');
  });

  it('lists the namespace endpoints newest first, in XPay list shape without pagination', async () => {
    const a = await create({ url: 'https://a.example/h', enabledEvents: ['*'] });
    const b = await create({ url: 'https://b.example/h', enabledEvents: ['*'] });
    const list = await sim.get('/webhook-endpoints');
    expect(list.status).toBe(200);
    expect(list.body.object).toBe('list');
    expect(list.body.data.map((e: { id: string }) => e.id)).toEqual([b.body.id, a.body.id]);
    expect(list.body.data[0].secret).toBeUndefined();
    const other = await sim.get('/webhook-endpoints', { key: 'sk_test_someone_else' });
    expect(other.body.data).toEqual([]);
  });

  it('updates url, events, description, status and merges metadata', async () => {
    const a = await create({ url: 'https://a.example/h', enabledEvents: ['*'], metadata: { keep: '1', drop: '2' } });
    const res = await sim.patch(`/webhook-endpoints/${a.body.id}`, { url: 'http://127.0.0.1:9/x', enabledEvents: ['refund.*'], description: 'moved', status: 'disabled', metadata: { drop: null, add: '3' } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ url: 'http://127.0.0.1:9/x', enabledEvents: ['refund.*'], description: 'moved', status: 'disabled', metadata: { keep: '1', add: '3' } });
    expect(res.body.secret).toBeUndefined();
    expectError(await sim.patch(`/webhook-endpoints/${a.body.id}`, { status: 'paused' }), 400, 'parameter_invalid', 'status');
    expectError(await sim.patch(`/webhook-endpoints/${a.body.id}`, { enabledEvents: ['nope.*'] }), 400, 'parameter_invalid', 'enabledEvents[0]');
  });

  it('deletes an endpoint with 204, after which it is 404 resource_missing everywhere', async () => {
    const a = await create({ url: 'https://a.example/h', enabledEvents: ['*'] });
    const del = await sim.del(`/webhook-endpoints/${a.body.id}`);
    expect(del.status).toBe(204);
    expect(del.text).toBe('');
    expectError(await sim.get(`/webhook-endpoints/${a.body.id}`), 404, 'resource_missing', 'id');
    expectError(await sim.patch(`/webhook-endpoints/${a.body.id}`, { description: 'x' }), 404, 'resource_missing', 'id');
    expectError(await sim.del(`/webhook-endpoints/${a.body.id}`), 404, 'resource_missing', 'id');
  });

  it('keeps test and live endpoints apart', async () => {
    const live = await sim.post('/webhook-endpoints', { url: 'https://a.example/h', enabledEvents: ['*'] }, { key: 'sk_live_xpaysim_tests' });
    expect(live.body.livemode).toBe(true);
    expectError(await sim.get(`/webhook-endpoints/${live.body.id}`), 404, 'resource_missing', 'id');
  });
});
