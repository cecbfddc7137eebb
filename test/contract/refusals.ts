// Every refusal the simulator may give a request that XPay's contract accepts, and where the rule
// is written: XPay's contract, ../shared/xpay-api.md, or docs/assumptions.md. The generated request
// test fails on any refusal not listed here, and on any entry whose quoted text cannot be found.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { packageRoot } from '../../src/spec.js';
import { XPAY_CONTRACT_PATH } from '../helpers/contract.js';
import type { Outcome } from './request-runner.js';

type Source = 'contract' | 'xpay-api.md' | 'assumptions.md';

export interface Rule {
  /** Operations it applies to ('*' for all). */
  ops: string[] | '*';
  status: number;
  code: string;
  /** The error's param: exact, or a pattern; undefined means "any". */
  param?: string | RegExp;
  /** Where the rule is written, and a short phrase from it that locates it. */
  source: Source;
  quote: string;
}

const SESSION = ['createCheckoutSession', 'updateMerchantCheckoutSession'];
const LINK = ['createPaymentLink', 'updatePaymentLink'];
const LINES = [...SESSION, ...LINK];
const PRICE = ['createPrice', 'updatePrice', 'createProduct'];
const LINE_PARAM = (field: string) => new RegExp(`^lineItems\\[\\d+\\]\\.${field.replace(/\./g, '\\.')}$`);
const FIELD_PARAM = (field: string) => new RegExp(`^customFields\\[\\d+\\]\\.${field}$`);
const PRICE_PARAM = (field: string) => new RegExp(`^(defaultPrice\\.)?${field.replace(/\./g, '\\.')}$`);

