// Property-based: random sequences of payments, refunds (one at a time and in parallel) and clock
// moves never break the ledger: entries balance, no money is created or lost, the merchant ends with
// captured − fees − refunded, and no charge is ever refunded beyond what it captured.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { startTestSim, type ApiResponse, type TestSim } from '../helpers/sim.js';
import { nsFor, paidCharge } from '../helpers/money.js';
import { checkLedgerInvariants } from '../../src/payments/ledger-invariants.js';
import { chargeFee } from '../../src/core/fees.js';
import type { ChargeRecord } from '../../src/payments/types.js';

const HOUR = 60 * 60 * 1000;

type Cmd =
  | { kind: 'pay'; amount: number; currency: 'EGP' | 'USD' | 'KWD'; method: 'card' | 'valu'; failsRefunds: boolean }
  | { kind: 'refund'; target: number; permille: number | null; byIntent: boolean }
  | { kind: 'parallel'; target: number; permilles: Array<number | null> }
  | { kind: 'advance'; ms: number };

/** Share of the charge amount to ask for, in ‰; above 1000 asks for more than the charge. null = the whole remainder. */
const permille = fc.option(fc.integer({ min: 1, max: 1200 }), { nil: null, freq: 4 });

const cmd: fc.Arbitrary<Cmd> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('pay' as const), amount: fc.integer({ min: 1, max: 500000 }), currency: fc.constantFrom('EGP' as const, 'USD' as const, 'KWD' as const), method: fc.constantFrom('card' as const, 'card' as const, 'card' as const, 'valu' as const), failsRefunds: fc.constantFrom(false, false, false, false, true) }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('refund' as const), target: fc.nat(), permille, byIntent: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('parallel' as const), target: fc.nat(), permilles: fc.array(permille, { minLength: 2, maxLength: 8 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 2 * HOUR }) }) },
);

interface Paid {
  id: string;
  piId: string;
  amount: number;
  currency: string;
  method: string;
  failsRefunds: boolean;
  refunded: number;
}

let sim: TestSim;
let run = 0;

async function refund(key: string, c: Paid, share: number | null, byIntent: boolean): Promise<ApiResponse> {
  const body: Record<string, unknown> = byIntent ? { paymentIntentId: c.piId } : { chargeId: c.id };
  if (share !== null) body.amount = Math.max(1, Math.round((c.amount * share) / 1000));
  return sim.post('/refunds', body, { key });
}

/** Checks one answer against the charge's state before it and returns the amount it refunded. */
function judge(c: Paid, res: ApiResponse, remainingAfter: number): number {
  if (c.method === 'valu') {
    expect(res.body.error?.code).toBe('parameter_invalid');
    return 0;
  }
  if (res.status === 201) {
    if (c.failsRefunds) {
      expect(res.body).toMatchObject({ status: 'FAILED', balanceTransactionId: null });
      return 0;
    }
    expect(res.body.status).toBe('SUCCEEDED');
    return res.body.amount as number;
  }
  // A refusal is always an amount problem (never the 409 lock), and the balance it quotes can only
  // have shrunk since: refunds that won the race took from it, none gave back.
  expect(res.status).toBe(400);
  expect(res.body.error?.code).toBe('amount_invalid');
  expect(JSON.parse(res.text).error.param).toBe('amount');
  const quoted = Number(/\((\d+) left/.exec(res.body.error.message)?.[1]);
  expect(quoted).toBeGreaterThanOrEqual(remainingAfter);
  return 0;
}

async function execute(cmds: Cmd[]): Promise<void> {
  const key = `sk_test_ledger_prop_${run++}`;
  const ns = nsFor(sim, key);
  const paid: Paid[] = [];
  for (const step of cmds) {
    if (step.kind === 'pay') {
      const { charge, pi } = paidCharge(sim, { amount: step.amount, currency: step.currency, method: step.method, behaviour: step.failsRefunds ? 'refund_fails' : null }, key);
      paid.push({ id: charge.id, piId: pi.id, amount: step.amount, currency: step.currency, method: step.method, failsRefunds: step.failsRefunds, refunded: 0 });
    } else if (step.kind === 'advance') {
      ns.clock.advance(step.ms);
      sim.sim.runDue(ns);
    } else if (paid.length > 0) {
      const c = paid[step.target % paid.length]!;
      const before = c.amount - c.refunded;
      const answers = step.kind === 'refund' ? [await refund(key, c, step.permille, step.byIntent)] : await Promise.all(step.permilles.map((p, i) => refund(key, c, p, i % 2 === 0)));
      const after = c.amount - (ns.db.charges.get(c.id) as unknown as ChargeRecord).amountRefunded;
      const moved = answers.reduce((sum, res) => sum + judge(c, res, after), 0);
      expect(moved).toBeLessThanOrEqual(before);
      c.refunded += moved;
      expect(before - moved).toBe(after);
    }
    const check = checkLedgerInvariants(ns);
    expect(check.ok, JSON.stringify(check)).toBe(true);
  }
  await checkTotals(key, paid);
}

async function checkTotals(key: string, paid: Paid[]): Promise<void> {
  const ns = nsFor(sim, key);
  // Past every availableOn, nothing may stay pending.
  ns.clock.advance(sim.sim.config.settlementDelayMs);
  const res = await sim.get('/_sim/ledger?entries=false', { key });
  expect(res.body.invariants.ok).toBe(true);
  const balances = res.body.balances as Record<string, Record<string, number>>;
  const currencies = new Set(paid.map((p) => p.currency));
  for (const currency of currencies) {
    const mine = paid.filter((p) => p.currency === currency);
    const captured = mine.reduce((s, p) => s + p.amount, 0);
    const fees = mine.reduce((s, p) => s + chargeFee(p.amount, currency, p.method).total, 0);
    const refunded = mine.reduce((s, p) => s + p.refunded, 0);
    const at = (account: string) => balances[account]![currency] ?? 0;
    expect(at('customer_funds') + at('merchant_pending') + at('merchant_available') + at('platform_fees')).toBe(0);
    expect(at('merchant_pending')).toBe(0);
    expect(at('merchant_available')).toBe(captured - fees - refunded);
    expect(at('platform_fees')).toBe(fees);
    expect(at('customer_funds')).toBe(refunded - captured);
  }
  for (const p of paid) {
    const charge = ns.db.charges.get(p.id) as unknown as ChargeRecord;
    expect(charge.amountRefunded).toBe(p.refunded);
    expect(charge.status).toBe(p.refunded === 0 ? 'SUCCEEDED' : p.refunded === p.amount ? 'REFUNDED' : 'PARTIALLY_REFUNDED');
  }
}

describe.each([
  { delay: 0, label: 'money available at once' },
  { delay: HOUR, label: 'a one-hour settlement delay' },
])('ledger properties with $label', ({ delay }) => {
  beforeAll(async () => {
    sim = await startTestSim({ settlementDelayMs: delay });
  });
  afterAll(() => sim.close());

  it('random payments and refunds, sequential and parallel, keep every invariant', async () => {
    await fc.assert(fc.asyncProperty(fc.array(cmd, { minLength: 1, maxLength: 10 }), execute), { numRuns: 40 });
  }, 60_000);
});
