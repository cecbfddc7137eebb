// Validates every response the tests see against openapi.yaml, and against XPay's own
// published contract when ../shared/xpay-openapi.json is present beside the project.
import { existsSync, readFileSync } from 'node:fs';
import OpenAPIBackend from 'openapi-backend';
import addFormatsModule from 'ajv-formats';
import type { ValidateFunction } from 'ajv/dist/2020.js';
import { loadSpec } from '../../src/spec.js';
import { Router } from '../../src/http/router.js';
import { anchorRefs, createAjv } from '../../src/http/validation.js';
import { XPAY_CONTRACT_PATH } from './contract-path.js';

const spec = loadSpec().doc;
const router = new Router(spec);
const ajv = createAjv(spec);
const compiled = new Map<string, ValidateFunction | null>();

export { XPAY_CONTRACT_PATH };
export const xpayContract: Record<string, any> | undefined = existsSync(XPAY_CONTRACT_PATH)
  ? JSON.parse(readFileSync(XPAY_CONTRACT_PATH, 'utf8'))
  : undefined;
// Its absence is announced once per run, by test/global-setup.ts, not once per test file.

const addFormats = ((addFormatsModule as any).default ?? addFormatsModule) as (ajv: any) => any;

let xpayApi: any;
function xpayBackend(): any {
  if (!xpayContract) return undefined;
  if (!xpayApi) {
    const Backend = (OpenAPIBackend as any).default ?? OpenAPIBackend;
    // openapi-backend's Ajv ignores `format` unless formats are plugged in.
    const customizeAjv = (ajv: any) => {
      addFormats(ajv);
      return ajv;
    };
    xpayApi = new Backend({ definition: typedNullables(structuredClone(xpayContract)), quick: true, validate: true, customizeAjv });
    xpayApi.initSync?.() ?? xpayApi.init();
  }
  return xpayApi;
}

/**
 * XPay's 3.0 file puts `nullable` beside `allOf` with no `type`, which Ajv refuses to compile.
 * `{nullable, allOf:[X]}` means exactly "X or null", so it is rewritten as `anyOf: [X, {enum:[null]}]`.
 * OpenAPI 3.0.3 also says `nullable` admits null even beside an `enum` without it, which Ajv's
 * enum check does not know: such enums get `null` added.
 */
function typedNullables(node: any): any {
  if (Array.isArray(node)) return node.map(typedNullables);
  if (!node || typeof node !== 'object') return node;
  const out: any = {};
  for (const [k, v] of Object.entries(node)) out[k] = typedNullables(v);
  if (out.nullable === true && Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
  if (out.nullable === true && out.type === undefined) {
    delete out.nullable;
    const { allOf, anyOf, oneOf, $ref, ...rest } = out;
    const options = [...(allOf ? [{ allOf }] : []), ...(anyOf ? [{ anyOf }] : []), ...(oneOf ? [{ oneOf }] : []), ...($ref ? [{ $ref }] : [])];
    return { ...rest, anyOf: [...(options.length ? options : [{}]), { enum: [null] }] };
  }
  return out;
}

function responseSchema(operationId: string, op: any, status: number): ValidateFunction | null {
  const key = `${operationId} ${status}`;
  if (compiled.has(key)) return compiled.get(key)!;
  let response = op.responses[String(status)] ?? op.responses.default;
  if (response?.$ref) response = spec.components as any && (spec as any).components.responses[response.$ref.split('/').pop()];
  const schema = response?.content?.['application/json']?.schema;
  const fn = schema ? ajv.compile(anchorRefs(schema) as object) : null;
  compiled.set(key, fn);
  return fn;
}

export interface SeenResponse {
  method: string;
  path: string;
  status: number;
  contentType: string | null;
  body: unknown;
}

/** Throws with a readable reason when a response breaks either contract. */
export function assertMatchesContract(r: SeenResponse): void {
  const match = router.match(r.method, r.path.split('?')[0]!);
  if (match.kind !== 'found') {
    // Unknown paths and wrong methods still answer in the error envelope.
    if (r.status >= 400) checkErrorEnvelope(r);
    return;
  }
  const { op } = match;
  const declared = op.operation.responses[String(r.status)] ?? op.operation.responses.default;
  if (!declared) throw new Error(`${r.method} ${r.path} answered ${r.status}, which openapi.yaml does not declare`);
  if (r.status === 204) {
    if (r.body !== undefined && r.body !== '') throw new Error(`${r.method} ${r.path} answered 204 with a body`);
    return;
  }
  if (r.contentType?.startsWith('application/json')) {
    const validate = responseSchema(op.operationId, op.operation, r.status);
    if (validate && !validate(r.body)) {
      throw new Error(`${r.method} ${r.path} ${r.status} breaks openapi.yaml: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(r.body).slice(0, 2000)}`);
    }
  }
  checkAgainstXPay(op.operationId, r);
}

function checkErrorEnvelope(r: SeenResponse): void {
  const validate = ajv.getSchema('xpay-sim-openapi#/components/schemas/ApiErrorResponse')!;
  if (!validate(r.body)) throw new Error(`${r.method} ${r.path} ${r.status} is not an XPay error envelope: ${JSON.stringify(r.body)}`);
}

function checkAgainstXPay(operationId: string, r: SeenResponse): void {
  const api = xpayBackend();
  if (!api) return;
  const operation = api.getOperation(operationId);
  if (!operation) return; // a simulator-only operation
  if (!operation.responses?.[String(r.status)]) return; // statuses XPay's contract does not list
  const result = api.validateResponse(r.body, operation, r.status);
  if (result.errors && result.errors.length > 0) {
    throw new Error(`${r.method} ${r.path} ${r.status} breaks XPay's contract: ${JSON.stringify(result.errors).slice(0, 1500)}\n${JSON.stringify(r.body).slice(0, 2000)}`);
  }
}

/** Why XPay's contract would refuse this request (empty when it is valid), or undefined without the contract. */
export function xpayRequestProblems(req: { method: string; path: string; query?: Record<string, string>; body?: unknown }): string[] | undefined {
  const api = xpayBackend();
  if (!api) return undefined;
  const headers = { 'content-type': 'application/json', authorization: 'Bearer sk_test_x' };
  const result = api.validateRequest({ method: req.method.toLowerCase(), path: req.path, query: req.query ?? {}, body: req.body, headers });
  return (result.errors ?? []).map((e: { instancePath?: string; message?: string }) => `${e.instancePath ?? ''} ${e.message ?? ''}`.trim());
}
