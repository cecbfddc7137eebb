// /prices: created for an existing product; unused prices can change freely or be deleted.
import { errors } from '../core/errors.js';
import { nsOf, type Handler } from '../http/types.js';
import type { Namespace } from '../store/namespace.js';
import type { PriceRecord } from '../store/types.js';
import { applyPriceUpdate, buildPrice, renderPrice, type PriceInput } from './price-rules.js';
import { findProduct, renderProduct } from './products.js';

export function findPrice(ns: Namespace, id: string, param = 'id'): PriceRecord {
  const price = ns.db.prices.get(id);
  if (!price) throw errors.notFound('price', id, param);
  return price;
}

export const createPrice: Handler = (ctx) => {
  const ns = nsOf(ctx);
  const product = findProduct(ns, String(ctx.query.productId), 'productId');
  const price = buildPrice(ns, product.id, ctx.body as PriceInput);
  ns.db.prices.set(price.id, price);
  ns.db.products.set(product.id, { ...product, _priceIds: [...product._priceIds, price.id], updatedAt: ns.nowIso() });
  return { status: 201, body: renderPrice(price) };
};

export const updatePrice: Handler = (ctx) => {
  const ns = nsOf(ctx);
  const price = findPrice(ns, ctx.params.id!);
  const next = applyPriceUpdate(price, ctx.body as PriceInput, ns.nowIso());
  ns.db.prices.set(next.id, next);
  return { status: 200, body: renderPrice(next) };
};

export const deletePrice: Handler = (ctx) => {
  const ns = nsOf(ctx);
  const price = findPrice(ns, ctx.params.id!);
  if (price._used) {
    throw errors.invalidState(`Price ${price.id} was used by a line item and cannot be deleted; set active=false instead.`, undefined, 400);
  }
  ns.db.prices.delete(price.id);
  const product = ns.db.products.get(price.productId);
  if (product) {
    const next = {
      ...product,
      _priceIds: product._priceIds.filter((id) => id !== price.id),
      defaultPriceId: product.defaultPriceId === price.id ? null : product.defaultPriceId,
      updatedAt: ns.nowIso(),
    };
    ns.db.products.set(next.id, next);
    ctx.sim.emit(ns, 'product.updated', renderProduct(ns, next));
  }
  return { status: 204 };
};
