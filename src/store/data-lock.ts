// The `--data` lock file: keeps a second simulator off the same data, and never blocks a restart
// after a hard kill. Node has no flock() without a native addon, so the lock names its holder
// precisely enough to tell a live holder from a dead one:
//   - pid plus the process start time (from /proc/<pid>/stat) and the boot id: a pid that was
//     reused (pid 1 in every container) or a lock from before a reboot is stale;
//   - the pid namespace: a holder in another pid namespace (another container, or a container
//     that was killed) cannot be looked up, so the holder refreshes the file's mtime every second
//     and a lock not refreshed for LEASE_MS is stale. A restart may wait up to that long.
import { readFileSync, readlinkSync, statSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';

const HEARTBEAT_MS = 1000;
const LEASE_MS = Number(process.env.XPAY_SIM_LOCK_LEASE_MS) > 0 ? Number(process.env.XPAY_SIM_LOCK_LEASE_MS) : 5000;

interface Holder {
  pid: number;
  /** Field 22 of /proc/<pid>/stat: clock ticks since boot when the process started. */
  start?: string;
  boot?: string;
  pidns?: string;
}

function readOr(read: () => string): string | undefined {
  try {
    return read().trim();
  } catch {
    return undefined;
  }
}

function startTimeOf(pid: number): string | undefined {
  const stat = readOr(() => readFileSync(`/proc/${pid}/stat`, 'utf8'));
  // The command name (field 2) may hold spaces and parentheses: count fields after the last ')'.
  return stat ? stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] : undefined;
}

function me(): Holder {
  return {
    pid: process.pid,
    start: startTimeOf(process.pid),
    boot: readOr(() => readFileSync('/proc/sys/kernel/random/boot_id', 'utf8')),
    pidns: readOr(() => readlinkSync('/proc/self/ns/pid')),
  };
}

function parseHolder(text: string): Holder | undefined {
  const trimmed = text.trim();
  // Lock files of earlier versions hold the bare pid.
  if (/^\d+$/.test(trimmed)) return { pid: Number(trimmed) };
  try {
    const h = JSON.parse(trimmed) as Holder;
    return Number.isInteger(h?.pid) && h.pid > 0 ? h : undefined;
  } catch {
    return undefined;
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export type LockVerdict = { live: true; pid: number } | { live: false; why: string } | { live: 'unknown'; mtimeMs: number };

/** Whether the holder written in a lock file still runs, as far as this process can tell. */
export function judgeHolder(text: string, self: Holder = me()): LockVerdict {
  const h = parseHolder(text);
  if (!h) return { live: false, why: 'unreadable lock' };
  if (h.boot && self.boot && h.boot !== self.boot) return { live: false, why: 'held before a reboot' };
  if (h.pidns && self.pidns && h.pidns !== self.pidns) return { live: 'unknown', mtimeMs: 0 };
  if (h.pid === self.pid) {
    // Our own pid: the lock of an earlier process that had it (pid 1 in a restarted container).
    return h.start && self.start && h.start === self.start ? { live: true, pid: h.pid } : { live: false, why: 'pid reused by this process' };
  }
  if (!pidAlive(h.pid)) return { live: false, why: `pid ${h.pid} is gone` };
  if (h.start) {
    const now = startTimeOf(h.pid);
    if (now !== undefined && now !== h.start) return { live: false, why: `pid ${h.pid} now belongs to another process` };
  }
  return { live: true, pid: h.pid };
}

export class LockBusy extends Error {
  constructor(readonly holderPid: number | undefined) {
    super('busy');
  }
}

/** Holds `path` while the simulator runs. */
export class DataLock {
  private timer: NodeJS.Timeout | undefined;
  private held = false;
  private readonly content = JSON.stringify(me());

  constructor(readonly path: string) {}

  /** Takes the lock, waiting out a foreign holder's lease if needed; throws LockBusy or an fs error. */
  acquire(): void {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        writeFileSync(this.path, this.content, { flag: 'wx' });
        this.held = true;
        this.timer = setInterval(() => this.beat(), HEARTBEAT_MS);
        this.timer.unref();
        return;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
      const text = readOr(() => readFileSync(this.path, 'utf8'));
      if (text === undefined) continue; // removed meanwhile: try again
      let verdict = judgeHolder(text);
      if (verdict.live === 'unknown') verdict = this.waitOutLease();
      if (verdict.live === true) throw new LockBusy(verdict.pid);
      if (verdict.live === 'unknown') throw new LockBusy(undefined);
      // Stale: remove and race for it again with 'wx' (a second starter loses cleanly).
      try {
        unlinkSync(this.path);
      } catch {
        // Someone else took it over first; the next round sees their lock.
      }
    }
    throw new LockBusy(undefined);
  }

  /** A holder in another pid namespace is alive while it keeps refreshing the file. */
  private waitOutLease(): LockVerdict {
    const mtime = () => readOr(() => String(statSync(this.path).mtimeMs));
    const first = mtime();
    if (first === undefined) return { live: false, why: 'gone' };
    const age = Date.now() - Number(first);
    if (age > LEASE_MS) return { live: false, why: 'lease expired' };
    // Sleep synchronously: start-up has nothing else to do yet.
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, LEASE_MS - age + HEARTBEAT_MS);
    return mtime() === first ? { live: false, why: 'lease expired' } : { live: 'unknown', mtimeMs: 0 };
  }

  private beat(): void {
    try {
      const now = new Date();
      utimesSync(this.path, now, now);
    } catch {
      // The lock file vanished (someone removed it by hand): nothing to refresh.
    }
  }

  release(): void {
    if (!this.held) return;
    this.held = false;
    clearInterval(this.timer);
    try {
      if (readFileSync(this.path, 'utf8') === this.content) unlinkSync(this.path);
    } catch {
      // Already gone.
    }
  }
}
