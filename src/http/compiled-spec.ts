// The spec compiled for serving, shared by every Simulator built from the same document: the
// router, the Ajv instances and the request validators. Validators compile on first use, so
// start-up does not pay for operations nobody calls (and parallel test simulators share them).
import type { Ajv2020 } from 'ajv/dist/2020.js';
import type { OpenApiDocument } from '../spec.js';
import { Router } from './router.js';
import { compileRequestValidator, createAjv, type RequestValidator } from './validation.js';

export interface CompiledSpec {
  router: Router;
  ajv: Ajv2020;
  validators: Map<string, RequestValidator>;
}

/** A Map whose missing entries for known operations are compiled when first read. */
class LazyValidators extends Map<string, RequestValidator> {
  private queryAjv: Ajv2020 | undefined;

  constructor(
    private readonly doc: OpenApiDocument,
    private readonly router: Router,
    private readonly ajv: Ajv2020,
  ) {
    super();
  }

  override get(operationId: string): RequestValidator | undefined {
    const found = super.get(operationId);
    if (found) return found;
    const op = this.router.operations.find((o) => o.operationId === operationId);
    if (!op) return undefined;
    const compiled = compileRequestValidator(this.doc, op.operation, this.ajv, (this.queryAjv ??= createAjv(this.doc, { coerceTypes: true })));
    this.set(operationId, compiled);
    return compiled;
  }

  override has(operationId: string): boolean {
    return super.has(operationId) || this.router.operations.some((o) => o.operationId === operationId);
  }
}

const cache = new WeakMap<OpenApiDocument, CompiledSpec>();

export function compiledSpec(doc: OpenApiDocument): CompiledSpec {
  let compiled = cache.get(doc);
  if (!compiled) {
    const router = new Router(doc);
    const ajv = createAjv(doc);
    compiled = { router, ajv, validators: new LazyValidators(doc, router, ajv) };
    cache.set(doc, compiled);
  }
  return compiled;
}
