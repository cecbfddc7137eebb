import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectError, startTestSim, type TestSim } from '../helpers/sim.js';

let sim: TestSim;
beforeEach(async () => {
  sim = await startTestSim();
});
afterEach(() => sim.close());

describe('customers', () => {
  it('creates a registered customer with a normalized email and an Egyptian phone in E.164', async () => {
    const res = await sim.post('/customers', { name: 'Nour', email: 'Nour@Example.com', phone: '010 1234 5678', metadata: { crm: '7' } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ object: 'customer', type: 'registered', email: 'nour@example.com', phone: '+201012345678', metadata: { crm: '7' } });
    expect(res.body.id).toMatch(/^cus_[A-Za-z0-9]{22}$/);
    const fetched = await sim.get(`/customers/${res.body.id}`);
    expect(fetched.body).toEqual(res.body);
  });

  it('requires an email or a phone', async () => {
    expectError(await sim.post('/customers', { name: 'No Contact' }), 400, 'parameter_invalid', 'email');
  });

  it('refuses a second customer with the same email or phone with 409', async () => {
    await sim.post('/customers', { email: 'dup@example.com' });
    expectError(await sim.post('/customers', { email: 'DUP@example.com' }), 409, 'resource_invalid_state', 'email');
    expectError(await sim.post('/customers', { phone: '+201001234567' }), 409, 'resource_invalid_state', 'phone');
  });

  it('rejects unknown and mistyped fields with the dotted param', async () => {
    expectError(await sim.post('/customers', { email: 'a@b.co', nickname: 'x' }), 400, 'parameter_unknown', 'nickname');
    expectError(await sim.post('/customers', { email: 'a@b.co', address: { city: 5 } }), 400, 'parameter_invalid', 'address.city');
    expectError(await sim.post('/customers', { email: 'not-an-email' }), 400, 'parameter_invalid', 'email');
  });

  it('answers 404 resource_missing for an unknown id', async () => {
    expectError(await sim.get('/customers/cus_nope'), 404, 'resource_missing', 'id');
  });

  it('lists newest first with search over id, name, email and phone, comma-separated', async () => {
    const a = await sim.post('/customers', { name: 'Zeina Adel', email: 'zeina@example.com' });
    await sim.post('/customers', { name: 'Karim', phone: '+201099999999' });
    const all = await sim.get('/customers');
    expect(all.body.data[0].name).toBe('Karim');
    expect(all.body.totalCount).toBe(5);
    const found = await sim.get('/customers?search=zeina,+2010999');
    expect(found.body.data.map((c: { name: string }) => c.name).sort()).toEqual(['Karim', 'Zeina Adel']);
    const byId = await sim.get(`/customers?search=${a.body.id}`);
    expect(byId.body.data).toHaveLength(1);
    expect(byId.body.data[0]).toEqual({
      id: a.body.id, type: 'registered', createdAt: a.body.createdAt, name: 'Zeina Adel', email: 'zeina@example.com', phone: null, country: null,
      latestPaymentMethod: null,
      spendData: { amountDisputeLosses: 0, amountRefunded: 0, averageOrderValue: 0, currency: 'EGP', firstPurchaseAt: '', grossSpend: 0, lastPurchaseAt: '', netSpend: 0, numPayments: 0 },
    });
  });

  it('paginates with page and limit and checks their range', async () => {
    const page2 = await sim.get('/customers?limit=2&page=2');
    expect(page2.body.data).toHaveLength(1);
    expectError(await sim.get('/customers?limit=101'), 400, 'parameter_out_of_range', 'limit');
    expectError(await sim.get('/customers?page=0'), 400, 'parameter_out_of_range', 'page');
    expectError(await sim.get('/customers?limit=abc'), 400, 'parameter_invalid', 'limit');
  });

  it('filters by type and reports zero stats before any payment', async () => {
    expect((await sim.get('/customers?type=guest')).body.data).toEqual([]);
    const stats = await sim.get('/customers/cus_demo_amina/stats');
    expect(stats.body).toMatchObject({ customerId: 'cus_demo_amina', transactionCount: 0, paymentMethods: [] });
  });
});
