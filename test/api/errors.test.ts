import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectError, startTestSim, type ApiResponse, type TestSim } from '../helpers/sim.js';

let sim: TestSim;
beforeEach(async () => {
  sim = await startTestSim();
});
afterEach(() => sim.close());

/** Every error: JSON envelope, request_id equal to the Request-Id header, a doc_url, no stack. */
function expectCleanError(res: ApiResponse, status: number, code: string, param?: string): void {
  expectError(res, status, code, param);
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  expect(res.headers.get('request-id')).toBe(res.body.request_id);
  expect(res.body.request_id).toMatch(/^req_/);
  expect(res.text).not.toMatch(/<html|<!DOCTYPE|\bat \S+ \(|node:internal|\.ts:\d+/i);
}

const json = (text: string, contentType = 'application/json') => ({ rawBody: text, headers: { 'Content-Type': contentType } });

describe('request bodies', () => {
  it('answers malformed JSON with 400 invalid_request', async () => {
    expectCleanError(await sim.request('POST', '/customers', json('{"email": ')), 400, 'invalid_request');
  });

  it('answers a content type other than JSON with 415', async () => {
    expectCleanError(await sim.request('POST', '/customers', json('email=a@b.co', 'application/x-www-form-urlencoded')), 415, 'invalid_request');
    expectCleanError(await sim.request('POST', '/customers', { rawBody: '{"email":"a@b.co"}' }), 415, 'invalid_request');
  });

  it('answers a charset other than utf-8 with 415 and accepts utf-8 and +json types', async () => {
    expectCleanError(await sim.request('POST', '/customers', json('{"email":"a@b.co"}', 'application/json; charset=latin1')), 415, 'invalid_request');
    expect((await sim.request('POST', '/customers', json('{"email":"a@b.co"}', 'application/json; charset=UTF-8'))).status).toBe(201);
    expect((await sim.request('POST', '/customers', json('{"email":"c@d.co"}', 'application/merge-patch+json'))).status).toBe(201);
  });

  it('answers a body over the configured limit with 413', async () => {
    const small = await startTestSim({ bodyLimitBytes: 64 });
    try {
      const res = await small.post('/customers', { email: 'a@b.co', name: 'x'.repeat(100) });
      expectCleanError(res, 413, 'invalid_request');
      expect((await small.post('/customers', { email: 'a@b.co' })).status).toBe(201);
    } finally {
      await small.close();
    }
  });

  it('refuses a top-level array with items with 400', async () => {
    expectCleanError(await sim.request('POST', '/customers', json('[{"email":"a@b.co"}]')), 400, 'parameter_invalid');
    expectCleanError(await sim.request('POST', '/customers', json('"text"')), 400, 'parameter_invalid');
  });

  it('reads an empty array body as no parameters, as PHP clients send it', async () => {
    expect((await sim.request('POST', '/upload-url', json('[]'))).status).toBe(201);
    const unchanged = await sim.request('PATCH', '/products/prod_nile_tshirt', json('[]'));
    expect(unchanged.status).toBe(200);
    expect(unchanged.body.name).toBe('Nile Cotton T-Shirt');
  });

  it('refuses deeply nested JSON with 400 instead of crashing', async () => {
    const deep = '{"metadata":' + '{"a":'.repeat(5000) + '1' + '}'.repeat(5001);
    expectCleanError(await sim.request('POST', '/customers', json(deep)), 400, 'parameter_invalid');
    expect((await sim.get('/health', { key: null })).status).toBe(200);
  });

  it('never lets __proto__ in metadata pollute prototypes', async () => {
    const res = await sim.request('POST', '/customers', json('{"email":"p@x.co","metadata":{"__proto__":{"isAdmin":true},"constructor":{"prototype":{"isAdmin":true}}}}'));
    expect(res.status).toBe(201);
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
    expect(Object.keys(res.body.metadata).sort()).toEqual(['__proto__', 'constructor']);
    const fetched = await sim.get(`/customers/${res.body.id}`);
    expect(fetched.text).toContain('"__proto__":{"isAdmin":true}');
  });

  it('refuses a body on an operation that takes none', async () => {
    expectCleanError(await sim.request('DELETE', '/products/prod_donation', json('{"force":true}')), 400, 'parameter_unknown', 'force');
    expect((await sim.request('DELETE', '/products/prod_donation', json('{}'))).status).toBe(204);
  });
});

describe('routing', () => {
  it('answers an unknown path with 404 in the envelope, even under /v1', async () => {
    expectCleanError(await sim.get('/v1/customers'), 404, 'invalid_request');
    expectCleanError(await sim.get('/nothing-here', { key: null }), 404, 'invalid_request');
    expectCleanError(await sim.get('/checkout/sessions/cs_test_x/line-items/extra'), 404, 'invalid_request');
  });

  it('answers a wrong method with 405 and an Allow header', async () => {
    const res = await sim.del('/customers');
    expectCleanError(res, 405, 'invalid_request');
    expect(res.headers.get('allow')?.split(', ').sort()).toEqual(['GET', 'POST']);
  });

  it('routes a trailing slash and percent-encoded ids like the plain path', async () => {
    expect((await sim.get('/products/')).status).toBe(200);
    expect((await sim.get('/products/prod%5Fnile%5Ftshirt')).body.id).toBe('prod_nile_tshirt');
    expectCleanError(await sim.get('/products/%E0%A4%A'), 404, 'invalid_request');
  });

  it('hides internal failures behind 500 internal_error without a stack trace', async () => {
    sim.sim.interceptors.push(async () => {
      throw new Error('boom from a test');
    });
    const res = await sim.get('/customers');
    expectCleanError(res, 500, 'internal_error');
    expect(res.body.error.type).toBe('api_error');
    expect(res.text).not.toContain('boom');
  });
});

describe('authentication', () => {
  it('answers a missing key with 401 authentication_error / authentication_required', async () => {
    const res = await sim.get('/customers', { key: null });
    expectCleanError(res, 401, 'authentication_required');
    expect(res.body.error.type).toBe('authentication_error');
  });

  it('answers a malformed key or header with 401', async () => {
    expectCleanError(await sim.get('/customers', { key: 'sk_prod_abc' }), 401, 'authentication_required');
    expectCleanError(await sim.get('/customers', { key: null, headers: { Authorization: 'Basic c2tfdGVzdF94Og==' } }), 401, 'authentication_required');
  });

  it('with --keys, answers a well-formed key outside the allow-list with 401', async () => {
    const strict = await startTestSim({ keys: ['sk_test_allowed'] });
    try {
      expectCleanError(await strict.get('/customers', { key: 'sk_test_other' }), 401, 'authentication_required');
      expect((await strict.get('/customers', { key: 'sk_test_allowed' })).status).toBe(200);
    } finally {
      await strict.close();
    }
  });

  it('refuses a publishable key with 403 permission_denied', async () => {
    const res = await sim.get('/customers', { key: 'pk_test_browser' });
    expectCleanError(res, 403, 'permission_denied');
    expect(res.body.error.type).toBe('invalid_request_error');
  });

  it('refuses a liveMode that contradicts the key with 400 and accepts a matching one', async () => {
    expectCleanError(await sim.get('/customers?liveMode=true'), 400, 'parameter_invalid', 'liveMode');
    expectCleanError(await sim.get('/customers?liveMode=false', { key: 'sk_live_shop' }), 400, 'parameter_invalid', 'liveMode');
    expect((await sim.get('/customers?liveMode=false')).status).toBe(200);
    expect((await sim.get('/customers?liveMode=true', { key: 'rk_live_shop' })).status).toBe(200);
  });
});

describe('namespaces', () => {
  it('never shows objects of a test key to a live key and back', async () => {
    const test = await sim.post('/customers', { email: 'test@x.co' });
    const live = await sim.post('/customers', { email: 'live@x.co' }, { key: 'sk_live_shop' });
    expectCleanError(await sim.get(`/customers/${test.body.id}`, { key: 'sk_live_shop' }), 404, 'resource_missing', 'id');
    expectCleanError(await sim.get(`/customers/${live.body.id}`), 404, 'resource_missing', 'id');
    expect((await sim.post('/customers', { email: 'test@x.co' }, { key: 'sk_live_shop' })).status).toBe(201);
  });

  it('isolates two test keys from each other, both starting from the fixtures', async () => {
    const a = await sim.post('/products', { name: 'Only in A' }, { key: 'sk_test_a' });
    expectCleanError(await sim.get(`/products/${a.body.id}`, { key: 'sk_test_b' }), 404, 'resource_missing', 'id');
    await sim.del('/products/prod_donation', { key: 'sk_test_a' });
    expect((await sim.get('/products/prod_donation', { key: 'sk_test_b' })).status).toBe(200);
    expect((await sim.get('/products', { key: 'sk_test_a' })).body.totalCount).toBe(5);
    expect((await sim.get('/products', { key: 'sk_test_b' })).body.totalCount).toBe(5);
  });
});
