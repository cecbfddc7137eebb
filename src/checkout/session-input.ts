// Create/update input of checkout sessions → a stored SessionRecord, with every cross-field rule
// (uiMode bans, customer exclusivity, currencies, payment methods, fees, discounts, expiry).
import { errors } from '../core/errors.js';
import { readSessionMetadata, updateSessionMetadata } from '../core/metadata.js';
import { accountMethods } from '../payments/account-methods.js';
import type { Namespace } from '../store/namespace.js';
import { buildCustomFields, type CustomFieldInput } from './custom-fields.js';
import { checkCoupon, checkPromotionCode, resolveDiscountInputs, type DiscountInput } from './discounts.js';
import { couponsOf, promotionCodesOf } from './coupons.js';
import { markPricesUsed, resolveLineItems, type LineItemInput } from './line-items.js';
import { cartFacts, withTotals, type AfterCompletionRecord, type ResolvedFeeConfig, type SessionRecord, type UiMode } from './session-record.js';

/** Default session lifetime (XPay: 24 hours) and the longest one accepted. @assumption (max 30 days) */
export const DEFAULT_EXPIRY_MINUTES = 24 * 60;
export const MAX_EXPIRY_MINUTES = 30 * 24 * 60;

export const DEFAULT_BRANDING = {
  colorMode: 'light', borderStyle: 'rounded', spacing: 'normal', inputSize: 'medium', inputStyle: 'outlined', formLayout: 'spacious',
  colors: { primary: '#0F766E', primaryForeground: '#ffffff', background: '#ffffff', foreground: '#0f172a' },
  fontFamily: null,
} as const;

export interface SessionInput {
  afterCompletion?: AfterCompletionRecord | null;
  mode?: SessionRecord['mode'] | null;
  uiMode?: UiMode | null;
  submitType?: SessionRecord['submitType'] | null;
  currency?: string | null;
  lineItems?: LineItemInput[] | null;
  cancelUrl?: string | null;
  customerId?: string | null;
  customerDetails?: SessionRecord['customerDetails'];
  customerUpdate?: SessionRecord['customerUpdate'];
  customerCreation?: SessionRecord['customerCreation'] | null;
  allowPromotionCodes?: boolean | null;
  discounts?: DiscountInput[] | null;
  nameCollection?: boolean | null;
  billingAddressCollection?: boolean | null;
  shippingAddressCollection?: boolean | null;
  phoneNumberCollection?: boolean | null;
  customFields?: CustomFieldInput[] | null;
  metadata?: unknown;
  feeConfig?: { feesPassThrough: boolean; vatCollectionEnabled: boolean; vatCollectionRate?: number | null } | null;
  brandingSettings?: Record<string, unknown> | null;
  locale?: 'en' | 'ar' | null;
  paymentMethodTypes?: string[] | null;
  paymentMethodConfigurationId?: string | null;
  expiresAfterMinutes?: number | null;
}

const COLLECTION_FLAGS = ['nameCollection', 'billingAddressCollection', 'shippingAddressCollection', 'phoneNumberCollection'] as const;

export const SESSION_ID_TEMPLATE = '{CHECKOUT_SESSION_ID}';

/** An absolute http(s) URL once `{CHECKOUT_SESSION_ID}` is filled in; no other template. */
type SubmitType = SessionRecord['submitType'];

/** XPay's docs spell request values in lowercase, its contract in uppercase: take both, store uppercase. */
export function canonicalSubmitType(value: string | null | undefined): SubmitType {
  return value ? (value.toUpperCase() as SubmitType) : 'PAY';
}

