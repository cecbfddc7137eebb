// /checkout/sessions: create, retrieve, update (open only) and expire. The rules live in
// src/checkout/*; this module wires them to requests and re-exports what other capabilities call.
import { errors } from '../core/errors.js';
import { nsOf, type Handler } from '../http/types.js';
import { buildSession, updateSession, type SessionInput } from '../checkout/session-input.js';
import { expireSession, findSession, noteExpiry } from '../checkout/session-actions.js';
import { renderSession, sessionsOf } from '../checkout/session-record.js';
import { checkMergedMetadata } from '../http/input-caps.js';

export { findSession, applyPromotionCode, removePromotionCode, setLineItemQuantity, redeemDiscounts, expireSession } from '../checkout/session-actions.js';
export { renderSession, completionRedirectUrl, type SessionRecord } from '../checkout/session-record.js';

export const createCheckoutSession: Handler = (ctx) => {
  const ns = nsOf(ctx);
  const session = buildSession(ns, ctx.body as SessionInput);
  sessionsOf(ns).set(session.id, session);
  noteExpiry(ns, session);
  return { status: 201, body: renderSession(ctx.sim, ns, session) };
};

export const getCheckoutSession: Handler = (ctx) => {
  const ns = nsOf(ctx);
  return { status: 200, body: renderSession(ctx.sim, ns, findSession(ns, ctx.params.id!)) };
};

export const updateMerchantCheckoutSession: Handler = (ctx) => {
  const ns = nsOf(ctx);
  const session = findSession(ns, ctx.params.id!);
  if (session.status !== 'open') throw errors.invalidState(`Checkout session ${session.id} is ${session.status}; only open sessions can be updated.`);
  const next = updateSession(ns, session, ctx.body as SessionInput);
  if ((ctx.body as SessionInput).metadata !== undefined) checkMergedMetadata(next.metadata, ctx.sim.config.limits.metadataKeys);
  sessionsOf(ns).set(next.id, next);
  return { status: 200, body: renderSession(ctx.sim, ns, next) };
};

export const expireCheckoutSession: Handler = (ctx) => {
  const ns = nsOf(ctx);
  const session = findSession(ns, ctx.params.id!);
  if (session.status !== 'open') throw errors.invalidState(`Checkout session ${session.id} is ${session.status}; only open sessions can be expired.`);
  return { status: 200, body: renderSession(ctx.sim, ns, expireSession(ctx.sim, ns, session)) };
};
