import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectError, startTestSim, type TestSim } from '../helpers/sim.js';
import { nsFor, paidCharge, secondCharge } from '../helpers/money.js';
import type { ChargeRecord, PaymentIntentRecord } from '../../src/payments/types.js';
import type { EventRecord } from '../../src/events/emit.js';

let sim: TestSim;
beforeEach(async () => {
  sim = await startTestSim();
});
afterEach(() => sim.close());

const chargeNow = (id: string) => nsFor(sim).db.charges.get(id) as unknown as ChargeRecord;
const intentNow = (id: string) => nsFor(sim).db.paymentIntents.get(id) as unknown as PaymentIntentRecord;
const eventTypes = () => ([...nsFor(sim).db.events.values()] as EventRecord[]).map((e) => e.type);
const feeOf = (charge: ChargeRecord) => (nsFor(sim).db.balanceTransactions.get(charge._balanceTransactionId!) as unknown as { fee: number }).fee;

describe('POST /refunds', () => {
  it('refunds the whole charge when no amount is given, keeping the platform fee', async () => {
    const { charge, pi } = paidCharge(sim, { amount: 25000 });
    const res = await sim.post('/refunds', { chargeId: charge.id });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      object: 'refund', amount: 25000, currency: 'EGP', chargeId: charge.id, paymentIntentId: pi.id,
      status: 'SUCCEEDED', failureBalanceTransactionId: null, externalRefundId: null, feeAmount: feeOf(charge),
      createdAt: '2026-03-01T10:00:00.000Z',
    });
    expect(res.body.id).toMatch(/^re_[A-Za-z0-9]{22}$/);
    expect(res.body.balanceTransactionId).toMatch(/^txn_/);
    expect(chargeNow(charge.id)).toMatchObject({ amountRefunded: 25000, refunded: true, status: 'REFUNDED' });
    expect(intentNow(pi.id).status).toBe('REFUNDED');
  });

  it('refunds in parts until nothing is left; the charge and intent read PARTIALLY_REFUNDED in between', async () => {
    const { charge, pi } = paidCharge(sim, { amount: 10000 });
    expect((await sim.post('/refunds', { chargeId: charge.id, amount: 3000 })).status).toBe(201);
    expect(chargeNow(charge.id)).toMatchObject({ amountRefunded: 3000, refunded: false, status: 'PARTIALLY_REFUNDED' });
    expect(intentNow(pi.id).status).toBe('PARTIALLY_REFUNDED');
    const rest = await sim.post('/refunds', { paymentIntentId: pi.id });
    expect(rest.body).toMatchObject({ amount: 7000, status: 'SUCCEEDED', chargeId: charge.id });
    expect(chargeNow(charge.id)).toMatchObject({ amountRefunded: 10000, refunded: true, status: 'REFUNDED' });
    expect(intentNow(pi.id).status).toBe('REFUNDED');
  });

  it('resolves a payment intent to its one succeeded charge, ignoring failed attempts', async () => {
    const { pi } = paidCharge(sim, { outcome: 'failed' });
    // A second, successful attempt on the same intent.
    const ok = secondCharge(sim, pi);
    const res = await sim.post('/refunds', { paymentIntentId: pi.id, amount: 100 });
    expect(res.status).toBe(201);
    expect(res.body.chargeId).toBe(ok.id);
  });

  it('stores lowercase reasons in the uppercase form of the contract', async () => {
    const { charge } = paidCharge(sim);
    const lower = await sim.post('/refunds', { chargeId: charge.id, amount: 100, reason: 'requested_by_customer' });
    expect(lower.body.reason).toBe('REQUESTED_BY_CUSTOMER');
    const upper = await sim.post('/refunds', { chargeId: charge.id, amount: 100, reason: 'DUPLICATE' });
    expect(upper.body.reason).toBe('DUPLICATE');
    expectError(await sim.post('/refunds', { chargeId: charge.id, amount: 100, reason: 'changed_my_mind' }), 400, 'parameter_invalid', 'reason');
  });

  it('keeps description and instructionsEmail, accepts metadata, and leaves reason out when none was given', async () => {
    const { charge } = paidCharge(sim);
    const res = await sim.post('/refunds', { chargeId: charge.id, amount: 500, description: 'Damaged item', instructionsEmail: 'buyer@example.com', metadata: { order: '42' } });
    expect(res.body).toMatchObject({ description: 'Damaged item', instructionsEmail: 'buyer@example.com' });
    expect(res.body).not.toHaveProperty('reason');
    expect(res.body).not.toHaveProperty('metadata');
  });

  it('reads an explicit null amount as the whole remainder and a null reason as none', async () => {
    const { charge } = paidCharge(sim, { amount: 6000 });
    await sim.post('/refunds', { chargeId: charge.id, amount: 1000 });
    const res = await sim.post('/refunds', { chargeId: charge.id, amount: null, reason: null, description: null });
    expect(res.body).toMatchObject({ amount: 5000, status: 'SUCCEEDED', description: null });
    expect(res.body).not.toHaveProperty('reason');
  });

  it('gives the refund its share of the presentment amount when the charge was shown in another currency', async () => {
    const presentmentDetails = { amount: 200, currency: 'USD', exchangeRate: 50, exchangeRateId: 'fx_test_1' };
    const { charge } = paidCharge(sim, { amount: 10000, presentmentDetails });
    const res = await sim.post('/refunds', { chargeId: charge.id, amount: 2500 });
    expect(res.body.presentmentDetails).toEqual({ amount: 50, currency: 'USD', exchangeRate: 50, exchangeRateId: 'fx_test_1' });
    const plain = paidCharge(sim);
    expect((await sim.post('/refunds', { chargeId: plain.charge.id })).body).not.toHaveProperty('presentmentDetails');
  });

  it('refuses both targets with parameters_exclusive and neither with parameter_missing', async () => {
    const { charge, pi } = paidCharge(sim);
    expectError(await sim.post('/refunds', { chargeId: charge.id, paymentIntentId: pi.id }), 400, 'parameters_exclusive', 'chargeId');
    expectError(await sim.post('/refunds', {}), 400, 'parameter_missing', 'chargeId');
    expectError(await sim.post('/refunds', { amount: 100 }), 400, 'parameter_missing', 'chargeId');
    expectError(await sim.post('/refunds', { chargeId: '', paymentIntentId: null }), 400, 'parameter_missing', 'chargeId');
  });

  it('answers 404 resource_missing for an unknown charge or payment intent, naming the parameter', async () => {
    expectError(await sim.post('/refunds', { chargeId: 'ch_test_nope' }), 404, 'resource_missing', 'chargeId');
    expectError(await sim.post('/refunds', { paymentIntentId: 'pi_test_nope' }), 404, 'resource_missing', 'paymentIntentId');
  });

  it('refuses an intent with no succeeded charge, or with several, as parameter_invalid', async () => {
    const failed = paidCharge(sim, { outcome: 'failed' });
    expectError(await sim.post('/refunds', { paymentIntentId: failed.pi.id }), 400, 'parameter_invalid', 'paymentIntentId');
    const twice = paidCharge(sim);
    secondCharge(sim, twice.pi);
    expectError(await sim.post('/refunds', { paymentIntentId: twice.pi.id }), 400, 'parameter_invalid', 'paymentIntentId');
  });

  it('refuses failed and pending charges with 400 charge_not_captured, naming the target parameter', async () => {
    const failed = paidCharge(sim, { outcome: 'failed' });
    const err = expectError(await sim.post('/refunds', { chargeId: failed.charge.id }), 400, 'charge_not_captured', 'chargeId');
    expect(err.type).toBe('invalid_request_error');
    const pending = paidCharge(sim, { outcome: 'pending' });
    expectError(await sim.post('/refunds', { chargeId: pending.charge.id }), 400, 'charge_not_captured', 'chargeId');
    expect(nsFor(sim).db.refunds.size).toBe(0);
  });

  it('answers any amount on a fully refunded charge with 400 amount_invalid (never the 409 that means "retry")', async () => {
    const done = paidCharge(sim);
    await sim.post('/refunds', { chargeId: done.charge.id });
    for (const body of [{ chargeId: done.charge.id }, { chargeId: done.charge.id, amount: 1 }, { paymentIntentId: done.pi.id, amount: 1 }]) {
      const err = expectError(await sim.post('/refunds', body), 400, 'amount_invalid', 'amount');
      expect(err.type).toBe('invalid_request_error');
      expect(err.message).toContain('exceeds the refundable balance');
    }
    expect(nsFor(sim).db.refunds.size).toBe(1);
  });

  it('refuses more than the remaining amount with 400 amount_invalid on amount, moving nothing', async () => {
    const { charge } = paidCharge(sim, { amount: 5000 });
    await sim.post('/refunds', { chargeId: charge.id, amount: 4000 });
    const err = expectError(await sim.post('/refunds', { chargeId: charge.id, amount: 1001 }), 400, 'amount_invalid', 'amount');
    expect(err.type).toBe('invalid_request_error');
    expect(err.message).toContain('exceeds the refundable balance');
    expect(err.message).toContain('1000 left');
    expect(chargeNow(charge.id).amountRefunded).toBe(4000);
    expect(nsFor(sim).db.refunds.size).toBe(1);
    // Exactly what is left still goes through.
    expect((await sim.post('/refunds', { chargeId: charge.id, amount: 1000 })).status).toBe(201);
  });

  it('checks the amount type and bounds: whole minor units, at least 1', async () => {
    const { charge } = paidCharge(sim);
    expectError(await sim.post('/refunds', { chargeId: charge.id, amount: 0 }), 400, 'parameter_out_of_range', 'amount');
    expectError(await sim.post('/refunds', { chargeId: charge.id, amount: -5 }), 400, 'parameter_out_of_range', 'amount');
    expectError(await sim.post('/refunds', { chargeId: charge.id, amount: 10.5 }), 400, 'parameter_invalid', 'amount');
    expectError(await sim.post('/refunds', { chargeId: charge.id, amount: '100' }), 400, 'parameter_invalid', 'amount');
  });

  it('validates the other fields: unknown fields, description length, email format', async () => {
    const { charge } = paidCharge(sim);
    expectError(await sim.post('/refunds', { chargeId: charge.id, currency: 'EGP' }), 400, 'parameter_unknown', 'currency');
    expectError(await sim.post('/refunds', { chargeId: charge.id, description: 'x'.repeat(501) }), 400, 'parameter_out_of_range', 'description');
    expectError(await sim.post('/refunds', { chargeId: charge.id, instructionsEmail: 'not-an-email' }), 400, 'parameter_invalid', 'instructionsEmail');
    expectError(await sim.post('/refunds', { chargeId: charge.id, metadata: 'x' }), 400, 'parameter_invalid', 'metadata');
  });

  it('refuses valU payments with parameter_invalid naming the target', async () => {
    const { charge, pi } = paidCharge(sim, { method: 'valu' });
    const err = expectError(await sim.post('/refunds', { chargeId: charge.id }), 400, 'parameter_invalid', 'chargeId');
    expect(err.message).toMatch(/valU/);
    expectError(await sim.post('/refunds', { paymentIntentId: pi.id, amount: 100 }), 400, 'parameter_invalid', 'paymentIntentId');
    expect(chargeNow(charge.id).amountRefunded).toBe(0);
  });

  it('creates a FAILED refund that moves no money for a charge whose refunds fail', async () => {
    const { charge } = paidCharge(sim, { behaviour: 'refund_fails' });
    const res = await sim.post('/refunds', { chargeId: charge.id, amount: 1000 });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: 'FAILED', failureReason: 'expired_or_canceled_card', failureCode: 'expired_or_canceled_card', balanceTransactionId: null, failureBalanceTransactionId: null });
    expect(res.body.failureMessage).toEqual(expect.any(String));
    expect(chargeNow(charge.id)).toMatchObject({ amountRefunded: 0, refunded: false, status: 'SUCCEEDED' });
    expect(eventTypes()).toEqual(['refund.created', 'refund.failed']);
  });

  it('emits refund.created then charge.refunded with the charge and its refunds newest first', async () => {
    const { charge } = paidCharge(sim);
    const first = await sim.post('/refunds', { chargeId: charge.id, amount: 1000 });
    const second = await sim.post('/refunds', { chargeId: charge.id, amount: 2000 });
    expect(eventTypes()).toEqual(['refund.created', 'charge.refunded', 'refund.created', 'charge.refunded']);
    const last = [...nsFor(sim).db.events.values()].at(-1) as EventRecord;
    const shown = last.data.object as { id: string; amountRefunded: number; refunds: Array<{ id: string }> };
    expect(shown.id).toBe(charge.id);
    expect(shown.amountRefunded).toBe(3000);
    expect(shown.refunds.map((r) => r.id)).toEqual([second.body.id, first.body.id]);
    const created = [...nsFor(sim).db.events.values()].at(-2) as EventRecord;
    expect(created.data.object).toEqual(second.body);
  });
});

