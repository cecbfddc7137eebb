// A large body's schema check is split over turns of the event loop (src/http/body-in-pieces.ts):
// it must give the answer the whole-body check gives (valid, or the same first error with the
// same parameter path), and leave turns to other work while it runs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateInPieces } from '../../src/http/body-in-pieces.js';
import { toXPayError } from '../../src/http/validation.js';
import { expectError, startTestSim, type TestSim } from '../helpers/sim.js';
import { countTurns } from '../helpers/turns.js';

let sim: TestSim;
beforeAll(async () => {
  sim = await startTestSim();
});
afterAll(async () => {
  await sim.close();
});

/** A session near every cap (≈ 170 KB of JSON). */
function largeSession(): Record<string, any> {
  return {
    afterCompletion: { type: 'redirect', redirect: { url: 'https://shop.example/done' } },
    lineItems: Array.from({ length: 100 }, (_, i) => ({
      priceData: { currency: 'EGP', unitAmount: 1000 + i, productData: { name: `Item ${i} ${'n'.repeat(240)}`, description: 'd'.repeat(500) } },
      quantity: 1,
    })),
    customFields: Array.from({ length: 3 }, (_, f) => ({
      label: `Field ${f}`, type: 'DROPDOWN', dropdownOptions: Array.from({ length: 200 }, (_, o) => ({ label: `Option ${o} ${'o'.repeat(80)}` })),
    })),
    metadata: Object.fromEntries(Array.from({ length: 50 }, (_, k) => [`key_${k}`, 'm'.repeat(500)])),
  };
}

const validator = () => sim.sim.validators.get('createCheckoutSession')!;

function wholeBodyAnswer(body: Record<string, unknown>) {
  const check = validator().body!;
  return check(body) ? undefined : toXPayError(check.errors ?? []).toBody('req');
}

async function inPiecesAnswer(body: Record<string, unknown>) {
  const errors = await validateInPieces(validator().bodyInPieces()!, body);
  return errors ? toXPayError(errors).toBody('req') : undefined;
}

describe('validateInPieces', () => {
  it('splits the session body at its arrays; a body without arrays is checked whole', () => {
    expect(validator().bodyInPieces()!.arrays.map((a) => a.name)).toEqual(expect.arrayContaining(['lineItems', 'customFields']));
    expect(sim.sim.validators.get('createCustomer')!.bodyInPieces()).toBeUndefined();
  });

  const broken: Array<[string, (b: Record<string, any>) => void]> = [
    ['a valid body', () => undefined],
    ['a line item deep in the list with a wrong type', (b) => (b.lineItems[87].quantity = 'two')],
    ['a line item that is not an object', (b) => (b.lineItems[63] = 'one cup')],
    ['an unknown field inside a line item', (b) => (b.lineItems[99].colour = 'red')],
    ['a dropdown option of the last custom field', (b) => (b.customFields[2].dropdownOptions[150] = { label: 7 })],
    ['an unknown top-level field', (b) => (b.colour = 'red')],
    ['a top-level field of the wrong type', (b) => (b.lineItems = 'many')],
    ['a wrong top-level value beside a broken item', (b) => ((b.currency = 'XXX'), (b.lineItems[5].quantity = -1))],
  ];
  for (const [what, breakIt] of broken) {
    it(`gives the whole-body answer for ${what}`, async () => {
      const body = largeSession();
      breakIt(body);
      const expected = wholeBodyAnswer(body);
      expect(await inPiecesAnswer(body)).toEqual(expected);
      if (what !== 'a valid body') expect(expected).toBeDefined();
    });
  }

  it('leaves turns of the event loop to other work while it checks', async () => {
    const body = largeSession();
    const loop = countTurns();
    const errors = await validateInPieces(validator().bodyInPieces()!, body);
    loop.stop();
    expect(errors).toBeUndefined();
    expect(loop.turns).toBeGreaterThanOrEqual(1);
  });
});

describe('a large request through the API', () => {
  it('is created when valid, and refused with the parameter path of a broken item deep in it', async () => {
    const created = await sim.post('/checkout/sessions', largeSession());
    expect(created.status).toBe(201);
    expect(created.body.lineItems).toHaveLength(100);
    const body = largeSession();
    body.lineItems[91].priceData.unitAmount = 'free';
    expectError(await sim.post('/checkout/sessions', body), 400, 'parameter_invalid', 'lineItems[91].priceData.unitAmount');
  });
});
