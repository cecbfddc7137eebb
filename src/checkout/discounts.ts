// Whether a coupon or promotion code may apply to a cart (with XPay's coupon_* / promotion_code_*
// codes), resolving `discounts[]` input, and counting redemptions once a session is paid.
import { errors } from '../core/errors.js';
import type { DiscountRule } from '../core/pricing.js';
import type { Namespace } from '../store/namespace.js';
import { couponIsValid, couponsOf, findPromotionCodeByCode, promotionCodesOf, type CouponRecord, type PromotionCodeRecord } from './coupons.js';

/** A discount as a session stores it; `id` stays null (XPay shows "pending") until redemption. */
export interface AppliedDiscount {
  id: string | null;
  couponId: string;
  promotionCodeId: string | null;
  start: string;
}

/** What a discount is checked against. */
export interface CartFacts {
  currency: string;
  amountSubtotal: number;
  productIds: string[];
  customerId: string | null;
  customerEmail: string | null;
}

const refuse = (code: string, message: string, param: string) => errors.code(400, code, message, param);

/** Who a per-customer limit counts against: the customer id, else a guest's email. */
export function redemptionKey(cart: Pick<CartFacts, 'customerId' | 'customerEmail'>): string | null {
  return cart.customerId ?? (cart.customerEmail ? cart.customerEmail.toLowerCase() : null);
}

export function checkCoupon(ns: Namespace, c: CouponRecord, cart: CartFacts, param: string): void {
  if (!couponIsValid(c, ns.clock.now())) {
    const why = !c.active ? 'is no longer active' : c.redeemBy !== null && Date.parse(c.redeemBy) <= ns.clock.now() ? 'has expired' : 'has reached its maximum redemptions';
    throw refuse('coupon_invalid', `Coupon ${c.id} ${why}.`, param);
  }
  if (c.discountType === 'fixed_amount' && c.currency !== cart.currency) {
    throw refuse('coupon_currency_mismatch', `Coupon ${c.id} is in ${c.currency}; this cart is in ${cart.currency}.`, param);
  }
  if (c.minValue !== null && cart.amountSubtotal < c.minValue) {
    throw refuse('coupon_minimum_amount', `Coupon ${c.id} needs a subtotal of at least ${c.minValue} (minor units).`, param);
  }
  const key = redemptionKey(cart);
  if (c.customerMaxRedemptions !== null && key !== null && (c._redemptionsByCustomer[key] ?? 0) >= c.customerMaxRedemptions) {
    throw refuse('coupon_customer_max_redemptions', `This customer has already used coupon ${c.id} the maximum number of times.`, param);
  }
  if (c.appliesToProductIds && c.appliesToProductIds.length > 0 && !cart.productIds.some((p) => c.appliesToProductIds!.includes(p))) {
    throw refuse('coupon_invalid', `Coupon ${c.id} applies to none of the items in this cart.`, param);
  }
}

/** True when the customer (or guest email) already has a paid (or completed free) checkout session. */
function hasPaidBefore(ns: Namespace, cart: CartFacts): boolean {
  for (const s of ns.db.checkoutSessions.values()) {
    if (s.paymentStatus !== 'paid' && s.paymentStatus !== 'no_payment_required') continue;
    if (cart.customerId !== null && s.customerId === cart.customerId) return true;
    const email = (s.customerDetails as { email?: string | null } | null)?.email;
    if (cart.customerEmail !== null && email && email.toLowerCase() === cart.customerEmail.toLowerCase()) return true;
  }
  return false;
}