describe('GET /refunds/{id} and GET /refunds', () => {
  it('fetches a refund with its balance transaction id, and 404s an unknown one', async () => {
    const { charge } = paidCharge(sim);
    const created = await sim.post('/refunds', { chargeId: charge.id, amount: 700 });
    const fetched = await sim.get(`/refunds/${created.body.id}`);
    expect(fetched.status).toBe(200);
    expect(fetched.body).toEqual(created.body);
    expect(nsFor(sim).db.balanceTransactions.get(fetched.body.balanceTransactionId)).toMatchObject({ amount: -700, net: -700, type: 'REFUND', source: created.body.id });
    expectError(await sim.get('/refunds/re_nope'), 404, 'resource_missing', 'id');
  });

  it('lists refunds newest first as a bare array, filtered by charge, with limit and offset', async () => {
    const a = paidCharge(sim);
    const b = paidCharge(sim);
    const ids: string[] = [];
    for (const [c, amount] of [[a.charge, 100], [b.charge, 200], [a.charge, 300], [b.charge, 400]] as const) {
      ids.push((await sim.post('/refunds', { chargeId: c.id, amount })).body.id);
    }
    const all = await sim.get('/refunds');
    expect(all.body.map((r: { id: string }) => r.id)).toEqual([...ids].reverse());
    const ofA = await sim.get(`/refunds?chargeId=${a.charge.id}`);
    expect(ofA.body.map((r: { amount: number }) => r.amount)).toEqual([300, 100]);
    const page = await sim.get('/refunds?limit=2&offset=1');
    expect(page.body.map((r: { id: string }) => r.id)).toEqual([ids[2], ids[1]]);
    expect((await sim.get('/refunds?chargeId=ch_test_nope')).body).toEqual([]);
    expect((await sim.get('/refunds?limit=1')).body).toHaveLength(1);
  });

  it('refuses a limit outside 1–100 and a negative or fractional offset', async () => {
    expectError(await sim.get('/refunds?limit=101'), 400, 'parameter_out_of_range', 'limit');
    expectError(await sim.get('/refunds?limit=0'), 400, 'parameter_out_of_range', 'limit');
    expectError(await sim.get('/refunds?offset=-1'), 400, 'parameter_out_of_range', 'offset');
    expectError(await sim.get('/refunds?offset=1.5'), 400, 'parameter_invalid', 'offset');
    expectError(await sim.get('/refunds?limit=abc'), 400, 'parameter_invalid', 'limit');
  });
});

