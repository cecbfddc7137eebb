// Fixture folder → complete records, validated against the spec's response schemas at load.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseYaml } from '../spec-cache.js';
import type { Ajv2020 } from 'ajv/dist/2020.js';
import { SPEC_SCHEMA_ID, toParamPath } from '../http/validation.js';
import type { CustomerRecord, PriceRecord, ProductRecord } from './types.js';
import { emptyCollections, type Collections } from './namespace.js';
import { XPayError } from '../core/errors.js';
import { checkPrice } from '../resources/price-rules.js';
import { loadCouponFixtures } from '../checkout/coupon-fixtures.js';

export const FIXTURE_EPOCH = '2026-01-01T00:00:00.000Z';

export interface FixtureDocument {
  customers?: Array<Record<string, unknown>>;
  products?: Array<Record<string, unknown> & { prices?: Array<Record<string, unknown>> }>;
  coupons?: Array<Record<string, unknown>>;
  promotionCodes?: Array<Record<string, unknown>>;
  [collection: string]: unknown;
}

export class FixtureError extends Error {}

/** Completes fixture entries with defaults so authors only write what matters. */
export function addFixtures(db: Collections, doc: FixtureDocument, merchantId: string, file: string, ajv: Ajv2020): void {
  const check = (schema: string, value: unknown, where: string) => {
    const validate = ajv.getSchema(`${SPEC_SCHEMA_ID}#/components/schemas/${schema}`);
    if (validate && !validate(value)) {
      const e = validate.errors![0]!;
      const at = toParamPath(e.instancePath, e.keyword === 'additionalProperties' ? String(e.params.additionalProperty) : undefined);
      throw new FixtureError(`${file}: ${where}${at ? '.' + at : ''} ${e.message ?? 'is invalid'}`);
    }
  };
  const unique = (map: Map<string, unknown>, id: unknown, where: string) => {
    if (typeof id === 'string' && map.has(id)) throw new FixtureError(`${file}: ${where}.id ${id} is used twice`);
  };
  for (const [i, c] of (doc.customers ?? []).entries()) {
    unique(db.customers, c.id, `customers[${i}]`);
    const at = (c.createdAt as string) ?? FIXTURE_EPOCH;
    const record = {
      object: 'customer', type: 'registered', name: null, email: null, phone: null, address: null, guestFingerprint: null,
      metadata: null, ...c, _currency: (c.currency as string) ?? 'EGP', merchantId, createdAt: at, updatedAt: (c.updatedAt as string) ?? at,
    } as unknown as CustomerRecord;
    delete (record as unknown as Record<string, unknown>).currency;
    const { _currency, ...shape } = record;
    check('CustomerResponse', shape, `customers[${i}]`);
    db.customers.set(record.id, record);
  }
  for (const [i, p] of (doc.products ?? []).entries()) {
    const { prices = [], ...rest } = p;
    unique(db.products, rest.id, `products[${i}]`);
    const at = (rest.createdAt as string) ?? FIXTURE_EPOCH;
    const product = {
      object: 'product', description: null, image: null, unitLabel: null, active: true, isSystemCreated: false, metadata: null,
      defaultPriceId: null, ...rest, merchantId, createdAt: at, updatedAt: (rest.updatedAt as string) ?? at, _priceIds: [],
    } as unknown as ProductRecord;
    for (const [j, pr] of prices.entries()) {
      const price = {
        object: 'price', name: null, description: null, currency: 'EGP', unitAmount: null, type: 'ONE_TIME', recurring: null, customUnitAmount: null,
        stock: null, startDate: null, expirationDate: null, active: true, ...pr, _metadata: (pr.metadata as PriceRecord['_metadata']) ?? null,
        productId: product.id, createdAt: (pr.createdAt as string) ?? at, updatedAt: (pr.updatedAt as string) ?? at, _used: false,
      } as unknown as PriceRecord;
      delete (price as unknown as Record<string, unknown>).metadata;
      const { _used, _metadata, ...shape } = price;
      check('PriceResponse', shape, `products[${i}].prices[${j}]`);
      unique(db.prices, price.id, `products[${i}].prices[${j}]`);
      // The same rules as the API (amount per type, date range), so fixtures cannot hold prices it would refuse.
      try {
        checkPrice(price, '');
      } catch (e) {
        if (!(e instanceof XPayError)) throw e;
        throw new FixtureError(`${file}: products[${i}].prices[${j}]${e.param ? '.' + e.param : ''}: ${e.message}`);
      }
      db.prices.set(price.id, price);
      product._priceIds.push(price.id);
    }
    if (product.defaultPriceId === null && product._priceIds.length > 0) product.defaultPriceId = product._priceIds[0]!;
    if (product.defaultPriceId !== null && !product._priceIds.includes(product.defaultPriceId)) {
      throw new FixtureError(`${file}: products[${i}].defaultPriceId ${product.defaultPriceId} is not one of its prices`);
    }
    const { _priceIds, ...shape } = product;
    check('ProductResponse', { ...shape, prices: [] }, `products[${i}]`);
    db.products.set(product.id, product);
  }
  loadCouponFixtures(db, doc, merchantId, file, FIXTURE_EPOCH, ajv, (message) => new FixtureError(message));
}

export function buildFixtureCollections(files: FixtureFile[], merchantId: string, ajv: Ajv2020): Collections {
  const db = emptyCollections();
  for (const { file, doc } of files) addFixtures(db, doc, merchantId, file, ajv);
  return db;
}

export interface FixtureFile {
  file: string;
  doc: FixtureDocument;
}

/** Reads every .yaml/.yml/.json file of a folder, in name order. */
export function readFixtureFolder(dir: string): FixtureFile[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => /\.(ya?ml|json)$/.test(n)).sort();
  } catch (e) {
    throw new FixtureError(`${dir}: cannot read the fixture folder (${(e as Error).message})`);
  }
  const files: FixtureFile[] = [];
  for (const name of names) {
    const file = join(dir, name);
    let parsed: unknown;
    try {
      const text = readFileSync(file, 'utf8');
      // JSON is YAML, but JSON.parse reads a large generated file many times faster.
      parsed = name.endsWith('.json') && text.trim() !== '' ? JSON.parse(text) : parseYaml(text);
    } catch (e) {
      throw new FixtureError(`${file}: not valid YAML/JSON (${(e as Error).message.split('\n')[0]})`);
    }
    if (parsed === null || parsed === undefined) continue;
    if (typeof parsed !== 'object' || Array.isArray(parsed)) throw new FixtureError(`${file}: expected a mapping of collection names to lists`);
    for (const [collection, list] of Object.entries(parsed)) {
      if (!Array.isArray(list)) throw new FixtureError(`${file}: ${collection} must be a list`);
    }
    files.push({ file, doc: parsed as FixtureDocument });
  }
  return files;
}
