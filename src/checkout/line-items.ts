// Line items of sessions and payment links: resolving `price` / `priceData` input against the
// catalog with XPay's price_* and line_item_* codes, snapshots of price and product, rendering.
import { errors } from '../core/errors.js';
import { MAX_AMOUNT } from '../core/pricing.js';
import type { Namespace } from '../store/namespace.js';
import type { PriceRecord } from '../store/types.js';

export interface AdjustableQuantity {
  enabled: boolean;
  minimum: number | null;
  maximum: number | null;
}

export interface LineItemInput {
  price?: string | null;
  priceData?: {
    currency: string;
    unitAmount: number;
    productData: { name: string; description?: string | null; image?: string | null; unitLabel?: string | null; metadata?: unknown };
    recurring?: unknown;
    metadata?: unknown;
  } | null;
  quantity: number;
  adjustableQuantity?: { enabled: boolean; minimum?: number | null; maximum?: number | null } | null;
}

/** A stored line item: a frozen copy of its price and product plus computed amounts. */
export interface StoredLineItem {
  id: string;
  quantity: number;
  adjustableQuantity: AdjustableQuantity | null;
  currency: string;
  description: string;
  /** XPay's Price shape without `product` (kept beside it). */
  price: Record<string, unknown> & { id: string; unitAmount?: number; type: string };
  product: { id: string; name: string; description: string | null; image: string | null; unitLabel: string | null; active: boolean };
  amountSubtotal: number;
  amountDiscount: number;
  amountTotal: number;
  /** The unit amount the totals use (a CUSTOM price's preset). */
  _unitAmount: number;
  /** A catalog price (marked used once stored), as opposed to ad-hoc priceData. */
  _catalog: boolean;
}

/** Default upper bound of an adjustable quantity when none is given. @assumption (Stripe's 99) */
export const DEFAULT_MAX_QUANTITY = 99;

export interface ResolveOptions {
  currency: string;
  uiMode: 'hosted' | 'embedded' | 'custom';
  param?: string;
  /** Name of the price reference field in input errors (`price` for sessions, `priceId` for links). */
  priceField?: string;
}

function adjustable(input: LineItemInput['adjustableQuantity'], at: (n: string) => string): AdjustableQuantity | null {
  if (!input) return null;
  if (!input.enabled) return { enabled: false, minimum: null, maximum: null };
  const minimum = input.minimum ?? 1;
  const maximum = input.maximum ?? DEFAULT_MAX_QUANTITY;
  if (minimum > maximum) throw errors.invalid(at('adjustableQuantity.minimum'), 'adjustableQuantity.minimum must not exceed maximum.');
  return { enabled: true, minimum, maximum };
}

export function checkQuantityBounds(quantity: number, aq: AdjustableQuantity | null, param: string): void {
  const min = aq?.enabled ? aq.minimum! : 1;
  const max = aq?.enabled ? aq.maximum! : Number.MAX_SAFE_INTEGER;
  if (quantity < min || quantity > max) {
    throw errors.code(400, 'line_item_quantity_out_of_bounds', `Quantity ${quantity} is outside the allowed range ${min}–${aq?.enabled ? max : '∞'}.`, param);
  }
}

export function checkCatalogPrice(ns: Namespace, price: PriceRecord, quantity: number, param: string): void {
  const product = ns.db.products.get(price.productId);
  const now = ns.clock.now();
  if (!price.active) throw errors.code(400, 'price_inactive', `Price ${price.id} is not active.`, param);
  if (!product || !product.active) throw errors.code(400, 'product_archived', `The product of price ${price.id} is archived.`, param);
  if (price.startDate !== null && Date.parse(price.startDate) > now) throw errors.code(400, 'price_not_yet_active', `Price ${price.id} is not on sale until ${price.startDate}.`, param);
  if (price.expirationDate !== null && Date.parse(price.expirationDate) <= now) throw errors.code(400, 'price_expired', `Price ${price.id} expired at ${price.expirationDate}.`, param);
  if (price.type === 'RECURRING') throw errors.code(400, 'price_recurring_not_supported', `Price ${price.id} is recurring; checkout takes one-time prices only.`, param);
  if (price.stock !== null && price.stock < quantity) throw errors.code(400, 'price_sold_out', `Price ${price.id} has only ${price.stock} left.`, param);
}

function fromCatalog(ns: Namespace, price: PriceRecord): Pick<StoredLineItem, 'price' | 'product' | '_unitAmount'> {
  const p = ns.db.products.get(price.productId)!;
  const unit = price.type === 'CUSTOM' ? (price.customUnitAmount?.preset ?? price.customUnitAmount?.minimum ?? 0) : (price.unitAmount ?? 0);
  const shape: StoredLineItem['price'] = {
    id: price.id, currency: price.currency, type: price.type, createdAt: price.createdAt, active: price.active,
    stock: price.stock, startDate: price.startDate, expirationDate: price.expirationDate,
  };
  if (price.unitAmount !== null) shape.unitAmount = price.unitAmount;
  if (price.customUnitAmount !== null) shape.customUnitAmount = { ...price.customUnitAmount };
  return {
    price: shape,
    product: { id: p.id, name: p.name, description: p.description, image: p.image, unitLabel: p.unitLabel, active: p.active },
    _unitAmount: unit,
  };
}

