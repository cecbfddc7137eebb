// `--data FILE`: every namespace on disk, as a snapshot plus an append-only journal (decision 0008).
// A change is answered only after the journal record holding it is written and fsynced; changes
// that arrive while a write runs share the next one (group commit). A record holds only what
// changed: the records a change touched (see change-tracking.ts), the clock, the id stream and
// changed extensions. The journal is folded into a new snapshot by a worker thread once it grows
// past the snapshot's size, and at start. A failed write rebuilds memory from disk, so memory
// and disk never disagree, and fails (503) every request whose change it dropped.
import { closeSync, existsSync, fdatasync, fstatSync, fsyncSync, ftruncate, ftruncateSync, openSync, readdirSync, renameSync, unlinkSync, write, writeFileSync, writeSync } from 'node:fs';
import { promisify } from 'node:util';
import { basename, dirname, join } from 'node:path';
import { ConfigError } from '../config.js';
import type { Simulator } from '../simulator.js';
import { restoreNamespace, type NamespaceDump } from '../control/ns-state.js';
import type { Namespace } from './namespace.js';
import type { EpochSource, MapChanges } from './change-tracking.js';
import { clockAndIdsUnchanged, sameShape, startTracking, type NamespaceTrack } from './namespace-changes.js';
import { collectChanges } from './change-collection.js';
import { DATA_FORMAT, journalHeader, journalPath, ReplayState } from './journal-format.js';
import { DataFileProblem, listJournals, readDurableState, syncDir } from './journal-files.js';
import { DataLock, LockBusy } from './data-lock.js';
import { namespaceToken } from '../control/page-urls.js';
import { runCompaction } from './compaction-runner.js';
import { SnapshotFiles, type SnapshotMeta } from './snapshot-files.js';

export { DATA_FORMAT };

export class DataFileError extends ConfigError {}

/** Appends `data` to the journal and makes it durable (tests swap it to simulate a full disk). */
export type JournalAppender = (fd: number, data: Buffer, position: number) => Promise<void>;

const writeAsync = promisify(write);
const datasyncAsync = promisify(fdatasync);
const truncateAsync = promisify(ftruncate);

export const appendDurably: JournalAppender = async (fd, data, position) => {
  let written = 0;
  while (written < data.length) written += (await writeAsync(fd, data, written, data.length - written, position + written)).bytesWritten;
  await datasyncAsync(fd);
};

const START_COMPACTION_DELAY_MS = 2000;

/** The journal folds into a snapshot once it is larger than this and than the snapshot. */
const COMPACT_MIN_BYTES = Number(process.env.XPAY_SIM_COMPACT_MIN_BYTES) > 0 ? Number(process.env.XPAY_SIM_COMPACT_MIN_BYTES) : 8 * 1024 * 1024;

export interface Pending {
  promise: Promise<void>;
  resolve: () => void;
  reject: (e: unknown) => void;
}

export function deferred(): Pending {
  let resolve!: () => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)));
  // A failed batch may have no waiter left (its requests already failed); never crash on it.
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}

export class Persistence implements EpochSource {
  appender: JournalAppender = appendDurably;
  /** Journal epoch: bumped at every record taken; change tracking stamps reads with it. */
  epoch = 0;
  readonly active = new Set<MapChanges>();
  /** Bumped by every rollback; a request that saw another epoch lost its change. */
  rollbacks = 0;
  writes = 0;
  compactions = 0;
  compactMinBytes = COMPACT_MIN_BYTES;
  /** How long reading and replaying the data at start took. */
  loadMs = 0;
  warnings: string[] = [];
  /** Named snapshots (`/_sim/snapshots`), one file each beside the data (snapshot-files.ts). */
  readonly snapshotFiles: SnapshotFiles;
  /** The named snapshots found at start. */
  savedSnapshots: SnapshotMeta[] = [];
  readonly known = new Map<string, NamespaceTrack>();
  /** Namespaces evicted from memory (`--limit namespaces`): on disk only, loaded back on use. */
  readonly evicted = new Set<string>();
  /** Page URL namespace tokens (src/control/page-urls.ts) → evicted key, so pages can bring it back. */
  private readonly evictedTokens = new Map<string, string>();
  /** Evicted namespaces removed by a reset of everything: journaled as dropped with the next write. */
  readonly dropped = new Set<string>();
  /** Operations (requests, page posts) running now, with the epoch they started in. */
  readonly running = new Set<{ epoch: number }>();
  private generation = 0;
  private fd: number | undefined;
  private journalBytes = 0;
  private snapshotBytes = 0;
  private writing = false;
  private queued: Pending | undefined;
  private compacting: Promise<void> | undefined;
  private rotateWanted = false;
  /** Set when the journal could not be put back after a failed write: refuse changes until restart. */
  private broken: Error | undefined;
  private readonly lock: DataLock;
  private readonly verify = process.env.XPAY_SIM_VERIFY_JOURNAL === '1';
  shadow: ReplayState | undefined;

