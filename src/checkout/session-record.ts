// The stored checkout session, its totals (recomputed after every change of lines or discounts)
// and its rendering as XPay's CheckoutSessionResponse.
import { pagePaths } from '../control/page-urls.js';
import { MERCHANT_DISPLAY_NAME } from '../core/merchant.js';
import type { SessionMetadata } from '../core/metadata.js';
import { computeTotals } from '../core/pricing.js';
import { renderSessionPaymentIntent } from '../payments/intents.js';
import { methodInfo } from '../payments/method-catalog.js';
import type { Simulator } from '../simulator.js';
import type { Namespace } from '../store/namespace.js';
import { renderCustomField, type CustomFieldRecord } from './custom-fields.js';
import { couponsOf, promotionCodesOf, renderCoupon, renderPendingCoupon } from './coupons.js';
import { discountRules, type AppliedDiscount, type CartFacts } from './discounts.js';
import { renderLineItem, type StoredLineItem } from './line-items.js';
import { sessionFees } from './session-fees.js';

export type UiMode = 'hosted' | 'embedded' | 'custom';

export interface ResolvedFeeConfig {
  feesPassThrough: boolean;
  vatCollectionEnabled: boolean;
  vatCollectionRate: number | null;
  source: 'session' | 'merchant' | 'system';
}

export interface AfterCompletionRecord {
  type: 'redirect' | 'hosted_confirmation';
  redirect?: { url: string } | null;
  hostedConfirmation?: { customMessage?: string | null; returnUrl?: string | null } | null;
}

export interface CustomerDetailsRecord {
  name?: string | null;
  email?: string | null;
  phone?: string | null;
  billingDetails?: Record<string, unknown> | null;
  shipping?: Record<string, unknown> | null;
}

export interface SessionRecord {
  id: string;
  object: 'checkout.session';
  createdAt: string;
  updatedAt: string;
  mode: 'payment' | 'setup' | 'subscription';
  uiMode: UiMode;
  submitType: 'PAY' | 'SUBSCRIBE' | 'BOOK' | 'DONATE';
  customerCreation: 'always' | 'if_required';
  status: 'open' | 'complete' | 'expired';
  paymentStatus: 'paid' | 'unpaid' | 'no_payment_required';
  currency: string;
  amountSubtotal: number;
  amountTotal: number;
  totalDetails: { amountDiscount: number; amountShipping: number; amountTax: number; amountPlatformFee: number; amountCollectedVat: number };
  afterCompletion: AfterCompletionRecord;
  cancelUrl: string | null;
  clientSecret: string;
  expiresAt: string;
  customerId: string | null;
  customerDetails: CustomerDetailsRecord | null;
  lineItems: StoredLineItem[];
  customFields: CustomFieldRecord[];
  allowPromotionCodes: boolean;
  nameCollection: boolean;
  billingAddressCollection: boolean;
  shippingAddressCollection: boolean;
  phoneNumberCollection: boolean;
  feeConfig: ResolvedFeeConfig;
  brandingSettings: Record<string, unknown>;
  locale: 'en' | 'ar';
  paymentMethodTypes: string[];
  paymentMethodConfigurationId: string | null;
  customerUpdate: { address?: string | null; name?: string | null; shipping?: string | null } | null;
  metadata: SessionMetadata;
  merchantId: string;
  paymentLinkId: string | null;
  /** Set by the payments capability at the first payment attempt. */
  _paymentIntentId: string | null;
  _discounts: AppliedDiscount[];
  /** When the page last "sent" a wallet/BNPL code, by the namespace clock (absent: never). */
  _otpSentAt?: string | null;
}

export function sessionsOf(ns: Namespace): Map<string, SessionRecord> {
  return ns.db.checkoutSessions as unknown as Map<string, SessionRecord>;
}

export function cartFacts(session: Pick<SessionRecord, 'currency' | 'lineItems' | 'customerId' | 'customerDetails'>): CartFacts {
  return {
    currency: session.currency,
    amountSubtotal: session.lineItems.reduce((a, l) => a + l._unitAmount * l.quantity, 0),
    productIds: session.lineItems.map((l) => l.product.id),
    customerId: session.customerId,
    customerEmail: session.customerDetails?.email ?? null,
  };
}

/** Returns the session with line amounts, totalDetails and amountTotal brought up to date. */
export function withTotals<T extends Pick<SessionRecord, 'lineItems' | '_discounts' | 'feeConfig' | 'currency'>>(ns: Namespace, session: T): T & Pick<SessionRecord, 'amountSubtotal' | 'amountTotal' | 'totalDetails'> {
  const t = computeTotals(
    session.lineItems.map((l) => ({ unitAmount: l._unitAmount, quantity: l.quantity, productId: l.product.id })),
    discountRules(ns, session._discounts),
    session.feeConfig,
    session.currency,
  );
  return {
    ...session,
    lineItems: session.lineItems.map((l, i) => ({ ...l, ...t.lines[i]! })),
    amountSubtotal: t.amountSubtotal,
    amountTotal: t.amountTotal,
    totalDetails: { amountDiscount: t.amountDiscount, amountShipping: 0, amountTax: 0, amountPlatformFee: t.amountPlatformFee, amountCollectedVat: t.amountCollectedVat },
  };
}

