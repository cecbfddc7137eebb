// Turns the request schemas of XPay's contract (OpenAPI 3.0: $ref, allOf, anyOf, nullable, enum,
// bounds, formats, patterns) into fast-check arbitraries of valid values. Fields that name other
// objects get markers (`@@id:kind:n@@`) that the runner replaces with ids of real objects.
import fc from 'fast-check';

type Schema = Record<string, any>;
type Arb = fc.Arbitrary<unknown>;

/** Field names whose value is the id of another object, and which kind of object. */
const ID_FIELDS: Record<string, string> = {
  customerId: 'customer',
  chargeId: 'charge',
  paymentIntentId: 'paymentIntent',
  price: 'price',
  priceId: 'price',
  defaultPrice: 'price',
  productId: 'product',
  coupon: 'coupon',
  promotionCode: 'promotionCode',
};

/** The object kind a path's `{id}` names, by the path's first segment. */
export function pathIdKind(path: string): string {
  const kinds: Record<string, string> = {
    checkout: 'session', customers: 'customer', 'payment-links': 'paymentLink', products: 'product',
    prices: 'price', 'webhook-endpoints': 'webhookEndpoint', refunds: 'refund',
  };
  const kind = kinds[path.split('/')[1]!];
  if (!kind) throw new Error(`no id kind for ${path}`);
  return kind;
}

const marker = (kind: string) => fc.nat({ max: 50 }).map((n) => `@@id:${kind}:${n}@@`);

const HTTP_URL = fc.tuple(fc.constantFrom('https://shop.example', 'http://127.0.0.1:3000', 'https://xn--mgbh0fb.example'), fc.constantFrom('', '/done', '/orders/42', '/a/b?x=1&y=2'))
  .map(([base, rest]) => base + rest);
