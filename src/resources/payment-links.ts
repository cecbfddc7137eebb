// /payment-links: reusable links whose amount comes from their line items (one currency).
// Lists filter on stored fields (search text, amount, creation time) and render one page only.
import { pagePaths } from '../control/page-urls.js';
import { errors } from '../core/errors.js';
import { mergeMetadata, readMetadata } from '../core/metadata.js';
import { readBoolean, readPage, searchTerms } from '../core/pagination.js';
import { nsOf, type Handler, type RequestContext } from '../http/types.js';
import type { Namespace } from '../store/namespace.js';
import { buildCustomFields, renderCustomField, type CustomFieldInput, type CustomFieldRecord } from '../checkout/custom-fields.js';
import { markPricesUsed, renderLineItem, resolveLineItems, type StoredLineItem } from '../checkout/line-items.js';
import { checkTimeZone, parseAmountFilter, parseDateFilter } from '../checkout/link-filters.js';
import { queryLinks, storeLink } from '../checkout/link-index.js';
import { canonicalSubmitType, DEFAULT_BRANDING, mergeBranding, resolveAfterCompletion, resolveFeeConfig } from '../checkout/session-input.js';
import type { AfterCompletionRecord } from '../checkout/session-record.js';
import { checkMergedMetadata } from '../http/input-caps.js';

export interface PaymentLinkRecord {
  id: string;
  object: 'payment_link';
  merchantId: string;
  active: boolean;
  expiresAt: string | null;
  currency: string;
  computedAmount: number;
  nameCollection: boolean;
  billingAddressCollection: boolean;
  shippingAddressCollection: boolean;
  phoneNumberCollection: boolean;
  allowPromotionCodes: boolean;
  submitType: 'PAY' | 'SUBSCRIBE' | 'BOOK' | 'DONATE';
  customerCreation: 'always' | 'if_required';
  afterCompletion: AfterCompletionRecord;
  lineItems: StoredLineItem[];
  customFields: CustomFieldRecord[];
  feeConfig: { feesPassThrough: boolean; vatCollectionEnabled: boolean; vatCollectionRate: number | null } | null;
  metadata: Record<string, unknown>;
  brandingSettings: Record<string, unknown> | null;
  paymentMethodConfigurationId: string | null;
  createdAt: string;
  updatedAt: string;
  /** Lower-cased product names, descriptions and unit labels, for `search`. */
  _search: string;
  _createdMs: number;
}

interface LinkInput {
  lineItems?: Array<{ priceId: string; quantity: number; adjustableQuantity?: { enabled: boolean; minimum?: number | null; maximum?: number | null } }>;
  nameCollection?: boolean | null;
  billingAddressCollection?: boolean | null;
  shippingAddressCollection?: boolean | null;
  phoneNumberCollection?: boolean | null;
  allowPromotionCodes?: boolean | null;
  submitType?: PaymentLinkRecord['submitType'] | null;
  customerCreation?: PaymentLinkRecord['customerCreation'];
  afterCompletion?: AfterCompletionRecord;
  customFields?: CustomFieldInput[] | null;
  expiresAt?: string | null;
  active?: boolean;
  metadata?: unknown;
  feeConfig?: { feesPassThrough: boolean; vatCollectionEnabled: boolean; vatCollectionRate?: number | null } | null;
  brandingSettings?: Record<string, unknown> | null;
  paymentMethodConfigurationId?: string | null;
}

const FLAGS = ['nameCollection', 'billingAddressCollection', 'shippingAddressCollection', 'phoneNumberCollection', 'allowPromotionCodes'] as const;

export function linksOf(ns: Namespace): Map<string, PaymentLinkRecord> {
  return ns.db.paymentLinks as unknown as Map<string, PaymentLinkRecord>;
}

export function findPaymentLink(ns: Namespace, id: string, param = 'id'): PaymentLinkRecord {
  const link = linksOf(ns).get(id);
  if (!link) throw errors.notFound('payment_link', id, param);
  return link;
}