/** The after-completion redirect with `{CHECKOUT_SESSION_ID}` filled in, or null for hosted confirmation. */
export function completionRedirectUrl(session: Pick<SessionRecord, 'id' | 'afterCompletion'>): string | null {
  const url = session.afterCompletion.type === 'redirect' ? session.afterCompletion.redirect?.url : undefined;
  return url ? url.split('{CHECKOUT_SESSION_ID}').join(encodeURIComponent(session.id)) : null;
}

/** One entry of a session's `paymentMethodTypes`: what the method is and how it behaves. */
export function renderMethodType(type: string): Record<string, unknown> {
  const info = methodInfo(type);
  if (!info) return { type, displayName: type, category: 'other' };
  return {
    type,
    displayName: info.displayName,
    category: info.category,
    minTransactionAmount: info.minAmount === null ? null : String(info.minAmount),
    maxTransactionAmount: info.maxAmount === null ? null : String(info.maxAmount),
    requiredCustomerFields: info.requiredCustomerFields ? [...info.requiredCustomerFields] : null,
    supportsRefund: info.supportsRefund,
    supportsPartialRefund: info.supportsPartialRefund,
    supportsPartialCapture: false,
    paymentConfirmation: info.confirmation,
  };
}

function renderDiscount(ns: Namespace, session: SessionRecord, d: AppliedDiscount): Record<string, unknown> {
  const coupon = couponsOf(ns.db).get(d.couponId)!;
  const promo = d.promotionCodeId ? promotionCodesOf(ns.db).get(d.promotionCodeId) : undefined;
  const out: Record<string, unknown> = { id: d.id ?? 'pending', object: 'discount' };
  out.coupon = d.id === null ? renderPendingCoupon(ns, coupon) : renderCoupon(ns, coupon);
  if (d.id === null || promo) {
    out.promotionCodeId = promo?.id ?? null;
    out.promotionCodeCode = promo?.code ?? null;
  }
  out.checkoutSessionId = session.id;
  if (session.customerId) out.customerId = session.customerId;
  out.start = d.start;
  return out;
}

/** The session's customer; `shipping` is where this session ships to (customers keep no shipping of their own). */
function renderCustomer(ns: Namespace, session: SessionRecord): Record<string, unknown> | undefined {
  const c = session.customerId ? ns.db.customers.get(session.customerId) : undefined;
  if (!c) return undefined;
  const a = c.address;
  const address = a ? Object.fromEntries(['line1', 'line2', 'city', 'state', 'postalCode', 'country'].map((k) => [k, a[k] ?? null])) : null;
  return { id: c.id, type: c.type, name: c.name, email: c.email, phone: c.phone, address, shipping: session.customerDetails?.shipping ?? null, metadata: c.metadata };
}

export function isExpired(ns: Namespace, session: Pick<SessionRecord, 'status' | 'expiresAt'>): boolean {
  return session.status === 'expired' || (session.status === 'open' && Date.parse(session.expiresAt) <= ns.clock.now());
}

export function renderSession(sim: Simulator, ns: Namespace, session: SessionRecord): Record<string, unknown> {
  const { _paymentIntentId, _discounts, _otpSentAt, lineItems, customFields, customerId, customerDetails, paymentMethodTypes, ...shape } = session;
  const out: Record<string, unknown> = {
    ...shape,
    // The hosted page's address; custom (Elements) sessions render on the merchant's page, so none.
    url: session.uiMode === 'custom' ? null : sim.publicUrl + pagePaths.checkout(sim, ns, session.id),
    isExpired: isExpired(ns, session),
    customerId,
    customerDetails,
    paymentIntentId: _paymentIntentId,
    lineItems: lineItems.map(renderLineItem),
    customFields: customFields.map(renderCustomField),
    discounts: _discounts.map((d) => renderDiscount(ns, session, d)),
    paymentMethodTypes: paymentMethodTypes.map(renderMethodType),
    merchantName: MERCHANT_DISPLAY_NAME,
    livemode: ns.livemode,
    paymentIntent: renderSessionPaymentIntent(ns, _paymentIntentId),
  };
  const customer = renderCustomer(ns, session);
  if (customer) out.customer = customer;
  const fees = sessionFees(session);
  if (fees) out.fees = fees;
  return out;
}
