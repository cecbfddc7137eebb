// /_sim/data, /_sim/snapshots and /_sim/export: reset, save, fork and export namespace state.
import { errors } from '../core/errors.js';
import type { Handler, RequestContext } from '../http/types.js';
import type { Namespace } from '../store/namespace.js';
import { describeSnapshot, exportNamespace, restoreSnapshot, snapshotsOf, takeSnapshot } from '../control/state.js';

/** Control endpoints that act on one namespace need to know which one. */
export function requireNamespace(ctx: RequestContext): Namespace {
  if (!ctx.ns) throw errors.auth(`${ctx.method} ${ctx.path} acts on one namespace: send "Authorization: Bearer <key>".`);
  return ctx.ns;
}

export const resetSimData: Handler = (ctx) => {
  if (!ctx.key) {
    ctx.sim.reset();
    return { status: 200, body: { object: 'sim.reset', scope: 'all' } };
  }
  ctx.sim.reset(ctx.key.raw);
  return { status: 200, body: { object: 'sim.reset', scope: 'namespace', livemode: ctx.key.livemode } };
};

export const listSimSnapshots: Handler = (ctx) => {
  const data = [...snapshotsOf(ctx.sim).values()].map(describeSnapshot);
  return { status: 200, body: { object: 'list', data } };
};

export const createSimSnapshot: Handler = (ctx) => {
  const ns = requireNamespace(ctx);
  const snapshot = takeSnapshot(ctx.sim, ns, (ctx.body as { name: string }).name);
  return { status: 201, body: describeSnapshot(snapshot) };
};

export const restoreSimSnapshot: Handler = (ctx) => {
  const ns = requireNamespace(ctx);
  const name = ctx.params.name!;
  const snapshot = snapshotsOf(ctx.sim).get(name);
  if (!snapshot) throw errors.notFound('snapshot', name, 'name');
  if (snapshot.livemode !== ns.livemode) {
    throw errors.invalid('name', `Snapshot ${name} holds ${snapshot.livemode ? 'live' : 'test'} data; restore it with a ${snapshot.livemode ? 'live' : 'test'} key.`);
  }
  restoreSnapshot(ns, snapshot);
  return { status: 200, body: { ...describeSnapshot(snapshot), restoredAt: ns.nowIso() } };
};

export const exportSimNamespace: Handler = (ctx) => {
  const ns = requireNamespace(ctx);
  return { status: 200, body: exportNamespace(ns) };
};
