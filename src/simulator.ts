// The simulator instance: compiled spec, namespaces, and the request pipeline's extension points.
import type { Ajv2020 } from 'ajv/dist/2020.js';
import { Clock } from './core/clock.js';
import { SeededRandom } from './core/ids.js';
import type { SimulatorConfig } from './config.js';
import { loadSpec, packageRoot, type OpenApiDocument } from './spec.js';
import type { Router } from './http/router.js';
import type { RequestValidator } from './http/validation.js';
import { compiledSpec } from './http/compiled-spec.js';
import type { ApiKey } from './http/auth.js';
import type { Handler, HandlerResult, RequestContext } from './http/types.js';
import { Namespace } from './store/namespace.js';
import { buildFixtureCollections, readFixtureFolder, type FixtureFile } from './store/fixtures.js';
import { emitEvent, type EventRecord } from './events/emit.js';
import { join } from 'node:path';
import { makeRoom } from './control/namespace-cap.js';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Keeps evicted namespaces (the data file) and says which namespaces may leave memory now. */
export interface EvictionStore {
  canEvict(ns: Namespace): boolean;
  evicted(ns: Namespace): void;
  revive(key: string): Namespace | undefined;
  /** The evicted namespace a page URL's namespace token stands for. */
  keyForToken(token: string): string | undefined;
  /** After a reset of every namespace: the evicted ones are gone too. */
  forgetEvicted(): void;
}

/** Wraps handler execution (idempotency, faults, request log); call `next()` to continue. */
export type Interceptor = (ctx: RequestContext, next: () => Promise<HandlerResult>) => Promise<HandlerResult>;
/** Time-based work (expiry, settlement, retries) run before a namespace's requests and on clock moves. */
export type DueWork = (ns: Namespace, sim: Simulator) => void;

export class Simulator {
  readonly spec: { text: string; doc: OpenApiDocument };
  readonly router: Router;
  readonly ajv: Ajv2020;
  readonly validators: Map<string, RequestValidator>;
  readonly namespaces = new Map<string, Namespace>();
  readonly interceptors: Interceptor[] = [];
  readonly dueWork: DueWork[] = [];
  readonly namespaceCreated: Array<(ns: Namespace) => void> = [];
  /** Optional: the earliest instant (ms) some time-based work falls due, so clock moves stop there. */
  readonly dueTimes: Array<(ns: Namespace) => number | undefined> = [];
  /** Called with every routed request's final result, just before it is written (request log). */
  readonly requestCompleted: Array<(ctx: RequestContext, result: HandlerResult) => void> = [];
  /** The request whose handler is running synchronously right now (events emitted belong to it). */
  activeRequest: RequestContext | undefined;
  /**
   * Told when work outside any API request changed a namespace (a webhook attempt recorded, a page
   * form posted), so persistence can make it durable; the promise settles once it is.
   */
  readonly backgroundChange: Array<(ns: Namespace) => Promise<void>> = [];
  /**
   * Called as each page request (hosted checkout, payment-link page, 3-D Secure, uploads) starts:
   * pages bypass the API interceptors, so persistence holds their answer here until it is durable.
   */
  readonly pageRequest: Array<(req: IncomingMessage, res: ServerResponse) => void> = [];
  /** Run when the server closes (release the data file lock, flush). */
  readonly closing: Array<() => void | Promise<void>> = [];
  /** When each namespace was last used by an API request (performance.now()), for eviction. */
  readonly lastUsed = new WeakMap<Namespace, number>();
  /** Set by persistence: where evicted namespaces go, and whether one may be evicted now. */
  evictionStore: EvictionStore | undefined;
  readonly requestIds: SeededRandom;
  readonly fixtures: FixtureFile[];
  readonly startedAt = Date.now();
  publicUrl: string;

  constructor(
    readonly config: SimulatorConfig,
    readonly handlers: Record<string, Handler>,
  ) {
    this.spec = loadSpec();
    // Shared across simulators of the same spec; request validators compile on first use.
    ({ router: this.router, ajv: this.ajv, validators: this.validators } = compiledSpec(this.spec.doc));
    this.requestIds = new SeededRandom(`${config.seed}\u0000requests`);
    this.fixtures = readFixtureFolder(config.fixturesDir ?? join(packageRoot(), 'fixtures'));
    // Validate fixtures once at start so a broken file stops the simulator with its name.
    buildFixtureCollections(this.fixtures, 'merch_validation', this.ajv);
    this.publicUrl = config.publicUrl ?? `http://localhost:${config.port}`;
  }

  nextRequestId(): string {
    return 'req_' + this.requestIds.base62(24);
  }

  newClock(): Clock {
    return new Clock(this.config.clockMode, this.config.now);
  }

  namespace(key: ApiKey): Namespace {
    let ns = this.namespaces.get(key.raw);
    if (!ns) {
      if (this.namespaces.size >= this.config.limits.namespaces) makeRoom(this);
      ns = this.revive(key.raw) ?? this.createNamespace(key.raw, key.livemode);
      if (!this.namespaces.has(key.raw)) {
        this.namespaces.set(key.raw, ns);
        for (const hook of this.namespaceCreated) hook(ns);
      }
    }
    this.lastUsed.set(ns, performance.now());
    return ns;
  }

  /** For pages (no key): the evicted namespace a page URL's token stands for, loaded back; undefined when none or no room. */
  reviveByToken(token: string): Namespace | undefined {
    const key = this.evictionStore?.keyForToken(token);
    if (key === undefined) return undefined;
    try {
      if (this.namespaces.size >= this.config.limits.namespaces) makeRoom(this);
    } catch {
      return undefined;
    }
    const ns = this.revive(key);
    if (ns) this.lastUsed.set(ns, performance.now());
    return ns;
  }

  /** A namespace evicted from memory earlier, loaded back from the data file (with `--data`). */
  revive(key: string): Namespace | undefined {
    return this.evictionStore?.revive(key);
  }

  createNamespace(key: string, livemode: boolean): Namespace {
    const merchantId = 'merch_' + new SeededRandom(`${this.config.seed}\u0000merchant`).base62(16);
    return new Namespace(
      { key, livemode, seed: this.config.seed, clock: this.newClock(), merchantId, publicUrl: this.publicUrl },
      buildFixtureCollections(this.fixtures, merchantId, this.ajv),
    );
  }

  /** Back to fixtures: one namespace, or all of them. */
  reset(key?: string): void {
    if (key === undefined) {
      this.namespaces.clear();
      this.evictionStore?.forgetEvicted();
      return;
    }
    const old = this.namespaces.get(key) ?? this.revive(key);
    if (!old) return;
    const ns = this.createNamespace(key, old.livemode);
    this.namespaces.set(key, ns);
    for (const hook of this.namespaceCreated) hook(ns);
  }

  runDue(ns: Namespace): void {
    for (const work of this.dueWork) work(ns, this);
  }

  /** Call after changing `ns` outside an API request; resolves once the change is durable. */
  async changedInBackground(ns: Namespace): Promise<void> {
    await Promise.all(this.backgroundChange.map((hook) => hook(ns)));
  }

  emit(ns: Namespace, type: string, object: Record<string, unknown>): EventRecord {
    return emitEvent(this, ns, type, object, this.config.limits.events);
  }
}
