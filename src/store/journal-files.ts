// Reading `--data` from disk (snapshot + journals, with the torn-tail rule) and compaction (folding
// journals into a new snapshot). Pure file work on plain JSON: the compaction worker runs it too.
import { closeSync, existsSync, fsyncSync, openSync, readdirSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { CorruptData, journalPath, parseJournal, ReplayState, type ParsedJournal } from './journal-format.js';

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
    let parsed: ParsedJournal;
    try {
      parsed = parseJournal(readFileSync(j.path));
    } catch (e) {
      if (e instanceof CorruptData) throw new DataFileProblem(j.path, e.message);
      throw new DataFileProblem(j.path, `cannot read the journal (${(e as Error).message})`);
    }
    if (parsed.generation !== -1 && parsed.generation !== j.generation) throw new DataFileProblem(j.path, `the journal header says generation ${parsed.generation}`);
    if (parsed.tornBytes > 0) {
      if (!last) throw new DataFileProblem(j.path, `the journal ends in a cut-off record (${parsed.tornBytes} bytes) but a newer journal follows it`);
      warnings.push(`${j.path}: dropped a cut-off last record (${parsed.tornBytes} bytes), a write interrupted by a crash before it was acknowledged`);
    }
    for (const [n, line] of parsed.lines.entries()) {
      try {
        state.apply(line);
      } catch (e) {
        if (e instanceof CorruptData) throw new DataFileProblem(j.path, `journal record ${n + 1}: ${e.message}`);
        throw e;
      }
    }
    journals.push({ generation: j.generation, path: j.path, parsed });
    expected++;
  }
  return { state, journals, stale, snapshotBytes, warnings };
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
