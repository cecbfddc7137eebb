// Delivery lanes: every (namespace, endpoint) pair sends at most `concurrency` attempts at once and
// queues at most `queueLimit` more, in order. Lanes share nothing, so one tenant's slow or hanging
// endpoint can delay only its own deliveries. Past the queue bound the OLDEST waiting attempt gives
// up its turn (it is recorded as a failed attempt naming the limit) so the newest get through.

export interface Turn {
  /** False when the attempt was pushed out of a full queue: it must not be sent. */
  go: boolean;
  /** How long the attempt waited for its turn (ms of process time). */
  queuedMs: number;
  /** Frees the slot (once the attempt is over); a no-op for a refused turn. */
  release(): void;
}

interface Waiter {
  since: number;
  resolve(turn: Turn): void;
}

/** A FIFO with O(1) shift: the queue of a lane can hold thousands of waiting attempts. */
class Fifo<T> {
  private items: Array<T | undefined> = [];
  private head = 0;
  get length(): number {
    return this.items.length - this.head;
  }
  push(item: T): void {
    this.items.push(item);
  }
  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head];
    this.items[this.head++] = undefined;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }
}

class Lane {
  active = 0;
  readonly waiting = new Fifo<Waiter>();
}

export class Lanes {
  private readonly lanes = new Map<string, Lane>();

  constructor(private readonly limits: () => { concurrency: number; queueLimit: number }) {}

  /** Resolves when the attempt may be sent (or was refused because its lane's queue overflowed). */
  acquire(key: string): Promise<Turn> {
    let lane = this.lanes.get(key);
    if (!lane) this.lanes.set(key, (lane = new Lane()));
    const { concurrency, queueLimit } = this.limits();
    const since = performance.now();
    if (lane.active < concurrency) {
      lane.active++;
      return Promise.resolve(this.granted(key, lane, since));
    }
    return new Promise<Turn>((resolve) => {
      lane.waiting.push({ since, resolve });
      while (lane.waiting.length > queueLimit) {
        const oldest = lane.waiting.shift()!;
        oldest.resolve({ go: false, queuedMs: elapsed(oldest.since), release: () => {} });
      }
    });
  }

  /** Attempts waiting for a slot, over all lanes (tests and usage). */
  get queued(): number {
    let n = 0;
    for (const lane of this.lanes.values()) n += lane.waiting.length;
    return n;
  }

  get size(): number {
    return this.lanes.size;
  }

  private granted(key: string, lane: Lane, since: number): Turn {
    let released = false;
    return {
      go: true,
      queuedMs: elapsed(since),
      release: () => {
        if (released) return;
        released = true;
        const next = lane.waiting.shift();
        if (next) next.resolve(this.granted(key, lane, next.since));
        else if (--lane.active === 0 && this.lanes.get(key) === lane) this.lanes.delete(key);
      },
    };
  }
}

function elapsed(since: number): number {
  return Math.round((performance.now() - since) * 10) / 10;
}
