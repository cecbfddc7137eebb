// Seeded, realistic Egyptian demo data from one Faker instance (never the global one): customers
// with Arabic and English names, +20 mobile numbers and Egyptian addresses; an EGP and USD catalog.
// The same seed always gives the same documents.
import { ar, base, en, Faker } from '@faker-js/faker';
import type { FixtureDocument } from '../store/fixtures.js';

export interface DatasetSize {
  customers: number;
  products: number;
}

const CITIES = ['Cairo', 'Giza', 'Alexandria', 'Mansoura', 'Tanta', 'Zagazig', 'Ismailia', 'Port Said', 'Suez', 'Luxor', 'Aswan', 'Hurghada', 'Asyut', 'Damietta'];
const STREETS = ['Tahrir', 'El Nasr', 'Corniche El Nil', 'El Haram', 'Abbas El Akkad', 'Makram Ebeid', 'Salah Salem', 'Gameat El Dowal El Arabeya', 'El Horreya', 'Port Said'];
/** Egypt's mobile prefixes (Vodafone, Etisalat, Orange, WE). */
const MOBILE_PREFIXES = ['10', '11', '12', '15'];
const CATEGORIES = ['grocery', 'apparel', 'electronics', 'home', 'books', 'beauty'];

export function fakers(seed: string): { arabic: Faker; english: Faker } {
  // Faker seeds are numbers: the seed string is folded into one, deterministically.
  let n = 0;
  for (const ch of seed) n = (Math.imul(n, 31) + ch.charCodeAt(0)) >>> 0;
  return { arabic: new Faker({ locale: [ar, en, base], seed: n }), english: new Faker({ locale: [en, base], seed: n + 1 }) };
}

/** `+20 1X XXXX XXXX`, unique per index: 7919 is coprime with 10^8, so indexes never collide. */
function mobile(faker: Faker, i: number): string {
  return `+201${faker.helpers.arrayElement(MOBILE_PREFIXES).slice(1)}${String((i * 7919 + 1234567) % 100_000_000).padStart(8, '0')}`;
}

export function customerDocs(seed: string, count: number, createdFrom: number): Array<Record<string, unknown>> {
  const { arabic, english } = fakers(`${seed}\u0000customers`);
  const out: Array<Record<string, unknown>> = [];
  for (let i = 0; i < count; i++) {
    // Every other customer has an Arabic name; the address book and emails use Latin letters, as Egyptian shops do.
    const first = english.person.firstName();
    const last = english.person.lastName();
    const name = i % 2 === 0 ? `${arabic.person.firstName()} ${arabic.person.lastName()}` : `${first} ${last}`;
    const city = english.helpers.arrayElement(CITIES);
    out.push({
      id: `cus_gen_${String(i + 1).padStart(6, '0')}`,
      name,
      email: `${first}.${last}.${i + 1}`.toLowerCase().replace(/[^a-z0-9.]/g, '') + '@example.com',
      phone: i % 7 === 3 ? null : mobile(english, i),
      address: i % 3 === 2 ? null : { line1: `${english.number.int({ min: 1, max: 240 })} ${english.helpers.arrayElement(STREETS)} Street`, city, country: 'EG', postalCode: String(english.number.int({ min: 11311, max: 81999 })) },
      metadata: { source: 'xpay-sim generate', tier: english.helpers.arrayElement(['standard', 'silver', 'gold']) },
      createdAt: new Date(createdFrom + i * 3_600_000).toISOString(),
    });
  }
  return out;
}

export function productDocs(seed: string, count: number, createdFrom: number): FixtureDocument['products'] {
  const { arabic, english } = fakers(`${seed}\u0000products`);
  const out: NonNullable<FixtureDocument['products']> = [];
  for (let i = 0; i < count; i++) {
    const id = `prod_gen_${String(i + 1).padStart(5, '0')}`;
    // Piastres: 25.00 to 5,000.00 EGP, in whole pounds; USD prices in whole cents from the same product.
    const egp = english.number.int({ min: 25, max: 5000 }) * 100;
    const prices: Array<Record<string, unknown>> = [{ id: `price_gen_${String(i + 1).padStart(5, '0')}_egp`, currency: 'EGP', unitAmount: egp }];
    if (i % 3 !== 1) prices.push({ id: `price_gen_${String(i + 1).padStart(5, '0')}_usd`, currency: 'USD', unitAmount: Math.max(100, Math.round(egp / 50)) });
    out.push({
      id,
      name: i % 2 === 0 ? arabic.commerce.productName() : english.commerce.productName(),
      description: english.commerce.productDescription().slice(0, 300),
      unitLabel: english.helpers.arrayElement(['piece', 'box', 'kg', 'pack']),
      metadata: { category: english.helpers.arrayElement(CATEGORIES), sku: `GEN-${String(i + 1).padStart(5, '0')}` },
      createdAt: new Date(createdFrom + i * 60_000).toISOString(),
      prices,
    });
  }
  return out;
}

/** A deterministic chooser for the activity (which customer, card, refund) from the same seed. */
export function activityFaker(seed: string): Faker {
  return fakers(`${seed}\u0000activity`).english;
}
