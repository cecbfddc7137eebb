// Reading `--data` from disk (snapshot + journals, with the torn-tail rule) and compaction (folding
// journals into a new snapshot). Pure file work on plain JSON: the compaction worker runs it too.
import { closeSync, existsSync, fsyncSync, openSync, readdirSync, readFileSync, readSync, renameSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { CorruptData, JournalParser, journalPath, ReplayState, type OnRecord, type ParsedJournal } from './journal-format.js';

/** A problem with one file; the message names it. */
export class DataFileProblem extends Error {
  constructor(
    readonly file: string,
    readonly problem: string,
  ) {
    super(`${file}: ${problem}`);
  }
}

export interface JournalOnDisk {
  generation: number;
  path: string;
  parsed: ParsedJournal;
}

export interface DurableState {
  state: ReplayState;
  /** Journals at or after the snapshot's generation, in order (the last one is appended to). */
  journals: JournalOnDisk[];
  /** Journals older than the snapshot: already folded into it, safe to delete. */
  stale: string[];
  snapshotBytes: number;
  warnings: string[];
}

/** `FILE.journal.N` files next to the data file, by generation. */
export function listJournals(file: string): Array<{ generation: number; path: string }> {
  const prefix = `${basename(file)}.journal.`;
  const dir = dirname(file);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .filter((n) => n.startsWith(prefix) && /^\d+$/.test(n.slice(prefix.length)))
    .map((n) => ({ generation: Number(n.slice(prefix.length)), path: join(dir, n) }))
    .sort((a, b) => a.generation - b.generation);
}

/**
 * The durable state: the snapshot, then every journal from its generation on. Only the newest
 * journal may end in a torn record (a crash mid-write, never acknowledged): it is dropped with a
 * warning. Anything else unreadable throws DataFileProblem naming the file.
 */
export function readDurableState(file: string, upTo = Infinity): DurableState {
  const warnings: string[] = [];
  let state: ReplayState;
  let snapshotBytes = 0;
  if (existsSync(file)) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      throw new DataFileProblem(file, `cannot read the data file (${(e as Error).message})`);
    }
    snapshotBytes = Buffer.byteLength(text);
    try {
      state = ReplayState.fromSnapshot(text);
    } catch (e) {
      if (e instanceof CorruptData) throw new DataFileProblem(file, e.message);
      throw e;
    }
  } else state = new ReplayState();
  const all = listJournals(file).filter((j) => j.generation <= upTo);
  const stale = all.filter((j) => j.generation < state.generation).map((j) => j.path);
  const live = all.filter((j) => j.generation >= state.generation);
  const journals: JournalOnDisk[] = [];
  let expected = state.generation;
  for (const [i, j] of live.entries()) {
    const last = i === live.length - 1;
    if (j.generation !== expected) {
      throw new DataFileProblem(j.path, `journal generation ${j.generation} follows ${expected === state.generation && i === 0 ? `the data file's generation ${state.generation}` : `generation ${expected - 1}`}; a journal is missing`);
    }
    const wrongHeader = (generation: number) => new DataFileProblem(j.path, `the journal header says generation ${generation}`);
    // Each record is applied as it is parsed: no list of every record, far less garbage at start-up.
    const applyRecord: OnRecord = (line, n, generation) => {
      if (generation !== j.generation) throw wrongHeader(generation);
      try {
        state.apply(line);
      } catch (e) {
        if (e instanceof CorruptData) throw new DataFileProblem(j.path, `journal record ${n}: ${e.message}`);
        throw e;
      }
    };
    let parsed: ParsedJournal;
    try {
      parsed = readJournalFile(j.path, applyRecord);
    } catch (e) {
      if (e instanceof CorruptData) throw new DataFileProblem(j.path, e.message);
      throw e;
    }
    if (parsed.generation !== -1 && parsed.generation !== j.generation) throw wrongHeader(parsed.generation);
    if (parsed.tornBytes > 0) {
      if (!last) throw new DataFileProblem(j.path, `the journal ends in a cut-off record (${parsed.tornBytes} bytes) but a newer journal follows it`);
      warnings.push(`${j.path}: dropped a cut-off last record (${parsed.tornBytes} bytes), a write interrupted by a crash before it was acknowledged`);
    }
    journals.push({ generation: j.generation, path: j.path, parsed });
    expected++;
  }
  return { state, journals, stale, snapshotBytes, warnings };
}

/** Journals are read in chunks of this size into one reused buffer. */
const JOURNAL_CHUNK_BYTES = 1 << 20;

/**
 * Reads and parses one journal chunk by chunk (see JournalParser). Reading a big file whole costs
 * far more than the reads themselves (one huge allocation, then garbage), so it is never held whole.
 */
function readJournalFile(path: string, onRecord: OnRecord): ParsedJournal {
  const cannotRead = (e: unknown) => new DataFileProblem(path, `cannot read the journal (${(e as Error).message})`);
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    throw cannotRead(e);
  }
  try {
    const parser = new JournalParser(onRecord);
    const chunk = Buffer.allocUnsafe(JOURNAL_CHUNK_BYTES);
    for (;;) {
      let n: number;
      try {
        n = readSync(fd, chunk, 0, chunk.length, null);
      } catch (e) {
        throw cannotRead(e);
      }
      if (n === 0) return parser.end();
      parser.push(chunk.subarray(0, n));
    }
  } finally {
    closeSync(fd);
  }
}

/** fsync a directory so a rename or a new file in it survives a crash (where the platform can). */
export function syncDir(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Some platforms cannot fsync a directory; the file contents are already safe.
  }
}

/**
 * Folds the snapshot and the journals up to generation `upTo` into snapshot `upTo + 1` (temp file,
 * fsync, rename, directory fsync). Returns the new snapshot's size. Journals after `upTo` are not
 * read: they are being appended to and apply on top of the new snapshot.
 */
export function compactFiles(file: string, upTo: number): number {
  const { state } = readDurableState(file, upTo);
  if (state.generation > upTo) return 0; // done already (a compaction finished before a crash)
  const tmp = `${file}.compact.tmp`;
  const fd = openSync(tmp, 'w');
  let bytes = 0;
  try {
    for (const chunk of state.snapshotChunks(upTo + 1)) bytes += writeSync(fd, chunk);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
  syncDir(dirname(file));
  return bytes;
}

export { journalPath };
