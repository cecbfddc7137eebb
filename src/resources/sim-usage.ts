// GET /_sim/usage: the caller's namespace against the caps (records per collection, idempotency
// keys, approximate bytes); with the admin key (XPay-Sim-Admin) also the process totals, which no
// tenant's key alone may see.
import type { Handler } from '../http/types.js';
import { namespaceUsage, processUsage } from '../control/usage.js';

export const getSimUsage: Handler = (ctx) => {
  const body: Record<string, unknown> = ctx.ns ? { ...namespaceUsage(ctx.sim, ctx.ns) } : { object: 'sim.usage', limits: { ...ctx.sim.config.limits } };
  if (ctx.admin) body.process = processUsage(ctx.sim);
  return { status: 200, body };
};
