// Checks made right before money moves (or a free order completes): stock left for every line,
// and the session's discount still valid (it may have been used up, expired or switched off
// since it was applied). Both throw; neither changes anything.
import { errors } from '../core/errors.js';
import { couponsOf, promotionCodesOf } from '../checkout/coupons.js';
import { checkCoupon, checkPromotionCode } from '../checkout/discounts.js';
import { cartFacts, type SessionRecord } from '../checkout/session-record.js';
import type { Namespace } from '../store/namespace.js';

/** Prices that would run out: checked before charging and again before completing. */
export function checkStock(ns: Namespace, session: SessionRecord): void {
  session.lineItems.forEach((item, i) => {
    const price = item._catalog ? ns.db.prices.get(item.price.id) : undefined;
    if (price && price.stock !== null && price.stock < item.quantity) {
      throw errors.code(409, 'price_sold_out', `Price ${price.id} has only ${price.stock} left.`, `lineItems[${i}].price`);
    }
  });
}

/**
 * Re-runs the checks of every not-yet-redeemed discount against the cart (with the email typed for
 * this attempt when the session knows none, so first-purchase and per-guest limits see the payer),
 * throwing the same 400 code (promotion_code_max_redemptions, promotion_code_expired,
 * coupon_invalid, ...) as applying it now would. A shopper-typed code names `promotionCode`,
 * a merchant's discount `discounts[i].promotionCode` or `discounts[i].coupon`.
 */
export function recheckDiscounts(ns: Namespace, session: SessionRecord, payerEmail: string | null): void {
  const facts = cartFacts(session);
  const cart = { ...facts, customerEmail: facts.customerEmail ?? payerEmail };
  session._discounts.forEach((d, i) => {
    if (d.id !== null) return;
    const promo = d.promotionCodeId ? promotionCodesOf(ns.db).get(d.promotionCodeId) : undefined;
    if (promo) {
      checkPromotionCode(ns, promo, cart, session.allowPromotionCodes ? 'promotionCode' : `discounts[${i}].promotionCode`);
      return;
    }
    const coupon = couponsOf(ns.db).get(d.couponId);
    if (!coupon) throw errors.code(400, 'coupon_invalid', `Coupon ${d.couponId} no longer exists.`, `discounts[${i}].coupon`);
    checkCoupon(ns, coupon, cart, `discounts[${i}].coupon`);
  });
}
