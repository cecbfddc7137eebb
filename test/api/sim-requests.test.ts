import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { expectError, startTestSim, type TestSim } from '../helpers/sim.js';
import { redact } from '../../src/control/redact.js';

let sim: TestSim;
beforeEach(async () => {
  sim = await startTestSim();
});
afterEach(() => sim.close());

describe('request log', () => {
  it('lists the namespace\'s recent requests, newest first, with status, ids, key and bodies', async () => {
    const created = await sim.post('/customers', { email: 'logged@example.com' }, { headers: { 'Idempotency-Key': 'log-1' } });
    await sim.get('/customers/cus_missing');
    const res = await sim.get('/_sim/requests');
    expect(res.status).toBe(200);
    const [missing, create] = res.body.data;
    expect(missing).toMatchObject({ object: 'sim.request', method: 'GET', path: '/customers/cus_missing', status: 404, idempotencyKey: null });
    expect(create).toMatchObject({
      method: 'POST', path: '/customers', status: 201, idempotencyKey: 'log-1', requestId: created.headers.get('request-id'),
      requestBody: { email: 'logged@example.com' }, responseBody: { id: created.body.id },
    });
    expect(create.durationMs).toBeGreaterThanOrEqual(0);
    expect(create.at).toBe('2026-03-01T10:00:00.000Z');
  });

  it('records validation failures too, and only the caller\'s namespace', async () => {
    await sim.post('/customers', { email: 'nope' });
    await sim.get('/customers', { key: 'sk_test_requests_other' });
    const data = (await sim.get('/_sim/requests')).body.data;
    expect(data).toHaveLength(1);
    expect(data[0]).toMatchObject({ status: 400, path: '/customers' });
  });

  it('masks card numbers to their last 4 digits in card fields and anywhere they look like a PAN', async () => {
    expect(redact({ card: { number: '4242424242424242', cvc: '123' }, cardNumber: 5555555555554444, note: 'paid with 4000056655665556 ok', order: '123456789012' })).toEqual({
      card: { number: '************4242', cvc: '[redacted]' }, cardNumber: '************4444', note: 'paid with ************5556 ok', order: '123456789012',
    });
    await sim.post('/customers', { email: 'pan@example.com', metadata: { note: '4242424242424242' } });
    const entry = (await sim.get('/_sim/requests')).body.data[0];
    expect(entry.requestBody.metadata.note).toBe('************4242');
    expect(entry.responseBody.metadata.note).toBe('************4242');
  });

  it('filters by status (exact or class), path prefix and resource id', async () => {
    const a = await sim.post('/customers', { email: 'filter@example.com' });
    await sim.get(`/customers/${a.body.id}`);
    await sim.get('/customers/cus_none');
    await sim.get('/products');
    const q = async (query: string) => (await sim.get(`/_sim/requests?${query}`)).body.data.map((e: any) => `${e.method} ${e.path} ${e.status}`);
    expect(await q('status=4xx')).toEqual(['GET /customers/cus_none 404']);
    expect(await q('status=201')).toEqual(['POST /customers 201']);
    expect(await q('path=/products')).toEqual(['GET /products 200']);
    expect(await q(`resource=${a.body.id}`)).toEqual([`GET /customers/${a.body.id} 200`, 'POST /customers 201']);
    expectError(await sim.get('/_sim/requests?status=abc'), 400, 'parameter_invalid', 'status');
  });

  it('lists the ids of events emitted during a request', async () => {
    const created = await sim.post('/customers', { email: 'events@example.com' });
    const entry = (await sim.get('/_sim/requests?status=201')).body.data[0];
    const events = (await sim.get('/_sim/events', { unchecked: true })).body;
    const emitted = (events.data ?? []).filter((e: any) => e.data?.object?.id === created.body.id).map((e: any) => e.id);
    expect(emitted).toHaveLength(1);
    expect(entry.eventIds).toEqual(emitted);
  });

  it('writes one JSON line per request on stdout with --log json', async () => {
    const logged = await startTestSim({ log: 'json' });
    const written: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => (written.push(String(chunk)), true));
    try {
      await logged.post('/customers', { email: 'json@example.com' }, { headers: { 'Idempotency-Key': 'json-1' } });
      await logged.get('/no-such-path');
    } finally {
      spy.mockRestore();
      await logged.close();
    }
    const lines = written.filter((l) => l.startsWith('{"time"'));
    expect(lines).toHaveLength(2);
    expect(JSON.parse(lines[0]!)).toMatchObject({ method: 'POST', path: '/customers', status: 201, idempotencyKey: 'json-1', replayed: false });
    expect(JSON.parse(lines[1]!)).toMatchObject({ method: 'GET', path: '/no-such-path', status: 404 });
  });
});

