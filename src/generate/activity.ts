// Payments made through the simulator's own API, so every record, ledger entry and event is what
// the API itself would produce: paid, declined and refunded checkouts spread over time.
import type { Faker } from '@faker-js/faker';
import type { XPaySimClient } from '../testing/client.js';

export interface ActivityCounts {
  sessions: number;
  paid: number;
  declined: number;
  refunds: number;
}

const DECLINE_CARDS = ['4000 0000 0000 9995', '4000 0000 0000 0002', '4000 0000 0000 9987'];
const PAY_CARDS = ['5123 4500 0000 0008', '4242 4242 4242 4242', '5078 0300 0000 0003'];

export async function makePayments(
  client: XPaySimClient,
  faker: Faker,
  count: number,
  customers: Array<{ id: string }>,
  pricesByCurrency: Record<'EGP' | 'USD', string[]>,
): Promise<ActivityCounts> {
  const counts: ActivityCounts = { sessions: 0, paid: 0, declined: 0, refunds: 0 };
  for (let i = 0; i < count; i++) {
    // About one payment in five is in USD, when the catalog has USD prices.
    const currency = pricesByCurrency.USD.length > 0 && faker.number.int({ min: 1, max: 5 }) === 1 ? 'USD' : 'EGP';
    const prices = faker.helpers.arrayElements(pricesByCurrency[currency], { min: 1, max: Math.min(3, pricesByCurrency[currency].length) });
    const session = await client.post<{ id: string }>('/checkout/sessions', {
      customerId: faker.helpers.arrayElement(customers).id,
      currency,
      afterCompletion: { type: 'hosted_confirmation' },
      lineItems: prices.map((price) => ({ price, quantity: faker.number.int({ min: 1, max: 3 }) })),
    });
    counts.sessions++;
    const declineFirst = faker.number.int({ min: 1, max: 10 }) <= 2;
    if (declineFirst) {
      await client.pay(session.id, faker.helpers.arrayElement(DECLINE_CARDS));
      counts.declined++;
    }
    // A few shoppers give up after a decline; their sessions expire as the clock moves on.
    if (!declineFirst || faker.number.int({ min: 1, max: 3 }) > 1) {
      const paid = await client.pay(session.id, faker.helpers.arrayElement(PAY_CARDS));
      const intent = paid.paymentIntent as { id: string; amount?: number } | null;
      counts.paid++;
      const refund = faker.number.int({ min: 1, max: 10 });
      if (intent && refund <= 2) {
        // One in ten refunded in full, one in ten in part (half, in whole minor units).
        const amount = refund === 1 ? undefined : Math.floor(paid.amountTotal / 2);
        await client.post('/refunds', { paymentIntentId: intent.id, ...(amount ? { amount } : {}), reason: 'REQUESTED_BY_CUSTOMER' });
        counts.refunds++;
      }
    }
    await client.advanceClock(`${faker.number.int({ min: 5, max: 240 })}m`);
  }
  return counts;
}
