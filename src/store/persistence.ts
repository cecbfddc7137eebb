// `--data FILE`: every namespace on disk. A write request is answered only after its change is
// durably written (temp file + fsync + rename), writes are group-committed, a failed write rolls
// memory back to what is on disk, and a lock file keeps a second process off the same file.
import { closeSync, existsSync, fsyncSync, openSync, readdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { open, rename } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { ConfigError } from '../config.js';
import { XPayError } from '../core/errors.js';
import type { HandlerResult, RequestContext } from '../http/types.js';
import type { Simulator } from '../simulator.js';
import { idempotencyInterceptor, setDurableWrite } from '../control/idempotency.js';
import { dumpNamespace, dumpProblem, restoreNamespace, type NamespaceDump } from '../control/ns-state.js';

export const DATA_FORMAT = 'xpay-sim/data';
export const DATA_VERSION = 1;

/** Writes `data` to `path` so that a crash leaves either the old or the new content. */
export type DurableWriter = (path: string, data: string) => Promise<void>;

export class DataFileError extends ConfigError {}

export const atomicWrite: DurableWriter = async (path, data) => {
  const tmp = `${path}.${process.pid}.tmp`;
  const handle = await open(tmp, 'w');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(tmp, path);
  // The rename itself must survive a crash too.
  try {
    const dir = await open(dirname(path), 'r');
    await dir.sync().finally(() => dir.close());
  } catch {
    // Some platforms cannot fsync a directory; the file content is already safe.
  }
};

interface Pending {
  promise: Promise<void>;
  resolve: () => void;
  reject: (e: unknown) => void;
}

function deferred(): Pending {
  let resolve!: () => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)));
  // A failed batch may have no waiter left (its requests already failed); never crash on it.
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}

export class Persistence {
  writer: DurableWriter = atomicWrite;
  /** Serialized namespaces exactly as last written to disk. */
  private durable = new Map<string, string>();
  private dirty = new Set<string>();
  private allDirty = false;
  private writing = false;
  private queued: Pending | undefined;
  /** Bumped by every rollback; a request that saw another epoch lost its change. */
  epoch = 0;
  writes = 0;
  /** How long reading and loading the data file took at start. */
  loadMs = 0;
  private readonly lockPath: string;
  private locked = false;

  constructor(
    private readonly sim: Simulator,
    readonly path: string,
  ) {
    this.lockPath = `${path}.lock`;
  }

  /** Takes the lock and loads the file (if any) into the simulator. Throws DataFileError. */
  open(resetCorrupt = false): void {
    const started = performance.now();
    try {
      this.openFile(resetCorrupt);
    } finally {
      this.loadMs = performance.now() - started;
    }
  }