describe('request log redaction', () => {
  const PAN = '4242424242424242';
  /** The log as one string with separators removed, so no formatting can hide a full number. */
  const flat = (value: unknown) => JSON.stringify(value).replace(/%20|[\s\-+.]/g, '');

  for (const [format, number] of [
    ['plain', '4242424242424242'],
    ['spaces', '4242 4242 4242 4242'],
    ['dashes', '4242-4242-4242-4242'],
    ['dots', '4242.4242.4242.4242'],
  ] as const) {
    it(`keeps no full card number or CVC of a card typed with ${format}`, async () => {
      const s = await sim.post('/checkout/sessions', { lineItems: [{ priceId: 'price_coffee_beans_egp', quantity: 1 }], afterCompletion: { type: 'hosted_confirmation', hostedConfirmation: {} } });
      await sim.post(`/_sim/checkout/sessions/${s.body.id}/pay`, { card: { number, exp: '12/39', cvc: '737' }, customerDetails: { email: 'pan@example.com', name: `Paid with ${number}` } }, { unchecked: true });
      const log = (await sim.get('/_sim/requests')).body.data;
      const pay = log.find((e: any) => e.path.endsWith('/pay'));
      expect(pay.requestBody.card.cvc).toBe('[redacted]');
      expect(pay.requestBody.card.number.endsWith('4242')).toBe(true);
      expect(flat(log)).not.toContain(PAN);
      expect(JSON.stringify(log)).not.toContain('737');
    });
  }

  for (const [format, raw] of [
    ['invalid JSON', '{"card":{"number":"4242 4242 4242 4242","cvc":"737"'],
    ['a form-encoded body', 'card%5Bnumber%5D=4242+4242+4242+4242&card%5Bcvc%5D=737'],
    ['a form-encoded body with %20', 'cardNumber=4242%204242%204242%204242&cvc=737'],
  ] as const) {
    it(`masks card numbers and CVCs inside ${format} kept as text`, async () => {
      const res = await sim.request('POST', '/customers', { rawBody: raw, headers: { 'Content-Type': 'application/json' } });
      expect(res.status).toBe(400);
      const entry = (await sim.get('/_sim/requests')).body.data[0];
      expect(typeof entry.requestBody).toBe('string');
      expect(entry.requestBody).toContain('4242');
      expect(flat(entry)).not.toContain(PAN);
      expect(entry.requestBody).not.toContain('737');
    });
  }

  it('hides webhook signing secrets and never holds the Authorization header', async () => {
    const endpoint = await sim.post('/webhook-endpoints', { url: 'http://127.0.0.1:9/hook', enabledEvents: ['*'] });
    const log = await sim.get('/_sim/requests');
    expect(log.body.data[0].responseBody.secret).toBe('[redacted]');
    expect(log.text).not.toContain(endpoint.body.secret);
    expect(log.text).not.toContain('sk_test_xpaysim_tests');
  });

  it('masks card numbers in paths on the --log json line', async () => {
    const logged = await startTestSim({ log: 'json' });
    const written: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => (written.push(String(chunk)), true));
    try {
      await logged.get(`/customers/${PAN}`);
    } finally {
      spy.mockRestore();
      await logged.close();
    }
    const line = written.find((l) => l.startsWith('{"time"'))!;
    expect(JSON.parse(line).path).toBe('/customers/************4242');
    expect(line).not.toContain(PAN);
  });
});
