// GET /_sim/checkout/sessions: the namespace's sessions, newest first, each as GET /checkout/sessions/{id} renders it.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectError, startTestSim, type TestSim } from '../helpers/sim.js';
import { createSession } from '../helpers/pages.js';

let sim: TestSim;
beforeEach(async () => {
  sim = await startTestSim();
});
afterEach(() => sim.close());

const pay = (id: string, email: string) =>
  sim.post(`/_sim/checkout/sessions/${id}/pay`, { card: { number: '4242424242424242', exp: '01/39', cvc: '100' }, customerDetails: { email, name: 'Mona Adel' } });

describe('GET /_sim/checkout/sessions', () => {
  it('lists the sessions newest first, each exactly as GET /checkout/sessions/{id} shows it', async () => {
    const first = await createSession(sim);
    const second = await createSession(sim);
    await pay(first.id, 'mona@example.com');
    const list = await sim.get('/_sim/checkout/sessions');
    expect(list.status).toBe(200);
    expect(list.body.data.map((s: any) => s.id)).toEqual([second.id, first.id]);
    expect(list.body).toMatchObject({ totalCount: 2, page: 1, limit: 20, totalPages: 1 });
    expect(list.body.data[1]).toEqual((await sim.get(`/checkout/sessions/${first.id}`)).body);
  });

  it('filters by status, payment status and search terms (ids, email), and pages', async () => {
    const paid = await createSession(sim);
    const open = await createSession(sim);
    await pay(paid.id, 'amina@example.com');
    const pi = (await sim.get(`/checkout/sessions/${paid.id}`)).body.paymentIntentId;
    const ids = async (q: string) => (await sim.get(`/_sim/checkout/sessions?${q}`)).body.data.map((s: any) => s.id);
    expect(await ids('status=complete')).toEqual([paid.id]);
    expect(await ids('paymentStatus=unpaid')).toEqual([open.id]);
    expect(await ids(`search=${pi}`)).toEqual([paid.id]);
    expect(await ids('search=AMINA@example')).toEqual([paid.id]);
    expect(await ids(`search=nobody,${open.id}`)).toEqual([open.id]);
    const page2 = await sim.get('/_sim/checkout/sessions?limit=1&page=2');
    expect(page2.body).toMatchObject({ totalCount: 2, totalPages: 2, page: 2 });
    expect(page2.body.data.map((s: any) => s.id)).toEqual([paid.id]);
  });

  it('shows only the caller\'s namespace and refuses bad filters', async () => {
    await createSession(sim, {}, 'sk_test_someone_else');
    expect((await sim.get('/_sim/checkout/sessions')).body.data).toEqual([]);
    expectError(await sim.get('/_sim/checkout/sessions?status=paid'), 400, 'parameter_invalid');
    expectError(await sim.get('/_sim/checkout/sessions?limit=101'), 400, 'parameter_out_of_range');
    expectError(await sim.get('/_sim/checkout/sessions', { key: null }), 401, 'authentication_required');
  });
});