export function checkPromotionCode(ns: Namespace, p: PromotionCodeRecord, cart: CartFacts, param: string): CouponRecord {
  const now = ns.clock.now();
  if (!p.active) throw refuse('promotion_code_inactive', `The promotion code ${p.code} is not active.`, param);
  if (p.expiresAt !== null && Date.parse(p.expiresAt) <= now) throw refuse('promotion_code_expired', `The promotion code ${p.code} has expired.`, param);
  if (p.maxRedemptions !== null && p.timesRedeemed >= p.maxRedemptions) {
    throw refuse('promotion_code_max_redemptions', `The promotion code ${p.code} has been fully redeemed.`, param);
  }
  if (p.customerId !== null && p.customerId !== cart.customerId) {
    throw refuse('promotion_code_customer_mismatch', `The promotion code ${p.code} belongs to another customer.`, param);
  }
  const min = p.restrictions.minimumAmount;
  if (min !== null && (p.restrictions.minimumAmountCurrency !== cart.currency || cart.amountSubtotal < min)) {
    throw refuse('promotion_code_minimum_amount', `The promotion code ${p.code} needs an order of at least ${min} ${p.restrictions.minimumAmountCurrency} (minor units).`, param);
  }
  if (p.restrictions.firstTimeTransaction && hasPaidBefore(ns, cart)) {
    throw refuse('promotion_code_first_time_only', `The promotion code ${p.code} is only for a customer's first purchase.`, param);
  }
  const coupon = couponsOf(ns.db).get(p.couponId)!;
  checkCoupon(ns, coupon, cart, param);
  return coupon;
}

export interface DiscountInput {
  coupon?: string | null;
  promotionCode?: string | null;
}

/** `discounts[]` on create/update: at most one, each naming exactly one coupon or promotion code. */
export function resolveDiscountInputs(ns: Namespace, inputs: DiscountInput[], cart: CartFacts, param = 'discounts'): AppliedDiscount[] {
  if (inputs.length > 1) throw refuse('too_many_discounts', 'A checkout session takes at most one discount.', param);
  return inputs.map((d, i) => {
    const at = `${param}[${i}]`;
    const hasCoupon = d.coupon !== undefined && d.coupon !== null;
    const hasPromo = d.promotionCode !== undefined && d.promotionCode !== null;
    if (hasCoupon && hasPromo) throw errors.exclusive(`${at}.coupon`, 'Pass either coupon or promotionCode in a discount, not both.');
    if (!hasCoupon && !hasPromo) throw errors.missing(`${at}.coupon`);
    if (hasCoupon) {
      const coupon = couponsOf(ns.db).get(d.coupon!);
      if (!coupon) throw errors.notFound('coupon', d.coupon!, `${at}.coupon`);
      checkCoupon(ns, coupon, cart, `${at}.coupon`);
      return { id: null, couponId: coupon.id, promotionCodeId: null, start: ns.nowIso() };
    }
    const promo = promotionCodesOf(ns.db).get(d.promotionCode!) ?? findPromotionCodeByCode(ns.db, d.promotionCode!);
    if (!promo) throw errors.notFound('promotion_code', d.promotionCode!, `${at}.promotionCode`);
    const coupon = checkPromotionCode(ns, promo, cart, `${at}.promotionCode`);
    return { id: null, couponId: coupon.id, promotionCodeId: promo.id, start: ns.nowIso() };
  });
}

export function discountRules(ns: Namespace, applied: AppliedDiscount[]): DiscountRule[] {
  return applied.map((d) => {
    const c = couponsOf(ns.db).get(d.couponId)!;
    return { discountType: c.discountType, percentOff: c.percentOff, amountOff: c.amountOff, maxDiscountAmount: c.maxDiscountAmount, appliesToProductIds: c.appliesToProductIds };
  });
}

/** Counts one redemption per applied discount and gives each its permanent `di_` id. Idempotent. */
export function countRedemptions(ns: Namespace, applied: AppliedDiscount[], cart: Pick<CartFacts, 'customerId' | 'customerEmail'>): AppliedDiscount[] {
  const key = redemptionKey(cart);
  return applied.map((d) => {
    if (d.id !== null) return d;
    const coupon = couponsOf(ns.db).get(d.couponId);
    if (coupon) {
      const byCustomer = { ...coupon._redemptionsByCustomer };
      if (key !== null) byCustomer[key] = (byCustomer[key] ?? 0) + 1;
      couponsOf(ns.db).set(coupon.id, { ...coupon, timesRedeemed: coupon.timesRedeemed + 1, _redemptionsByCustomer: byCustomer });
    }
    const promo = d.promotionCodeId ? promotionCodesOf(ns.db).get(d.promotionCodeId) : undefined;
    if (promo) promotionCodesOf(ns.db).set(promo.id, { ...promo, timesRedeemed: promo.timesRedeemed + 1 });
    return { ...d, id: ns.ids.next('di') };
  });
}
