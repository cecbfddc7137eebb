// /customers: registered customers of a namespace (guests are created by checkout).
import { errors } from '../core/errors.js';
import { normalizeEmail, normalizePhone } from '../core/contact.js';
import { readMetadata } from '../core/metadata.js';
import { readPage, searchTerms } from '../core/pagination.js';
import { nsOf, type Handler } from '../http/types.js';
import type { Namespace } from '../store/namespace.js';
import { firstByContact, queryCustomers } from '../store/customer-index.js';
import type { CustomerRecord } from '../store/types.js';
import { renderCustomer } from '../store/render.js';
import { customerSpend, customerStats, latestPaymentMethod } from './customer-activity.js';


export function findCustomer(ns: Namespace, id: string, param = 'id'): CustomerRecord {
  const customer = ns.db.customers.get(id);
  if (!customer) throw errors.notFound('customer', id, param);
  return customer;
}


export const createCustomer: Handler = (ctx) => {
  const ns = nsOf(ctx);
  const body = ctx.body as { name?: string | null; email?: string | null; phone?: string | null; address?: Record<string, string | null> | null; metadata?: unknown; currency?: string | null };
  const email = body.email ? normalizeEmail(body.email) : null;
  const phone = body.phone ? normalizePhone(body.phone) : null;
  if (!email && !phone) throw errors.invalid('email', 'A customer needs an email or a phone number.');
  const metadata = readMetadata(body.metadata) ?? null;
  const taken = firstByContact(ns, email, phone);
  if (taken) {
    const field = email && taken.email && normalizeEmail(taken.email) === email ? 'email' : 'phone';
    throw errors.invalidState(`A customer with this ${field} already exists: ${taken.id}.`, field);
  }
  const now = ns.nowIso();
  const customer: CustomerRecord = {
    id: ns.ids.next('cus'),
    object: 'customer',
    type: 'registered',
    createdAt: now,
    updatedAt: now,
    name: body.name ?? null,
    email,
    phone,
    address: body.address ? { ...body.address } : null,
    guestFingerprint: null,
    metadata,
    merchantId: ns.merchantId,
    _currency: body.currency ?? 'EGP',
  };
  ns.db.customers.set(customer.id, customer);
  const shown = renderCustomer(customer);
  ctx.sim.emit(ns, 'customer.created', shown);
  return { status: 201, body: shown };
};

export const getCustomer: Handler = (ctx) => ({ status: 200, body: renderCustomer(findCustomer(nsOf(ctx), ctx.params.id!)) });

export const listCustomers: Handler = (ctx) => {
  const ns = nsOf(ctx);
  const page = readPage(ctx.query);
  const terms = searchTerms(ctx.query.search);
  const type = ctx.query.type as string | undefined;
  const found = queryCustomers(ns, terms, type);
  const start = (page.page - 1) * page.limit;
  const data = found.slice(start, start + page.limit);
  const totalCount = found.totalCount;
  return {
    status: 200,
    body: {
      data: data.map((c) => ({
        id: c.id,
        type: c.type,
        createdAt: c.createdAt,
        name: c.name,
        email: c.email,
        phone: c.phone,
        country: c.address?.country ?? null,
        latestPaymentMethod: latestPaymentMethod(ns, c.id),
        spendData: customerSpend(ns, c),
      })),
      totalCount,
    },
  };
};

export const getCustomerStats: Handler = (ctx) => {
  const ns = nsOf(ctx);
  const customer = findCustomer(ns, ctx.params.id!);
  return { status: 200, body: customerStats(ns, customer.id) };
};
