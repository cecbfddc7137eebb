// The on-disk formats of `--data` and how they replay, as plain JSON (no Namespace objects), so
// start-up, rollback and the compaction worker share one implementation.
//
// Snapshot `FILE`: {"format":"xpay-sim/data","version":2,"generation":G,"namespaces":{key: dump}}
// (version 1 files, written before the journal existed, load as generation 0).
// Journal `FILE.journal.G`: a header line {"format":"xpay-sim/journal","version":1,"generation":G}
// then one line per group commit, {"at":ms,"c":[change, …]}, applied on top of snapshot G.
// Compaction folds journal G into snapshot G+1 while new commits go to journal G+1.
import { dumpProblem, type NamespaceDump } from '../control/ns-state.js';
import type { MapOp } from './change-tracking.js';

export const DATA_FORMAT = 'xpay-sim/data';
export const DATA_VERSION = 2;
export const JOURNAL_FORMAT = 'xpay-sim/journal';
export const JOURNAL_VERSION = 1;

/** One namespace's part of a commit. */
export type NamespaceChange =
  | { key: string; full: NamespaceDump }
  | { key: string; drop: true }
  | {
      key: string;
      clock?: NamespaceDump['clock'];
      random?: NamespaceDump['random'];
      db?: Record<string, MapOp[]>;
      /** Extension name → its whole new value, null (removed), or operations on a Map-valued one. */
      ext?: Record<string, { value: unknown } | { ops: MapOp[] } | null>;
    };

export interface JournalLine {
  at: number;
  c: NamespaceChange[];
}

export function journalPath(dataFile: string, generation: number): string {
  return `${dataFile}.journal.${generation}`;
}

export function journalHeader(generation: number): string {
  return `${JSON.stringify({ format: JOURNAL_FORMAT, version: JOURNAL_VERSION, generation })}\n`;
}

/** An extension kept as a Map while replaying: `pairs` (a codec's entry list) or `tagged` ({$map}). */
interface ExtMap {
  form: 'pairs' | 'tagged';
  map: Map<unknown, unknown>;
}

interface ReplayNamespace {
  key: string;
  livemode: boolean;
  clock: NamespaceDump['clock'];
  random: NamespaceDump['random'];
  db: Map<string, Map<string, unknown>>;
  ext: Map<string, unknown>;
  extMaps: Map<string, ExtMap>;
}

/** Thrown for content that is not a torn tail: start-up stops and names the file. */
export class CorruptData extends Error {}

/** The durable state as plain data: snapshot plus journals, replayed in order. */
export class ReplayState {
  readonly namespaces = new Map<string, ReplayNamespace>();
  generation = 0;

  /** Parses and checks a snapshot file's text. */
  static fromSnapshot(text: string): ReplayState {
    if (text.trim() === '') throw new CorruptData('the data file is empty');
    let doc: { format?: unknown; version?: unknown; generation?: unknown; namespaces?: unknown };
    try {
      doc = JSON.parse(text);
    } catch (e) {
      throw new CorruptData(`the data file is not valid JSON (${(e as Error).message}); it may be truncated`);
    }
    if (!doc || typeof doc !== 'object' || doc.format !== DATA_FORMAT) throw new CorruptData(`not an xpay-sim data file (no "format": "${DATA_FORMAT}")`);
    if (doc.version !== 1 && doc.version !== DATA_VERSION) throw new CorruptData(`data file version ${String(doc.version)} is not supported (expected ${DATA_VERSION})`);
    if (!doc.namespaces || typeof doc.namespaces !== 'object' || Array.isArray(doc.namespaces)) throw new CorruptData('the data file has no namespaces object');
    const state = new ReplayState();
    state.generation = doc.version === 1 ? 0 : Number(doc.generation);
    if (!Number.isSafeInteger(state.generation) || state.generation < 0) throw new CorruptData('the data file has no valid generation');
    for (const [key, dump] of Object.entries(doc.namespaces as Record<string, unknown>)) {
      const problem = dumpProblem(dump);
      if (problem) throw new CorruptData(problem);
      if ((dump as NamespaceDump).key !== key) throw new CorruptData(`namespace ${key} holds data of another key`);
      state.setFull(dump as NamespaceDump);
    }
    return state;
  }

  private setFull(dump: NamespaceDump): void {
    const db = new Map<string, Map<string, unknown>>();
    for (const [name, entries] of Object.entries(dump.db)) db.set(name, new Map(entries));
    this.namespaces.set(dump.key, {
      key: dump.key, livemode: dump.livemode, clock: dump.clock, random: dump.random, db, ext: new Map(Object.entries(dump.extensions)), extMaps: new Map(),
    });
  }

