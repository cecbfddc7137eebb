// What a namespace holds and what the process holds, against the caps of src/control/limits.ts:
// `GET /_sim/usage`, and a function other control endpoints (an admin view) can call.
import type { Simulator } from '../simulator.js';
import type { Namespace } from '../store/namespace.js';
import { IDEMPOTENCY_EXTENSION } from './idempotency.js';
import { persistenceOf } from '../store/durable-requests.js';

const SAMPLE = 32;

/** Average JSON size of up to SAMPLE entries spread over the Map, times its size: cheap at any size. */
function approxBytes(map: Map<unknown, unknown>): number {
  if (map.size === 0) return 0;
  const step = Math.max(1, Math.floor(map.size / SAMPLE));
  let sampled = 0;
  let bytes = 0;
  let i = 0;
  // The prototype's iterator: counting must not mark records as changed for persistence.
  for (const entry of Map.prototype.entries.call(map)) {
    if (i++ % step !== 0) continue;
    bytes += JSON.stringify(entry)?.length ?? 0;
    if (++sampled >= SAMPLE) break;
  }
  return Math.round((bytes / sampled) * map.size);
}

export interface NamespaceUsage {
  object: 'sim.usage';
  livemode: boolean;
  records: Record<string, number>;
  idempotencyKeys: number;
  approxBytes: number;
  limits: Record<string, number>;
}

export function namespaceUsage(sim: Simulator, ns: Namespace): NamespaceUsage {
  ns.settle();
  const records: Record<string, number> = {};
  let bytes = 0;
  for (const [name, map] of Object.entries(ns.db) as Array<[string, Map<string, unknown>]>) {
    records[name] = map.size;
    bytes += approxBytes(map);
  }
  const keys = ns.extensions.get(IDEMPOTENCY_EXTENSION) as Map<string, unknown> | undefined;
  if (keys) bytes += approxBytes(keys);
  return { object: 'sim.usage', livemode: ns.livemode, records, idempotencyKeys: keys?.size ?? 0, approxBytes: bytes, limits: { ...sim.config.limits } };
}

export interface ProcessUsage {
  namespaces: number;
  namespacesEvicted: number;
  rssBytes: number;
  heapUsedBytes: number;
  data?: { snapshotBytes: number; journalBytes: number };
}

/** Process-wide figures (all tenants together): for an operator, not for one tenant's key. */
export function processUsage(sim: Simulator): ProcessUsage {
  const mem = process.memoryUsage();
  const store = persistenceOf(sim);
  const usage: ProcessUsage = { namespaces: sim.namespaces.size, namespacesEvicted: store?.evicted.size ?? 0, rssBytes: mem.rss, heapUsedBytes: mem.heapUsed };
  if (store) {
    const disk = store.diskBytes();
    usage.data = { snapshotBytes: disk.snapshot, journalBytes: disk.journal };
  }
  return usage;
}
