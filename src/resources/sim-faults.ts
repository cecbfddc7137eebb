// /_sim/faults (fault rules) and /_sim/requests (the namespace's request log).
import { errors } from '../core/errors.js';
import type { Handler, RequestContext } from '../http/types.js';
import { addRule, faultState, removeRules, type FaultRule } from '../control/faults.js';
import { readRequestLog } from '../control/request-log.js';
import { redactKey } from '../http/auth.js';
import { requireNamespace } from './sim-state.js';

function render(rule: FaultRule): Record<string, unknown> {
  return {
    object: 'sim.fault', id: rule.id, method: rule.method, path: rule.path, key: rule.key === null ? null : redactKey(rule.key),
    fault: rule.spec, after: rule.after, times: rule.times, matched: rule.matched, fired: rule.fired,
  };
}

/**
 * With a key a caller sees its own rules and the global ones (they affect it too); the admin
 * without a key sees every rule.
 */
const visible = (ctx: RequestContext, rule: FaultRule) => !ctx.key ? ctx.admin === true : rule.key === null || rule.key === ctx.key.raw;

export const listSimFaults: Handler = (ctx) => ({
  status: 200,
  body: { object: 'list', data: faultState(ctx.sim).rules.filter((r) => visible(ctx, r)).map(render) },
});

export const createSimFault: Handler = (ctx) => {
  const body = ctx.body as { method?: string; path?: string; fault: string; after?: number; times?: number | null; global?: boolean };
  // A rule over every namespace is the admin's; a tenant's rules stay in its own namespace.
  const global = body.global === true || !ctx.key;
  if (global && !ctx.admin) throw errors.permission('A global fault rule affects every namespace: it needs the admin key (XPay-Sim-Admin header).');
  const rule = addRule(ctx.sim, {
    method: body.method ?? null,
    path: body.path ?? null,
    // A keyed caller's rules stay in its namespace so parallel tests cannot trip each other.
    key: global ? null : ctx.key!.raw,
    spec: body.fault,
    after: body.after ?? 0,
    times: body.times ?? null,
  });
  return { status: 201, body: render(rule) };
};

export const clearSimFaults: Handler = (ctx) => {
  // A tenant clears its own rules; the admin also clears the global ones (and, without a key, all).
  const clears = (r: FaultRule) => (ctx.key ? r.key === ctx.key.raw || (ctx.admin === true && r.key === null) : ctx.admin === true);
  return { status: 200, body: { object: 'sim.faults_cleared', deleted: removeRules(ctx.sim, clears) } };
};

/** One rule, by id: a tenant removes its own; a global rule needs the admin key. */
export const deleteSimFault: Handler = (ctx) => {
  const id = ctx.params.id!;
  const rule = faultState(ctx.sim).rules.find((r) => r.id === id && visible(ctx, r));
  if (!rule) throw errors.notFound('fault rule', id, 'id');
  if (rule.key === null && !ctx.admin) throw errors.permission('This fault rule is global (it affects every namespace): removing it needs the admin key (XPay-Sim-Admin header).');
  removeRules(ctx.sim, (r) => r === rule);
  return { status: 200, body: { object: 'sim.fault', id: rule.id, deleted: true, matched: rule.matched, fired: rule.fired } };
};

export const listSimRequests: Handler = (ctx) => {
  const ns = requireNamespace(ctx);
  const q = ctx.query as { status?: string; path?: string; resource?: string; limit?: number; startingAfter?: string };
  const filter = { status: q.status, path: q.path, resource: q.resource, limit: q.limit, startingAfter: q.startingAfter };
  return { status: 200, body: { object: 'list', ...readRequestLog(ns, filter, ctx.sim.config.limits.requestLogScanBytes) } };
};