  constructor(
    readonly sim: Simulator,
    readonly path: string,
  ) {
    this.lock = new DataLock(`${path}.lock`);
    this.snapshotFiles = new SnapshotFiles(path);
  }

  readOnly(): boolean {
    const m = this.sim.activeRequest?.method;
    return m === 'GET' || m === 'HEAD';
  }

  /** Takes the lock and loads snapshot + journals into the simulator. Throws DataFileError. */
  open(resetCorrupt = false): void {
    const started = performance.now();
    this.takeLock();
    try {
      this.removeStaleTempFiles();
      let loaded: ReturnType<typeof readDurableState>;
      try {
        loaded = readDurableState(this.path);
      } catch (e) {
        if (!(e instanceof DataFileProblem)) throw e;
        if (!resetCorrupt) throw new DataFileError(`${e.message}; fix or remove it, or start with --data-reset-corrupt`);
        this.moveAside(e);
        loaded = readDurableState(this.path);
      }
      const { state, journals, stale } = loaded;
      this.warnings = loaded.warnings;
      this.savedSnapshots = this.loadSnapshots(resetCorrupt);
      for (const w of this.warnings) process.stderr.write(`xpay-sim: warning: ${w}\n`);
      this.install(state);
      this.snapshotBytes = loaded.snapshotBytes;
      for (const p of stale) tryUnlink(p);
      const last = journals[journals.length - 1];
      this.generation = last ? last.generation : state.generation;
      this.openJournal(last ? last.parsed.validBytes : 0);
      this.loadMs = performance.now() - started;
      // Compaction at start (in the background): the journal replayed now is not replayed again.
      // Deferred a little, so the worker does not compete with the rest of start-up for the CPU.
      if (journals.some((j) => j.parsed.records > 0) || journals.length > 1) {
        this.rotateWanted = true;
        setTimeout(() => {
          if (this.fd !== undefined && this.rotateWanted) void this.commit().catch(() => undefined);
        }, START_COMPACTION_DELAY_MS).unref();
      }
    } catch (e) {
      this.closeFd();
      this.lock.release();
      throw e;
    }
  }

  /** The named snapshots' files, each checked; a damaged one stops start-up like a damaged journal. */
  private loadSnapshots(resetCorrupt: boolean): SnapshotMeta[] {
    try {
      return this.snapshotFiles.load(resetCorrupt, (w) => this.warnings.push(w));
    } catch (e) {
      if (e instanceof DataFileProblem) throw new DataFileError(`${e.message}; fix or remove it, or start with --data-reset-corrupt`);
      throw e;
    }
  }

  private takeLock(): void {
    try {
      this.lock.acquire();
    } catch (e) {
      if (e instanceof LockBusy) {
        throw new DataFileError(`${this.path}: in use by another xpay-sim (${e.holderPid ? `pid ${e.holderPid}` : 'in another container, still refreshing its lock'}, lock ${this.lock.path})`);
      }
      throw new DataFileError(`${this.lock.path}: cannot create the lock file (${(e as Error).message})`);
    }
  }

