// Loads `coupons:` (each optionally with nested `promotionCodes:`) and top-level `promotionCodes:`
// from fixture files, completing defaults and refusing anything XPay could not have produced.
import type { Ajv2020 } from 'ajv/dist/2020.js';
import { XPayError } from '../core/errors.js';
import { SPEC_SCHEMA_ID } from '../http/validation.js';
import type { Collections } from '../store/namespace.js';
import { buildCoupon, buildPromotionCode, couponsOf, promotionCodesOf, renderCoupon, type CouponRecord } from './coupons.js';

type Input = Record<string, unknown>;

const ID = /^[A-Za-z0-9_]{3,64}$/;

export function loadCouponFixtures(db: Collections, doc: { coupons?: Input[]; promotionCodes?: Input[] }, merchantId: string, file: string, epoch: string, ajv: Ajv2020, asError: (message: string) => Error): void {
  const fail = (where: string, message: string): never => {
    throw asError(`${file}: ${where}: ${message}`);
  };
  const guard = <T>(where: string, build: () => T): T => {
    try {
      return build();
    } catch (e) {
      if (e instanceof XPayError) return fail(where + (e.param ? `.${e.param}` : ''), e.message);
      throw e;
    }
  };
  const validate = ajv.getSchema(`${SPEC_SCHEMA_ID}#/components/schemas/CouponResponse`);
  const addCode = (input: Input, coupon: CouponRecord, where: string) => {
    if (typeof input.id !== 'string' || !ID.test(input.id)) fail(`${where}.id`, 'every fixture promotion code needs a readable id');
    if (promotionCodesOf(db).has(input.id as string)) fail(`${where}.id`, `duplicate promotion code id ${String(input.id)}`);
    const { coupon: _c, ...rest } = input;
    const code = guard(where, () => buildPromotionCode(rest, input.id as string, coupon, db, epoch));
    promotionCodesOf(db).set(code.id, code);
  };
  for (const [i, c] of (doc.coupons ?? []).entries()) {
    const where = `coupons[${i}]`;
    if (typeof c.id !== 'string' || !ID.test(c.id)) fail(`${where}.id`, 'every fixture coupon needs a readable id');
    if (couponsOf(db).has(c.id as string)) fail(`${where}.id`, `duplicate coupon id ${String(c.id)}`);
    const { promotionCodes = [], ...rest } = c as Input & { promotionCodes?: Input[] };
    const coupon = guard(where, () => buildCoupon(rest, c.id as string, merchantId, epoch));
    for (const p of coupon.appliesToProductIds ?? []) if (!db.products.has(p)) fail(`${where}.appliesToProductIds`, `unknown product ${p}`);
    const fake = { clock: { now: () => Date.parse(epoch) }, livemode: false } as unknown as Parameters<typeof renderCoupon>[0];
    if (validate && !validate(renderCoupon(fake, coupon))) fail(where, `does not render as a CouponResponse (${validate.errors?.[0]?.message})`);
    couponsOf(db).set(coupon.id, coupon);
    for (const [j, p] of promotionCodes.entries()) addCode(p, coupon, `${where}.promotionCodes[${j}]`);
  }
  for (const [i, p] of (doc.promotionCodes ?? []).entries()) {
    const coupon = couponsOf(db).get(String(p.coupon));
    if (!coupon) fail(`promotionCodes[${i}].coupon`, `unknown coupon ${String(p.coupon)}`);
    addCode(p, coupon!, `promotionCodes[${i}]`);
  }
}
