import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectError, FROZEN_NOW, startTestSim, TEST_KEY, type TestSim } from '../helpers/sim.js';
import { parseDuration } from '../../src/resources/sim-clock.js';

let sim: TestSim;
beforeEach(async () => {
  sim = await startTestSim();
});
afterEach(() => sim.close());

const at = (iso: string, ms: number) => new Date(Date.parse(iso) + ms).toISOString();

describe('clock', () => {
  it('shows the namespace clock and its mode', async () => {
    const res = await sim.get('/_sim/clock');
    expect(res.body).toEqual({ object: 'sim.clock', mode: 'frozen', now: FROZEN_NOW });
  });

  it('advances by durations in every unit and by milliseconds', async () => {
    let expected = Date.parse(FROZEN_NOW);
    for (const [by, ms] of [['90s', 90_000], ['15m', 900_000], ['2h', 7_200_000], ['1d', 86_400_000], [1500, 1500]] as const) {
      const res = await sim.post('/_sim/clock/advance', { by });
      expected += ms;
      expect(res.body).toMatchObject({ object: 'sim.clock', now: new Date(expected).toISOString(), advancedByMs: ms });
    }
    expect(parseDuration('250ms')).toBe(250);
  });

  it('advances to an instant, never backwards', async () => {
    const res = await sim.post('/_sim/clock/advance', { to: '2026-03-02T00:00:00.000Z' });
    expect(res.body.now).toBe('2026-03-02T00:00:00.000Z');
    expectError(await sim.post('/_sim/clock/advance', { to: '2026-03-01T00:00:00.000Z' }), 400, 'parameter_invalid', 'to');
  });

  it('rejects bad durations, both by and to, and an empty move', async () => {
    expectError(await sim.post('/_sim/clock/advance', { by: 'soon' }), 400, 'parameter_invalid', 'by');
    expectError(await sim.post('/_sim/clock/advance', { by: -5 }), 400, 'parameter_invalid', 'by');
    expectError(await sim.post('/_sim/clock/advance', { by: '1h', to: '2027-01-01T00:00:00Z' }), 400, 'parameters_exclusive', 'to');
    expectError(await sim.post('/_sim/clock/advance', {}), 400, 'parameter_missing', 'by');
    expectError(await sim.post('/_sim/clock/advance', { by: '1h', extra: 1 }), 400, 'parameter_unknown', 'extra');
  });

  it('switches mode and sets the time per namespace', async () => {
    const set = await sim.post('/_sim/clock', { mode: 'manual', now: '2027-05-05T05:05:05.000Z' });
    expect(set.body).toEqual({ object: 'sim.clock', mode: 'manual', now: '2027-05-05T05:05:05.000Z' });
    expect((await sim.get('/_sim/clock', { key: 'sk_test_clock_other' })).body.now).toBe(FROZEN_NOW);
    const real = await sim.post('/_sim/clock', { mode: 'real' });
    expect(real.body.mode).toBe('real');
    expectError(await sim.post('/_sim/clock', { now: 'yesterday' }), 400, 'parameter_invalid', 'now');
    expectError(await sim.post('/_sim/clock', {}), 400, 'parameter_missing', 'mode');
    expectError(await sim.post('/_sim/clock', { mode: 'slow' }), 400, 'parameter_invalid', 'mode');
  });

  it('needs a key: the clock belongs to a namespace', async () => {
    expectError(await sim.get('/_sim/clock', { key: null }), 401, 'authentication_required');
    expectError(await sim.post('/_sim/clock/advance', { by: '1s' }, { key: null }), 401, 'authentication_required');
  });

  it('runs due work at each instant it falls due, in order, while advancing', async () => {
    const ns = sim.sim.namespace({ raw: TEST_KEY, kind: 'secret', livemode: false });
    const start = Date.parse(FROZEN_NOW);
    const pending = [start + 10 * 60_000, start + 3_600_000, start + 5 * 3_600_000];
    const ran: string[] = [];
    sim.sim.dueTimes.push((n) => (n === ns ? pending[0] : undefined));
    sim.sim.dueWork.push((n) => {
      while (n === ns && pending[0] !== undefined && pending[0] <= n.clock.now()) {
        ran.push(`${new Date(pending.shift()!).toISOString()} at ${n.nowIso()}`);
      }
    });
    await sim.post('/_sim/clock/advance', { by: '1d' });
    expect(ran).toEqual([
      `${at(FROZEN_NOW, 600_000)} at ${at(FROZEN_NOW, 600_000)}`,
      `${at(FROZEN_NOW, 3_600_000)} at ${at(FROZEN_NOW, 3_600_000)}`,
      `${at(FROZEN_NOW, 18_000_000)} at ${at(FROZEN_NOW, 18_000_000)}`,
    ]);
  });

  it('expires an open checkout session when the clock passes its expiry', async () => {
    const created = await sim.post('/checkout/sessions', {
      lineItems: [{ price: 'price_coffee_beans_egp', quantity: 1 }], successUrl: 'https://shop.example/ok', mode: 'payment',
    }, { unchecked: true });
    if (created.status !== 201 && created.status !== 200) return; // checkout sessions not built in this checkout yet
    await sim.post('/_sim/clock/advance', { by: '2d' });
    const later = await sim.get(`/checkout/sessions/${created.body.id}`, { unchecked: true });
    expect(later.body.status).toBe('expired');
  });
});