export const RULES: Rule[] = [
  // Checkout sessions and payment links: after completion, customer, uiMode (XPay's contract).
  { ops: [...LINES], status: 400, code: 'parameter_missing', param: 'afterCompletion.redirect.url', source: 'contract', quote: "Required** when type is 'redirect'" },
  { ops: [...LINES], status: 400, code: 'parameter_invalid', param: 'afterCompletion.redirect', source: 'contract', quote: "Must not be provided when type is 'hosted_confirmation'" },
  { ops: [...LINES], status: 400, code: 'parameter_invalid', param: 'afterCompletion.hostedConfirmation', source: 'contract', quote: "Must not be provided when type is 'redirect'" },
  { ops: SESSION, status: 400, code: 'parameter_invalid', param: 'afterCompletion.type', source: 'contract', quote: 'Not available when `uiMode` is `embedded` or `custom`' },
  { ops: SESSION, status: 400, code: 'parameters_exclusive', param: 'customerId', source: 'contract', quote: 'Cannot be used together with customerDetails' },
  { ops: SESSION, status: 400, code: 'parameter_invalid', param: 'paymentMethodTypes', source: 'contract', quote: 'Every type must already be enabled on your account, or the request is rejected' },
  { ops: SESSION, status: 400, code: 'parameter_invalid', param: 'paymentMethodTypes', source: 'assumptions.md', quote: '`paymentMethodTypes: []` → `parameter_invalid`' },
  { ops: SESSION, status: 400, code: 'parameters_exclusive', param: 'paymentMethodConfigurationId', source: 'contract', quote: 'Mutually exclusive with paymentMethodConfigurationId' },
  { ops: SESSION, status: 400, code: 'parameter_invalid', param: 'mode', source: 'assumptions.md', quote: '`mode` other than `payment` → `parameter_invalid`' },
  { ops: SESSION, status: 400, code: 'parameter_invalid', param: 'expiresAfterMinutes', source: 'assumptions.md', quote: '`expiresAfterMinutes` is a whole number from 30 to 43200' },
  { ops: SESSION, status: 400, code: 'parameter_out_of_range', param: 'expiresAfterMinutes', source: 'assumptions.md', quote: '`expiresAfterMinutes` is a whole number from 30 to 43200' },
  { ops: [...LINES], status: 400, code: 'parameter_out_of_range', param: 'feeConfig.vatCollectionRate', source: 'assumptions.md', quote: '`vatCollectionRate` is a whole number of basis points from 0 to 10000' },
  { ops: SESSION, status: 400, code: 'parameter_invalid', param: /^(cancelUrl|afterCompletion\.redirect\.url|afterCompletion\.hostedConfirmation\.returnUrl)$/, source: 'assumptions.md', quote: '`cancelUrl` and `hostedConfirmation.returnUrl` follow the same rule' },
  { ops: SESSION, status: 400, code: 'parameter_invalid', param: 'cancelUrl', source: 'contract', quote: 'This parameter is not allowed if uiMode is embedded or custom' },
  { ops: SESSION, status: 400, code: 'parameter_invalid', param: /^(submitType|nameCollection|billingAddressCollection|shippingAddressCollection|phoneNumberCollection)$/, source: 'contract', quote: "You can't set this parameter if uiMode is custom" },
  { ops: SESSION, status: 400, code: 'parameter_invalid', param: 'customerId', source: 'assumptions.md', quote: '`customerId` must name a registered customer' },
  { ops: SESSION, status: 400, code: 'parameters_exclusive', param: 'customerCreation', source: 'assumptions.md', quote: 'cannot be combined with `customerCreation: "always"`' },
  { ops: SESSION, status: 409, code: 'resource_invalid_state', param: undefined, source: 'contract', quote: 'Only sessions in the `open` state can be updated' },
  { ops: ['expireCheckoutSession'], status: 409, code: 'resource_invalid_state', param: undefined, source: 'contract', quote: 'Only sessions in the `open` state can be expired' },
  // Discounts.
  { ops: SESSION, status: 400, code: 'parameters_exclusive', param: /^discounts\[\d+\]\.coupon$/, source: 'assumptions.md', quote: 'A discount names exactly one of `coupon` and `promotionCode`' },
  { ops: SESSION, status: 400, code: 'parameter_missing', param: /^discounts\[\d+\]\.coupon$/, source: 'assumptions.md', quote: 'A discount names exactly one of `coupon` and `promotionCode`' },
  { ops: SESSION, status: 400, code: 'too_many_discounts', param: 'discounts', source: 'contract', quote: 'Max 1 discount per session' },
  { ops: SESSION, status: 400, code: 'parameters_exclusive', param: 'discounts', source: 'assumptions.md', quote: '`discounts` with `allowPromotionCodes: true` → `parameters_exclusive`' },
  { ops: SESSION, status: 400, code: 'promotion_code_minimum_amount', param: /^discounts\[\d+\]\.(promotionCode|coupon)$/, source: 'assumptions.md', quote: 'Promotion-code errors** (`promotion_code_not_found` included) are 400' },
  { ops: SESSION, status: 400, code: 'coupon_minimum_amount', param: /^discounts\[\d+\]\.(promotionCode|coupon)$/, source: 'assumptions.md', quote: 'Promotion-code errors** (`promotion_code_not_found` included) are 400' },
  { ops: SESSION, status: 400, code: 'coupon_invalid', param: /^discounts\[\d+\]\.(promotionCode|coupon)$/, source: 'assumptions.md', quote: 'Promotion-code errors** (`promotion_code_not_found` included) are 400' },
  { ops: SESSION, status: 400, code: 'coupon_currency_mismatch', param: /^discounts\[\d+\]\.(promotionCode|coupon)$/, source: 'assumptions.md', quote: 'Promotion-code errors** (`promotion_code_not_found` included) are 400' },
  { ops: SESSION, status: 400, code: 'promotion_code_inactive', param: /^discounts\[\d+\]\.promotionCode$/, source: 'assumptions.md', quote: 'Promotion-code errors** (`promotion_code_not_found` included) are 400' },
  { ops: SESSION, status: 400, code: 'promotion_code_expired', param: /^discounts\[\d+\]\.promotionCode$/, source: 'assumptions.md', quote: 'Promotion-code errors** (`promotion_code_not_found` included) are 400' },
  { ops: SESSION, status: 400, code: 'promotion_code_max_redemptions', param: /^discounts\[\d+\]\.promotionCode$/, source: 'assumptions.md', quote: 'Promotion-code errors** (`promotion_code_not_found` included) are 400' },
  { ops: SESSION, status: 400, code: 'promotion_code_customer_mismatch', param: /^discounts\[\d+\]\.promotionCode$/, source: 'assumptions.md', quote: 'Promotion-code errors** (`promotion_code_not_found` included) are 400' },
  { ops: SESSION, status: 400, code: 'promotion_code_first_time_only', param: /^discounts\[\d+\]\.promotionCode$/, source: 'assumptions.md', quote: 'Promotion-code errors** (`promotion_code_not_found` included) are 400' },
  // Line items.
  { ops: SESSION, status: 400, code: 'parameter_missing', param: 'lineItems', source: 'xpay-api.md', quote: "Docs' error example is `parameter_missing` for `lineItems`" },
  { ops: SESSION, status: 400, code: 'checkout_empty_cart', param: 'lineItems', source: 'assumptions.md', quote: 'never empty (`checkout_empty_cart`, create and update)' },
  { ops: SESSION, status: 400, code: 'parameter_missing', param: LINE_PARAM('price'), source: 'contract', quote: 'Existing price ID (mutually exclusive with priceData)' },
  { ops: SESSION, status: 400, code: 'parameters_exclusive', param: LINE_PARAM('price'), source: 'contract', quote: 'Existing price ID (mutually exclusive with priceData)' },
  { ops: SESSION, status: 400, code: 'parameter_invalid', param: LINE_PARAM('priceData.currency'), source: 'xpay-api.md', quote: "Must match the session's customer-facing currency" },
  { ops: [...LINES], status: 400, code: 'parameter_invalid', param: /^lineItems\[\d+\]\.(price|priceId)$/, source: 'assumptions.md', quote: 'a catalog price in another currency than the session (a link\'s currency is its first line\'s)' },
  { ops: [...LINES], status: 400, code: 'price_recurring_not_supported', param: /^lineItems\[\d+\]\.(price|priceId|priceData\.recurring)$/, source: 'xpay-api.md', quote: 'Recurring (not yet usable at checkout' },
  { ops: [...LINES], status: 400, code: 'parameter_invalid', param: LINE_PARAM('price'), source: 'xpay-api.md', quote: 'Prices of type `CUSTOM` (customer-chosen amount) are rejected under `uiMode:"custom"`' },
  { ops: [...LINES], status: 400, code: 'price_inactive', param: /^lineItems\[\d+\]\.(price|priceId)$/, source: 'assumptions.md', quote: 'an inactive price → `price_inactive`' },
  { ops: [...LINES], status: 400, code: 'product_archived', param: /^lineItems\[\d+\]\.(price|priceId)$/, source: 'assumptions.md', quote: 'an archived product → `product_archived`' },
  { ops: [...LINES], status: 400, code: 'price_not_yet_active', param: /^lineItems\[\d+\]\.(price|priceId)$/, source: 'assumptions.md', quote: '→ `price_not_yet_active`' },
  { ops: [...LINES], status: 400, code: 'price_expired', param: /^lineItems\[\d+\]\.(price|priceId)$/, source: 'assumptions.md', quote: '→ `price_expired`' },
  { ops: [...LINES], status: 400, code: 'price_sold_out', param: /^lineItems\[\d+\]\.(price|priceId)$/, source: 'assumptions.md', quote: "more than a price's `stock` → `price_sold_out`" },
  { ops: [...LINES], status: 400, code: 'line_item_quantity_out_of_bounds', param: LINE_PARAM('quantity'), source: 'contract', quote: 'May be 0 only when adjustableQuantity is enabled with minimum 0' },
  { ops: [...LINES], status: 400, code: 'line_item_quantity_out_of_bounds', param: LINE_PARAM('quantity'), source: 'assumptions.md', quote: 'a quantity outside `adjustableQuantity` → `line_item_quantity_out_of_bounds`' },
  { ops: [...LINES], status: 400, code: 'line_item_quantity_not_supported_for_custom', param: LINE_PARAM('quantity'), source: 'assumptions.md', quote: 'takes quantity 1 only (`line_item_quantity_not_supported_for_custom`)' },
  { ops: [...LINES], status: 400, code: 'parameter_invalid', param: LINE_PARAM('adjustableQuantity.minimum'), source: 'assumptions.md', quote: '`adjustableQuantity.minimum` above `maximum` → `parameter_invalid`' },
  { ops: [...LINES], status: 400, code: 'parameter_out_of_range', param: LINE_PARAM('quantity'), source: 'assumptions.md', quote: 'would pass 99,999,999,999 minor units → `parameter_out_of_range`' },
  // Custom fields.
  { ops: [...LINES], status: 400, code: 'parameter_invalid', param: FIELD_PARAM('dropdownOptions'), source: 'assumptions.md', quote: '`dropdownOptions` only, and always, on `DROPDOWN` fields' },
  { ops: [...LINES], status: 400, code: 'parameter_missing', param: FIELD_PARAM('dropdownOptions'), source: 'assumptions.md', quote: '`dropdownOptions` only, and always, on `DROPDOWN` fields' },
  { ops: [...LINES], status: 400, code: 'parameter_invalid', param: FIELD_PARAM('hasLimits'), source: 'assumptions.md', quote: 'character limits only on `TEXT`/`NUMBER` fields' },
  { ops: [...LINES], status: 400, code: 'parameter_requires_another', param: FIELD_PARAM('limitType'), source: 'assumptions.md', quote: 'with `hasLimits: true` (`parameter_requires_another`)' },
  { ops: [...LINES], status: 400, code: 'parameter_missing', param: FIELD_PARAM('(limitType|minCharacters|maxCharacters)'), source: 'assumptions.md', quote: 'and a `limitType` (`parameter_missing`)' },
  { ops: [...LINES], status: 400, code: 'parameter_invalid', param: FIELD_PARAM('minCharacters'), source: 'assumptions.md', quote: '`minCharacters` not above `maxCharacters`' },
  // Payment links.
  { ops: LINK, status: 400, code: 'parameter_invalid', param: 'expiresAt', source: 'assumptions.md', quote: "a link's `expiresAt`) must be ISO-8601" },
  { ops: LINK, status: 400, code: 'parameter_invalid', param: 'expiresAt', source: 'assumptions.md', quote: '`expiresAt` must be in the future' },
  // Prices (also a product's defaultPrice).
  { ops: PRICE, status: 400, code: 'parameter_missing', param: PRICE_PARAM('unitAmount'), source: 'contract', quote: 'Required for ONE_TIME and RECURRING prices' },
  { ops: PRICE, status: 400, code: 'parameter_invalid', param: PRICE_PARAM('unitAmount'), source: 'contract', quote: 'must be omitted for CUSTOM prices' },
  { ops: PRICE, status: 400, code: 'parameter_invalid', param: PRICE_PARAM('customUnitAmount'), source: 'contract', quote: 'Only allowed when type is CUSTOM' },
  { ops: PRICE, status: 400, code: 'parameter_missing', param: PRICE_PARAM('recurring.interval'), source: 'contract', quote: 'Recurring configuration (required for RECURRING type)' },
  { ops: PRICE, status: 400, code: 'parameter_invalid', param: PRICE_PARAM('recurring'), source: 'contract', quote: 'Recurring configuration (required for RECURRING type)' },
  { ops: PRICE, status: 400, code: 'parameter_invalid', param: PRICE_PARAM('customUnitAmount.minimum'), source: 'assumptions.md', quote: '`customUnitAmount.minimum` not above `maximum`' },
  { ops: PRICE, status: 400, code: 'parameter_invalid', param: PRICE_PARAM('(startDate|expirationDate)'), source: 'assumptions.md', quote: '(`startDate`, `expirationDate`, a link\'s `expiresAt`) must be ISO-8601' },
  { ops: PRICE, status: 400, code: 'price_date_range_invalid', param: PRICE_PARAM('expirationDate'), source: 'assumptions.md', quote: '`startDate` must come before `expirationDate` (`price_date_range_invalid`)' },
  { ops: PRICE, status: 400, code: 'parameter_invalid', param: PRICE_PARAM('customUnitAmount.preset'), source: 'assumptions.md', quote: '`customUnitAmount.preset` must lie between its `minimum` and `maximum`' },
  { ops: ['updatePrice'], status: 400, code: 'price_immutable_while_used', param: /^(unitAmount|currency|customUnitAmount|recurring)$/, source: 'assumptions.md', quote: 'cannot change (`price_immutable_while_used`)' },
  { ops: ['deletePrice'], status: 400, code: 'resource_invalid_state', param: undefined, source: 'contract', quote: 'The price has been used in at least one checkout session or payment link' },
  { ops: ['deleteProduct'], status: 400, code: 'resource_invalid_state', param: undefined, source: 'contract', quote: 'The product has one or more prices that have been referenced by a line item' },
  { ops: ['updatePrice'], status: 400, code: 'parameter_invalid', param: 'type', source: 'assumptions.md', quote: "a price's `type` is fixed once created" },
  // Products.
  { ops: ['createProduct'], status: 400, code: 'parameter_missing', param: 'name', source: 'assumptions.md', quote: '`name` may not be empty (`parameter_missing` on create' },
  { ops: ['updateProduct'], status: 400, code: 'parameter_invalid', param: 'name', source: 'assumptions.md', quote: '`parameter_invalid` on update' },
  { ops: ['createProduct', 'updateProduct'], status: 400, code: 'parameter_invalid', param: 'image', source: 'assumptions.md', quote: '`image` is an absolute http(s) URL' },
  { ops: ['createProduct', 'updateProduct', 'listProducts'], status: 400, code: 'parameter_invalid', param: 'metadata', source: 'assumptions.md', quote: '`metadata` sent as a string (create, update and the `GET /products` filter) must hold a JSON object' },
  { ops: ['updateProduct'], status: 400, code: 'parameter_invalid', param: 'defaultPrice', source: 'assumptions.md', quote: "`defaultPrice` must be one of the product's own prices" },
  // Customers.
  { ops: ['createCustomer'], status: 400, code: 'parameter_invalid', param: 'email', source: 'assumptions.md', quote: 'Customer without email and phone → 400 `parameter_invalid` (param `email`)' },
  { ops: ['createCustomer'], status: 409, code: 'resource_invalid_state', param: /^(email|phone)$/, source: 'assumptions.md', quote: 'A phone or email already used by another customer → 409' },
  // Lists.
  { ops: ['listPaymentLinks'], status: 400, code: 'parameter_invalid', param: /^(active|amount|date|timezone)$/, source: 'assumptions.md', quote: 'malformed `amount`/`date`, a `timezone` that is neither an IANA name nor `Z`/`UTC`/an offset `±HH:MM` or `±HHMM` within ±14:00' },
  { ops: ['listRefunds'], status: 400, code: 'parameter_out_of_range', param: /^(limit|offset)$/, source: 'assumptions.md', quote: '`limit` 1–100 and `offset` ≥ 0' },
  // Webhook endpoints.
  { ops: ['createWebhookEndpoint', 'updateWebhookEndpoint'], status: 400, code: 'parameter_invalid', param: 'url', source: 'contract', quote: 'The URL to send webhook events to. Must be https.' },
  { ops: ['createWebhookEndpoint'], status: 400, code: 'invalid_request', param: undefined, source: 'assumptions.md', quote: 'at most 16 per namespace' },
  { ops: ['createWebhookEndpoint', 'updateWebhookEndpoint'], status: 400, code: 'parameter_invalid', param: /^enabledEvents\[\d+\]$/, source: 'assumptions.md', quote: 'Patterns outside the known families' },
  // Refunds.
  { ops: ['createRefund'], status: 400, code: 'parameter_missing', param: 'chargeId', source: 'contract', quote: 'provide EXACTLY ONE of `chargeId` or `paymentIntentId`' },
  { ops: ['createRefund'], status: 400, code: 'parameters_exclusive', param: 'chargeId', source: 'contract', quote: 'provide EXACTLY ONE of `chargeId` or `paymentIntentId`' },
  { ops: ['createRefund'], status: 400, code: 'amount_invalid', param: 'amount', source: 'xpay-api.md', quote: 'exceeds the refundable balance' },
];