  /** --data-reset-corrupt: the snapshot and every journal go aside together, and start is fresh. */
  private moveAside(problem: DataFileProblem): void {
    const suffix = `.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    const moved: string[] = [];
    for (const p of [this.path, ...listJournals(this.path).map((j) => j.path)]) {
      if (!existsSync(p)) continue;
      renameSync(p, p + suffix);
      moved.push(p + suffix);
    }
    process.stderr.write(`xpay-sim: ${problem.message}; moved ${moved.join(', ')} aside and started fresh\n`);
  }

  /** Leftovers of writes cut short by a crash (the data itself is intact without them). */
  private removeStaleTempFiles(): void {
    const base = basename(this.path);
    const dir = dirname(this.path);
    try {
      for (const name of readdirSync(dir)) {
        if (name === `${base}.compact.tmp` || (name.startsWith(`${base}.`) && /^\d+\.tmp$/.test(name.slice(base.length + 1)))) tryUnlink(join(dir, name));
      }
    } catch {
      // Best effort: a leftover temp file is harmless.
    }
  }

  /** Opens (or creates) the current journal and cuts off a torn tail, so appends follow valid records. */
  private openJournal(validBytes: number): void {
    const path = journalPath(this.path, this.generation);
    this.fd = openSync(path, existsSync(path) ? 'r+' : 'w+');
    if (validBytes === 0) {
      const header = Buffer.from(journalHeader(this.generation));
      ftruncateSync(this.fd, 0);
      writeSync(this.fd, header, 0, header.length, 0);
      fsyncSync(this.fd);
      syncDir(dirname(this.path));
      this.journalBytes = header.length;
    } else {
      // Only a torn tail needs cutting (and that cut made durable); a whole journal is left as it is.
      if (fstatSync(this.fd).size !== validBytes) {
        ftruncateSync(this.fd, validBytes);
        fsyncSync(this.fd);
      }
      this.journalBytes = validBytes;
    }
  }

  private closeFd(): void {
    if (this.fd === undefined) return;
    try {
      closeSync(this.fd);
    } catch {
      // Already closed.
    }
    this.fd = undefined;
  }

  /** Memory := `state`; what the journal knows := the same. */
  private install(state: ReplayState): void {
    for (const key of this.evicted) if (!state.namespaces.has(key)) this.evicted.delete(key);
    const keys = new Set(state.namespaces.keys());
    for (const key of [...this.sim.namespaces.keys()]) if (!keys.has(key)) this.sim.namespaces.delete(key);
    this.known.clear();
    for (const dump of state.dumps()) {
      if (this.evicted.has(dump.key)) continue;
      let ns = this.sim.namespaces.get(dump.key);
      if (!ns) {
        ns = this.sim.createNamespace(dump.key, dump.livemode);
        this.sim.namespaces.set(dump.key, ns);
        for (const hook of this.sim.namespaceCreated) hook(ns);
      }
      restoreNamespace(ns, dump);
      this.track(ns);
    }
    this.active.clear();
    // The shadow must not share record objects with memory (in-place edits would change both).
    if (this.verify) this.shadow = readDurableState(this.path).state;
  }

  /** Starts watching a namespace whose current state the journal holds. */
  track(ns: Namespace): NamespaceTrack {
    const t = startTracking(ns, this);
    this.known.set(ns.key, t);
    return t;
  }

  /** A namespace may leave memory once everything it changed is on disk. */
  canEvict(ns: Namespace): boolean {
    const t = this.known.get(ns.key);
    if (!t || !sameShape(t, ns) || this.writing) return false;
    for (const m of [...t.maps.values(), ...t.extMaps.values()]) if (m.pending) return false;
    return clockAndIdsUnchanged(t, ns);
  }

  evictedNamespace(ns: Namespace): void {
    const t = this.known.get(ns.key);
    if (t) for (const m of [...t.maps.values(), ...t.extMaps.values()]) this.active.delete(m);
    this.known.delete(ns.key);
    this.evicted.add(ns.key);
    this.evictedTokens.set(namespaceToken(this.sim, ns.key), ns.key);
  }

  /** The evicted namespace a page URL's token stands for, if any. */
  evictedByToken(token: string): string | undefined {
    return this.evictedTokens.get(token);
  }

  /** Reads an evicted namespace back from disk (a full read of snapshot and journal: rare by design). */
  revive(key: string): Namespace | undefined {
    if (!this.evicted.has(key)) return undefined;
    this.evicted.delete(key);
    const dump = readDurableState(this.path).state.dump(key);
    if (!dump) return undefined;
    this.evictedTokens.delete(namespaceToken(this.sim, key));
    const ns = this.sim.createNamespace(key, dump.livemode);
    this.sim.namespaces.set(key, ns);
    for (const hook of this.sim.namespaceCreated) hook(ns);
    restoreNamespace(ns, dump);
    this.track(ns);
    return ns;
  }

  forgetEvicted(): void {
    for (const key of this.evicted) this.dropped.add(key);
    this.evicted.clear();
    this.evictedTokens.clear();
  }

  /** Marks an operation as running: records it reads stay journaled until it ends. */
  begin(): () => void {
    const op = { epoch: this.epoch };
    this.running.add(op);
    return () => this.running.delete(op);
  }

  /**
   * Whether a read-only request must wait for a write before answering: one is in progress, or
   * clock-driven work run for the read added or removed records (expiry emits events), drew ids or
   * moved a clock.
   */
  changedSinceWrite(ns?: Namespace): boolean {
    // A write in progress: a read must not show what it carries before it is on disk.
    if (this.writing) return true;
    for (const m of this.active) if (m.cleared || m.appended.length > 0 || m.deleted.size > 0) return true;
    if (ns) {
      const t = this.known.get(ns.key);
      if (!t || t.ns !== ns || t.db !== ns.db || !clockAndIdsUnchanged(t, ns)) return true;
    }
    return this.rotateWanted;
  }

  /** Resolves once everything changed so far is on disk; concurrent callers share one write. */
  commit(): Promise<void> {
    if (this.broken) return Promise.reject(this.broken);
    if (!this.queued) this.queued = deferred();
    const { promise } = this.queued;
    if (!this.writing) void this.flush();
    return promise;
  }

  private async flush(): Promise<void> {
    this.writing = true;
    while (this.queued) {
      const batch = this.queued;
      this.queued = undefined;
      try {
        if (this.rotateWanted) await this.rotate();
        const text = collectChanges(this);
        if (text !== undefined) await this.append(text);
        batch.resolve();
      } catch (e) {
        await this.rollback(e);
        batch.reject(e);
        // Changes queued behind the failed write were rolled back with it.
        const behind = this.queued as Pending | undefined;
        this.queued = undefined;
        behind?.reject(e);
      }
    }
    this.writing = false;
  }

  private async append(text: string): Promise<void> {
    const data = Buffer.from(text);
    await this.appender(this.fd!, data, this.journalBytes);
    this.journalBytes += data.length;
    this.writes++;
    if (!this.compacting && this.journalBytes > Math.max(this.compactMinBytes, this.snapshotBytes)) this.rotateWanted = true;
  }

  /** Memory back to what is on disk (the journal cut back first), so memory and disk never disagree. */
  private async rollback(cause: unknown): Promise<void> {
    this.rollbacks++;
    try {
      await truncateAsync(this.fd!, this.journalBytes);
      await datasyncAsync(this.fd!);
      this.install(readDurableState(this.path).state);
    } catch (e) {
      this.broken = Object.assign(new Error(`the journal could not be restored after a failed write (${(e as Error).message})`), { code: (cause as NodeJS.ErrnoException)?.code ?? 'EIO' });
      process.stderr.write(`xpay-sim: ${this.path}: ${this.broken.message}; refusing changes until restart\n`);
    }
  }

  /** Starts journal generation+1 (between writes) and folds the older ones into the snapshot. */
  private async rotate(): Promise<void> {
    this.rotateWanted = false;
    if (this.compacting) return;
    const upTo = this.generation;
    this.closeFd();
    this.generation++;
    this.openJournal(0);
    this.compacting = this.compact(upTo).finally(() => (this.compacting = undefined));
  }

  private async compact(upTo: number): Promise<void> {
    try {
      const bytes = await runCompaction(this.path, upTo);
      for (const j of listJournals(this.path)) if (j.generation <= upTo) tryUnlink(j.path);
      if (bytes > 0) this.snapshotBytes = bytes;
      this.compactions++;
    } catch (e) {
      // The journals stay; start-up replays them and tries again.
      process.stderr.write(`xpay-sim: ${this.path}: compaction failed (${(e as Error).message}); the journal keeps every change\n`);
    }
  }

  /** Waits for a running compaction (tests, shutdown). */
  async settled(): Promise<void> {
    while (this.writing || this.compacting) {
      if (this.compacting) await this.compacting;
      else await new Promise((r) => setTimeout(r, 5));
    }
  }

  /** Bytes of snapshot and journal on disk now (for /_sim/usage). */
  diskBytes(): { snapshot: number; journal: number } {
    return { snapshot: this.snapshotBytes, journal: this.journalBytes };
  }

  async close(): Promise<void> {
    try {
      await this.settled();
    } catch {
      // Closing after a failure: the data on disk is what it is.
    }
    this.closeFd();
    this.lock.release();
  }

  /** Release the lock synchronously (process exit). */
  releaseLock(): void {
    this.lock.release();
  }
}

function tryUnlink(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Gone already.
  }
}

/** For benchmarks and tests: a snapshot file holding these namespaces (generation 0, no journal). */
export function writeDataFileSync(path: string, dumps: NamespaceDump[]): void {
  const namespaces = Object.fromEntries(dumps.map((d) => [d.key, d]));
  const fd = openSync(path, 'w');
  writeFileSync(fd, JSON.stringify({ format: DATA_FORMAT, version: 2, generation: 0, namespaces }));
  fsyncSync(fd);
  closeSync(fd);
}
