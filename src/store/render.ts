// Rendering helpers shared by resources: records become responses by dropping `_` fields.
import type { CustomerRecord } from './types.js';
export function stripInternal<T extends object>(record: T): Record<string, unknown> {
  // Hot on every render: a plain loop over keys, no [key, value] pair arrays.
  const out: Record<string, unknown> = {};
  const source = record as Record<string, unknown>;
  for (const k in source) if (k.charCodeAt(0) !== 95 /* _ */ && Object.hasOwn(source, k)) out[k] = source[k];
  return out;
}

/** A customer as XPay's API shows it (the payer's resolution and /customers both render it). */
export function renderCustomer(c: CustomerRecord): Record<string, unknown> {
  const { _currency, ...shape } = c;
  return shape;
}