  /** Applies one commit; throws CorruptData when it does not fit the state. */
  apply(line: JournalLine): void {
    if (!line || typeof line !== 'object' || !Array.isArray(line.c)) throw new CorruptData('a journal record has no changes list');
    for (const change of line.c) this.applyChange(change);
  }

  private applyChange(change: NamespaceChange): void {
    if (!change || typeof change !== 'object' || typeof change.key !== 'string') throw new CorruptData('a journal change names no namespace');
    if ('drop' in change) {
      this.namespaces.delete(change.key);
      return;
    }
    if ('full' in change) {
      const problem = dumpProblem(change.full);
      if (problem) throw new CorruptData(problem);
      if (change.full.key !== change.key) throw new CorruptData(`namespace ${change.key} holds data of another key`);
      this.setFull(change.full);
      return;
    }
    const ns = this.namespaces.get(change.key);
    if (!ns) throw new CorruptData(`a journal change edits namespace ${change.key}, which does not exist at that point`);
    if (change.clock !== undefined || change.random !== undefined) {
      const problem = dumpProblem({ key: ns.key, livemode: ns.livemode, clock: change.clock ?? ns.clock, random: change.random ?? ns.random, db: {}, extensions: {} });
      if (problem) throw new CorruptData(problem);
      if (change.clock) ns.clock = change.clock;
      if (change.random) ns.random = change.random;
    }
    for (const [name, ops] of Object.entries(change.db ?? {})) {
      let map = ns.db.get(name);
      if (!map) ns.db.set(name, (map = new Map()));
      applyOps(map, ops, `namespace ${ns.key}: collection ${name}`);
    }
    for (const [name, value] of Object.entries(change.ext ?? {})) {
      if (value === null || (value && 'value' in value)) ns.extMaps.delete(name);
      if (value === null) ns.ext.delete(name);
      else if ('value' in value) ns.ext.set(name, value.value);
      else if ('ops' in value) applyOps(extMapOf(ns, name), value.ops, `namespace ${ns.key}: extension ${name}`);
      else throw new CorruptData(`namespace ${ns.key}: bad change of extension ${name}`);
    }
  }

  dump(key: string): NamespaceDump | undefined {
    const ns = this.namespaces.get(key);
    if (!ns) return undefined;
    const db: NamespaceDump['db'] = {};
    for (const [name, map] of ns.db) db[name] = [...map] as Array<[string, unknown]>;
    const extensions: Record<string, unknown> = {};
    for (const [name, value] of ns.ext) {
      const m = ns.extMaps.get(name);
      extensions[name] = !m ? value : m.form === 'pairs' ? [...m.map] : { $map: [...m.map] };
    }
    return { key: ns.key, livemode: ns.livemode, clock: ns.clock, random: ns.random, db, extensions };
  }

  dumps(): NamespaceDump[] {
    return [...this.namespaces.keys()].map((key) => this.dump(key)!);
  }

  /** The snapshot file's text for this state, one namespace serialized at a time. */
  *snapshotChunks(generation: number): Generator<string> {
    yield `{"format":"${DATA_FORMAT}","version":${DATA_VERSION},"generation":${generation},"namespaces":{`;
    let first = true;
    for (const key of this.namespaces.keys()) {
      yield `${first ? '' : ','}${JSON.stringify(key)}:${JSON.stringify(this.dump(key))}`;
      first = false;
    }
    yield '}}';
  }
}

function extMapOf(ns: ReplayNamespace, name: string): Map<unknown, unknown> {
  const known = ns.extMaps.get(name);
  if (known) return known.map;
  const value = ns.ext.get(name);
  let entry: ExtMap;
  if (value === undefined) entry = { form: 'pairs', map: new Map() };
  else if (Array.isArray(value)) entry = { form: 'pairs', map: new Map(value as Array<[unknown, unknown]>) };
  else if (value && typeof value === 'object' && Array.isArray((value as { $map?: unknown }).$map)) entry = { form: 'tagged', map: new Map((value as { $map: Array<[unknown, unknown]> }).$map) };
  else throw new CorruptData(`namespace ${ns.key}: extension ${name} is not a map`);
  ns.ext.set(name, true);
  ns.extMaps.set(name, entry);
  return entry.map;
}