/**
 * Where shoppers open a link (served by the pages capability). XPay's link object has no URL field,
 * so the simulator names its page in a response header.
 */
function pageUrlHeader(ctx: RequestContext, id: string): Record<string, string> {
  return { 'XPay-Sim-Page-Url': ctx.sim.publicUrl + pagePaths.paymentLink(ctx.sim, nsOf(ctx), id) };
}

/** Lines in one currency, taken from the first line's price; the amount is their sum. */
function lineItemsOf(ns: Namespace, input: NonNullable<LinkInput['lineItems']>): Pick<PaymentLinkRecord, 'lineItems' | 'currency' | 'computedAmount' | '_search'> {
  const first = input[0] ? ns.db.prices.get(input[0].priceId) : undefined;
  if (input[0] && !first) throw errors.notFound('price', input[0].priceId, 'lineItems[0].priceId');
  const currency = first?.currency ?? 'EGP';
  const lineItems = resolveLineItems(
    ns,
    input.map((l) => ({ price: l.priceId, quantity: l.quantity, adjustableQuantity: l.adjustableQuantity ?? null })),
    { currency, uiMode: 'hosted', priceField: 'priceId' },
  );
  const _search = lineItems.map((l) => [l.product.name, l.product.description ?? '', l.product.unitLabel ?? ''].join('\n').toLowerCase()).join('\n');
  return { lineItems, currency, computedAmount: lineItems.reduce((a, l) => a + l.amountSubtotal, 0), _search };
}

function readExpiresAt(ns: Namespace, value: string | null | undefined): string | null {
  if (value === undefined || value === null) return null;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw errors.invalid('expiresAt', 'expiresAt must be an ISO-8601 date-time.');
  if (ms <= ns.clock.now()) throw errors.invalid('expiresAt', 'expiresAt must be in the future.');
  return new Date(ms).toISOString();
}

function feeSettings(input: LinkInput['feeConfig']): PaymentLinkRecord['feeConfig'] {
  if (!input) return null;
  const { source: _source, ...rest } = resolveFeeConfig(input);
  return rest;
}

export function renderPaymentLink(link: PaymentLinkRecord): Record<string, unknown> {
  const { _search, _createdMs, expiresAt, lineItems, customFields, createdAt, updatedAt, ...shape } = link;
  return {
    ...shape,
    ...(expiresAt !== null ? { expiresAt } : {}),
    lineItems: lineItems.map(renderLineItem),
    customFields: customFields.map(renderCustomField),
    createdAt,
    updatedAt,
  };
}

function renderListItem(link: PaymentLinkRecord): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: link.id, merchantId: link.merchantId, active: link.active, currency: link.currency, computedAmount: link.computedAmount,
    submitType: link.submitType, afterCompletion: link.afterCompletion, lineItems: link.lineItems.map(renderLineItem), createdAt: link.createdAt, updatedAt: link.updatedAt,
  };
  if (link.expiresAt !== null) out.expiresAt = link.expiresAt;
  return out;
}

export const createPaymentLink: Handler = (ctx) => {
  const ns = nsOf(ctx);
  const body = ctx.body as LinkInput;
  const lines = lineItemsOf(ns, body.lineItems ?? []);
  const now = ns.nowIso();
  const link: PaymentLinkRecord = {
    id: ns.ids.next('plink'),
    object: 'payment_link',
    merchantId: ns.merchantId,
    active: true,
    expiresAt: readExpiresAt(ns, body.expiresAt),
    ...lines,
    nameCollection: body.nameCollection ?? false,
    billingAddressCollection: body.billingAddressCollection ?? false,
    shippingAddressCollection: body.shippingAddressCollection ?? false,
    phoneNumberCollection: body.phoneNumberCollection ?? false,
    allowPromotionCodes: body.allowPromotionCodes ?? false,
    submitType: canonicalSubmitType(body.submitType),
    customerCreation: body.customerCreation ?? 'if_required',
    afterCompletion: resolveAfterCompletion(body.afterCompletion!, 'hosted'),
    customFields: buildCustomFields(body.customFields),
    feeConfig: feeSettings(body.feeConfig),
    metadata: readMetadata(body.metadata) ?? {},
    brandingSettings: body.brandingSettings ? mergeBranding(structuredClone(DEFAULT_BRANDING) as unknown as Record<string, unknown>, body.brandingSettings) : null,
    paymentMethodConfigurationId: body.paymentMethodConfigurationId ?? null,
    createdAt: now,
    updatedAt: now,
    _createdMs: ns.clock.now(),
  };
  markPricesUsed(ns, link.lineItems);
  storeLink(ns, link);
  return { status: 201, body: renderPaymentLink(link), headers: pageUrlHeader(ctx, link.id) };
};

