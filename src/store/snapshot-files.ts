// Named snapshots (`/_sim/snapshots`) on disk with `--data`: one file per snapshot in
// `FILE.snapshots/`, written durably (temp file, fsync, rename, directory fsync) before a save is
// answered, and unlinked (directory fsync) before a delete is answered. Memory keeps only what a
// list shows; a restore reads the file. A file is a header line (owner key, name, what a list
// shows, the body's size and SHA-256) and then the namespace dump as JSON, so start-up checks every
// file without parsing the dumps (decision 0011).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, unlinkSync } from 'node:fs';
import { open, rename, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { DataFileProblem, syncDir } from './journal-files.js';

export const SNAPSHOT_FORMAT = 'xpay-sim/snapshot';
export const SNAPSHOT_VERSION = 1;

/** What a snapshot list shows, and whose it is. */
export interface SnapshotMeta {
  key: string;
  name: string;
  livemode: boolean;
  takenAt: string;
  /** UTF-8 size of the dump's JSON. */
  bytes: number;
  counts: Record<string, number>;
}

interface SnapshotHeader extends SnapshotMeta {
  format: typeof SNAPSHOT_FORMAT;
  version: number;
  sha256: string;
}

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

export class SnapshotFiles {
  readonly dir: string;
  private tmpSeq = 0;
  /** Saves, deletes and restores run one at a time, so caps and files never race. */
  private tail: Promise<unknown> = Promise.resolve();

  constructor(dataFile: string) {
    this.dir = `${dataFile}.snapshots`;
  }

  /** The file of one namespace's snapshot: named by a hash, as keys and names are not file names. */
  fileOf(key: string, name: string): string {
    return join(this.dir, `${sha256(`${key}\u0000${name}`).slice(0, 32)}.snap`);
  }

  /** Runs `job` after every earlier one has finished. */
  serial<T>(job: () => Promise<T> | T): Promise<T> {
    const run = this.tail.then(job);
    this.tail = run.catch(() => undefined);
    return run;
  }

  /**
   * Every snapshot on disk, each file checked (header, size, checksum, name). A damaged file throws
   * DataFileProblem naming it, or with `moveAside` is renamed `….corrupt-<time>` with a warning.
   * Temp files of saves cut short by a crash (never answered) are removed.
   */
  load(moveAside: boolean, warn: (message: string) => void): SnapshotMeta[] {
    if (!existsSync(this.dir)) return [];
    const found: SnapshotMeta[] = [];
    let entries: string[];
    try {
      entries = readdirSync(this.dir).sort();
    } catch (e) {
      throw new DataFileProblem(this.dir, `cannot read the snapshot directory (${(e as Error).message})`);
    }
    for (const entry of entries) {
      const path = join(this.dir, entry);
      if (entry.endsWith('.tmp')) {
        tryUnlink(path);
        continue;
      }
      if (!entry.endsWith('.snap')) continue;
      try {
        found.push(this.check(path).meta);
      } catch (e) {
        if (!(e instanceof DataFileProblem) || !moveAside) throw e;
        const aside = `${path}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
        renameSync(path, aside);
        warn(`${e.message}; moved it aside to ${aside}`);
      }
    }
    return found;
  }

  /** The dump's JSON of a saved snapshot (checked again: the file may have changed since start). */
  read(meta: SnapshotMeta): string {
    const { meta: onDisk, body } = this.check(this.fileOf(meta.key, meta.name));
    if (onDisk.takenAt !== meta.takenAt || onDisk.bytes !== meta.bytes) {
      throw new DataFileProblem(this.fileOf(meta.key, meta.name), 'holds another save of this snapshot than the one listed');
    }
    return body;
  }

  /** Writes a snapshot durably; an earlier save under the same name is replaced atomically. */
  async write(meta: SnapshotMeta, json: string): Promise<void> {
    const header: SnapshotHeader = { format: SNAPSHOT_FORMAT, version: SNAPSHOT_VERSION, ...meta, sha256: sha256(json) };
    const file = this.fileOf(meta.key, meta.name);
    const tmp = `${file.slice(0, -'.snap'.length)}.${++this.tmpSeq}.tmp`;
    if (!existsSync(this.dir)) {
      mkdirSync(this.dir, { recursive: true });
      syncDir(dirname(this.dir));
    }
    const handle = await open(tmp, 'w');
    try {
      await handle.writeFile(`${JSON.stringify(header)}\n${json}`);
      await handle.datasync();
    } catch (e) {
      await handle.close().catch(() => undefined);
      await unlink(tmp).catch(() => undefined);
      throw e;
    }
    await handle.close();
    await rename(tmp, file);
    syncDir(this.dir);
  }

  /** Deletes a snapshot's file durably. */
  async remove(key: string, name: string): Promise<void> {
    await unlink(this.fileOf(key, name)).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'ENOENT') throw e;
    });
    syncDir(this.dir);
  }

  private check(path: string): { meta: SnapshotMeta; body: string } {
    let data: Buffer;
    try {
      data = readFileSync(path);
    } catch (e) {
      throw new DataFileProblem(path, `cannot read the snapshot file (${(e as Error).message})`);
    }
    const nl = data.indexOf(10);
    let header: Partial<SnapshotHeader>;
    try {
      header = JSON.parse(data.subarray(0, nl === -1 ? data.length : nl).toString('utf8'));
    } catch {
      throw new DataFileProblem(path, 'the snapshot header is not valid JSON');
    }
    if (header?.format !== SNAPSHOT_FORMAT || header.version !== SNAPSHOT_VERSION) {
      throw new DataFileProblem(path, `not an xpay-sim snapshot (expected "format": "${SNAPSHOT_FORMAT}", version ${SNAPSHOT_VERSION})`);
    }
    const { key, name, livemode, takenAt, bytes, counts } = header;
    if (typeof key !== 'string' || typeof name !== 'string' || typeof livemode !== 'boolean' || typeof takenAt !== 'string' || !Number.isSafeInteger(bytes) || !counts || typeof counts !== 'object') {
      throw new DataFileProblem(path, 'the snapshot header lacks its owner, name or size');
    }
    if (this.fileOf(key, name) !== path) throw new DataFileProblem(path, `the file name does not belong to snapshot ${JSON.stringify(name)} of its namespace`);
    const body = nl === -1 ? Buffer.alloc(0) : data.subarray(nl + 1);
    if (body.length !== bytes || sha256(body) !== header.sha256) {
      throw new DataFileProblem(path, `the snapshot is damaged or cut short (${body.length} of ${bytes} bytes, checksum ${sha256(body) === header.sha256 ? 'matches' : 'differs'})`);
    }
    return { meta: { key, name, livemode, takenAt, bytes: bytes!, counts }, body: body.toString('utf8') };
  }
}

function tryUnlink(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Gone already.
  }
}
