// /products: the catalog. A product owns its prices; deleting it deletes them in one step.
import { errors } from '../core/errors.js';
import { mergeMetadata, readMetadata } from '../core/metadata.js';
import { matchesAnyTerm, paginate, readBoolean, readPage, searchTerms } from '../core/pagination.js';
import { nsOf, type Handler } from '../http/types.js';
import type { Namespace } from '../store/namespace.js';
import type { PriceRecord, ProductRecord } from '../store/types.js';
import { buildPrice, renderPrice, renderPriceListItem, type PriceInput } from './price-rules.js';
import { checkImageUrl } from './uploads.js';
import { productUsage } from './product-usage.js';
import { checkMergedMetadata } from '../http/input-caps.js';

export function findProduct(ns: Namespace, id: string, param = 'id'): ProductRecord {
  const product = ns.db.products.get(id);
  if (!product) throw errors.notFound('product', id, param);
  return product;
}

export function pricesOf(ns: Namespace, product: ProductRecord): PriceRecord[] {
  return product._priceIds.map((id) => ns.db.prices.get(id)).filter((p): p is PriceRecord => p !== undefined);
}

/** Fields in one fixed order, whether the record came from a fixture, a create or an update. */
export function renderProduct(ns: Namespace, p: ProductRecord): Record<string, unknown> {
  return {
    id: p.id,
    object: p.object,
    name: p.name,
    description: p.description,
    image: p.image,
    unitLabel: p.unitLabel,
    active: p.active,
    isSystemCreated: p.isSystemCreated,
    metadata: p.metadata,
    defaultPriceId: p.defaultPriceId,
    merchantId: p.merchantId,
    prices: pricesOf(ns, p).map(renderPrice),
    createdAt: p.createdAt,
    updatedAt: p.updatedAt,
  };
}

export function renderProductListItem(ns: Namespace, p: ProductRecord): Record<string, unknown> {
  return {
    id: p.id,
    name: p.name,
    description: p.description,
    image: p.image,
    unitLabel: p.unitLabel,
    active: p.active,
    isSystemCreated: p.isSystemCreated,
    metadata: p.metadata,
    prices: pricesOf(ns, p).map(renderPriceListItem),
    createdAt: p.createdAt,
    updatedAt: p.updatedAt,
  };
}

interface ProductInput {
  name?: string;
  description?: string | null;
  image?: string | null;
  unitLabel?: string | null;
  active?: boolean | 'true' | 'false';
  metadata?: unknown;
  defaultPrice?: PriceInput | string | null;
}

export const createProduct: Handler = (ctx) => {
  const ns = nsOf(ctx);
  const body = ctx.body as ProductInput;
  if (!body.name || body.name.trim() === '') throw errors.missing('name');
  const image = checkImageUrl(ctx.sim, ns, body.image);
  const metadata = readMetadata(body.metadata) ?? null;
  const now = ns.nowIso();
  const product: ProductRecord = {
    id: ns.ids.next('prod'),
    object: 'product',
    name: body.name,
    description: body.description ?? null,
    image,
    unitLabel: body.unitLabel ?? null,
    active: readBoolean(body.active, 'active') ?? true,
    isSystemCreated: false,
    metadata,
    defaultPriceId: null,
    merchantId: ns.merchantId,
    _priceIds: [],
    createdAt: now,
    updatedAt: now,
  };
  // Build the default price before storing anything, so a bad price leaves no product behind.
  const price = body.defaultPrice && typeof body.defaultPrice === 'object' ? buildPrice(ns, product.id, body.defaultPrice, 'defaultPrice') : undefined;
  if (price) {
    ns.db.prices.set(price.id, price);
    product._priceIds.push(price.id);
    product.defaultPriceId = price.id;
  }
  ns.db.products.set(product.id, product);
  ctx.sim.emit(ns, 'product.created', renderProduct(ns, product));
  return { status: 201, body: renderProductListItem(ns, product) };
};