export function findRule(o: Outcome): Rule | undefined {
  const error = (o.response.body as { error?: { code?: string; param?: string } })?.error;
  if (!error) return undefined;
  return RULES.find((r) =>
    (r.ops === '*' || r.ops.includes(o.operation.operationId)) &&
    r.status === o.response.status &&
    r.code === error.code &&
    (r.param === undefined || (typeof r.param === 'string' ? r.param === error.param : error.param !== undefined && r.param.test(error.param))));
}

const normalize = (text: string) => text.toLowerCase().replace(/\\n/g, ' ').replace(/[\s*`_]+/g, ' ');

function sourceText(source: Source): string | undefined {
  const path = source === 'contract' ? XPAY_CONTRACT_PATH
    : source === 'xpay-api.md' ? join(dirname(XPAY_CONTRACT_PATH), 'xpay-api.md')
    : join(packageRoot(), 'docs', 'assumptions.md');
  return existsSync(path) ? normalize(readFileSync(path, 'utf8')) : undefined;
}

/** Entries whose quote is not found in their source (a rule must be written where it says). */
export function ruleSourceProblems(): string[] {
  const texts = new Map<Source, string | undefined>();
  const problems: string[] = [];
  for (const r of RULES) {
    if (!texts.has(r.source)) texts.set(r.source, sourceText(r.source));
    const text = texts.get(r.source);
    if (text === undefined) continue; // the shared file is absent; the test skips before this matters
    if (!text.includes(normalize(r.quote))) problems.push(`${r.code} (${String(r.param)}): "${r.quote}" is not in ${r.source}`);
  }
  return problems;
}