export function checkRedirectUrl(url: string, param: string): void {
  const filled = url.split(SESSION_ID_TEMPLATE).join('cs_test_x');
  let parsed: URL | undefined;
  try {
    parsed = new URL(filled);
  } catch {
    parsed = undefined;
  }
  if (!parsed || (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') || /[{}]/.test(filled)) {
    throw errors.invalid(param, `${param} must be an absolute http(s) URL; the only placeholder allowed is ${SESSION_ID_TEMPLATE}.`);
  }
}

export function resolveAfterCompletion(input: AfterCompletionRecord, uiMode: UiMode, param = 'afterCompletion'): AfterCompletionRecord {
  if (uiMode !== 'hosted' && input.type !== 'redirect') {
    throw errors.invalid(`${param}.type`, `uiMode ${uiMode} needs afterCompletion.type redirect: the page that embeds the checkout decides what comes next.`);
  }
  if (input.type === 'redirect') {
    if (!input.redirect?.url) throw errors.missing(`${param}.redirect.url`);
    checkRedirectUrl(input.redirect.url, `${param}.redirect.url`);
    if (input.hostedConfirmation) throw errors.invalid(`${param}.hostedConfirmation`, 'hostedConfirmation is only for type hosted_confirmation.');
    return { type: 'redirect', redirect: { url: input.redirect.url } };
  }
  if (input.redirect) throw errors.invalid(`${param}.redirect`, 'redirect is only for type redirect.');
  const hc = input.hostedConfirmation;
  // Shown as a link on the confirmation page: only http(s), never javascript: and friends.
  if (hc?.returnUrl) checkRedirectUrl(hc.returnUrl, `${param}.hostedConfirmation.returnUrl`);
  return { type: 'hosted_confirmation', hostedConfirmation: hc ? { customMessage: hc.customMessage ?? null, returnUrl: hc.returnUrl ?? null } : null };
}

export function resolveFeeConfig(input: SessionInput['feeConfig']): ResolvedFeeConfig {
  if (!input) return { feesPassThrough: false, vatCollectionEnabled: false, vatCollectionRate: null, source: 'system' };
  const rate = input.vatCollectionRate ?? null;
  if (rate !== null && !(Number.isInteger(rate) && rate >= 0 && rate <= 10000)) {
    throw errors.outOfRange('feeConfig.vatCollectionRate', 'vatCollectionRate is in basis points: a whole number from 0 to 10000 (1400 = 14%).');
  }
  return { feesPassThrough: input.feesPassThrough, vatCollectionEnabled: input.vatCollectionEnabled, vatCollectionRate: rate, source: 'session' };
}

export function mergeBranding(base: Record<string, unknown>, input: Record<string, unknown> | null | undefined): Record<string, unknown> {
  if (!input) return base;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(input)) {
    if (v === null || v === undefined) continue;
    out[k] = k === 'colors' ? { ...(base.colors as object), ...Object.fromEntries(Object.entries(v as object).filter(([, c]) => c !== null)) } : v;
  }
  return out;
}

/** The session's methods: the account's for the currency, or the subset asked for (each must be enabled). */
function paymentMethods(ns: Namespace, input: string[] | null | undefined, currency: string): string[] {
  const available = accountMethods(ns, currency);
  if (input === undefined || input === null) return [...available];
  if (input.length === 0) throw errors.invalid('paymentMethodTypes', 'paymentMethodTypes needs at least one method.');
  for (const m of input) {
    if (!available.includes(m)) throw errors.invalid('paymentMethodTypes', `The payment method ${m} is not enabled for ${currency} on this account (enabled: ${available.join(', ')}).`);
  }
  return [...new Set(input)];
}

