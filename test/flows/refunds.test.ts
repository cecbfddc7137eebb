// Refund flows end to end: money in, money back, what the ledger and balance transactions show
// after each step, settlement by the clock, parallel refunds and retried refunds.
import { afterEach, describe, expect, it } from 'vitest';
import { expectError, startTestSim, type TestSim } from '../helpers/sim.js';
import { nsFor, paidCharge, paidThroughCheckout } from '../helpers/money.js';
import { checkLedgerInvariants } from '../../src/payments/ledger-invariants.js';
import type { BalanceTransactionRecord, ChargeRecord } from '../../src/payments/types.js';

let sim: TestSim;
afterEach(() => sim?.close());

const txn = (id: string | null) => nsFor(sim).db.balanceTransactions.get(id!) as unknown as BalanceTransactionRecord;
const chargeNow = (id: string) => nsFor(sim).db.charges.get(id) as unknown as ChargeRecord;

/** The ledger as GET /_sim/ledger shows it, asserting every invariant holds. */
async function ledgerOk(): Promise<{ balances: Record<string, Record<string, number>> }> {
  const res = await sim.get('/_sim/ledger?entries=false');
  expect(res.body.invariants, JSON.stringify(res.body.invariants)).toMatchObject({ ok: true });
  expect(checkLedgerInvariants(nsFor(sim)).ok).toBe(true);
  return res.body;
}

