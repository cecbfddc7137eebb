// Scenario data for the benchmarks, from a seeded Faker instance (never the global one), so
// every run on every machine measures the same customers.
import { Faker, en } from '@faker-js/faker';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const SEARCH_NAME = 'Bench-Needle';

/** `count` customers, oldest first; every 1000th is named SEARCH_NAME so name searches have hits. */
export function generateCustomers(count, seed = 20260301, offset = 0) {
  return Array.from(customerStream(count, seed, offset));
}

/**
 * The same customers as generateCustomers, made one at a time: a consumer that stores them
 * (bench/memory.mjs) then holds no batch of inputs whose garbage would sit among what it measures.
 */
export function* customerStream(count, seed = 20260301, offset = 0) {
  const faker = new Faker({ locale: [en], seed });
  const start = Date.parse('2025-01-01T00:00:00.000Z');
  for (let j = 0; j < count; j++) {
    const i = offset + j;
    const firstName = faker.person.firstName();
    const lastName = i % 1000 === 0 ? SEARCH_NAME : faker.person.lastName();
    const createdAt = new Date(start + i * 60_000).toISOString();
    yield {
      id: `cus_${faker.string.alphanumeric(22)}`,
      type: i % 10 === 0 ? 'guest' : 'registered',
      name: `${firstName} ${lastName}`,
      // The index keeps emails unique, as the API would.
      email: `${firstName}.${lastName}.${i}@${faker.internet.domainName()}`.toLowerCase(),
      // 7919 is coprime with 10^8, so phones are unique (as the API requires) yet look random.
      phone: i % 3 === 0 ? null : `+2010${String((i * 7919) % 100_000_000).padStart(8, '0')}`,
      address: i % 2 === 0 ? { city: faker.location.city(), country: 'EG' } : null,
      createdAt,
    };
  }
}

/** A fixtures folder holding `count` customers as JSON (the simulator reads YAML or JSON). */
export function writeCustomerFixtures(dir, count, seed) {
  mkdirSync(dir, { recursive: true });
  const customers = generateCustomers(count, seed);
  writeFileSync(join(dir, 'customers.json'), JSON.stringify({ customers }));
  return customers;
}

/** Bodies for POST /payment-links with spread amounts, for the amount/date filter scenario. */
export function paymentLinkBodies(count, priceIds, seed = 20260302) {
  const faker = new Faker({ locale: [en], seed });
  const out = new Array(count);
  for (let i = 0; i < count; i++) {
    out[i] = { lineItems: [{ price: priceIds[i % priceIds.length], quantity: faker.number.int({ min: 1, max: 5 }) }] };
  }
  return out;
}
