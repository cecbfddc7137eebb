// Long-poll waiters for GET /_sim/events/wait: parked per namespace, woken by the event
// listener, removed on match, timeout or client disconnect.
import { onEvent, type EventRecord } from '../events/emit.js';
import type { Simulator } from '../simulator.js';
import type { Namespace } from '../store/namespace.js';
import { eventMatches, type EventFilter } from './event-query.js';

interface Waiter {
  filter: EventFilter;
  wake(event: EventRecord): void;
}

// Kept beside the namespace rather than in ns.extensions, which snapshots dump as plain data.
const waiters = new WeakMap<Namespace, Set<Waiter>>();

function waitersOf(ns: Namespace): Set<Waiter> {
  let set = waiters.get(ns);
  if (!set) waiters.set(ns, (set = new Set()));
  return set;
}

export function installEventWaiters(sim: Simulator): void {
  onEvent(sim, (ns, event) => {
    const set = waiters.get(ns);
    if (!set || set.size === 0) return;
    for (const w of set) if (eventMatches(event, w.filter)) w.wake(event);
  });
}

/**
 * Resolves with the first matching event emitted from now on, or undefined after `timeoutMs`
 * (real time) or when `cancel` is called. The waiter is gone from the namespace in every case.
 */
export function waitForEvent(ns: Namespace, filter: EventFilter, timeoutMs: number): { promise: Promise<EventRecord | undefined>; cancel(): void } {
  const set = waitersOf(ns);
  let cancel = () => {};
  const promise = new Promise<EventRecord | undefined>((resolve) => {
    const done = (event: EventRecord | undefined) => {
      clearTimeout(timer);
      set.delete(waiter);
      resolve(event);
    };
    const waiter: Waiter = { filter, wake: done };
    const timer = setTimeout(() => done(undefined), timeoutMs);
    set.add(waiter);
    cancel = () => done(undefined);
  });
  return { promise, cancel };
}

/** How many long polls are parked (tests check that disconnects clean up). */
export function waiterCount(ns: Namespace): number {
  return waitersOf(ns).size;
}
