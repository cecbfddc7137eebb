// Coupons and promotion codes: records, building them from fixtures or /_sim input, rendering
// in XPay's CouponResponse / PromotionCodeResponse shapes. Checks against a cart live in discounts.ts.
import { errors } from '../core/errors.js';
import { isCurrency } from '../core/money.js';
import { copyPlain } from '../core/metadata.js';
import type { Namespace } from '../store/namespace.js';
import type { Collections } from '../store/namespace.js';

export interface CouponRecord {
  id: string;
  object: 'coupon';
  createdAt: string;
  discountType: 'percentage' | 'fixed_amount';
  percentOff: number | null;
  amountOff: number | null;
  currency: string | null;
  duration: 'once' | 'repeating' | 'forever';
  durationInMonths: number | null;
  name: string | null;
  maxDiscountAmount: number | null;
  minValue: number | null;
  maxRedemptions: number | null;
  customerMaxRedemptions: number | null;
  timesRedeemed: number;
  redeemBy: string | null;
  active: boolean;
  appliesToProductIds: string[] | null;
  metadata: Record<string, unknown>;
  merchantId: string;
  /** Redemptions per customer id (or guest email), for customerMaxRedemptions. */
  _redemptionsByCustomer: Record<string, number>;
}

export interface PromotionCodeRecord {
  id: string;
  object: 'promotion_code';
  createdAt: string;
  code: string;
  active: boolean;
  couponId: string;
  customerId: string | null;
  maxRedemptions: number | null;
  timesRedeemed: number;
  expiresAt: string | null;
  restrictions: { firstTimeTransaction: boolean | null; minimumAmount: number | null; minimumAmountCurrency: string | null };
  metadata: Record<string, unknown>;
  merchantId: string;
}

type Input = Record<string, unknown>;

const opt = <T>(v: unknown): T | null => (v === undefined || v === null ? null : (v as T));

function intOrNull(v: unknown, param: string, min: number): number | null {
  if (v === undefined || v === null) return null;
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) throw errors.invalid(param, `${param} must be an integer (minor units or a count).`);
  if (v < min) throw errors.outOfRange(param, `${param} must be at least ${min}.`);
  return v;
}

function isoOrNull(v: unknown, param: string): string | null {
  if (v === undefined || v === null) return null;
  const ms = typeof v === 'string' ? Date.parse(v) : NaN;
  if (Number.isNaN(ms)) throw errors.invalid(param, `${param} must be an ISO-8601 date-time.`);
  return new Date(ms).toISOString();
}

/** Completes and checks a coupon; `at(name)` builds the param path for error messages. */
export function buildCoupon(input: Input, id: string, merchantId: string, now: string, prefix = ''): CouponRecord {
  const at = (name: string) => (prefix ? `${prefix}.${name}` : name);
  const discountType = input.discountType ?? (input.amountOff !== undefined && input.amountOff !== null ? 'fixed_amount' : 'percentage');
  if (discountType !== 'percentage' && discountType !== 'fixed_amount') throw errors.invalid(at('discountType'), 'discountType must be percentage or fixed_amount.');
  let percentOff: number | null = null;
  let amountOff: number | null = null;
  let currency: string | null = null;
  if (discountType === 'percentage') {
    if (typeof input.percentOff !== 'number') throw errors.missing(at('percentOff'));
    if (!(input.percentOff > 0 && input.percentOff <= 100)) throw errors.outOfRange(at('percentOff'), 'percentOff must be above 0 and at most 100.');
    if (input.amountOff !== undefined && input.amountOff !== null) throw errors.exclusive(at('amountOff'), 'A percentage coupon takes no amountOff.');
    percentOff = input.percentOff;
    currency = opt<string>(input.currency);
  } else {
    amountOff = intOrNull(input.amountOff, at('amountOff'), 1);
    if (amountOff === null) throw errors.missing(at('amountOff'));
    if (input.percentOff !== undefined && input.percentOff !== null) throw errors.exclusive(at('percentOff'), 'A fixed_amount coupon takes no percentOff.');
    if (input.currency === undefined || input.currency === null) throw errors.missing(at('currency'));
    currency = input.currency as string;
  }
  if (currency !== null && !isCurrency(currency)) throw errors.invalid(at('currency'), `Unsupported currency: ${String(currency)}.`);
  const duration = (input.duration ?? 'once') as CouponRecord['duration'];
  if (!['once', 'repeating', 'forever'].includes(duration)) throw errors.invalid(at('duration'), 'duration must be once, repeating or forever.');
  const durationInMonths = intOrNull(input.durationInMonths, at('durationInMonths'), 1);
  if (duration === 'repeating' && durationInMonths === null) throw errors.missing(at('durationInMonths'));
  const products = input.appliesToProductIds;
  if (products !== undefined && products !== null && !(Array.isArray(products) && products.every((p) => typeof p === 'string'))) {
    throw errors.invalid(at('appliesToProductIds'), 'appliesToProductIds must be a list of product ids.');
  }
  if (input.metadata !== undefined && input.metadata !== null && (typeof input.metadata !== 'object' || Array.isArray(input.metadata))) {
    throw errors.invalid(at('metadata'), 'metadata must be an object.');
  }
  return {
    id,
    object: 'coupon',
    createdAt: isoOrNull(input.createdAt, at('createdAt')) ?? now,
    discountType,
    percentOff,
    amountOff,
    currency,
    duration,
    durationInMonths,
    name: opt<string>(input.name),
    maxDiscountAmount: intOrNull(input.maxDiscountAmount, at('maxDiscountAmount'), 1),
    minValue: intOrNull(input.minValue, at('minValue'), 0),
    maxRedemptions: intOrNull(input.maxRedemptions, at('maxRedemptions'), 1),
    customerMaxRedemptions: intOrNull(input.customerMaxRedemptions, at('customerMaxRedemptions'), 1),
    timesRedeemed: intOrNull(input.timesRedeemed, at('timesRedeemed'), 0) ?? 0,
    redeemBy: isoOrNull(input.redeemBy, at('redeemBy')),
    active: input.active === undefined ? true : input.active === true,
    appliesToProductIds: products ? [...(products as string[])] : null,
    metadata: input.metadata ? copyPlain(input.metadata as Record<string, unknown>) : {},
    merchantId,
    _redemptionsByCustomer: {},
  };
}