/** Rules that depend on several fields; run on the merged state after create or update. */
function checkCombination(ns: Namespace, s: SessionRecord, input: SessionInput): void {
  if (input.paymentMethodTypes && input.paymentMethodConfigurationId) {
    throw errors.exclusive('paymentMethodConfigurationId', 'Pass either paymentMethodTypes or paymentMethodConfigurationId, not both.');
  }
  if (s.uiMode !== 'hosted' && s.cancelUrl !== null) throw errors.invalid('cancelUrl', `cancelUrl is only for uiMode hosted, not ${s.uiMode}.`);
  if (s.cancelUrl !== null) checkRedirectUrl(s.cancelUrl, 'cancelUrl');
  if (s.uiMode === 'custom') {
    if (input.submitType !== undefined && input.submitType !== null) throw errors.invalid('submitType', 'submitType is not available with uiMode custom.');
    for (const flag of COLLECTION_FLAGS) {
      if (s[flag]) throw errors.invalid(flag, `${flag} is not available with uiMode custom: collect customer data in your own UI.`);
    }
  }
  if (s.customerId !== null && s.customerDetails !== null) throw errors.exclusive('customerId', 'Pass either customerId or customerDetails, not both.');
  if (s.customerId !== null && s.customerCreation === 'always') throw errors.exclusive('customerCreation', 'customerCreation always creates a new customer; it cannot be combined with customerId.');
  if (s.customerId !== null) {
    const customer = ns.db.customers.get(s.customerId);
    if (!customer) throw errors.notFound('customer', s.customerId, 'customerId');
    if (customer.type === 'guest') throw errors.invalid('customerId', `Customer ${s.customerId} is a guest record and cannot be referenced.`);
  }
  if (s.allowPromotionCodes && (input.discounts?.length ?? 0) > 0) throw errors.exclusive('discounts', 'Pass either allowPromotionCodes or discounts, not both.');
}

/** XPay's contract: customerUpdate applies only with customerId and is ignored (not refused) otherwise. */
function ignoreLoneCustomerUpdate(s: SessionRecord): void {
  if (s.customerId === null) s.customerUpdate = null;
}

export function buildSession(ns: Namespace, input: SessionInput): SessionRecord {
  const uiMode = input.uiMode ?? 'hosted';
  const mode = input.mode ?? 'payment';
  if (mode !== 'payment') throw errors.invalid('mode', `mode ${mode} is not supported; checkout sessions take one-time payments.`);
  const currency = input.currency ?? 'EGP';
  const minutes = input.expiresAfterMinutes ?? DEFAULT_EXPIRY_MINUTES;
  if (!Number.isInteger(minutes)) throw errors.invalid('expiresAfterMinutes', 'expiresAfterMinutes must be a whole number of minutes.');
  if (minutes > MAX_EXPIRY_MINUTES) throw errors.outOfRange('expiresAfterMinutes', `expiresAfterMinutes must be between 30 and ${MAX_EXPIRY_MINUTES}.`);
  const now = ns.nowIso();
  const id = ns.ids.next('cs', true);
  const draft: SessionRecord = {
    id, object: 'checkout.session', createdAt: now, updatedAt: now, mode, uiMode,
    submitType: canonicalSubmitType(input.submitType), customerCreation: input.customerCreation ?? 'if_required',
    status: 'open', paymentStatus: 'unpaid', currency, amountSubtotal: 0, amountTotal: 0,
    totalDetails: { amountDiscount: 0, amountShipping: 0, amountTax: 0, amountPlatformFee: 0, amountCollectedVat: 0 },
    afterCompletion: resolveAfterCompletion(input.afterCompletion!, uiMode),
    cancelUrl: input.cancelUrl ?? null,
    clientSecret: `${id}_secret_${ns.random.base62(24)}`,
    expiresAt: new Date(ns.clock.now() + minutes * 60_000).toISOString(),
    customerId: input.customerId ?? null,
    customerDetails: input.customerDetails ? { ...input.customerDetails } : null,
    lineItems: [],
    customFields: buildCustomFields(input.customFields),
    allowPromotionCodes: input.allowPromotionCodes ?? false,
    nameCollection: input.nameCollection ?? false,
    billingAddressCollection: input.billingAddressCollection ?? false,
    shippingAddressCollection: input.shippingAddressCollection ?? false,
    phoneNumberCollection: input.phoneNumberCollection ?? false,
    feeConfig: resolveFeeConfig(input.feeConfig),
    brandingSettings: mergeBranding(structuredClone(DEFAULT_BRANDING) as unknown as Record<string, unknown>, input.brandingSettings),
    locale: input.locale ?? 'en',
    paymentMethodTypes: paymentMethods(ns, input.paymentMethodTypes, currency),
    paymentMethodConfigurationId: input.paymentMethodConfigurationId ?? null,
    customerUpdate: input.customerUpdate ? { ...input.customerUpdate } : null,
    metadata: readSessionMetadata(input.metadata) ?? {},
    merchantId: ns.merchantId,
    paymentLinkId: null,
    _paymentIntentId: null,
    _discounts: [],
  };
  checkCombination(ns, draft, input);
  ignoreLoneCustomerUpdate(draft);
  draft.lineItems = resolveLineItems(ns, input.lineItems, { currency, uiMode });
  draft._discounts = resolveDiscountInputs(ns, input.discounts ?? [], cartFacts(draft));
  const session = withTotals(ns, draft);
  markPricesUsed(ns, session.lineItems);
  return session;
}

