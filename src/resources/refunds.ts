// /refunds: create (full or partial), fetch one, list (a bare array, newest first).
import { errors } from '../core/errors.js';
import { readMetadata } from '../core/metadata.js';
import { nsOf, type Handler } from '../http/types.js';
import { createRefund as createRefundRecord, findRefund, listRefundRecords, renderRefund, type RefundInput } from '../payments/refund-service.js';

export const createRefund: Handler = (ctx) => {
  const ns = nsOf(ctx);
  const body = ctx.body as RefundInput & { metadata?: unknown };
  const metadata = readMetadata(body.metadata) ?? null;
  const refund = createRefundRecord(ctx.sim, ns, { ...body, metadata });
  return { status: 201, body: renderRefund(refund) };
};

export const getRefund: Handler = (ctx) => ({ status: 200, body: renderRefund(findRefund(nsOf(ctx), ctx.params.id!)) });

function readCount(value: unknown, name: string, min: number, max: number, fallback: number): number {
  if (value === undefined || value === null || value === '') return fallback;
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isInteger(n)) throw errors.invalid(name, `Invalid value for ${name}: must be a whole number.`);
  if (n < min || n > max) throw errors.outOfRange(name, `Invalid value for ${name}: must be between ${min} and ${max}.`);
  return n;
}

export const listRefunds: Handler = (ctx) => {
  const ns = nsOf(ctx);
  const limit = readCount(ctx.query.limit, 'limit', 1, 100, 20);
  const offset = readCount(ctx.query.offset, 'offset', 0, Number.MAX_SAFE_INTEGER, 0);
  const chargeId = typeof ctx.query.chargeId === 'string' && ctx.query.chargeId !== '' ? ctx.query.chargeId : undefined;
  const found = listRefundRecords(ns, chargeId);
  return { status: 200, body: found.slice(offset, offset + limit).map(renderRefund) };
};
