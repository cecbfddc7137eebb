// Fault injection: latency, XPay-shaped errors, dropped connections and "applied, then failed"
// answers, from an `XPay-Sim-Fault` request header or from rules registered on /_sim/faults.
import { SeededRandom } from '../core/ids.js';
import { XPayError, errors, type ErrorType } from '../core/errors.js';
import type { HandlerResult, RequestContext } from '../http/types.js';
import type { Simulator } from '../simulator.js';
import type { Namespace } from '../store/namespace.js';
import { parseDuration } from '../resources/sim-clock.js';
import { FaultIndex, type RouteKey } from './fault-index.js';

export interface Fault {
  latencyMs?: number;
  /** Answer this status instead of running the request. */
  status?: number;
  code?: string;
  retryAfter?: number;
  /** Close the connection without an answer instead of running the request. */
  drop?: boolean;
  /** Run the request (the change is committed), then answer 500 / this status, or drop. */
  applied?: number | 'drop';
  /** Chance (0–1) that the fault fires, drawn from a PRNG seeded per namespace. */
  rate?: number;
}

export interface FaultRule {
  id: string;
  /** Creation order: the earlier of two matching rules wins. */
  seq: number;
  method: string | null;
  path: string | null;
  /** The namespace the rule applies to; null = every namespace. */
  key: string | null;
  spec: string;
  fault: Fault;
  /** Let this many matching requests through first. */
  after: number;
  /** Fire this many times, then let requests through (null = every time). */
  times: number | null;
  matched: number;
  fired: number;
  pathPattern: RegExp | null;
}

/** Parses `latency=200ms; status=429; code=rate_limit; retry-after=2`, `drop`, `applied=500`. */
export function parseFaultSpec(spec: string, param = 'XPay-Sim-Fault'): Fault {
  const fault: Fault = {};
  for (const part of spec.split(/[;,]/).map((p) => p.trim()).filter(Boolean)) {
    const [rawName, value] = part.split('=', 2).map((s) => s.trim()) as [string, string | undefined];
    const name = rawName.toLowerCase();
    const int = (min: number, max: number): number => {
      const n = Number(value);
      if (!Number.isInteger(n) || n < min || n > max) throw errors.invalid(param, `${name} must be a whole number from ${min} to ${max}; got "${value ?? ''}".`);
      return n;
    };
    if (name === 'latency' && value !== undefined) fault.latencyMs = Math.min(parseDuration(/^\d+$/.test(value) ? Number(value) : value, param), 60_000);
    else if (name === 'status' || name === 'error') fault.status = int(400, 599);
    else if (name === 'code' && value) fault.code = value;
    else if (name === 'retry-after') fault.retryAfter = int(0, 3600);
    else if (name === 'drop' && value === undefined) fault.drop = true;
    else if (name === 'applied') fault.applied = value === 'drop' ? 'drop' : value === undefined ? 500 : int(400, 599);
    else if (name === 'rate') {
      const r = Number(value);
      if (!(r >= 0 && r <= 1)) throw errors.invalid(param, `rate must be between 0 and 1; got "${value ?? ''}".`);
      fault.rate = r;
    } else throw errors.invalid(param, `Unknown fault "${part}"; use latency=, status=, code=, retry-after=, drop, applied=, rate=.`);
  }
  if (Object.keys(fault).length === 0) throw errors.invalid(param, 'The fault spec is empty.');
  return fault;
}