/** Drops discounts the changed cart no longer qualifies for (a minimum, a product, a currency). */
export function keepValidDiscounts(ns: Namespace, s: SessionRecord): SessionRecord['_discounts'] {
  const cart = cartFacts(s);
  return s._discounts.filter((d) => {
    try {
      const promo = d.promotionCodeId ? promotionCodesOf(ns.db).get(d.promotionCodeId) : undefined;
      if (promo) checkPromotionCode(ns, promo, cart, 'discounts');
      else checkCoupon(ns, couponsOf(ns.db).get(d.couponId)!, cart, 'discounts');
      return true;
    } catch {
      return false;
    }
  });
}

/** Partial update of an open session: only sent fields change; `lineItems` replaces all lines. */
export function updateSession(ns: Namespace, current: SessionRecord, input: SessionInput): SessionRecord {
  const next: SessionRecord = { ...current, updatedAt: ns.nowIso() };
  if (input.afterCompletion) next.afterCompletion = resolveAfterCompletion(input.afterCompletion, next.uiMode);
  if (input.cancelUrl !== undefined) next.cancelUrl = input.cancelUrl;
  if (input.customerId !== undefined) next.customerId = input.customerId;
  if (input.customerDetails !== undefined) next.customerDetails = input.customerDetails ? { ...input.customerDetails } : null;
  if (input.customerUpdate !== undefined) next.customerUpdate = input.customerUpdate ? { ...input.customerUpdate } : null;
  if (input.customerCreation !== undefined && input.customerCreation !== null) next.customerCreation = input.customerCreation;
  if (input.allowPromotionCodes !== undefined && input.allowPromotionCodes !== null) next.allowPromotionCodes = input.allowPromotionCodes;
  for (const flag of COLLECTION_FLAGS) if (input[flag] !== undefined && input[flag] !== null) next[flag] = input[flag]!;
  if (input.customFields !== undefined) next.customFields = buildCustomFields(input.customFields);
  if (input.metadata !== undefined) next.metadata = updateSessionMetadata(next.metadata, readSessionMetadata(input.metadata) ?? null);
  if (input.feeConfig !== undefined) next.feeConfig = resolveFeeConfig(input.feeConfig);
  if (input.brandingSettings !== undefined) next.brandingSettings = mergeBranding(next.brandingSettings, input.brandingSettings);
  if (input.locale !== undefined && input.locale !== null) next.locale = input.locale;
  if (input.paymentMethodTypes !== undefined) next.paymentMethodTypes = paymentMethods(ns, input.paymentMethodTypes, next.currency);
  if (input.paymentMethodConfigurationId !== undefined) next.paymentMethodConfigurationId = input.paymentMethodConfigurationId;
  checkCombination(ns, next, input);
  ignoreLoneCustomerUpdate(next);
  // XPay's contract lets lineItems be null on update: like leaving it out, it keeps the lines.
  if (input.lineItems !== undefined && input.lineItems !== null) {
    next.lineItems = resolveLineItems(ns, input.lineItems, { currency: next.currency, uiMode: next.uiMode });
    next._discounts = keepValidDiscounts(ns, next);
  }
  if (input.discounts !== undefined) {
    if (next.allowPromotionCodes && (input.discounts?.length ?? 0) > 0) throw errors.exclusive('discounts', 'Pass either allowPromotionCodes or discounts, not both.');
    next._discounts = resolveDiscountInputs(ns, input.discounts ?? [], cartFacts(next));
  }
  const session = withTotals(ns, next);
  markPricesUsed(ns, session.lineItems);
  return session;
}