export const PROMOTION_CODE_PATTERN = /^[A-Za-z0-9_-]{2,64}$/;

export function buildPromotionCode(input: Input, id: string, coupon: CouponRecord, db: Collections, now: string, prefix = ''): PromotionCodeRecord {
  const at = (name: string) => (prefix ? `${prefix}.${name}` : name);
  if (typeof input.code !== 'string') throw errors.missing(at('code'));
  if (!PROMOTION_CODE_PATTERN.test(input.code)) throw errors.invalid(at('code'), 'A code is 2–64 letters, digits, "_" or "-".');
  if (findPromotionCodeByCode(db, input.code)) throw errors.code(409, 'promotion_code_exists', `The promotion code ${input.code} already exists.`, at('code'));
  const r = (input.restrictions ?? {}) as Input;
  const minimumAmount = r.minimumAmount === undefined || r.minimumAmount === null ? null : Number(r.minimumAmount);
  if (minimumAmount !== null && !(Number.isSafeInteger(minimumAmount) && minimumAmount >= 0)) {
    throw errors.invalid(at('restrictions.minimumAmount'), 'minimumAmount is a whole number of minor units.');
  }
  const minimumAmountCurrency = opt<string>(r.minimumAmountCurrency) ?? (minimumAmount !== null ? (coupon.currency ?? 'EGP') : null);
  if (minimumAmountCurrency !== null && !isCurrency(minimumAmountCurrency)) throw errors.invalid(at('restrictions.minimumAmountCurrency'), 'Unsupported currency.');
  return {
    id,
    object: 'promotion_code',
    createdAt: isoOrNull(input.createdAt, at('createdAt')) ?? now,
    code: input.code,
    active: input.active === undefined ? true : input.active === true,
    couponId: coupon.id,
    customerId: opt<string>(input.customerId),
    maxRedemptions: intOrNull(input.maxRedemptions, at('maxRedemptions'), 1),
    timesRedeemed: intOrNull(input.timesRedeemed, at('timesRedeemed'), 0) ?? 0,
    expiresAt: isoOrNull(input.expiresAt, at('expiresAt')),
    restrictions: { firstTimeTransaction: r.firstTimeTransaction === true ? true : null, minimumAmount, minimumAmountCurrency },
    metadata: input.metadata && typeof input.metadata === 'object' ? copyPlain(input.metadata as Record<string, unknown>) : {},
    merchantId: coupon.merchantId,
  };
}

export function couponsOf(db: Collections): Map<string, CouponRecord> {
  return db.coupons as unknown as Map<string, CouponRecord>;
}

export function promotionCodesOf(db: Collections): Map<string, PromotionCodeRecord> {
  return db.promotionCodes as unknown as Map<string, PromotionCodeRecord>;
}

/** Codes match case-insensitively, as shoppers type them. */
export function findPromotionCodeByCode(db: Collections, code: string): PromotionCodeRecord | undefined {
  const wanted = code.trim().toUpperCase();
  for (const p of promotionCodesOf(db).values()) if (p.code.toUpperCase() === wanted) return p;
  return undefined;
}

/** Still usable at all (whatever the cart): active, not past redeemBy, redemptions left. */
export function couponIsValid(c: CouponRecord, nowMs: number): boolean {
  return c.active && (c.redeemBy === null || Date.parse(c.redeemBy) > nowMs) && (c.maxRedemptions === null || c.timesRedeemed < c.maxRedemptions);
}

function withoutNulls(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([k, v]) => v !== null && !k.startsWith('_')));
}

export function renderCoupon(ns: Namespace, c: CouponRecord): Record<string, unknown> {
  return { ...withoutNulls({ ...c }), valid: couponIsValid(c, ns.clock.now()), livemode: ns.livemode };
}

/** The pre-redemption coupon view XPay puts inside a pending discount (amountOff as a string). */
export function renderPendingCoupon(ns: Namespace, c: CouponRecord): Record<string, unknown> {
  return {
    id: c.id,
    object: 'coupon',
    name: c.name,
    discountType: c.discountType,
    percentOff: c.percentOff,
    amountOff: c.amountOff === null ? null : String(c.amountOff),
    currency: c.currency,
    valid: true,
    livemode: ns.livemode,
  };
}

export function renderPromotionCode(ns: Namespace, p: PromotionCodeRecord): Record<string, unknown> {
  const coupon = couponsOf(ns.db).get(p.couponId)!;
  const { couponId, restrictions, ...rest } = p;
  return {
    ...withoutNulls(rest),
    coupon: renderCoupon(ns, coupon),
    restrictions: {
      firstTimeTransaction: restrictions.firstTimeTransaction,
      minimumAmount: restrictions.minimumAmount === null ? null : String(restrictions.minimumAmount),
      minimumAmountCurrency: restrictions.minimumAmountCurrency,
    },
    livemode: ns.livemode,
  };
}
