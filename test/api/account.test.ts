import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectError, startTestSim, type TestSim } from '../helpers/sim.js';
import { ALL_PERMISSIONS } from '../../src/resources/account.js';

let sim: TestSim;
beforeEach(async () => {
  sim = await startTestSim();
});
afterEach(() => sim.close());

describe('account', () => {
  it('describes the merchant, its currencies and the secret key used', async () => {
    const res = await sim.get('/account');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ country: 'EG', defaultCurrency: 'EGP', livemode: false, apiKey: { type: 'SECRET', mode: 'test' } });
    expect(res.body.id).toMatch(/^merch_/);
    expect(res.body.apiKey.permissions).toEqual(ALL_PERMISSIONS);
    const codes = res.body.supportedCurrencies.map((c: { code: string }) => c.code);
    expect(codes).toContain('EGP');
    expect(res.body.supportedCurrencies.find((c: { code: string }) => c.code === 'KWD').decimals).toBe(3);
    expect(res.body.supportedCurrencies.find((c: { code: string }) => c.code === 'EGP')).toMatchObject({ decimals: 2, paymentMethodTypes: expect.arrayContaining(['card', 'valu', 'fawry']) });
  });

  it('reports a restricted key as RESTRICTED and a live key as live', async () => {
    const restricted = await sim.get('/account', { key: 'rk_test_reports' });
    expect(restricted.body.apiKey).toMatchObject({ type: 'RESTRICTED', mode: 'test' });
    const live = await sim.get('/account', { key: 'sk_live_shop' });
    expect(live.body).toMatchObject({ livemode: true, apiKey: { type: 'SECRET', mode: 'live' } });
  });

  it('refuses a publishable key with 403 permission_denied', async () => {
    expectError(await sim.get('/account', { key: 'pk_test_browser' }), 403, 'permission_denied');
  });

  it('refuses a request without a key with 401', async () => {
    const error = expectError(await sim.get('/account', { key: null }), 401, 'authentication_required');
    expect(error.type).toBe('authentication_error');
  });
});
