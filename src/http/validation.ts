// Request validation compiled once per operation from openapi.yaml (Ajv, JSON Schema 2020-12),
// and the mapping of schema failures onto XPay's parameter_* error codes.
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { errors, XPayError } from '../core/errors.js';
import type { OpenApiDocument, OperationObject, ParameterObject } from '../spec.js';
import { splitBodySchema, type BodyInPieces } from './body-in-pieces.js';

// ajv-formats is CommonJS; under NodeNext its default export arrives wrapped.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv2020) => Ajv2020;

export const SPEC_SCHEMA_ID = 'xpay-sim-openapi';

export function createAjv(doc: OpenApiDocument, options: { coerceTypes?: boolean } = {}): Ajv2020 {
  // validateSchema: false skips checking the spec against the JSON Schema meta-schema (~100 ms of
  // start-up); the spec is linted by the contract tests instead.
  const ajv = new Ajv2020({ strict: false, allErrors: false, coerceTypes: options.coerceTypes ?? false, useDefaults: false, validateSchema: false });
  addFormats(ajv);
  ajv.addSchema({ $id: SPEC_SCHEMA_ID, components: doc.components }, SPEC_SCHEMA_ID);
  return ajv;
}

/** Rewrites local `#/components/...` references so a schema compiles outside the document. */
export function anchorRefs(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(anchorRefs);
  if (!schema || typeof schema !== 'object') return schema;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    out[key] = key === '$ref' && typeof value === 'string' && value.startsWith('#/') ? SPEC_SCHEMA_ID + value : anchorRefs(value);
  }
  return out;
}

export function resolveParameter(doc: OpenApiDocument, p: ParameterObject): ParameterObject {
  if (!p.$ref) return p;
  const name = p.$ref.split('/').pop()!;
  return doc.components.parameters![name]!;
}

export interface RequestValidator {
  query?: ValidateFunction;
  body?: ValidateFunction;
  /** The body check split over turns, for large bodies (compiled on the first one); undefined when it cannot be split. */
  bodyInPieces: () => BodyInPieces | undefined;
  bodyRequired: boolean;
  hasBody: boolean;
}

export function compileRequestValidator(doc: OpenApiDocument, op: OperationObject, bodyAjv: Ajv2020, queryAjv: Ajv2020): RequestValidator {
  const queryParams = (op.parameters ?? []).map((p) => resolveParameter(doc, p)).filter((p) => p.in === 'query');
  let query: ValidateFunction | undefined;
  if (queryParams.length > 0) {
    query = queryAjv.compile(
      anchorRefs({
        type: 'object',
        properties: Object.fromEntries(queryParams.map((p) => [p.name, p.schema ?? {}])),
        required: queryParams.filter((p) => p.required).map((p) => p.name),
      }) as object,
    );
  }
  const bodySchema = op.requestBody?.content['application/json']?.schema;
  let pieces: { split: BodyInPieces | undefined } | undefined;
  return {
    query,
    body: bodySchema ? bodyAjv.compile(anchorRefs(bodySchema) as object) : undefined,
    bodyInPieces: () => (pieces ??= { split: bodySchema ? splitBodySchema(doc, bodySchema, (schema) => bodyAjv.compile(anchorRefs(schema) as object)) : undefined }).split,
    bodyRequired: op.requestBody?.required ?? false,
    hasBody: bodySchema !== undefined,
  };
}

/** `/lineItems/0/price` → `lineItems[0].price` */
export function toParamPath(pointer: string, child?: string): string {
  const parts = pointer.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (child !== undefined) parts.push(child);
  let out = '';
  for (const part of parts) out += /^\d+$/.test(part) ? `[${part}]` : out === '' ? part : `.${part}`;
  return out;
}

/** Picks the most telling Ajv error (the deepest, skipping "could be null" noise) and maps it. */
export function toXPayError(errs: ErrorObject[], prefix = ''): XPayError {
  const useful = errs.filter((e) => !(e.keyword === 'type' && e.params.type === 'null') && e.keyword !== 'anyOf' && e.keyword !== 'oneOf');
  const pool = useful.length > 0 ? useful : errs;
  const best = pool.reduce((a, b) => (b.instancePath.length > a.instancePath.length ? b : a));
  const at = (child?: string) => {
    const path = toParamPath(best.instancePath, child);
    return prefix && path ? `${prefix}.${path}` : path || prefix || undefined;
  };
  switch (best.keyword) {
    case 'required':
      return errors.missing(at(String(best.params.missingProperty))!);
    case 'additionalProperties':
      return errors.unknown(at(String(best.params.additionalProperty))!);
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
    case 'minLength':
    case 'maxLength':
    case 'minItems':
    case 'maxItems':
    case 'minProperties':
    case 'maxProperties': {
      const param = at() ?? 'body';
      return errors.outOfRange(param, `Invalid value for ${param}: ${best.message ?? 'out of range'}.`);
    }
    case 'enum': {
      const param = at() ?? 'body';
      const allowed = (best.params.allowedValues as unknown[]).filter((v) => v !== null).join(', ');
      return errors.invalid(param, `Invalid value for ${param}: must be one of ${allowed}.`);
    }
    default: {
      const param = at();
      return errors.invalid(param, param ? `Invalid value for ${param}: ${best.message ?? 'invalid'}.` : `Invalid request body: ${best.message ?? 'invalid'}.`);
    }
  }
}

/** JSON nested deeper than this is refused before it can hurt JSON.stringify or structuredClone. */
export const MAX_JSON_DEPTH = 32;

export function depthExceeds(value: unknown, limit = MAX_JSON_DEPTH): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (node && typeof node === 'object') {
      if (depth >= limit) return true;
      for (const child of Object.values(node)) if (child && typeof child === 'object') stack.push([child, depth + 1]);
    }
  }
  return false;
}
