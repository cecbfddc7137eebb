// /_sim/coupons: list the namespace's coupons and promotion codes, and add more at runtime
// (XPay has no public coupon API; fixtures/coupons.yaml seeds every namespace).
import { errors } from '../core/errors.js';
import type { Handler, RequestContext } from '../http/types.js';
import type { Namespace } from '../store/namespace.js';
import { buildCoupon, buildPromotionCode, couponsOf, promotionCodesOf, renderCoupon, renderPromotionCode, type PromotionCodeRecord } from '../checkout/coupons.js';

function namespaceOf(ctx: RequestContext): Namespace {
  if (!ctx.ns) throw errors.auth('Send an API key: coupons belong to the namespace of a key.');
  return ctx.ns;
}

export const listSimCoupons: Handler = (ctx) => {
  const ns = namespaceOf(ctx);
  return {
    status: 200,
    body: {
      coupons: [...couponsOf(ns.db).values()].map((c) => renderCoupon(ns, c)),
      promotionCodes: [...promotionCodesOf(ns.db).values()].map((p) => renderPromotionCode(ns, p)),
    },
  };
};

type Input = Record<string, unknown> & { id?: string; appliesToProductIds?: string[]; promotionCodes?: Array<Record<string, unknown> & { id?: string; customerId?: string }> };

/** Validates the coupon and all its codes before storing anything. */
export const createSimCoupon: Handler = (ctx) => {
  const ns = namespaceOf(ctx);
  const { promotionCodes: codeInputs = [], ...input } = ctx.body as Input;
  if (input.id !== undefined && couponsOf(ns.db).has(input.id)) throw errors.code(409, 'resource_already_exists', `Coupon ${input.id} already exists.`, 'id');
  (input.appliesToProductIds ?? []).forEach((p, i) => {
    if (!ns.db.products.has(p)) throw errors.notFound('product', p, `appliesToProductIds[${i}]`);
  });
  const now = ns.nowIso();
  const coupon = buildCoupon(input, input.id ?? ns.ids.next('coupon'), ns.merchantId, now);
  const seen = new Set<string>();
  const codes: PromotionCodeRecord[] = codeInputs.map((p, i) => {
    const at = `promotionCodes[${i}]`;
    if (p.id !== undefined && promotionCodesOf(ns.db).has(p.id)) throw errors.code(409, 'resource_already_exists', `Promotion code ${p.id} already exists.`, `${at}.id`);
    if (p.customerId !== undefined && p.customerId !== null && !ns.db.customers.has(p.customerId)) throw errors.notFound('customer', p.customerId, `${at}.customerId`);
    const code = buildPromotionCode(p, p.id ?? ns.ids.next('promo'), coupon, ns.db, now, at);
    if (seen.has(code.code.toUpperCase())) throw errors.code(409, 'promotion_code_exists', `The code ${code.code} appears twice.`, `${at}.code`);
    seen.add(code.code.toUpperCase());
    return code;
  });
  couponsOf(ns.db).set(coupon.id, coupon);
  for (const code of codes) promotionCodesOf(ns.db).set(code.id, code);
  return { status: 201, body: { coupon: renderCoupon(ns, coupon), promotionCodes: codes.map((c) => renderPromotionCode(ns, c)) } };
};