describe('GET /_sim/ledger', () => {
  it('shows balances per account and currency, the postings and passing invariants', async () => {
    const { charge } = paidCharge(sim, { amount: 10000 });
    await sim.post('/refunds', { chargeId: charge.id, amount: 4000 });
    const fee = feeOf(charge);
    const res = await sim.get('/_sim/ledger');
    expect(res.status).toBe(200);
    expect(res.body.balances).toEqual({
      customer_funds: { EGP: -6000 },
      merchant_pending: {},
      merchant_available: { EGP: 6000 - fee },
      platform_fees: { EGP: fee },
    });
    expect(res.body.entries.map((e: { kind: string }) => e.kind)).toEqual(['charge', 'refund']);
    expect(res.body.invariants).toMatchObject({
      ok: true,
      entriesBalanced: { ok: true, checked: 2 },
      merchantMatchesBalanceTransactions: { ok: true },
      refundsWithinCharges: { ok: true, checked: 1 },
      moneyConserved: { ok: true, details: [{ currency: 'EGP', sum: 0, ok: true }] },
    });
  });

  it('leaves the postings out with entries=false', async () => {
    paidCharge(sim);
    const res = await sim.get('/_sim/ledger?entries=false');
    expect(res.body.entries).toEqual([]);
    expect(res.body.entryCount).toBe(1);
  });

  it('reports a broken invariant with details', async () => {
    const { charge } = paidCharge(sim);
    // Tamper with the store the way a bug would: a refund amount the ledger never saw.
    nsFor(sim).db.charges.set(charge.id, { ...chargeNow(charge.id), amountRefunded: 50 } as never);
    const res = await sim.get('/_sim/ledger');
    expect(res.body.invariants.ok).toBe(false);
    expect(res.body.invariants.refundsWithinCharges.details).toEqual([{ chargeId: charge.id, amountCaptured: 10000, amountRefunded: 50, succeededRefunds: 0 }]);
  });

  it('needs an API key to know whose ledger to show', async () => {
    expectError(await sim.get('/_sim/ledger', { key: null }), 401, 'authentication_required');
  });
});
