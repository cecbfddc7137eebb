// Metadata inputs: an object, null, or (on products) a JSON string holding an object; checkout
// sessions (and the payment intents that copy theirs) also take a JSON array.
import { errors } from './errors.js';
import type { Metadata } from '../store/types.js';

export function readMetadata(value: unknown, param = 'metadata'): Metadata | null | undefined {
  if (value === undefined) return undefined;
  if (value === null) return null;
  let parsed = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch {
      throw errors.invalid(param, `Invalid value for ${param}: a string must hold a JSON object.`);
    }
  }
  // PHP clients encode an empty map as [].
  if (Array.isArray(parsed) && parsed.length === 0) return {};
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw errors.invalid(param, `Invalid value for ${param}: must be an object of keys and values.`);
  }
  return copyPlain(parsed as Record<string, unknown>);
}

/** Copies own keys only, so `__proto__` in input can never reach a prototype. */
export function copyPlain(input: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = Object.create(null);
  for (const [k, v] of Object.entries(input)) out[k] = v;
  return { ...out };
}

/** Merge semantics for updates: new keys win, a null or "" value removes the key. */
export function mergeMetadata(current: Metadata | null, patch: Metadata | null): Metadata | null {
  if (patch === null) return null;
  // A null-prototype map: assigning a `__proto__` key then stores data instead of swapping prototypes.
  const out: Metadata = Object.assign(Object.create(null) as Metadata, current ?? {});
  for (const [k, v] of Object.entries(patch)) {
    if (v === null || v === '') delete out[k];
    else out[k] = v;
  }
  return { ...out };
}

/** Session metadata: XPay's contract takes an object or an array, and returns it as given. */
export type SessionMetadata = Metadata | unknown[];

export function readSessionMetadata(value: unknown, param = 'metadata'): SessionMetadata | null | undefined {
  if (Array.isArray(value)) return structuredClone(value);
  return readMetadata(value, param);
}

/** Update: an object merges into an object (as elsewhere); an array, or an object over an array, replaces. */
export function updateSessionMetadata(current: SessionMetadata, patch: SessionMetadata | null): SessionMetadata {
  if (patch === null) return {};
  if (Array.isArray(patch)) return patch;
  return mergeMetadata(Array.isArray(current) ? {} : current, patch) ?? {};
}
