// Finds the fault rules a request could match without scanning every rule: rules are grouped by
// scope (one namespace, or global), and within a scope by `METHOD pathTemplate` of the routed
// operation. A bucket is filled on the first request for that pair and kept up to date as rules
// are added, so a tenant with thousands of rules costs other tenants nothing and itself one Map
// lookup plus the rules that can really apply. Buckets over-include (never miss) a rule; the exact
// method/key/path test still runs on every candidate, so behaviour equals a scan in rule order.
import { pathPattern, type FaultRule } from './faults.js';

interface Scope {
  /** This scope's rules in creation order. */
  rules: FaultRule[];
  /** `METHOD pathTemplate` → the rules of `rules` that could match it, in the same order. */
  buckets: Map<string, FaultRule[]>;
}

/** A route as the pipeline saw it: the request's method and the operation's path template. */
export interface RouteKey {
  method: string;
  pathTemplate: string;
}

/** Per-segment patterns of a rule's path, or null when it cannot be compared segment by segment. */
function segmentPatterns(path: string): RegExp[] | null {
  if (path.includes('**')) return null;
  const segments = path.split('/');
  // A brace left open inside a segment swallows the next `/` in the whole-path pattern.
  if (segments.some((s) => (s.match(/\{/g)?.length ?? 0) !== (s.match(/\}/g)?.length ?? 0))) return null;
  return segments.map((s) => pathPattern(s));
}

/**
 * Could `rule` match some request routed to `route`? Conservative: a template parameter may be
 * anything, and the router also accepts one trailing slash, which the rule sees as an empty segment.
 */
export function ruleCouldMatch(rule: FaultRule, route: RouteKey): boolean {
  if (rule.method && rule.method !== route.method) return false;
  if (rule.path === null) return true;
  const patterns = segmentPatterns(rule.path);
  if (!patterns) return true;
  const template = route.pathTemplate.split('/');
  const trailing = patterns.length === template.length + 1;
  if (patterns.length !== template.length && !trailing) return false;
  if (trailing && !patterns[patterns.length - 1]!.test('')) return false;
  return template.every((segment, i) => segment.includes('{') || patterns[i]!.test(segment));
}

const bucketName = (route: RouteKey) => `${route.method} ${route.pathTemplate}`;

export class FaultIndex {
  private readonly scopes = new Map<string | null, Scope>();

  /** How many rules one scope (a namespace's key, or null for global rules) holds. */
  count(key: string | null): number {
    return this.scopes.get(key)?.rules.length ?? 0;
  }

  add(rule: FaultRule): void {
    let scope = this.scopes.get(rule.key);
    if (!scope) this.scopes.set(rule.key, (scope = { rules: [], buckets: new Map() }));
    scope.rules.push(rule);
    for (const [name, bucket] of scope.buckets) {
      const space = name.indexOf(' ');
      if (ruleCouldMatch(rule, { method: name.slice(0, space), pathTemplate: name.slice(space + 1) })) bucket.push(rule);
    }
  }

  /** Rebuilds from the rules left after a removal (removals are rare; matching is hot). */
  reset(rules: FaultRule[]): void {
    this.scopes.clear();
    for (const rule of rules) this.add(rule);
  }

  /** The global rules and `key`'s own that could match `route`, merged in creation order. */
  candidates(key: string | undefined, route: RouteKey): FaultRule[] {
    const global = this.bucket(null, route);
    const own = key === undefined ? [] : this.bucket(key, route);
    if (global.length === 0) return own;
    if (own.length === 0) return global;
    const merged: FaultRule[] = [];
    let g = 0;
    let o = 0;
    while (g < global.length || o < own.length) {
      if (o >= own.length || (g < global.length && global[g]!.seq < own[o]!.seq)) merged.push(global[g++]!);
      else merged.push(own[o++]!);
    }
    return merged;
  }

  private bucket(key: string | null, route: RouteKey): FaultRule[] {
    const scope = this.scopes.get(key);
    if (!scope) return [];
    const name = bucketName(route);
    let bucket = scope.buckets.get(name);
    if (!bucket) scope.buckets.set(name, (bucket = scope.rules.filter((rule) => ruleCouldMatch(rule, route))));
    return bucket;
  }
}
