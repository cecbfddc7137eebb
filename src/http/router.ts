// Compiles the spec's paths once into a lookup by segment count and literal segments,
// so matching a request costs the same whatever the number of operations.
import { HTTP_METHODS, type OperationObject, type OpenApiDocument } from '../spec.js';

export interface CompiledOperation {
  operationId: string;
  method: string;
  pathTemplate: string;
  operation: OperationObject;
  /** Every security alternative needs a key (none is `{}`): computed once, read per request. */
  needsKey: boolean;
  /** Some alternative accepts the API key, so a key sent to an optional-auth operation is used. */
  mayUseKey: boolean;
  /** Some alternative is the admin credential (`XPay-Sim-Admin`): sent, it is checked and can stand in for a key. */
  mayUseAdmin: boolean;
  /** Every alternative is the admin credential (operations over all namespaces only). */
  needsAdmin: boolean;
}

interface Template {
  segments: Array<{ literal: string } | { param: string }>;
  methods: Map<string, CompiledOperation>;
}

export type RouteMatch =
  | { kind: 'found'; op: CompiledOperation; params: Record<string, string> }
  | { kind: 'method_not_allowed'; allowed: string[] }
  | { kind: 'not_found' };

export class Router {
  /** Exact paths without parameters: one Map lookup. */
  private readonly staticPaths = new Map<string, Template>();
  /** Templated paths grouped by segment count. */
  private readonly templated = new Map<number, Template[]>();
  readonly operations: CompiledOperation[] = [];

  constructor(doc: OpenApiDocument) {
    for (const [pathTemplate, item] of Object.entries(doc.paths)) {
      const template: Template = {
        segments: pathTemplate
          .split('/')
          .slice(1)
          .map((s) => (s.startsWith('{') ? { param: s.slice(1, -1) } : { literal: s })),
        methods: new Map(),
      };
      for (const method of HTTP_METHODS) {
        const operation = item[method];
        if (!operation) continue;
        const security = operation.security ?? [];
        const compiled = {
          operationId: operation.operationId, method: method.toUpperCase(), pathTemplate, operation,
          needsKey: security.length > 0 && !security.some((alt) => Object.keys(alt).length === 0),
          mayUseKey: security.some((alt) => 'api-key' in alt),
          mayUseAdmin: security.some((alt) => 'sim-admin' in alt),
          needsAdmin: security.length > 0 && security.every((alt) => 'sim-admin' in alt),
        };
        template.methods.set(compiled.method, compiled);
        this.operations.push(compiled);
      }
      if (template.segments.every((s) => 'literal' in s)) this.staticPaths.set(pathTemplate, template);
      else {
        const list = this.templated.get(template.segments.length) ?? [];
        list.push(template);
        // Literal-heavy templates first, so /products/{id}/stats never loses to a broader one.
        list.sort((a, b) => literalCount(b) - literalCount(a));
        this.templated.set(template.segments.length, list);
      }
    }
  }

  match(method: string, pathname: string): RouteMatch {
    const path = pathname.length > 1 && pathname.endsWith('/') ? pathname.slice(0, -1) : pathname;
    let template = this.staticPaths.get(path);
    let params: Record<string, string> = {};
    if (!template) {
      const parts = path.split('/').slice(1);
      for (const candidate of this.templated.get(parts.length) ?? []) {
        const found = bind(candidate, parts);
        if (found) {
          template = candidate;
          params = found;
          break;
        }
      }
    }
    if (!template) return { kind: 'not_found' };
    const op = template.methods.get(method === 'HEAD' ? 'GET' : method);
    if (!op) return { kind: 'method_not_allowed', allowed: [...template.methods.keys()] };
    return { kind: 'found', op, params };
  }
}

function literalCount(t: Template): number {
  return t.segments.filter((s) => 'literal' in s).length;
}

function bind(template: Template, parts: string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (let i = 0; i < parts.length; i++) {
    const segment = template.segments[i]!;
    const part = parts[i]!;
    if ('literal' in segment) {
      if (segment.literal !== part) return undefined;
    } else {
      if (part === '') return undefined;
      try {
        params[segment.param] = decodeURIComponent(part);
      } catch {
        return undefined;
      }
    }
  }
  return params;
}
