// Page-number pagination as XPay lists use it: page ≥ 1, limit 1–100 (default 20).
import { errors } from './errors.js';

export interface PageRequest {
  page: number;
  limit: number;
}

function readInt(value: unknown, name: string, min: number, max: number, fallback: number): number {
  if (value === undefined || value === null || value === '') return fallback;
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(n) || !Number.isInteger(n)) throw errors.invalid(name, `Invalid value for ${name}: must be a whole number.`);
  if (n < min || n > max) throw errors.outOfRange(name, `Invalid value for ${name}: must be between ${min} and ${max}.`);
  return n;
}

export function readPage(query: Record<string, unknown>): PageRequest {
  return {
    page: readInt(query.page, 'page', 1, 2147483647, 1),
    limit: readInt(query.limit, 'limit', 1, 100, 20),
  };
}

export function paginate<T>(items: T[], { page, limit }: PageRequest): { data: T[]; totalCount: number; page: number; limit: number; totalPages: number } {
  const start = (page - 1) * limit;
  return { data: items.slice(start, start + limit), totalCount: items.length, page, limit, totalPages: Math.ceil(items.length / limit) };
}

/** Comma-separated search terms, trimmed and lower-cased; empty terms dropped. */
export function searchTerms(search: unknown): string[] {
  if (typeof search !== 'string') return [];
  return search
    .split(',')
    .map((t) => t.trim().toLowerCase())
    .filter(Boolean);
}

/** True when any term occurs in any of the fields (case-insensitive). */
export function matchesAnyTerm(terms: string[], fields: Array<string | null | undefined>): boolean {
  if (terms.length === 0) return true;
  return terms.some((t) => fields.some((f) => f != null && f.toLowerCase().includes(t)));
}

/** `true`/`false` as boolean or string; anything else is a parameter error. */
export function readBoolean(value: unknown, name: string): boolean | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw errors.invalid(name, `Invalid value for ${name}: must be true or false.`);
}
