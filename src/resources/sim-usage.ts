// GET /_sim/usage: the caller's namespace against the caps (records per collection, idempotency
// keys, approximate bytes). Process totals belong to an operator view, not to one tenant's key.
import type { Handler } from '../http/types.js';
import { namespaceUsage } from '../control/usage.js';
import { requireNamespace } from './sim-state.js';

export const getSimUsage: Handler = (ctx) => ({ status: 200, body: namespaceUsage(ctx.sim, requireNamespace(ctx)) });
