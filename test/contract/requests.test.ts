// Generated, seeded requests over every operation of XPay's contract that takes input: each must be
// accepted, or refused by a rule that is written down (see ./refusals.ts), and every answer must
// conform to the contract. `npm test` runs a small budget; `npm run fuzz:contract` a larger one.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { XPAY_CONTRACT_PATH, xpayContract } from '../helpers/contract.js';
import { startTestSim, type TestSim } from '../helpers/sim.js';
import { operationsWithInput, requestArbitrary, runOne, type Outcome } from './request-runner.js';
import { findRule, ruleSourceProblems } from './refusals.js';

const RUNS = Number(process.env.XPAY_SIM_FUZZ_RUNS ?? 10);
const SEED = Number(process.env.XPAY_SIM_FUZZ_SEED ?? 20260301);

if (!xpayContract) {
  console.log(`[requests] XPay's contract is absent (${XPAY_CONTRACT_PATH}): the generated requests over it are skipped.`);
}

describe.skipIf(!xpayContract)("generated requests over XPay's contract", () => {
  let sim: TestSim;
  const outcomes: Outcome[] = [];

  beforeAll(async () => {
    sim = await startTestSim();
    const operations = operationsWithInput(xpayContract!);
    for (const [i, operation] of operations.entries()) {
      const samples = fc.sample(requestArbitrary(xpayContract!, operation), { seed: SEED + i, numRuns: RUNS });
      const key = `sk_test_contract_requests_${operation.operationId}`;
      for (const generated of samples) outcomes.push(await runOne(sim, key, operation, generated));
    }
    const stats = new Map<string, [number, number]>();
    for (const o of outcomes) {
      const s = stats.get(o.operation.operationId) ?? [0, 0];
      s[o.response.status < 300 ? 0 : 1]++;
      stats.set(o.operation.operationId, s);
    }
    console.log(`[requests] seed ${SEED}, ${RUNS} per operation: ` + [...stats].map(([op, [ok, no]]) => `${op} ${ok}/${ok + no}`).join(', '));
  }, 600_000);
  afterAll(() => sim?.close());

  const describeOutcome = (o: Outcome) =>
    `${o.request.method} ${o.request.path}${Object.keys(o.request.query).length ? '?' + new URLSearchParams(o.request.query) : ''} → ${o.response.status} ${o.response.text.slice(0, 300)}\n  body: ${JSON.stringify(o.request.body)?.slice(0, 600)}`;

  it('generates only requests that XPay\'s contract accepts', () => {
    const bad = outcomes.filter((o) => o.requestProblems).map((o) => `${o.requestProblems!.join('; ')}\n  ${describeOutcome(o)}`);
    expect(outcomes.length).toBeGreaterThan(0);
    expect(bad, bad.join('\n')).toEqual([]);
  });

  it('answers every request in a shape the contract allows', () => {
    const bad = outcomes.filter((o) => o.contractProblem).map((o) => `${o.contractProblem}\n  ${describeOutcome(o)}`);
    expect(bad, bad.join('\n')).toEqual([]);
  });

  it('never fails with a 5xx', () => {
    const bad = outcomes.filter((o) => o.response.status >= 500).map(describeOutcome);
    expect(bad, bad.join('\n')).toEqual([]);
  });

  it('refuses only by a rule written in the contract, xpay-api.md or docs/assumptions.md', () => {
    const bad = outcomes
      .filter((o) => !o.requestProblems && o.response.status >= 400 && o.response.status < 500 && !findRule(o))
      .map(describeOutcome);
    expect(bad, bad.join('\n')).toEqual([]);
  });

  // Below 10 samples an operation may draw only refusals by chance; the check then says nothing.
  if (RUNS < 10) console.log(`[requests] ${RUNS} per operation is below 10: the "accepts some of every operation" check is skipped.`);
  it.skipIf(RUNS < 10)('accepts some requests of every operation (the generator reaches past the refusals)', () => {
    const accepted = new Set(outcomes.filter((o) => o.response.status < 300).map((o) => o.operation.operationId));
    const never = operationsWithInput(xpayContract!).map((op) => op.operationId).filter((id) => !accepted.has(id));
    expect(never).toEqual([]);
  });

  it('points every listed refusal at text that exists where it says', () => {
    expect(ruleSourceProblems()).toEqual([]);
  });
});