function applyOps(map: Map<unknown, unknown>, ops: unknown, where: string): void {
  if (!Array.isArray(ops)) throw new CorruptData(`${where}: changes are not a list`);
  for (const op of ops as MapOp[]) {
    if (!Array.isArray(op)) throw new CorruptData(`${where}: bad change`);
    if (op[0] === 'c') map.clear();
    else if (op[0] === 'd' && typeof op[1] === 'string') map.delete(op[1]);
    else if (op[0] === 's' && typeof op[1] === 'string' && op.length === 3) map.set(op[1], op[2]);
    else throw new CorruptData(`${where}: bad change ${JSON.stringify(op).slice(0, 80)}`);
  }
}

export interface ParsedJournal {
  generation: number;
  /** Complete records read (each handed to `onRecord` as it was parsed). */
  records: number;
  /** Bytes of complete, valid content (the header and every whole record). */
  validBytes: number;
  /** Set when the last record was cut short by a crash (it was never acknowledged). */
  tornBytes: number;
}

/** Called with each complete record (numbered from 1) and the journal header's generation. */
export type OnRecord = (line: JournalLine, recordNo: number, generation: number) => void;

/**
 * Splits a journal into records as its bytes arrive, in chunks of any size, and hands each record to
 * `onRecord` as soon as it is parsed: start-up never holds the whole journal, as bytes, text or a
 * list of records, which is most of what loading a big journal used to cost (GC, one giant string).
 * Each line is decoded on its own, so offsets are byte offsets without re-counting.
 * Only the last record may be cut short (no final newline, or not parseable and nothing after it):
 * that is a write a crash interrupted, dropped with a warning. Anything unreadable before the end
 * is corruption.
 */
export class JournalParser {
  private generation = -1;
  private headerRead = false;
  private records = 0;
  /** File offset where the next line starts. */
  private at = 0;
  /** The unfinished line's bytes so far (copies: the caller may reuse its chunk buffer). */
  private parts: Buffer[] = [];
  private partsBytes = 0;
  /** A whole line that did not parse: a torn write if nothing follows it, corruption otherwise. */
  private unparsed?: { recordNo: number; at: number; message: string };

  constructor(private readonly onRecord: OnRecord) {}

  push(chunk: Buffer): void {
    let from = 0;
    while (from < chunk.length) {
      if (this.unparsed) {
        const u = this.unparsed;
        throw new CorruptData(`journal record ${u.recordNo} (byte ${u.at}) is not valid JSON (${u.message})`);
      }
      const nl = chunk.indexOf(10, from);
      if (nl === -1) {
        this.parts.push(Buffer.from(chunk.subarray(from)));
        this.partsBytes += chunk.length - from;
        return;
      }
      let line = chunk.subarray(from, nl);
      if (this.parts.length > 0) {
        this.parts.push(line);
        line = Buffer.concat(this.parts);
        this.parts = [];
        this.partsBytes = 0;
      }
      const lineAt = this.at;
      this.at += line.length + 1;
      from = nl + 1;
      this.line(line, lineAt);
    }
  }

  private line(bytes: Buffer, lineAt: number): void {
    if (!this.headerRead) {
      let header: { format?: unknown; version?: unknown; generation?: unknown };
      try {
        header = JSON.parse(bytes.toString('utf8'));
      } catch {
        throw new CorruptData('the journal header is not valid JSON');
      }
      if (header?.format !== JOURNAL_FORMAT || header.version !== JOURNAL_VERSION || !Number.isSafeInteger(header.generation)) {
        throw new CorruptData(`not an xpay-sim journal (expected "format": "${JOURNAL_FORMAT}", version ${JOURNAL_VERSION})`);
      }
      this.generation = header.generation as number;
      this.headerRead = true;
      return;
    }
    const recordNo = this.records + 1;
    let line: JournalLine;
    try {
      line = JSON.parse(bytes.toString('utf8'));
    } catch (e) {
      this.unparsed = { recordNo, at: lineAt, message: (e as Error).message };
      return;
    }
    if (!line || typeof line !== 'object' || !Array.isArray(line.c)) throw new CorruptData(`journal record ${recordNo} (byte ${lineAt}) has no changes list`);
    this.onRecord(line, recordNo, this.generation);
    this.records = recordNo;
  }

  /** Call after the last chunk: what was read, and how much of the end is a torn write. */
  end(): ParsedJournal {
    const total = this.at + this.partsBytes;
    // No whole header line: a crash while writing it, nothing was ever committed to this journal.
    if (!this.headerRead) return { generation: -1, records: 0, validBytes: 0, tornBytes: total };
    const validBytes = this.unparsed ? this.unparsed.at : this.at;
    return { generation: this.generation, records: this.records, validBytes, tornBytes: total - validBytes };
  }
}