describe('refund flows', () => {
  it('a checkout payment refunded in two parts: balance transactions, charge, session and ledger after each step', async () => {
    sim = await startTestSim();
    const { chargeId, paymentIntentId, sessionId } = await paidThroughCheckout(sim, 20000);
    const charge = chargeNow(chargeId);
    const paid = txn(charge._balanceTransactionId);
    expect(paid).toMatchObject({ type: 'CHARGE', amount: 20000, status: 'AVAILABLE' });
    expect(paid.net).toBe(20000 - paid.fee);
    expect((await ledgerOk()).balances.merchant_available).toEqual({ EGP: paid.net });

    const first = await sim.post('/refunds', { chargeId: charge.id, amount: 5000, reason: 'requested_by_customer' });
    expect(txn(first.body.balanceTransactionId)).toMatchObject({ type: 'REFUND', amount: -5000, fee: 0, net: -5000, status: 'AVAILABLE', source: first.body.id });
    expect((await ledgerOk()).balances).toEqual({
      customer_funds: { EGP: -15000 },
      merchant_pending: {},
      merchant_available: { EGP: paid.net - 5000 },
      platform_fees: { EGP: paid.fee },
    });

    const rest = await sim.post('/refunds', { chargeId: charge.id });
    expect(rest.body.amount).toBe(15000);
    const after = await ledgerOk();
    // The customer has everything back; the merchant is out exactly the fee the platform kept.
    expect(after.balances.customer_funds).toEqual({ EGP: 0 });
    expect(after.balances.merchant_available).toEqual({ EGP: -paid.fee });
    expect(after.balances.platform_fees).toEqual({ EGP: paid.fee });
    expect(chargeNow(charge.id)).toMatchObject({ status: 'REFUNDED', refunded: true, amountRefunded: 20000 });
    // The session shows the refunds through its payment intent and latest charge, newest first.
    const session = await sim.get(`/checkout/sessions/${sessionId}`);
    expect(session.body.paymentIntent).toMatchObject({ id: paymentIntentId, status: 'REFUNDED' });
    expect(session.body.paymentIntent.latestCharge.refunds.map((r: { id: string }) => r.id)).toEqual([rest.body.id, first.body.id]);
  });

  it('a charge whose refunds fail keeps its money; the ledger stays balanced and a later refund still fails', async () => {
    sim = await startTestSim();
    const charge = chargeNow((await paidThroughCheckout(sim, 8000, '4000000000005126')).chargeId);
    const before = await ledgerOk();
    for (let i = 0; i < 2; i++) {
      const res = await sim.post('/refunds', { chargeId: charge.id });
      expect(res.body).toMatchObject({ status: 'FAILED', amount: 8000, balanceTransactionId: null });
    }
    expect((await ledgerOk()).balances).toEqual(before.balances);
    expect(chargeNow(charge.id)._refundIds).toHaveLength(2);
    expect([...nsFor(sim).db.balanceTransactions.values()]).toHaveLength(1);
  });

  it('refuses a valU payment and moves nothing', async () => {
    sim = await startTestSim();
    const { charge } = paidCharge(sim, { method: 'valu', amount: 30000 });
    const before = await ledgerOk();
    expectError(await sim.post('/refunds', { chargeId: charge.id }), 400, 'parameter_invalid', 'chargeId');
    expect((await ledgerOk()).balances).toEqual(before.balances);
  });

  it('with a settlement delay, charge money is pending until availableOn while refunds debit available at once', async () => {
    const day = 24 * 60 * 60 * 1000;
    sim = await startTestSim({ settlementDelayMs: day });
    const { charge } = paidCharge(sim, { amount: 10000 });
    const paid = txn(charge._balanceTransactionId);
    expect(paid.status).toBe('PENDING');
    expect(paid.availableOn).toBe('2026-03-02T10:00:00.000Z');
    let ledger = await ledgerOk();
    expect(ledger.balances.merchant_pending).toEqual({ EGP: paid.net });
    expect(ledger.balances.merchant_available).toEqual({});

    await sim.post('/refunds', { chargeId: charge.id, amount: 3000 });
    ledger = await ledgerOk();
    expect(ledger.balances.merchant_pending).toEqual({ EGP: paid.net });
    expect(ledger.balances.merchant_available).toEqual({ EGP: -3000 });

    nsFor(sim).clock.advance(day - 1);
    ledger = await ledgerOk();
    expect(ledger.balances.merchant_pending).toEqual({ EGP: paid.net });
    nsFor(sim).clock.advance(1);
    ledger = await ledgerOk();
    expect(txn(charge._balanceTransactionId).status).toBe('AVAILABLE');
    expect(ledger.balances.merchant_pending).toEqual({ EGP: 0 });
    expect(ledger.balances.merchant_available).toEqual({ EGP: paid.net - 3000 });
  });

  it('a clock advance settles pending money at exactly its availableOn instant', async () => {
    sim = await startTestSim({ settlementDelayMs: 36 * 60 * 60 * 1000 + 1234 });
    const { charge } = paidCharge(sim, { amount: 10000 });
    const paid = txn(charge._balanceTransactionId);
    expect((await sim.post('/_sim/clock/advance', { by: '3d' })).status).toBe(200);
    expect((await ledgerOk()).balances.merchant_available).toEqual({ EGP: paid.net });
    const { entries } = (await sim.get('/_sim/ledger')).body as { entries: Array<{ kind: string; createdAt: string }> };
    expect(entries.find((e) => e.kind === 'settlement')?.createdAt).toBe(paid.availableOn);
  });

  it('50 parallel partial refunds never over-refund: exactly the ones that fit succeed', async () => {
    sim = await startTestSim();
    const charge = chargeNow((await paidThroughCheckout(sim, 10000)).chargeId);
    const results = await Promise.all(Array.from({ length: 50 }, () => sim.post('/refunds', { chargeId: charge.id, amount: 300 })));
    const ok = results.filter((r) => r.status === 201);
    const refused = results.filter((r) => r.status !== 201);
    expect(ok).toHaveLength(33);
    // The overflow is an amount problem (400 amount_invalid), never the platform lock's 409.
    for (const r of refused) expectError(r, 400, 'amount_invalid', 'amount');
    expect(chargeNow(charge.id)).toMatchObject({ amountRefunded: 9900, status: 'PARTIALLY_REFUNDED' });
    expect(new Set(ok.map((r) => r.body.id)).size).toBe(33);
    await ledgerOk();
  });

  it('parallel full refunds of one charge: one succeeds, the rest find it fully refunded', async () => {
    sim = await startTestSim();
    const { pi } = paidCharge(sim, { amount: 7000 });
    const results = await Promise.all(Array.from({ length: 20 }, () => sim.post('/refunds', { paymentIntentId: pi.id })));
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    for (const r of results.filter((x) => x.status !== 201)) expectError(r, 400, 'amount_invalid', 'amount');
    await ledgerOk();
  });

  it('a refund retried with the same Idempotency-Key and body returns the original refund and moves no more money', async () => {
    sim = await startTestSim();
    const { pi, charge } = paidCharge(sim, { amount: 12000 });
    const body = { paymentIntentId: pi.id, amount: 4000, reason: 'REQUESTED_BY_CUSTOMER' };
    const headers = { 'Idempotency-Key': `wcref_1001_n0_4000` };
    const first = await sim.post('/refunds', body, { headers });
    const again = await sim.post('/refunds', body, { headers });
    const parallel = await Promise.all([1, 2, 3].map(() => sim.post('/refunds', body, { headers })));
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    for (const r of parallel) {
      // A copy still in flight may be told to retry (409); a finished one replays the original.
      if (r.status === 201) expect(r.body).toEqual(first.body);
      else expect(r.status).toBe(409);
    }
    expect(nsFor(sim).db.refunds.size).toBe(1);
    expect(chargeNow(charge.id).amountRefunded).toBe(4000);
    await ledgerOk();
  });
});
