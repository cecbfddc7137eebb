// The checkout session as the browser SDK shows it to a merchant page (XPay's `CheckoutSession`):
// status as {type, paymentStatus}, canConfirm, paymentMethods, line items, totals, discounts.
// Built from the API rendering so both always agree.
import { pagePaths } from '../control/page-urls.js';
import { isExpired, renderSession, type SessionRecord } from '../checkout/session-record.js';
import type { Simulator } from '../simulator.js';
import type { Namespace } from '../store/namespace.js';

type Row = Record<string, unknown>;

function statusOf(ns: Namespace, session: SessionRecord): Row {
  if (session.status === 'complete') return { type: 'complete', paymentStatus: session.paymentStatus };
  if (isExpired(ns, session)) return { type: 'expired' };
  return { type: 'open' };
}

export function sessionView(sim: Simulator, ns: Namespace, session: SessionRecord): Row {
  const api = renderSession(sim, ns, session);
  const status = statusOf(ns, session);
  const intent = api.paymentIntent as Row | null;
  return {
    id: session.id,
    object: 'checkout.session',
    status,
    // @assumption a session waiting for a 3-D Secure answer cannot be confirmed again until it is answered.
    canConfirm: status.type === 'open' && intent?.status !== 'REQUIRES_ACTION',
    amountTotal: api.amountTotal,
    amountSubtotal: api.amountSubtotal,
    currency: api.currency,
    merchantName: api.merchantName,
    livemode: api.livemode,
    expiresAt: api.expiresAt,
    locale: api.locale,
    uiMode: api.uiMode,
    submitType: api.submitType,
    allowPromotionCodes: api.allowPromotionCodes,
    paymentMethods: api.paymentMethodTypes,
    lineItems: (api.lineItems as Row[]).map((l) => {
      const price = l.price as Row;
      const product = price.product as Row;
      return {
        id: l.id, description: l.description, quantity: l.quantity, amountSubtotal: l.amountSubtotal, amountTotal: l.amountTotal,
        amountDiscount: l.amountDiscount, currency: l.currency, adjustableQuantity: l.adjustableQuantity ?? null,
        price: { id: price.id, unitAmount: price.unitAmount, currency: price.currency, product: { id: product.id, name: product.name, image: product.image } },
      };
    }),
    totalDetails: api.totalDetails,
    // @assumption fees are known once a card's BIN is; the simulator's pass-through fees are in totalDetails.
    fees: null,
    discounts: (api.discounts as Row[]).map((d) => ({
      promotionCodeCode: d.promotionCodeCode ?? null,
      coupon: d.coupon ?? null,
    })),
    brandingSettings: api.brandingSettings,
    paymentIntentId: api.paymentIntentId,
    paymentStatus: api.paymentStatus,
  };
}

/** The simulator pages the SDK frames for this session (both live on the simulator's origin). */
export function frameUrls(sim: Simulator, ns: Namespace, session: SessionRecord): { checkout: string; element: string } {
  const base = sim.publicUrl + pagePaths.checkout(sim, ns, session.id);
  return { checkout: `${base}?embed=true`, element: `${base}/element?embed=true` };
}
