// Rules every price obeys, whether created alone, as a product's default, or changed later.
import { errors } from '../core/errors.js';
import { readMetadata } from '../core/metadata.js';
import type { Namespace } from '../store/namespace.js';
import type { PriceRecord } from '../store/types.js';

export interface PriceInput {
  name?: string | null;
  description?: string | null;
  currency?: string | null;
  unitAmount?: number | null;
  type?: PriceRecord['type'] | null;
  recurring?: { interval?: string | null; intervalCount?: number | null } | null;
  customUnitAmount?: { minimum?: number | null; maximum?: number | null; preset?: number | null } | null;
  stock?: number | null;
  startDate?: string | null;
  expirationDate?: string | null;
  active?: boolean;
  metadata?: unknown;
}

function readDate(value: string | null | undefined, param: string): string | null {
  if (value === undefined || value === null) return null;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw errors.invalid(param, `Invalid value for ${param}: must be an ISO-8601 date.`);
  return new Date(ms).toISOString();
}

/** Checks a complete price (after defaults or after merging an update) and returns it normalized. */
export function checkPrice(p: Omit<PriceRecord, 'id' | 'object' | 'createdAt' | 'updatedAt' | 'productId' | '_used'>, prefix: string): void {
  const at = (name: string) => (prefix ? `${prefix}.${name}` : name);
  if (p.type === 'CUSTOM') {
    if (p.unitAmount !== null) throw errors.invalid(at('unitAmount'), 'CUSTOM prices take no unitAmount; the customer chooses the amount.');
    const c = p.customUnitAmount;
    if (c) {
      if (c.minimum !== null && c.maximum !== null && c.minimum > c.maximum) throw errors.invalid(at('customUnitAmount.minimum'), 'customUnitAmount.minimum must not exceed maximum.');
      if (c.preset !== null && ((c.minimum !== null && c.preset < c.minimum) || (c.maximum !== null && c.preset > c.maximum))) {
        throw errors.invalid(at('customUnitAmount.preset'), 'customUnitAmount.preset must lie between minimum and maximum.');
      }
    }
  } else {
    if (p.unitAmount === null) throw errors.missing(at('unitAmount'));
    if (p.customUnitAmount !== null) throw errors.invalid(at('customUnitAmount'), 'customUnitAmount is only for CUSTOM prices.');
  }
  if (p.type === 'RECURRING' && !p.recurring) throw errors.missing(at('recurring'));
  if (p.type !== 'RECURRING' && p.recurring) throw errors.invalid(at('recurring'), 'recurring is only for RECURRING prices.');
  if (p.startDate && p.expirationDate && Date.parse(p.startDate) >= Date.parse(p.expirationDate)) {
    throw errors.code(400, 'price_date_range_invalid', 'startDate must be before expirationDate.', at('expirationDate'));
  }
}

export function buildPrice(ns: Namespace, productId: string, input: PriceInput, prefix = ''): PriceRecord {
  const at = (name: string) => (prefix ? `${prefix}.${name}` : name);
  const type = input.type ?? 'ONE_TIME';
  if (input.recurring && !input.recurring.interval) throw errors.missing(at('recurring.interval'));
  const now = ns.nowIso();
  const price: PriceRecord = {
    id: ns.ids.next('price', true),
    object: 'price',
    name: input.name ?? null,
    description: input.description ?? null,
    currency: input.currency ?? 'EGP',
    unitAmount: input.unitAmount ?? null,
    type,
    recurring: input.recurring ? { interval: input.recurring.interval!, intervalCount: input.recurring.intervalCount ?? 1 } : null,
    customUnitAmount: input.customUnitAmount
      ? { minimum: input.customUnitAmount.minimum ?? null, maximum: input.customUnitAmount.maximum ?? null, preset: input.customUnitAmount.preset ?? null }
      : type === 'CUSTOM'
        ? { minimum: null, maximum: null, preset: null }
        : null,
    stock: input.stock ?? null,
    startDate: readDate(input.startDate, at('startDate')),
    expirationDate: readDate(input.expirationDate, at('expirationDate')),
    active: input.active ?? true,
    _metadata: readMetadata(input.metadata, at('metadata')) ?? null,
    createdAt: now,
    updatedAt: now,
    productId,
    _used: false,
  };
  checkPrice(price, prefix);
  return price;
}

/** Applies an update; `type` is fixed, and amount/currency are fixed once a line item used the price. */
export function applyPriceUpdate(price: PriceRecord, input: PriceInput, now: string): PriceRecord {
  if (input.type !== undefined && input.type !== price.type) throw errors.invalid('type', 'A price type cannot change after creation; create a new price.');
  const next: PriceRecord = { ...price, updatedAt: now };
  if (input.name !== undefined) next.name = input.name;
  if (input.description !== undefined) next.description = input.description;
  if (input.currency !== undefined && input.currency !== null) next.currency = input.currency;
  if (input.unitAmount !== undefined) next.unitAmount = input.unitAmount;
  if (input.recurring !== undefined) {
    next.recurring = input.recurring ? { interval: input.recurring.interval ?? price.recurring?.interval ?? 'MONTH', intervalCount: input.recurring.intervalCount ?? price.recurring?.intervalCount ?? 1 } : null;
  }
  if (input.customUnitAmount !== undefined) {
    next.customUnitAmount = input.customUnitAmount
      ? { minimum: input.customUnitAmount.minimum ?? null, maximum: input.customUnitAmount.maximum ?? null, preset: input.customUnitAmount.preset ?? null }
      : null;
  }
  if (input.stock !== undefined) next.stock = input.stock;
  if (input.startDate !== undefined) next.startDate = readDate(input.startDate, 'startDate');
  if (input.expirationDate !== undefined) next.expirationDate = readDate(input.expirationDate, 'expirationDate');
  if (input.active !== undefined) next.active = input.active;
  if (input.metadata !== undefined) next._metadata = readMetadata(input.metadata) ?? null;
  if (price._used) {
    // Compared after defaults are filled in, so resending `{interval: "MONTH"}` for MONTH×1 is no change.
    for (const field of ['unitAmount', 'currency', 'customUnitAmount', 'recurring'] as const) {
      if (input[field] !== undefined && JSON.stringify(next[field]) !== JSON.stringify(price[field])) {
        throw errors.code(400, 'price_immutable_while_used', `${field} cannot change once the price was used by a line item; create a new price.`, field);
      }
    }
  }
  checkPrice(next, '');
  return next;
}

/** Fields in one fixed order, whether the record came from a fixture, a create or an update. */
export function renderPrice(p: PriceRecord): Record<string, unknown> {
  return {
    id: p.id,
    object: p.object,
    name: p.name,
    description: p.description,
    currency: p.currency,
    unitAmount: p.unitAmount,
    type: p.type,
    recurring: p.recurring,
    customUnitAmount: p.customUnitAmount,
    stock: p.stock,
    startDate: p.startDate,
    expirationDate: p.expirationDate,
    active: p.active,
    createdAt: p.createdAt,
    updatedAt: p.updatedAt,
    productId: p.productId,
  };
}

export function renderPriceListItem(p: PriceRecord): Record<string, unknown> {
  return {
    id: p.id,
    unitAmount: p.unitAmount,
    currency: p.currency,
    type: p.type,
    recurring: p.recurring,
    customUnitAmount: p.customUnitAmount,
    stock: p.stock,
    createdAt: p.createdAt,
  };
}
