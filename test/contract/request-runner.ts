// Sends requests generated from XPay's contract to a simulator, one fresh namespace state per request,
// with the `@@id:kind:n@@` markers replaced by ids of fixture objects or of objects made for it.
import fc from 'fast-check';
import { parseKey } from '../../src/http/auth.js';
import { couponsOf, promotionCodesOf } from '../../src/checkout/coupons.js';
import { assertMatchesContract, xpayRequestProblems } from '../helpers/contract.js';
import type { ApiResponse, TestSim } from '../helpers/sim.js';
import { arbitraryFor, meetingStatedConditions, pathIdKind } from './request-gen.js';

export interface Operation {
  operationId: string;
  method: string;
  /** Path template, e.g. /products/{id}. */
  path: string;
  op: Record<string, any>;
}

export interface GeneratedRequest {
  params: Record<string, unknown>;
  query: Record<string, unknown>;
  body?: unknown;
}

export interface Outcome {
  operation: Operation;
  request: { method: string; path: string; query: Record<string, string>; body?: unknown };
  response: ApiResponse;
  /** Why the answer breaks a contract, if it does. */
  contractProblem?: string;
  /** Why the request itself breaks XPay's contract (a generator bug), if it does. */
  requestProblems?: string[];
}

/** Every contract operation that takes a body or parameters. */
export function operationsWithInput(contract: Record<string, any>): Operation[] {
  const out: Operation[] = [];
  for (const [path, item] of Object.entries(contract.paths as Record<string, any>)) {
    for (const [method, op] of Object.entries(item as Record<string, any>)) {
      if (!['get', 'post', 'patch', 'put', 'delete'].includes(method)) continue;
      if (!op.requestBody && !(op.parameters?.length > 0)) continue;
      out.push({ operationId: op.operationId, method: method.toUpperCase(), path, op });
    }
  }
  return out;
}

export function requestArbitrary(contract: Record<string, any>, operation: Operation): fc.Arbitrary<GeneratedRequest> {
  const params: Record<string, fc.Arbitrary<unknown>> = {};
  // The query as one object, so it gets the same all / one-field / required-only variants as a body.
  const query = { type: 'object', properties: {} as Record<string, unknown>, required: [] as string[] };
  for (const p of operation.op.parameters ?? []) {
    if (p.in === 'path') params[p.name] = fc.nat({ max: 50 }).map((n) => `@@id:${pathIdKind(operation.path)}:${n}@@`);
    if (p.in === 'query') {
      query.properties[p.name] = p.schema ?? {};
      if (p.required) query.required.push(p.name);
    }
  }
  const schema = operation.op.requestBody?.content?.['application/json']?.schema;
  const isPrice = operation.operationId === 'createPrice' || operation.operationId === 'updatePrice';
  return fc.record({
    params: fc.record(params),
    query: Object.keys(query.properties).length ? arbitraryFor(query, { contract, inQuery: true }) : fc.constant({}),
    ...(schema ? { body: meetingStatedConditions(arbitraryFor(schema, { contract, alwaysInclude: operation.method === 'POST' ? ['lineItems'] : [] }), isPrice) } : {}),
  }) as fc.Arbitrary<GeneratedRequest>;
}

const PAY_CARD = { number: '4242424242424242', expMonth: 12, expYear: 2030, cvc: '123' };

/** Ids for one request, made on first use in the request's namespace. */
class IdSource {
  private made = new Map<string, Promise<string>>();
  private paid?: Promise<{ charge: string; intent: string }>;

  constructor(private sim: TestSim, private key: string) {}

  private async create(path: string, body: unknown): Promise<any> {
    const res = await this.sim.post(path, body, { key: this.key, unchecked: true });
    if (res.status >= 300) throw new Error(`setup ${path} failed: ${res.status} ${res.text.slice(0, 300)}`);
    return res.body;
  }

  private ns() {
    return this.sim.sim.namespace(parseKey(this.key)!);
  }

  private pick(ids: string[], n: number): string {
    const sorted = [...ids].sort();
    return sorted[n % sorted.length]!;
  }

  private payment(): Promise<{ charge: string; intent: string }> {
    this.paid ??= (async () => {
      const session = await this.create('/checkout/sessions', { afterCompletion: { type: 'redirect', redirect: { url: 'https://shop.example/done' } }, lineItems: [{ price: 'price_tshirt_egp', quantity: 2 }] });
      const paid = await this.create(`/_sim/checkout/sessions/${session.id}/pay`, { card: PAY_CARD, customerDetails: { email: 'payer@example.com' } });
      return { charge: paid.paymentIntent.latestCharge.id, intent: paid.paymentIntent.id };
    })();
    return this.paid;
  }