export const getPaymentLink: Handler = (ctx) => {
  const ns = nsOf(ctx);
  const link = findPaymentLink(ns, ctx.params.id!);
  return { status: 200, body: renderPaymentLink(link), headers: pageUrlHeader(ctx, link.id) };
};

/** Partial update: `lineItems`, `customFields` and `afterCompletion` replace; `expiresAt: null` removes expiry. */
export const updatePaymentLink: Handler = (ctx) => {
  const ns = nsOf(ctx);
  const link = findPaymentLink(ns, ctx.params.id!);
  const body = ctx.body as LinkInput;
  const next: PaymentLinkRecord = { ...link, updatedAt: ns.nowIso() };
  if (body.lineItems !== undefined) Object.assign(next, lineItemsOf(ns, body.lineItems));
  for (const flag of FLAGS) if (body[flag] !== undefined && body[flag] !== null) next[flag] = body[flag]!;
  if (body.submitType !== undefined && body.submitType !== null) next.submitType = canonicalSubmitType(body.submitType);
  if (body.customerCreation !== undefined) next.customerCreation = body.customerCreation;
  if (body.afterCompletion !== undefined) next.afterCompletion = resolveAfterCompletion(body.afterCompletion, 'hosted');
  if (body.customFields !== undefined) next.customFields = buildCustomFields(body.customFields);
  if (body.expiresAt !== undefined) next.expiresAt = readExpiresAt(ns, body.expiresAt);
  if (body.active !== undefined) next.active = body.active;
  if (body.metadata !== undefined) next.metadata = mergeMetadata(next.metadata, readMetadata(body.metadata) ?? null) ?? {};
  if (body.metadata !== undefined) checkMergedMetadata(next.metadata, ctx.sim.config.limits.metadataKeys);
  if (body.feeConfig !== undefined) next.feeConfig = feeSettings(body.feeConfig);
  if (body.brandingSettings !== undefined) {
    next.brandingSettings = body.brandingSettings ? mergeBranding(next.brandingSettings ?? (structuredClone(DEFAULT_BRANDING) as unknown as Record<string, unknown>), body.brandingSettings) : null;
  }
  if (body.paymentMethodConfigurationId !== undefined) next.paymentMethodConfigurationId = body.paymentMethodConfigurationId;
  markPricesUsed(ns, next.lineItems);
  storeLink(ns, next);
  return { status: 200, body: renderPaymentLink(next), headers: pageUrlHeader(ctx, next.id) };
};

/** Newest first; filters scan the column index (src/checkout/link-index.ts); only one page is rendered. */
export const listPaymentLinks: Handler = (ctx) => {
  const ns = nsOf(ctx);
  const page = readPage(ctx.query);
  const active = readBoolean(ctx.query.active, 'active');
  const terms = searchTerms(ctx.query.search);
  const amount = parseAmountFilter(ctx.query.amount);
  const date = parseDateFilter(ctx.query.date, checkTimeZone(ctx.query.timezone), ns.clock.now());
  const { ids, totalCount } = queryLinks(ns, { active, amount, created: date, terms, offset: (page.page - 1) * page.limit, limit: page.limit });
  const data = ids.map((id) => linksOf(ns).get(id)).filter((l): l is PaymentLinkRecord => l !== undefined);
  return { status: 200, body: { data: data.map(renderListItem), totalCount } };
};