const EMAIL = fc.tuple(fc.stringMatching(/^[a-z0-9._+-]{1,12}$/), fc.constantFrom('example.com', 'shop.example', 'mail.co')).map(([u, d]) => `${u.replace(/^\.|\.$/g, 'x').replace(/\.\./g, '.x')}@${d}`);
const PHONE = fc.oneof(
  fc.stringMatching(/^01[0125][0-9]{8}$/),
  fc.stringMatching(/^\+201[0125][0-9]{8}$/),
  fc.stringMatching(/^\+[1-9][0-9]{7,13}$/),
);
const DAY_MS = 86_400_000;
/** Instants around the test clock (frozen at 2026-03-01), past and future. */
const INSTANT = fc.integer({ min: -400, max: 400 }).map((d) => new Date(Date.parse('2026-03-01T10:00:00Z') + d * DAY_MS).toISOString());
const HEX_COLOR = fc.stringMatching(/^#(?:[0-9a-fA-F]{3,4}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$/);
const METADATA = fc.dictionary(fc.stringMatching(/^[a-z_]{1,10}$/), fc.oneof(fc.string({ maxLength: 20 }), fc.integer(), fc.boolean()), { maxKeys: 4 });
const WORDS = fc.array(fc.constantFrom('coffee', 'seat', 'amina', 'tea', 'plan', '+2010', 'x'), { minLength: 1, maxLength: 3 }).map((w) => w.join(','));

const isIdField = (name: string, inQuery: boolean) => ID_FIELDS[name] !== undefined && (!inQuery || name === 'chargeId' || name === 'productId');

const EVENT = fc.constantFrom('*', 'checkout.session.completed', 'checkout.session.*', 'charge.*', 'charge.refunded', 'refund.failed', 'payment_intent.payment_failed', 'customer.*');

/** Realistic values for fields whose schema is only `string` (the generic string is still tried). */
function hint(name: string, inQuery: boolean): Arb | undefined {
  if (isIdField(name, inQuery)) return marker(ID_FIELDS[name]!);
  switch (name) {
    case 'phone': return PHONE;
    case 'email': case 'instructionsEmail': return EMAIL;
    case 'startDate': case 'expirationDate': case 'expiresAt': return INSTANT;
    case 'image': return fc.constantFrom('https://cdn.example/a.png', 'https://img.example/tea.jpg');
    case 'country': return fc.constantFrom('EG', 'SA', 'AE', 'US');
    case 'search': return WORDS;
    case 'timezone': return fc.constantFrom('UTC', 'Africa/Cairo', '+02:00', '-05:30', 'Asia/Riyadh');
    case 'amount': return inQuery ? fc.oneof(
      fc.nat({ max: 200000 }).map((n) => `eq:${n}`), fc.nat({ max: 200000 }).map((n) => `gt:${n}`), fc.nat({ max: 200000 }).map((n) => `lt:${n}`),
      fc.tuple(fc.nat({ max: 100000 }), fc.nat({ max: 100000 })).map(([a, b]) => `bt:${Math.min(a, b)},${Math.max(a, b)}`)) : undefined;
    case 'date': return inQuery ? fc.oneof(
      fc.tuple(fc.integer({ min: 1, max: 90 }), fc.constantFrom('days', 'weeks', 'months')).map(([n, u]) => `last:${n},${u}`),
      INSTANT.map((t) => `eq:${t.slice(0, 10)}`), INSTANT.map((t) => `after:${t.slice(0, 10)}`), INSTANT.map((t) => `before:${t.slice(0, 10)}`),
      fc.tuple(INSTANT, INSTANT).map(([a, b]) => `bt:${[a, b].sort()[0]!.slice(0, 10)},${[a, b].sort()[1]!.slice(0, 10)}`)) : undefined;
    case 'metadata': return inQuery ? METADATA.map((m) => JSON.stringify(m)) : undefined;
    case 'active': return inQuery ? fc.constantFrom('true', 'false') : undefined;
    case 'enabledEvent': return EVENT;
    default: return undefined;
  }
}

export interface GenOptions {
  contract: Schema;
  /** Query parameters arrive as text: numbers and booleans are sent as their digits and words. */
  inQuery?: boolean;
  /** Top-level fields sent in every focused sample (a create's `lineItems`: see objectArb). */
  alwaysInclude?: string[];
  /** Objects with their required fields only, all the way down. */
  minimal?: boolean;
}

function resolve(schema: Schema, contract: Schema): Schema {
  let s = schema;
  while (s && s.$ref) {
    const { $ref, ...rest } = s;
    s = { ...contract.components.schemas[$ref.split('/').pop()], ...rest };
  }
  return s;
}

/** `{nullable, description, allOf: [X]}` and `{properties…, allOf: [X]}` as one schema. */
function flatten(schema: Schema, contract: Schema): Schema {
  let s = resolve(schema, contract);
  if (Array.isArray(s.allOf)) {
    const { allOf, ...rest } = s;
    for (const part of allOf as Schema[]) {
      const p = flatten(part, contract);
      s = {
        ...p, ...rest,
        properties: { ...p.properties, ...rest.properties },
        required: [...new Set([...(p.required ?? []), ...(rest.required ?? [])])],
        nullable: rest.nullable ?? p.nullable,
      };
      if (!p.properties && !rest.properties) delete s.properties;
    }
  }
  return s;
}

function stringArb(s: Schema): Arb {
  if (s.format === 'email') return EMAIL;
  if (s.format === 'uri') return HTTP_URL;
  if (typeof s.pattern === 'string') return fc.stringMatching(new RegExp(s.pattern));
  const min = s.minLength ?? 0;
  const max = Math.min(s.maxLength ?? 24, min + 40);
  const generic = fc.string({ minLength: min, maxLength: max, unit: fc.oneof(fc.constantFrom(...'abcXYZ 019-_.'.split('')), fc.constantFrom('é', 'ع', '€', '"', '<', '\u00a0')) });
  // The longest accepted value, exactly at the bound.
  return s.maxLength !== undefined && s.maxLength <= 600 ? fc.oneof(generic, fc.constant('x'.repeat(s.maxLength))) : generic;
}

function numberArb(s: Schema, integer: boolean, name = ''): Arb {
  // Quantities are mostly small in real carts; huge ones only meet the amount cap.
  if (name === 'quantity') return fc.oneof({ weight: 3, arbitrary: fc.integer({ min: Math.max(s.minimum ?? 0, 0), max: 5 }) }, { weight: 1, arbitrary: numberArb(s, integer) });
  const min = s.minimum ?? (integer ? -1000 : -1000);
  const max = Math.min(s.maximum ?? 1_000_000, Number.MAX_SAFE_INTEGER);
  const ints = fc.integer({ min: Math.max(min, Number.MIN_SAFE_INTEGER), max });
  const bounds = fc.constantFrom(...[min, max].filter((v) => Number.isSafeInteger(v)));
  if (integer) return fc.oneof(ints, bounds);
  return fc.oneof(ints, bounds, fc.double({ min, max, noNaN: true, noDefaultInfinity: true }));
}

/** An arbitrary of values valid against `schema`; `name` is the property it sits under. */
export function arbitraryFor(schema: Schema, options: GenOptions, name = '', depth = 0): Arb {
  const s = flatten(schema, options.contract);
  const base = baseArbitrary(s, options, name, depth);
  return s.nullable ? fc.oneof({ weight: 1, arbitrary: fc.constant(null) }, { weight: 5, arbitrary: base }) : base;
}

function baseArbitrary(s: Schema, options: GenOptions, name: string, depth: number): Arb {
  const { contract, inQuery = false } = options;
  if (Array.isArray(s.enum)) {
    const values = fc.constantFrom(...s.enum.filter((v: unknown) => v !== null));
    // The default is what most clients send: weight it, so other rules get reached too.
    return s.default !== undefined && s.enum.includes(s.default) ? fc.oneof({ weight: 1, arbitrary: fc.constant(s.default) }, { weight: 2, arbitrary: values }) : values;
  }
  const hinted = hint(name, inQuery);
  if (Array.isArray(s.anyOf) || Array.isArray(s.oneOf)) {
    const { anyOf, oneOf, nullable, ...siblings } = s;
    let branches = ((anyOf ?? oneOf) as Schema[]).map((b) => flatten({ ...siblings, ...resolve(b, contract) }, contract));
    // In a query string a number is its digits: the `string` twin of a numeric branch adds nothing.
    if (inQuery && branches.some((b) => b.type === 'number' || b.type === 'integer')) branches = branches.filter((b) => b.type !== 'string');
    const union = fc.oneof(...branches.map((b) => arbitraryFor(b, options, name, depth)));
    return hinted ? fc.oneof({ weight: 3, arbitrary: hinted }, { weight: 1, arbitrary: union }) : union;
  }
  // Ids are always real ones: a made-up id only ever meets the contract's 404.
  if (hinted && isIdField(name, inQuery) && s.type === 'string') return hinted;
  if (hinted && (s.type === 'string' || s.type === undefined)) return fc.oneof({ weight: 3, arbitrary: hinted }, { weight: 1, arbitrary: baseByType(s, options, name, depth) });
  return baseByType(s, options, name, depth);
}

function baseByType(s: Schema, options: GenOptions, name: string, depth: number): Arb {
  switch (s.type) {
    case 'string': return stringArb(s);
    case 'integer': return numberArb(s, true, name);
    case 'number': return numberArb(s, options.inQuery === true, name);
    case 'boolean': return fc.boolean();
    case 'array': {
      const items = s.items ? arbitraryFor(s.items, options, name.endsWith('s') ? name.slice(0, -1) : name, depth + 1) : fc.jsonValue({ maxDepth: 1 });
      const minLength = s.minItems ?? 0;
      return fc.array(items, { minLength, maxLength: Math.min(s.maxItems ?? 3, minLength + 3) });
    }
    case 'object':
    case undefined: {
      if (s.properties) return objectArb(s, options, depth);
      if (s.type === 'object' || s.additionalProperties !== undefined) return METADATA;
      return fc.jsonValue({ maxDepth: 2 });
    }
    default: throw new Error(`schema type ${s.type} is not generated`);
  }
}

/**
 * Either every optional field at random, or the required ones plus exactly one (so a rule about one
 * field is not always hidden behind another's). `alwaysInclude` counts as required at the top: a
 * create's `lineItems` (XPay's docs say a session without it is refused; every other rule needs it).
 */
function objectArb(s: Schema, options: GenOptions, depth: number): Arb {
  const props = Object.fromEntries(Object.entries(s.properties as Record<string, Schema>).map(([k, v]) => [k, arbitraryFor(v, options, k, depth + 1)]));
  const required: string[] = s.required ?? [];
  const all = fc.record(props, { requiredKeys: required });
  const base = depth === 0 ? [...new Set([...required, ...(options.alwaysInclude ?? []).filter((k) => k in props)])] : required;
  const only = (keys: string[]) => fc.record(Object.fromEntries(keys.map((k) => [k, props[k]!])), { requiredKeys: keys });
  if (options.minimal) return only(base);
  const optional = Object.keys(props).filter((k) => !base.includes(k));
  if (optional.length === 0) return all;
  const focused = optional.map((key) => only([...base, key]));
  const variants: Array<{ weight: number; arbitrary: Arb }> = [{ weight: 2, arbitrary: all }, { weight: 3, arbitrary: fc.oneof(...focused) }];
  // The plainest request of all, at the top only: what a first integration sends.
  if (depth === 0) variants.push({ weight: 1, arbitrary: objectArb(s, { ...options, minimal: true }, depth) });
  return fc.oneof(...variants);
}

/**
 * Most samples are made to meet the conditions XPay's contract states in prose (exactly one of
 * price/priceData and of chargeId/paymentIntentId; a redirect's url only with type redirect; line
 * currencies equal to the session's), so the rules behind them get reached; the rest go as drawn.
 */
export function meetingStatedConditions(arb: Arb, isPrice = false): Arb {
  return fc.tuple(arb, fc.nat({ max: 9 })).map(([value, roll]) => {
    if (roll >= 7) return value;
    const out = repaired(structuredClone(value), undefined);
    if (isPrice && out && typeof out === 'object') repairPrice(out as Record<string, any>);
    return out;
  });
}

/** The contract's unitAmount prose: required for ONE_TIME and RECURRING, absent for CUSTOM. */
function repairPrice(o: Record<string, any>): void {
  if (o.type === 'CUSTOM') {
    delete o.unitAmount;
    return;
  }
  delete o.customUnitAmount;
  if (o.unitAmount == null && (o.type != null || !('type' in o))) o.unitAmount = 1500;
  if (o.type === 'RECURRING') o.recurring = { interval: o.recurring?.interval ?? 'MONTH', intervalCount: o.recurring?.intervalCount ?? 1 };
  else delete o.recurring;
}

function repaired(value: unknown, currency: unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => repaired(v, currency));
  if (!value || typeof value !== 'object') return value;
  const o = value as Record<string, any>;
  if (o.defaultPrice && typeof o.defaultPrice === 'object') repairPrice(o.defaultPrice);
  // "Quantity may be 0 only when adjustableQuantity is enabled with minimum 0."
  if (o.quantity === 0 && !(o.adjustableQuantity?.enabled && o.adjustableQuantity.minimum === 0)) o.quantity = 1;
  const ownCurrency = typeof o.currency === 'string' && 'afterCompletion' in o ? o.currency : currency;
  if ('quantity' in o && !('priceId' in o)) {
    if ('price' in o && 'priceData' in o) delete o[o.price === null ? 'price' : 'priceData'];
    if (o.price == null && o.priceData == null) o.price = '@@id:price:0@@';
    if (o.priceData && typeof ownCurrency === 'string') o.priceData.currency = ownCurrency;
  }
  if (o.type === 'redirect' && ('redirect' in o || 'hostedConfirmation' in o || Object.keys(o).length === 1)) {
    delete o.hostedConfirmation;
    if (!o.redirect) o.redirect = { url: 'https://shop.example/done' };
  }
  if (o.type === 'hosted_confirmation') delete o.redirect;
  if ('chargeId' in o && 'paymentIntentId' in o) delete o[o.chargeId === null ? 'chargeId' : 'paymentIntentId'];
  for (const [k, v] of Object.entries(o)) o[k] = repaired(v, ownCurrency);
  return o;
}
