// The fault index must choose exactly the rule a scan over every rule would, and move the same
// counters: checked here against a plain scan over seeded random rules and requests on every route.
import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../../src/core/ids.js';
import { XPayError } from '../../src/core/errors.js';
import { addRule, faultInterceptor, faultState, pathPattern, removeRules, type FaultRule } from '../../src/control/faults.js';
import { ruleCouldMatch } from '../../src/control/fault-index.js';
import { createSimulator } from '../../src/server.js';
import type { RequestContext } from '../../src/http/types.js';

const KEYS = ['sk_test_index_a', 'sk_test_index_b'];

interface Reference {
  id: string;
  method: string | null;
  key: string | null;
  pattern: RegExp | null;
  after: number;
  times: number | null;
  matched: number;
  fired: number;
}

/** The matching loop as it was before the index: every rule, in order. */
function scan(rules: Reference[], method: string, path: string, key: string | undefined): string | undefined {
  for (const rule of rules) {
    if (rule.method && rule.method !== method) continue;
    if (rule.key && rule.key !== key) continue;
    if (rule.pattern && !rule.pattern.test(path)) continue;
    rule.matched++;
    if (rule.matched <= rule.after) continue;
    if (rule.times !== null && rule.fired >= rule.times) continue;
    rule.fired++;
    return rule.id;
  }
  return undefined;
}

/** A concrete path for a template; `{param}` becomes `value`, optionally with the trailing slash the router accepts. */
const concrete = (template: string, value: string, slash: boolean) => template.replace(/\{[^}]+\}/g, value) + (slash && template !== '/' ? '/' : '');

describe('fault rules through the index', () => {
  it('fire the same rule and move the same counters as a scan over every rule', async () => {
    const { sim } = createSimulator({ seed: 'fault-index' });
    const random = new SeededRandom('fault-index-test');
    const pick = <T>(list: readonly T[]): T => list[Math.floor(random.next() * list.length)]!;
    const ops = sim.router.operations.filter((op) => op.pathTemplate !== '/_sim/faults');
    const rulePath = (): string | null => {
      const template = pick(ops).pathTemplate;
      const segments = template.split('/');
      const i = 1 + Math.floor(random.next() * (segments.length - 1));
      switch (Math.floor(random.next() * 7)) {
        case 0: return null;
        case 1: return template;
        case 2: return concrete(template, 'id_1', false);
        case 3: return segments.map((s, j) => (j === i ? '*' : s)).join('/');
        case 4: return `${segments.slice(0, 2).join('/')}/**`;
        case 5: return `${template}/`;
        default: return segments.map((s, j) => (j === i ? `${s.slice(0, 2)}*` : s)).join('/');
      }
    };
    const reference: Reference[] = [];
    const add = () => {
      const input = {
        method: random.next() < 0.5 ? pick(['GET', 'POST', 'DELETE', 'HEAD', 'PATCH']) : null,
        path: rulePath(),
        key: random.next() < 0.2 ? null : pick(KEYS),
        spec: 'status=500',
        after: random.next() < 0.3 ? Math.floor(random.next() * 3) : 0,
        times: random.next() < 0.5 ? 1 + Math.floor(random.next() * 3) : null,
      };
      const rule = addRule(sim, input);
      reference.push({ id: rule.id, method: rule.method, key: rule.key, pattern: rule.path ? pathPattern(rule.path) : null, after: rule.after, times: rule.times, matched: 0, fired: 0 });
    };
    const fired = async (ctx: RequestContext): Promise<string | undefined> => {
      const before = new Map(faultState(sim).rules.map((r) => [r.id, r.fired]));
      try {
        await faultInterceptor(ctx, async () => ({ status: 200, body: {} }));
      } catch (e) {
        expect(e).toBeInstanceOf(XPayError);
      }
      return faultState(sim).rules.find((r) => r.fired !== before.get(r.id))?.id;
    };
    for (let i = 0; i < 300; i++) add();
    let fires = 0;
    for (let step = 0; step < 3000; step++) {
      if (step % 100 === 0) add();
      if (step === 1500) {
        // Removing a tenant's rules rebuilds the index; the scan's list shrinks the same way.
        removeRules(sim, (r) => r.key === KEYS[1]);
        for (let j = reference.length - 1; j >= 0; j--) if (reference[j]!.key === KEYS[1]) reference.splice(j, 1);
      }
      const op = pick(ops);
      const method = op.method === 'GET' && random.next() < 0.2 ? 'HEAD' : op.method;
      const path = concrete(op.pathTemplate, random.next() < 0.5 ? 'id_1' : 'other', random.next() < 0.1);
      const key = random.next() < 0.1 ? undefined : pick(KEYS);
      const ctx = { sim, method, path, operationId: op.operationId, pathTemplate: op.pathTemplate, headers: {}, key: key ? { raw: key } : undefined, ns: undefined } as unknown as RequestContext;
      const expected = scan(reference, method, path, key);
      expect(await fired(ctx), `${method} ${path} as ${key}`).toBe(expected);
      if (expected) fires++;
    }
    expect(fires).toBeGreaterThan(100);
    const counters = (rules: Array<Pick<FaultRule, 'id' | 'matched' | 'fired'>>) => rules.map((r) => `${r.id}:${r.matched}/${r.fired}`);
    expect(counters(faultState(sim).rules)).toEqual(counters(reference));
  });

  it('never leaves out a rule that could match a route, trailing slash included', () => {
    const rule = (path: string | null, method: string | null = null) => ({ path, method }) as FaultRule;
    const route = { method: 'GET', pathTemplate: '/customers/{id}' };
    expect(ruleCouldMatch(rule('/customers/cus_1'), route)).toBe(true);
    expect(ruleCouldMatch(rule('/customers/cus_1/'), route)).toBe(true);
    expect(ruleCouldMatch(rule('/cust*/*'), route)).toBe(true);
    expect(ruleCouldMatch(rule('/**'), route)).toBe(true);
    expect(ruleCouldMatch(rule(null), route)).toBe(true);
    // And leaves out what cannot.
    expect(ruleCouldMatch(rule('/customers'), route)).toBe(false);
    expect(ruleCouldMatch(rule('/products/{id}'), route)).toBe(false);
    expect(ruleCouldMatch(rule('/customers/{id}', 'POST'), route)).toBe(false);
    expect(ruleCouldMatch(rule('customers/*'), route)).toBe(false);
  });
});