  id(kind: string, n: number): Promise<string> {
    const db = this.ns().db;
    switch (kind) {
      case 'customer': return Promise.resolve(this.pick([...db.customers.values()].filter((c) => c.type === 'registered').map((c) => c.id), n));
      case 'product': return Promise.resolve(this.pick([...db.products.keys()], n));
      case 'price': return this.usedSometimes(this.pick([...db.prices.keys()], n), n);
      case 'coupon': return Promise.resolve(this.pick([...couponsOf(db).keys()], n));
      case 'promotionCode': {
        const promos = [...promotionCodesOf(db).values()].sort((a, b) => a.id.localeCompare(b.id));
        const promo = promos[Math.floor(n / 2) % promos.length]!;
        return Promise.resolve(n % 2 === 0 ? promo.id : promo.code);
      }
      case 'charge': return this.payment().then((p) => p.charge);
      case 'paymentIntent': return this.payment().then((p) => p.intent);
    }
    let made = this.made.get(kind);
    if (!made) {
      made = this.make(kind).then((id) => (kind === 'session' ? this.aged(id, n) : id));
      this.made.set(kind, made);
    }
    return made;
  }

  /** Every third price has been sold once, so the rules about used prices get reached too. */
  private async usedSometimes(priceId: string, n: number): Promise<string> {
    if (n % 3 === 1) {
      await this.sim.post('/checkout/sessions', { afterCompletion: { type: 'redirect', redirect: { url: 'https://shop.example/done' } }, lineItems: [{ price: priceId, quantity: 1 }] }, { key: this.key, unchecked: true });
    }
    return priceId;
  }

  /** One session in four is already expired or paid: the rules for closed sessions get reached too. */
  private async aged(sessionId: string, n: number): Promise<string> {
    if (n % 8 === 1) await this.create(`/checkout/sessions/${sessionId}/expire`, undefined);
    if (n % 8 === 2) await this.create(`/_sim/checkout/sessions/${sessionId}/pay`, { card: PAY_CARD, customerDetails: { email: 'payer@example.com' } });
    return sessionId;
  }

  private async make(kind: string): Promise<string> {
    switch (kind) {
      case 'session': return (await this.create('/checkout/sessions', { afterCompletion: { type: 'redirect', redirect: { url: 'https://shop.example/done' } }, lineItems: [{ price: 'price_coffee_beans_egp', quantity: 1 }] })).id;
      case 'paymentLink': return (await this.create('/payment-links', { lineItems: [{ priceId: 'price_coffee_beans_egp', quantity: 1 }], afterCompletion: { type: 'hosted_confirmation' } })).id;
      case 'webhookEndpoint': return (await this.create('/webhook-endpoints', { url: 'https://hooks.example/xpay', enabledEvents: ['*'] })).id;
      case 'refund': return (await this.create('/refunds', { chargeId: (await this.payment()).charge, amount: 1000 })).id;
      default: throw new Error(`no id source for ${kind}`);
    }
  }
}

const MARKER = /^@@id:(\w+):(\d+)@@$/;

async function substitute(value: unknown, ids: IdSource): Promise<unknown> {
  if (typeof value === 'string') {
    const m = MARKER.exec(value);
    return m ? ids.id(m[1]!, Number(m[2])) : value;
  }
  if (Array.isArray(value)) return Promise.all(value.map((v) => substitute(v, ids)));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = await substitute(v, ids);
    return out;
  }
  return value;
}

/** Resets the key's namespace, fills in real ids, sends the request and checks the answer. */
export async function runOne(sim: TestSim, key: string, operation: Operation, generated: GeneratedRequest): Promise<Outcome> {
  const reset = await sim.request('DELETE', '/_sim/data', { key });
  if (reset.status !== 200) throw new Error(`reset failed: ${reset.status}`);
  const ids = new IdSource(sim, key);
  const params = (await substitute(generated.params, ids)) as Record<string, string>;
  const queryValues = (await substitute(generated.query, ids)) as Record<string, unknown>;
  const body = generated.body === undefined ? undefined : await substitute(generated.body, ids);
  const path = operation.path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(params[name]!));
  const query = Object.fromEntries(Object.entries(queryValues).filter(([, v]) => v !== null && v !== undefined).map(([k, v]) => [k, String(v)]));
  const search = new URLSearchParams(query).toString();
  const url = search ? `${path}?${search}` : path;
  const hasBody = operation.op.requestBody !== undefined;
  const response = await sim.request(operation.method, url, { key, ...(hasBody ? { body: body ?? {} } : {}), unchecked: true });
  const request = { method: operation.method, path, query, ...(hasBody ? { body } : {}) };
  const outcome: Outcome = { operation, request, response };
  const requestProblems = xpayRequestProblems({ ...request, body: hasBody ? body ?? {} : undefined });
  if (requestProblems && requestProblems.length > 0) outcome.requestProblems = requestProblems;
  try {
    assertMatchesContract({ method: operation.method, path: url, status: response.status, contentType: response.headers.get('content-type'), body: response.text === '' ? undefined : response.body });
  } catch (e) {
    outcome.contractProblem = (e as Error).message.slice(0, 1500);
  }
  return outcome;
}
