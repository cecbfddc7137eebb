// Delivery lanes: every (namespace, endpoint) pair has its own window of attempts on the wire and
// its own bounded FIFO queue. Lanes share nothing, so one tenant's slow or hanging endpoint can
// delay only its own deliveries. Past the queue bound the OLDEST waiting attempt gives up its turn
// (it is recorded as a failed attempt naming the limit) so the newest get through.
//
// The window starts small and opens to the full concurrency as soon as the receiver shows it is
// slow (an answer taking ≥ 1 s): parallel connections then raise throughput. For a fast receiver a
// wide window only opens more connections when the sender falls behind, which costs CPU on both
// ends and makes it fall further behind; so it narrows again while answers come back quickly.

/** Window of a new lane (capped by the concurrency). */
export const INITIAL_WINDOW = 16;
/** An answer this slow (ms on the wire) opens the window fully. */
export const SLOW_ANSWER_MS = 1000;
/** Answers faster than this narrow a widened window by one. */
export const FAST_ANSWER_MS = 100;

export interface Turn {
  /** False when the attempt was pushed out of a full queue: it must not be sent. */
  go: boolean;
  /** How long the attempt waited for its turn (ms of process time). */
  queuedMs: number;
  /** Frees the slot once the attempt is over, with how long the receiver took; a no-op for a refused turn. */
  release(latencyMs?: number | null): void;
}

/** Told when an attempt may be sent (or was refused a turn). */
export type TurnCallback = (turn: Turn) => void;

interface Waiter {
  since: number;
  grant: TurnCallback;
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
  /** Set while free slots are handed out: a turn released from inside a callback does not recurse. */
  granting = false;
  readonly waiting = new Fifo<Waiter>();
  constructor(public window: number) {}
}

export class Lanes {
  private readonly lanes = new Map<string, Lane>();

  constructor(private readonly limits: () => { concurrency: number; queueLimit: number }) {}

  /** Resolves when the attempt may be sent (or was refused because its lane's queue overflowed). */
  acquire(key: string): Promise<Turn> {
    return new Promise((resolve) => this.take(key, resolve));
  }

  /**
   * Calls `grant` when the attempt may be sent: at once when its lane has a free slot, otherwise
   * when one frees. An attempt pushed out of a full queue is refused in a later microtask, never
   * inside this call (the caller may be walking its own lists). No promise per attempt: thousands
   * of deliveries a second pass through here on the API thread.
   */
  take(key: string, grant: TurnCallback): void {
    const { concurrency, queueLimit } = this.limits();
    let lane = this.lanes.get(key);
    if (!lane) this.lanes.set(key, (lane = new Lane(Math.min(INITIAL_WINDOW, concurrency))));
    const since = performance.now();
    if (lane.active < lane.window && lane.waiting.length === 0) {
      lane.active++;
      grant(this.granted(key, lane, since));
      return;
    }
    lane.waiting.push({ since, grant });
    while (lane.waiting.length > queueLimit) {
      const oldest = lane.waiting.shift()!;
      queueMicrotask(() => oldest.grant({ go: false, queuedMs: elapsed(oldest.since), release: () => {} }));
    }
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
      release: (latencyMs) => {
        if (released) return;
        released = true;
        lane.active--;
        const { concurrency } = this.limits();
        if (latencyMs != null && latencyMs >= SLOW_ANSWER_MS) lane.window = concurrency;
        else if (latencyMs != null && latencyMs < FAST_ANSWER_MS) lane.window = Math.max(Math.min(INITIAL_WINDOW, concurrency), lane.window - 1);
        if (lane.granting) return;
        lane.granting = true;
        try {
          while (lane.active < lane.window && lane.waiting.length > 0) {
            const next = lane.waiting.shift()!;
            lane.active++;
            next.grant(this.granted(key, lane, next.since));
          }
        } finally {
          lane.granting = false;
        }
        if (lane.active === 0 && lane.waiting.length === 0 && this.lanes.get(key) === lane) this.lanes.delete(key);
      },
    };
  }
}

function elapsed(since: number): number {
  return Math.round((performance.now() - since) * 10) / 10;
}
