// Which events a /_sim query means: a type (exact or `family.*`) and a resource id, matched
// against `data.object.id` and the related ids inside it (paymentIntentId, charges[].id…).
import type { EventRecord } from '../events/emit.js';
import { typeMatches } from './records.js';

export interface EventFilter {
  type?: string;
  resourceId?: string;
}

const RELATED_DEPTH = 3;

/** True when `id` is the object's id or any `id`/`…Id` string inside it (merchantId excepted). */
export function mentionsId(value: unknown, id: string, depth = 0): boolean {
  if (depth > RELATED_DEPTH || value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) return value.some((v) => mentionsId(v, id, depth + 1));
  for (const [k, v] of Object.entries(value)) {
    if (typeof v === 'string') {
      if (v === id && (k === 'id' || (k.endsWith('Id') && k !== 'merchantId'))) return true;
    } else if (v !== null && typeof v === 'object' && mentionsId(v, id, depth + 1)) return true;
  }
  return false;
}

export function eventMatches(event: EventRecord, filter: EventFilter): boolean {
  if (filter.type && !typeMatches(filter.type, event.type)) return false;
  if (filter.resourceId && !mentionsId(event.data.object, filter.resourceId)) return false;
  return true;
}
