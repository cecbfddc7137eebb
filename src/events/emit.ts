// Event emission: every state change records an event in its namespace and tells listeners
// (the webhook outbox subscribes). The envelope mirrors XPay's documented webhook body.
import type { Namespace } from '../store/namespace.js';
import type { OpenRecord } from '../store/types.js';
import { oldestKey } from '../store/oldest-key.js';

export const API_VERSION = '3.1.0';

export interface EventRecord extends OpenRecord {
  id: string;
  object: 'event';
  api_version: string;
  created: string;
  type: string;
  livemode: boolean;
  data: { object: Record<string, unknown> };
}

export type EventListener = (ns: Namespace, event: EventRecord) => void;

const listeners = new WeakMap<object, EventListener[]>();

/** Listeners are kept per simulator instance (`owner`), so parallel simulators never cross. */
export function onEvent(owner: object, listener: EventListener): void {
  const list = listeners.get(owner) ?? [];
  list.push(listener);
  listeners.set(owner, list);
}

/** `cap` (limit events): past it the oldest events of the namespace are evicted, first in first out. */
export function emitEvent(owner: object, ns: Namespace, type: string, object: Record<string, unknown>, cap = Infinity): EventRecord {
  const event: EventRecord = {
    id: ns.ids.next('evt', true),
    object: 'event',
    api_version: API_VERSION,
    created: ns.nowIso(),
    type,
    livemode: ns.livemode,
    // A deep copy: later changes to the resource must not rewrite history.
    data: { object: copyJson(object) },
  };
  const events = ns.db.events;
  events.set(event.id, event);
  // Evicted through the Map's own delete, which persistence and indexes observe.
  while (events.size > cap) events.delete(oldestKey(events));
  for (const listener of listeners.get(owner) ?? []) listener(ns, event);
  return event;
}

/**
 * Deep copy of JSON-like data that shares the (immutable) strings instead of duplicating them
 * as structuredClone does: an event then costs its object shells, not a second copy of the text.
 */
function copyJson<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(copyJson) as T;
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return structuredClone(value);
  // Spread first: the copy gets the original's in-object layout instead of growing a property array.
  const out: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  for (const k in out) {
    const v = out[k];
    if (v !== null && typeof v === 'object') out[k] = copyJson(v);
  }
  return out as T;
}