/** Validates every line before returning any, so a bad line leaves nothing behind. */
export function resolveLineItems(ns: Namespace, inputs: LineItemInput[] | null | undefined, o: ResolveOptions): StoredLineItem[] {
  const param = o.param ?? 'lineItems';
  const priceField = o.priceField ?? 'price';
  if (inputs === undefined || inputs === null) throw errors.missing(param);
  if (inputs.length === 0) throw errors.code(400, 'checkout_empty_cart', 'At least one line item is required.', param);
  let total = 0;
  const items = inputs.map((input, i) => {
    const at = (n: string) => `${param}[${i}].${n}`;
    const hasPrice = input.price !== undefined && input.price !== null;
    const hasData = input.priceData !== undefined && input.priceData !== null;
    if (hasPrice && hasData) throw errors.exclusive(at('price'), 'Pass either price or priceData in a line item, not both.');
    if (!hasPrice && !hasData) throw errors.missing(at(priceField));
    const aq = adjustable(input.adjustableQuantity, at);
    let resolved: Pick<StoredLineItem, 'price' | 'product' | '_unitAmount'>;
    let currency: string;
    if (hasPrice) {
      const price = ns.db.prices.get(input.price!);
      if (!price) throw errors.notFound('price', input.price!, at(priceField));
      checkCatalogPrice(ns, price, input.quantity, at(priceField));
      if (price.type === 'CUSTOM') {
        if (o.uiMode === 'custom') throw errors.invalid(at(priceField), `Price ${price.id} lets the customer choose the amount, which uiMode custom does not support.`);
        if (input.quantity !== 1 || aq?.enabled) {
          throw errors.code(400, 'line_item_quantity_not_supported_for_custom', 'A customer-chosen (CUSTOM) price takes quantity 1 and no adjustableQuantity.', at('quantity'));
        }
      }
      if (price.currency !== o.currency) throw errors.invalid(at(priceField), `Price ${price.id} is in ${price.currency}, but the currency is ${o.currency}.`);
      resolved = fromCatalog(ns, price);
      currency = price.currency;
    } else {
      const d = input.priceData!;
      if (d.recurring) throw errors.code(400, 'price_recurring_not_supported', 'Checkout takes one-time prices only.', at('priceData.recurring'));
      if (d.currency !== o.currency) throw errors.invalid(at('priceData.currency'), `Line currency ${d.currency} differs from the currency ${o.currency}.`);
      const now = ns.nowIso();
      resolved = {
        price: { id: ns.ids.next('price', true), unitAmount: d.unitAmount, currency: d.currency, type: 'ONE_TIME', createdAt: now, active: true, stock: null, startDate: null, expirationDate: null },
        product: { id: ns.ids.next('prod'), name: d.productData.name, description: d.productData.description ?? null, image: d.productData.image ?? null, unitLabel: d.productData.unitLabel ?? null, active: true },
        _unitAmount: d.unitAmount,
      };
      currency = d.currency;
    }
    checkQuantityBounds(input.quantity, aq, at('quantity'));
    const subtotal = resolved._unitAmount * input.quantity;
    total += subtotal;
    if (!Number.isSafeInteger(subtotal) || total > MAX_AMOUNT) throw errors.outOfRange(at('quantity'), `The total would exceed the maximum amount ${MAX_AMOUNT}.`);
    const item: StoredLineItem = {
      id: ns.ids.next('li'), quantity: input.quantity, adjustableQuantity: aq, currency, description: resolved.product.name,
      ...resolved, amountSubtotal: subtotal, amountDiscount: 0, amountTotal: subtotal, _catalog: hasPrice,
    };
    return item;
  });
  return items;
}

/** Marks catalog prices as used so products and prices refuse deletion from now on. */
export function markPricesUsed(ns: Namespace, items: StoredLineItem[]): void {
  for (const item of items) {
    const price = item._catalog ? ns.db.prices.get(item.price.id) : undefined;
    if (price && !price._used) ns.db.prices.set(price.id, { ...price, _used: true });
  }
}

export function renderLineItem(item: StoredLineItem): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: item.id,
    quantity: item.quantity,
    price: { ...item.price, product: { ...item.product } },
    amountSubtotal: item.amountSubtotal,
    amountTotal: item.amountTotal,
    amountDiscount: item.amountDiscount,
    amountTax: 0,
    currency: item.currency,
    description: item.description,
  };
  if (item.adjustableQuantity) out.adjustableQuantity = { ...item.adjustableQuantity };
  return out;
}