/** Path templates (`/customers/{id}`) and globs (`*` one segment, `**` anything) as a regex. */
export function pathPattern(path: string): RegExp {
  let out = '';
  for (let i = 0; i < path.length; i++) {
    const ch = path[i]!;
    if (ch === '{') {
      const end = path.indexOf('}', i);
      out += '[^/]+';
      i = end === -1 ? path.length : end;
    } else if (ch === '*' && path[i + 1] === '*') {
      out += '.*';
      i++;
    } else if (ch === '*') out += '[^/]*';
    else out += ch.replace(/[.+?^$()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${out}$`);
}

interface FaultState {
  /** Every rule in creation order (what /_sim/faults lists). */
  rules: FaultRule[];
  /** The same rules, grouped so a request only looks at the ones that could match it. */
  index: FaultIndex;
  nextId: number;
}

const states = new WeakMap<Simulator, FaultState>();
const randoms = new WeakMap<Namespace, SeededRandom>();

export function faultState(sim: Simulator): FaultState {
  let state = states.get(sim);
  if (!state) states.set(sim, (state = { rules: [], index: new FaultIndex(), nextId: 1 }));
  return state;
}

/**
 * @assumption `--limit faultRules` (1,000) rules per namespace, and as many global ones: a test
 * suite uses a handful; more means a loop gone wrong. XPay has no fault rules, so the refusal is our
 * own 400 `invalid_request`, naming the limit as XPay's other limits do.
 */
function checkRoom(sim: Simulator, key: string | null): void {
  const max = sim.config.limits.faultRules;
  if (faultState(sim).index.count(key) < max) return;
  const owner = key === null ? 'There are already' : 'This namespace already has';
  throw errors.code(400, 'invalid_request',
    `${owner} the maximum of ${max} fault rules (limit faultRules); remove them with DELETE /_sim/faults before adding more.`);
}

export function addRule(sim: Simulator, input: Omit<FaultRule, 'id' | 'seq' | 'matched' | 'fired' | 'pathPattern' | 'fault'>): FaultRule {
  const state = faultState(sim);
  const fault = parseFaultSpec(input.spec, 'fault');
  checkRoom(sim, input.key);
  const seq = state.nextId++;
  const rule: FaultRule = {
    ...input,
    method: input.method?.toUpperCase() ?? null,
    id: `fault_${seq}`,
    seq,
    fault,
    matched: 0,
    fired: 0,
    pathPattern: input.path ? pathPattern(input.path) : null,
  };
  state.rules.push(rule);
  state.index.add(rule);
  return rule;
}

/** Removes the rules `removes` picks; answers how many went. */
export function removeRules(sim: Simulator, removes: (rule: FaultRule) => boolean): number {
  const state = faultState(sim);
  const before = state.rules.length;
  state.rules = state.rules.filter((rule) => !removes(rule));
  state.index.reset(state.rules);
  return before - state.rules.length;
}

/** The request's method and its operation's path template: what the index groups rules by. */
function routeOf(ctx: RequestContext): RouteKey | undefined {
  return ctx.pathTemplate === '' ? undefined : { method: ctx.method, pathTemplate: ctx.pathTemplate };
}

function chance(sim: Simulator, ns: Namespace | undefined, rate: number): boolean {
  if (rate >= 1) return true;
  if (!ns) return false;
  let random = randoms.get(ns);
  // Its own stream, so injecting faults never shifts the ids a namespace hands out.
  if (!random) randoms.set(ns, (random = new SeededRandom(`${sim.config.seed}\u0000faults\u0000${ns.key}`)));
  return random.next() < rate;
}

function matchRule(ctx: RequestContext): Fault | undefined {
  const state = states.get(ctx.sim);
  // Rules never hit their own control endpoint, or a broad rule could not be removed.
  if (!state || state.rules.length === 0 || ctx.path === '/_sim/faults') return undefined;
  const route = routeOf(ctx);
  // The exact tests below still decide; the index only skips rules that cannot match.
  const candidates = route ? state.index.candidates(ctx.key?.raw, route) : state.rules;
  for (const rule of candidates) {
    if (rule.method && rule.method !== ctx.method) continue;
    if (rule.key && rule.key !== ctx.key?.raw) continue;
    if (rule.pathPattern && !rule.pathPattern.test(ctx.path)) continue;
    rule.matched++;
    if (rule.matched <= rule.after) continue;
    if (rule.times !== null && rule.fired >= rule.times) continue;
    rule.fired++;
    return rule.fault;
  }
  return undefined;
}

function faultError(status: number, code: string | undefined, retryAfter: number | undefined): XPayError {
  const type: ErrorType = status === 429 ? 'rate_limit_error' : status >= 500 ? 'api_error' : 'invalid_request_error';
  const chosen = code ?? (status === 429 ? 'rate_limit' : status >= 500 ? 'internal_error' : 'invalid_request');
  const headers = status === 429 || status === 503 ? { 'Retry-After': String(retryAfter ?? 1) } : undefined;
  return new XPayError(status, type, chosen, `Simulated failure (${status} ${chosen}) injected by xpay-sim.`, undefined, headers);
}

function drop(ctx: RequestContext): HandlerResult {
  // Destroying the response closes the socket; the pipeline then writes nothing.
  ctx.res.destroy();
  return { status: 599, body: { dropped: true } };
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Not async on purpose: without a header or a matching rule a request passes straight through. */
export function faultInterceptor(ctx: RequestContext, next: () => Promise<HandlerResult>): Promise<HandlerResult> {
  const header = ctx.headers['xpay-sim-fault'];
  let fault: Fault | undefined;
  try {
    if (header !== undefined) fault = parseFaultSpec(Array.isArray(header) ? header.join(';') : header);
    else fault = matchRule(ctx);
  } catch (e) {
    return Promise.reject(e);
  }
  if (!fault || (fault.rate !== undefined && !chance(ctx.sim, ctx.ns, fault.rate))) return next();
  return inject(ctx, fault, next);
}

async function inject(ctx: RequestContext, fault: Fault, next: () => Promise<HandlerResult>): Promise<HandlerResult> {
  if (fault.latencyMs) await sleep(fault.latencyMs);
  if (fault.drop) return drop(ctx);
  if (fault.status !== undefined && fault.applied === undefined) throw faultError(fault.status, fault.code, fault.retryAfter);
  if (fault.applied === undefined) return next();
  // "Applied, then failed": everything inside (idempotency record, durable write) sees success.
  await next().catch(() => undefined);
  if (fault.applied === 'drop') return drop(ctx);
  throw faultError(fault.applied, fault.code, fault.retryAfter);
}

export function installFaults(sim: Simulator): void {
  sim.interceptors.push(faultInterceptor);
}