export const getProduct: Handler = (ctx) => {
  const ns = nsOf(ctx);
  return { status: 200, body: renderProduct(ns, findProduct(ns, ctx.params.id!)) };
};

export const updateProduct: Handler = (ctx) => {
  const ns = nsOf(ctx);
  const product = findProduct(ns, ctx.params.id!);
  const body = ctx.body as ProductInput;
  const next: ProductRecord = { ...product, _priceIds: [...product._priceIds] };
  if (body.name !== undefined) {
    if (body.name.trim() === '') throw errors.invalid('name', 'name cannot be empty.');
    next.name = body.name;
  }
  if (body.description !== undefined) next.description = body.description;
  if (body.unitLabel !== undefined) next.unitLabel = body.unitLabel;
  if (body.image !== undefined) next.image = checkImageUrl(ctx.sim, ns, body.image);
  if (body.active !== undefined) next.active = readBoolean(body.active, 'active')!;
  if (body.metadata !== undefined) next.metadata = mergeMetadata(product.metadata, readMetadata(body.metadata) ?? null);
  if (body.metadata !== undefined) checkMergedMetadata(next.metadata, ctx.sim.config.limits.metadataKeys);
  if (body.defaultPrice !== undefined) {
    if (body.defaultPrice === null || body.defaultPrice === '') next.defaultPriceId = null;
    else {
      const priceId = String(body.defaultPrice);
      const price = ns.db.prices.get(priceId);
      if (!price) throw errors.notFound('price', priceId, 'defaultPrice');
      if (price.productId !== product.id) throw errors.invalid('defaultPrice', `Price ${priceId} belongs to another product.`);
      next.defaultPriceId = priceId;
    }
  }
  next.updatedAt = ns.nowIso();
  ns.db.products.set(next.id, next);
  const shown = renderProduct(ns, next);
  ctx.sim.emit(ns, 'product.updated', shown);
  return { status: 200, body: shown };
};

export const deleteProduct: Handler = (ctx) => {
  const ns = nsOf(ctx);
  const product = findProduct(ns, ctx.params.id!);
  const prices = pricesOf(ns, product);
  const used = prices.find((p) => p._used);
  if (used) {
    throw errors.invalidState(`Product ${product.id} cannot be deleted: its price ${used.id} was used by a line item. Archive it with active=false instead.`, undefined, 400);
  }
  const shown = renderProduct(ns, product);
  for (const p of prices) ns.db.prices.delete(p.id);
  ns.db.products.delete(product.id);
  ctx.sim.emit(ns, 'product.deleted', shown);
  return { status: 204 };
};

function readMetadataFilter(value: unknown): Record<string, unknown> | undefined {
  if (value === undefined || value === '') return undefined;
  return readMetadata(value) ?? undefined;
}

export const listProducts: Handler = (ctx) => {
  const ns = nsOf(ctx);
  const page = readPage(ctx.query);
  const active = readBoolean(ctx.query.active, 'active');
  const metadata = readMetadataFilter(ctx.query.metadata);
  const terms = searchTerms(ctx.query.search);
  const matches: ProductRecord[] = [];
  for (const p of ns.db.products.values()) {
    if (active !== undefined && p.active !== active) continue;
    if (metadata && !Object.entries(metadata).every(([k, v]) => p.metadata != null && Object.hasOwn(p.metadata, k) && String(p.metadata[k]) === String(v))) continue;
    if (!matchesAnyTerm(terms, [p.name, p.description, p.unitLabel])) continue;
    matches.push(p);
  }
  matches.reverse();
  const result = paginate(matches, page);
  return { status: 200, body: { ...result, data: result.data.map((p) => renderProductListItem(ns, p)) } };
};

export const getProductStats: Handler = (ctx) => {
  const ns = nsOf(ctx);
  const product = findProduct(ns, ctx.params.id!);
  return { status: 200, body: { productId: product.id, prices: pricesOf(ns, product).map((p) => ({ priceId: p.id, ...productUsage(ns, p.id) })) } };
};
