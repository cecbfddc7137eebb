// DELETE /_sim/faults/{id}: remove one fault rule; a tenant only its own, a global one only the admin.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectError, startTestSim, type TestSim } from '../helpers/sim.js';

const ADMIN = 'fault-delete-admin-key-0123456789';
const admin = { headers: { 'XPay-Sim-Admin': ADMIN } };

let sim: TestSim;
beforeEach(async () => {
  sim = await startTestSim({ adminKey: ADMIN });
});
afterEach(() => sim.close());

describe('DELETE /_sim/faults/{id}', () => {
  it('removes one of the caller\'s rules, answering its last counters, and the rule stops firing', async () => {
    const keep = (await sim.post('/_sim/faults', { method: 'GET', path: '/products', fault: 'status=500' })).body;
    const gone = (await sim.post('/_sim/faults', { method: 'POST', path: '/customers', fault: 'status=503' })).body;
    expectError(await sim.post('/customers', { email: 'a@example.com' }), 503, 'internal_error');
    const res = await sim.del(`/_sim/faults/${gone.id}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ object: 'sim.fault', id: gone.id, deleted: true, matched: 1, fired: 1 });
    expect((await sim.get('/_sim/faults')).body.data.map((r: any) => r.id)).toEqual([keep.id]);
    expect((await sim.post('/customers', { email: 'b@example.com' })).status).toBe(201);
    expectError(await sim.del(`/_sim/faults/${gone.id}`), 404, 'resource_missing');
  });

  it('never reaches another namespace\'s rule, and leaves a global rule to the admin', async () => {
    const theirs = (await sim.post('/_sim/faults', { path: '/customers', fault: 'status=500' }, { key: 'sk_test_other_tenant' })).body;
    expectError(await sim.del(`/_sim/faults/${theirs.id}`), 404, 'resource_missing');
    expect((await sim.get('/_sim/faults', { key: 'sk_test_other_tenant' })).body.data).toHaveLength(1);
    const global = (await sim.post('/_sim/faults', { path: '/products', fault: 'status=500', global: true }, { key: null, ...admin })).body;
    expectError(await sim.del(`/_sim/faults/${global.id}`), 403, 'permission_denied');
    expect((await sim.del(`/_sim/faults/${global.id}`, admin)).body.deleted).toBe(true);
  });
});
