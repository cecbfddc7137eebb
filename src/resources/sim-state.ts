// /_sim/data, /_sim/snapshots, /_sim/export and /_sim/namespaces: reset, save, fork and export
// namespace state. Each acts on the caller's namespace; all namespaces at once need the admin key.
import { errors } from '../core/errors.js';
import type { Handler, RequestContext } from '../http/types.js';
import type { Namespace } from '../store/namespace.js';
import { parseKey, redactKey } from '../http/auth.js';
import { deleteSnapshot, describeSnapshot, exportNamespace, restoreSnapshot, snapshotsOf, takeSnapshot } from '../control/state.js';

/** Control endpoints that act on one namespace need to know which one. */
export function requireNamespace(ctx: RequestContext): Namespace {
  if (!ctx.ns) throw errors.auth(`${ctx.method} ${ctx.path} acts on one namespace: send "Authorization: Bearer <key>".`);
  return ctx.ns;
}

export const resetSimData: Handler = (ctx) => {
  if (!ctx.key) {
    // Only the admin credential gets here without a key (the pipeline checked it).
    ctx.sim.reset();
    return { status: 200, body: { object: 'sim.reset', scope: 'all' } };
  }
  ctx.sim.reset(ctx.key.raw);
  return { status: 200, body: { object: 'sim.reset', scope: 'namespace', livemode: ctx.key.livemode } };
};

export const listSimSnapshots: Handler = (ctx) => {
  const data = [...snapshotsOf(ctx.sim, requireNamespace(ctx)).values()].map(describeSnapshot);
  return { status: 200, body: { object: 'list', data } };
};

export const createSimSnapshot: Handler = async (ctx) => {
  const ns = requireNamespace(ctx);
  const snapshot = await takeSnapshot(ctx.sim, ns, (ctx.body as { name: string }).name);
  return { status: 201, body: describeSnapshot(snapshot) };
};

export const deleteSimSnapshot: Handler = async (ctx) => {
  const ns = requireNamespace(ctx);
  const name = ctx.params.name!;
  if (!(await deleteSnapshot(ctx.sim, ns, name))) throw errors.notFound('snapshot', name, 'name');
  return { status: 200, body: { object: 'sim.snapshot', name, deleted: true } };
};

/**
 * Restores one of the caller's snapshots into its own namespace, or (`into`) forks it into the
 * namespace of another key the caller names: knowing that key is the proof it may write there.
 */
export const restoreSimSnapshot: Handler = async (ctx) => {
  const owner = requireNamespace(ctx);
  const name = ctx.params.name!;
  const snapshot = snapshotsOf(ctx.sim, owner).get(name);
  if (!snapshot) throw errors.notFound('snapshot', name, 'name');
  const into = (ctx.body as { into?: string }).into;
  let target = owner;
  if (into !== undefined && into !== owner.key) {
    const key = parseKey(into);
    if (!key || key.kind === 'publishable') throw errors.invalid('into', 'into must be a secret or restricted key (sk_test_…, rk_test_…) of the namespace to fork into.');
    if (ctx.sim.config.keys && !ctx.sim.config.keys.includes(key.raw)) throw errors.invalid('into', `Unknown API key: ${redactKey(key.raw)} is not among --keys.`);
    if (key.livemode !== snapshot.livemode) {
      throw errors.invalid('into', `Snapshot ${name} holds ${snapshot.livemode ? 'live' : 'test'} data; it can only be forked into a ${snapshot.livemode ? 'live' : 'test'} key.`);
    }
    target = ctx.sim.namespace(key);
  }
  await restoreSnapshot(ctx.sim, owner, target, snapshot);
  return { status: 200, body: { ...describeSnapshot(snapshot), restoredAt: target.nowIso(), ...(target !== owner ? { into: redactKey(target.key) } : {}) } };
};

export const exportSimNamespace: Handler = (ctx) => {
  const ns = requireNamespace(ctx);
  return { status: 200, body: exportNamespace(ns) };
};

/** Admin only: which namespaces the simulator holds (keys shortened). */
export const listSimNamespaces: Handler = (ctx) => {
  const data = [...ctx.sim.namespaces.values()].map((ns) => ({
    object: 'sim.namespace', key: redactKey(ns.key), livemode: ns.livemode, snapshots: snapshotsOf(ctx.sim, ns).size,
  }));
  return { status: 200, body: { object: 'list', data } };
};
