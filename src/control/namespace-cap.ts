// `--limit namespaces`: how many namespaces are held in memory. A new key over the cap evicts the
// namespace idle the longest, if one has been idle for NAMESPACE_IDLE_MS and has no webhook
// delivery pending. With --data an evicted namespace stays in the data file and comes back on
// its key's next request; without --data it is dropped (its key starts again from fixtures).
// When no namespace is idle enough, the new key is refused with a 503 naming the limit.
import { XPayError } from '../core/errors.js';
import type { Simulator } from '../simulator.js';
import type { Namespace } from '../store/namespace.js';

export const NAMESPACE_IDLE_MS = Number(process.env.XPAY_SIM_NAMESPACE_IDLE_MS) >= 0 && process.env.XPAY_SIM_NAMESPACE_IDLE_MS ? Number(process.env.XPAY_SIM_NAMESPACE_IDLE_MS) : 15 * 60_000;

function hasPendingDelivery(ns: Namespace): boolean {
  ns.settle();
  for (const d of Map.prototype.values.call(ns.db.deliveries) as IterableIterator<{ status?: unknown }>) if (d.status === 'pending') return true;
  return false;
}

/** Frees one slot or throws the 503. */
export function makeRoom(sim: Simulator): void {
  const now = performance.now();
  let victim: Namespace | undefined;
  let oldest = Infinity;
  for (const ns of sim.namespaces.values()) {
    const used = sim.lastUsed.get(ns) ?? 0;
    if (now - used < NAMESPACE_IDLE_MS || used >= oldest) continue;
    if (hasPendingDelivery(ns) || (sim.evictionStore && !sim.evictionStore.canEvict(ns))) continue;
    victim = ns;
    oldest = used;
  }
  if (!victim) {
    const limit = sim.config.limits.namespaces;
    throw new XPayError(503, 'api_error', 'internal_error',
      `This simulator holds its limit of ${limit} namespaces (one per API key) and none has been idle for ${Math.round(NAMESPACE_IDLE_MS / 60_000)} minutes; ` +
      `retry later, reset unused keys with DELETE /_sim/data, or start it with a higher --limit namespaces=N.`, undefined, { 'Retry-After': '60' });
  }
  sim.namespaces.delete(victim.key);
  sim.evictionStore?.evicted(victim);
}
