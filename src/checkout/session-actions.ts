// What happens to an open session after creation: promotion codes and quantities (hosted page,
// Elements), expiry by call or by the clock (cheap due work), and redemption once paid.
import { errors } from '../core/errors.js';
import { OTP_WINDOW_MS } from '../payments/magic-phones.js';
import type { Simulator } from '../simulator.js';
import type { Namespace } from '../store/namespace.js';
import { findPromotionCodeByCode } from './coupons.js';
import { checkPromotionCode, countRedemptions } from './discounts.js';
import { checkQuantityBounds } from './line-items.js';
import { cartFacts, renderSession, sessionsOf, withTotals, type SessionRecord } from './session-record.js';
import { keepValidDiscounts } from './session-input.js';

export function findSession(ns: Namespace, id: string, param = 'id'): SessionRecord {
  const session = sessionsOf(ns).get(id);
  if (!session) throw errors.notFound('checkout_session', id, param);
  return session;
}

/** Refuses changes to a session that is no longer open (expired: checkout_session_expired). */
export function assertOpen(session: SessionRecord): void {
  if (session.status === 'expired') throw errors.code(400, 'checkout_session_expired', 'This checkout session has expired.');
  if (session.status !== 'open') throw errors.invalidState(`Checkout session ${session.id} is ${session.status} and can no longer change.`);
}

function save(ns: Namespace, session: SessionRecord): SessionRecord {
  sessionsOf(ns).set(session.id, session);
  noteExpiry(ns, session);
  return session;
}

/** The page "sent" a wallet/BNPL code now; the code step answers within OTP_WINDOW_MS of this. */
export function markOtpSent(ns: Namespace, session: SessionRecord): SessionRecord {
  return save(ns, { ...session, _otpSentAt: ns.nowIso() });
}

/** Whether the code the page last sent for this session is older than the OTP window (none sent: no window runs). */
export function otpExpired(ns: Namespace, session: SessionRecord): boolean {
  if (!session._otpSentAt) return false;
  return ns.clock.now() - Date.parse(session._otpSentAt) > OTP_WINDOW_MS;
}

/** Applies a shopper-typed code (case-insensitive), replacing any earlier discount. */
export function applyPromotionCode(ns: Namespace, session: SessionRecord, code: string): SessionRecord {
  assertOpen(session);
  if (!session.allowPromotionCodes) throw errors.code(400, 'promotion_codes_not_allowed', 'This checkout session does not accept promotion codes.', 'promotionCode');
  const promo = findPromotionCodeByCode(ns.db, code);
  if (!promo) throw errors.code(400, 'promotion_code_not_found', `No promotion code ${code.trim()} exists.`, 'promotionCode');
  const coupon = checkPromotionCode(ns, promo, cartFacts(session), 'promotionCode');
  const next = withTotals(ns, { ...session, updatedAt: ns.nowIso(), _discounts: [{ id: null, couponId: coupon.id, promotionCodeId: promo.id, start: ns.nowIso() }] });
  return save(ns, next);
}

export function removePromotionCode(ns: Namespace, session: SessionRecord): SessionRecord {
  assertOpen(session);
  return save(ns, withTotals(ns, { ...session, updatedAt: ns.nowIso(), _discounts: session._discounts.filter((d) => d.promotionCodeId === null) }));
}

/** Changes one line's quantity within its adjustableQuantity bounds and recomputes totals. */
export function setLineItemQuantity(ns: Namespace, session: SessionRecord, lineItemId: string, quantity: number): SessionRecord {
  assertOpen(session);
  const index = session.lineItems.findIndex((l) => l.id === lineItemId);
  if (index < 0) throw errors.notFound('line_item', lineItemId, 'lineItem');
  const item = session.lineItems[index]!;
  if (item.price.type === 'CUSTOM') throw errors.code(400, 'line_item_quantity_not_supported_for_custom', 'A customer-chosen (CUSTOM) price has no quantity to change.', 'quantity');
  if (!item.adjustableQuantity?.enabled) throw errors.code(400, 'line_item_quantity_not_adjustable', `Line item ${lineItemId} has a fixed quantity.`, 'quantity');
  if (!Number.isSafeInteger(quantity)) throw errors.invalid('quantity', 'quantity must be a whole number.');
  checkQuantityBounds(quantity, item.adjustableQuantity, 'quantity');
  const price = item._catalog ? ns.db.prices.get(item.price.id) : undefined;
  if (price && price.stock !== null && price.stock < quantity) throw errors.code(400, 'price_sold_out', `Price ${price.id} has only ${price.stock} left.`, 'quantity');
  const moved = { ...session, updatedAt: ns.nowIso(), lineItems: session.lineItems.map((l, i) => (i === index ? { ...l, quantity } : l)) };
  return save(ns, withTotals(ns, { ...moved, _discounts: keepValidDiscounts(ns, moved) }));
}

/** Closes an open session and announces it; the caller has checked the state. */
export function expireSession(sim: Simulator, ns: Namespace, session: SessionRecord): SessionRecord {
  const expired: SessionRecord = { ...session, status: 'expired', updatedAt: ns.nowIso() };
  sessionsOf(ns).set(expired.id, expired);
  sim.emit(ns, 'checkout.session.expired', renderSession(sim, ns, expired));
  return expired;
}

/**
 * Counts the session's discounts as redeemed (coupon and promotion code `timesRedeemed`, per-customer
 * counts) and gives them permanent ids. The payments capability calls this once the session is paid.
 */
export function redeemDiscounts(ns: Namespace, session: SessionRecord): SessionRecord {
  const latest = sessionsOf(ns).get(session.id) ?? session;
  const next = { ...latest, _discounts: countRedemptions(ns, latest._discounts, cartFacts(latest)) };
  sessionsOf(ns).set(next.id, next);
  return next;
}

// Earliest expiry of an open session per namespace, so due work costs nothing until then.
interface ExpiryIndex {
  db: object;
  next: number;
}
const EXPIRY_KEY = 'checkout.nextExpiry';

export function noteExpiry(ns: Namespace, session: SessionRecord): void {
  const index = ns.extensions.get(EXPIRY_KEY) as ExpiryIndex | undefined;
  if (!index || index.db !== ns.db || session.status !== 'open') return;
  index.next = Math.min(index.next, Date.parse(session.expiresAt));
}

/** Due work: expire every open session whose expiresAt has passed, emitting checkout.session.expired. */
export function expireOverdueSessions(ns: Namespace, sim: Simulator): void {
  const now = ns.clock.now();
  const index = ns.extensions.get(EXPIRY_KEY) as ExpiryIndex | undefined;
  if (index && index.db === ns.db && now < index.next) return;
  let next = Infinity;
  for (const session of [...sessionsOf(ns).values()]) {
    if (session.status !== 'open') continue;
    const at = Date.parse(session.expiresAt);
    if (at <= now) expireSession(sim, ns, session);
    else next = Math.min(next, at);
  }
  ns.extensions.set(EXPIRY_KEY, { db: ns.db, next } satisfies ExpiryIndex);
}

/** Due time: the earliest expiry of an open session, so clock moves stop exactly there. */
export function nextSessionExpiry(ns: Namespace): number | undefined {
  const index = ns.extensions.get(EXPIRY_KEY) as ExpiryIndex | undefined;
  if (index && index.db === ns.db) return Number.isFinite(index.next) ? index.next : undefined;
  let next = Infinity;
  for (const s of sessionsOf(ns).values()) if (s.status === 'open') next = Math.min(next, Date.parse(s.expiresAt));
  return Number.isFinite(next) ? next : undefined;
}