  private openFile(resetCorrupt: boolean): void {
    this.lock();
    let text: string | undefined;
    try {
      text = existsSync(this.path) ? readFileSync(this.path, 'utf8') : undefined;
    } catch (e) {
      this.unlock();
      throw new DataFileError(`${this.path}: cannot read the data file (${(e as Error).message})`);
    }
    this.removeStaleTempFiles();
    if (text === undefined) return;
    const problem = this.load(text);
    if (!problem) return;
    if (!resetCorrupt) {
      this.unlock();
      throw new DataFileError(`${this.path}: ${problem}; fix or remove it, or start with --data-reset-corrupt`);
    }
    const aside = `${this.path}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    renameSync(this.path, aside);
    this.sim.namespaces.clear();
    this.durable.clear();
    process.stderr.write(`xpay-sim: ${this.path}: ${problem}; moved it to ${aside} and started fresh\n`);
  }

  private load(text: string): string | undefined {
    if (text.trim() === '') return 'the data file is empty';
    let doc: { format?: unknown; version?: unknown; namespaces?: unknown };
    try {
      doc = JSON.parse(text);
    } catch (e) {
      return `the data file is not valid JSON (${(e as Error).message}); it may be truncated`;
    }
    if (!doc || typeof doc !== 'object' || doc.format !== DATA_FORMAT) return `not an xpay-sim data file (no "format": "${DATA_FORMAT}")`;
    if (doc.version !== DATA_VERSION) return `data file version ${String(doc.version)} is not supported (expected ${DATA_VERSION})`;
    if (!doc.namespaces || typeof doc.namespaces !== 'object' || Array.isArray(doc.namespaces)) return 'the data file has no namespaces object';
    const entries = Object.entries(doc.namespaces as Record<string, unknown>);
    for (const [key, dump] of entries) {
      const problem = dumpProblem(dump);
      if (problem) return problem;
      if ((dump as NamespaceDump).key !== key) return `namespace ${key} holds data of another key`;
    }
    for (const [key, value] of entries) {
      const dump = value as NamespaceDump;
      const ns = this.sim.createNamespace(key, dump.livemode);
      this.sim.namespaces.set(key, ns);
      for (const hook of this.sim.namespaceCreated) hook(ns);
      restoreNamespace(ns, dump);
      // Re-serializing here would double the start-up time; the next write rebuilds it lazily.
      this.durable.set(key, '');
    }
    this.allDirty = true;
    return undefined;
  }

  /** Temp files of writes cut short by a crash (the data file itself is intact). */
  private removeStaleTempFiles(): void {
    const prefix = basename(this.path) + '.';
    try {
      for (const name of readdirSync(dirname(this.path))) {
        const m = name.startsWith(prefix) ? /^(\d+)\.tmp$/.exec(name.slice(prefix.length)) : null;
        if (m && !isAlive(Number(m[1]))) unlinkSync(join(dirname(this.path), name));
      }
    } catch {
      // Best effort: a leftover temp file is harmless.
    }
  }

  private lock(): void {
    try {
      writeFileSync(this.lockPath, String(process.pid), { flag: 'wx' });
      this.locked = true;
      return;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw new DataFileError(`${this.lockPath}: cannot create the lock file (${(e as Error).message})`);
    }
    const pid = Number(readFileSync(this.lockPath, 'utf8').trim());
    if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) {
      throw new DataFileError(`${this.path}: in use by another xpay-sim (pid ${pid}, lock ${this.lockPath})`);
    }
    // Stale lock of a process that died: take it over.
    writeFileSync(this.lockPath, String(process.pid));
    this.locked = true;
  }

  private unlock(): void {
    if (!this.locked) return;
    this.locked = false;
    try {
      if (readFileSync(this.lockPath, 'utf8').trim() === String(process.pid)) unlinkSync(this.lockPath);
    } catch {
      // Already gone.
    }
  }

  markDirty(key: string | undefined): void {
    if (key === undefined) this.allDirty = true;
    else this.dirty.add(key);
  }

  /** Resolves once everything changed so far is on disk; concurrent callers share one write. */
  commit(): Promise<void> {
    if (!this.queued) this.queued = deferred();
    const { promise } = this.queued;
    if (!this.writing) void this.flush();
    return promise;
  }

  private serialize(): { text: string; next: Map<string, string> } {
    const next = new Map<string, string>();
    const parts: string[] = [];
    for (const [key, ns] of this.sim.namespaces) {
      let json = this.allDirty || this.dirty.has(key) ? undefined : this.durable.get(key);
      if (!json) json = JSON.stringify(dumpNamespace(ns));
      next.set(key, json);
      parts.push(`${JSON.stringify(key)}:${json}`);
    }
    return { text: `{"format":"${DATA_FORMAT}","version":${DATA_VERSION},"namespaces":{${parts.join(',')}}}`, next };
  }

  private async flush(): Promise<void> {
    this.writing = true;
    while (this.queued) {
      const batch = this.queued;
      this.queued = undefined;
      const { text, next } = this.serialize();
      this.dirty.clear();
      this.allDirty = false;
      try {
        await this.writer(this.path, text);
        this.durable = next;
        this.writes++;
        batch.resolve();
      } catch (e) {
        this.rollback();
        batch.reject(e);
        // Changes queued behind the failed write were rolled back with it.
        const behind = this.queued as Pending | undefined;
        this.queued = undefined;
        behind?.reject(e);
      }
    }
    this.writing = false;
  }

  /** Memory back to the last durable state, so memory and disk never disagree. */
  private rollback(): void {
    this.epoch++;
    for (const key of [...this.sim.namespaces.keys()]) if (!this.durable.has(key)) this.sim.namespaces.delete(key);
    let onDisk: Record<string, NamespaceDump> | undefined;
    for (const [key, json] of this.durable) {
      // '' = loaded at start and not rewritten since: the file on disk still holds it.
      if (json === '') onDisk ??= (JSON.parse(readFileSync(this.path, 'utf8')) as { namespaces: Record<string, NamespaceDump> }).namespaces;
      const dump = json === '' ? onDisk![key]! : (JSON.parse(json) as NamespaceDump);
      let ns = this.sim.namespaces.get(key);
      if (!ns) {
        ns = this.sim.createNamespace(key, dump.livemode);
        this.sim.namespaces.set(key, ns);
        for (const hook of this.sim.namespaceCreated) hook(ns);
      }
      restoreNamespace(ns, dump);
    }
  }

  close(): void {
    this.unlock();
  }
}

function isAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const open_ = new Set<Persistence>();
let exitHooked = false;
const instances = new WeakMap<Simulator, Persistence>();

export function persistenceOf(sim: Simulator): Persistence | undefined {
  return instances.get(sim);
}

function writeFailed(e: unknown): XPayError {
  const code = (e as NodeJS.ErrnoException)?.code ?? 'EIO';
  return new XPayError(503, 'api_error', 'internal_error', `The simulator could not save this change to its data file (${code}); nothing was changed. Retry later.`, undefined, { 'Retry-After': '1' });
}

export function installPersistence(sim: Simulator): void {
  const file = sim.config.dataFile;
  if (!file) return;
  const store = new Persistence(sim, file);
  store.open(sim.config.dataResetCorrupt === true);
  instances.set(sim, store);
  sim.closing.push(() => {
    store.close();
    open_.delete(store);
  });
  open_.add(store);
  if (open_.size === 1 && !exitHooked) {
    exitHooked = true;
    process.once('exit', () => open_.forEach((s) => s.close()));
  }
  // The durable write wraps idempotency (so its record is written with the change) but sits inside
  // faults (so "applied, then failed" really is applied).
  const at = sim.interceptors.indexOf(idempotencyInterceptor);
  sim.interceptors.splice(at === -1 ? sim.interceptors.length : at, 0, async (ctx: RequestContext, next: () => Promise<HandlerResult>): Promise<HandlerResult> => {
    if (READ_METHODS.has(ctx.method)) return next();
    const epoch = store.epoch;
    const written = deferred();
    setDurableWrite(ctx, written.promise);
    let result: HandlerResult | undefined;
    let failure: unknown;
    try {
      result = await next();
    } catch (e) {
      failure = e;
    }
    store.markDirty(ctx.ns?.key);
    try {
      await store.commit();
      written.resolve();
    } catch (e) {
      written.reject(e);
      throw writeFailed(e);
    }
    if (store.epoch !== epoch) throw writeFailed(Object.assign(new Error('rolled back'), { code: 'EROLLBACK' }));
    if (failure !== undefined) throw failure;
    return result!;
  });
}

/** For the data file benchmark and tests: the file a set of namespaces would produce. */
export function writeDataFileSync(path: string, dumps: NamespaceDump[]): void {
  const namespaces = Object.fromEntries(dumps.map((d) => [d.key, d]));
  const fd = openSync(path, 'w');
  writeFileSync(fd, JSON.stringify({ format: DATA_FORMAT, version: DATA_VERSION, namespaces }));
  fsyncSync(fd);
  closeSync(fd);
}
