import { describe, expect, it } from 'vitest';
import { INITIAL_WINDOW, Lanes, SLOW_ANSWER_MS, type Turn } from '../../src/webhooks/lanes.js';

/** Acquires `n` turns and reports which have been granted or refused so far. */
function take(lanes: Lanes, key: string, n: number) {
  const turns: Array<Turn | undefined> = Array.from({ length: n }, () => undefined);
  const promises = turns.map((_, i) => lanes.acquire(key).then((t) => (turns[i] = t)));
  return { turns, settled: () => Promise.resolve().then(() => Promise.resolve()), promises };
}

const granted = (turns: Array<Turn | undefined>) => turns.filter((t) => t?.go).length;
const refused = (turns: Array<Turn | undefined>) => turns.filter((t) => t && !t.go).length;

describe('delivery lanes', () => {
  it('sends at most the window at once per lane and queues the rest in order; other lanes are not affected', async () => {
    const lanes = new Lanes(() => ({ concurrency: 64, queueLimit: 100 }));
    const a = take(lanes, 'ns1/we_a', INITIAL_WINDOW + 3);
    const b = take(lanes, 'ns2/we_a', 2);
    await a.settled();
    expect(granted(a.turns)).toBe(INITIAL_WINDOW);
    expect(lanes.queued).toBe(3);
    expect(granted(b.turns)).toBe(2);
    // A fast answer frees one slot for the first waiting attempt, not a later one.
    a.turns[0]!.release(5);
    await a.settled();
    expect(a.turns[INITIAL_WINDOW]?.go).toBe(true);
    expect(a.turns[INITIAL_WINDOW + 1]).toBeUndefined();
  });

  it('opens the window to the full concurrency once an answer is slow, and narrows it again on fast answers', async () => {
    const lanes = new Lanes(() => ({ concurrency: 40, queueLimit: 100 }));
    const a = take(lanes, 'k', 60);
    await a.settled();
    expect(granted(a.turns)).toBe(INITIAL_WINDOW);
    a.turns[0]!.release(SLOW_ANSWER_MS + 1);
    await a.settled();
    expect(granted(a.turns)).toBe(41); // 40 on the wire + the released one
    expect(lanes.queued).toBe(19);
    // Fast answers narrow the window one by one: each frees a slot that is not refilled.
    for (let i = 1; i <= 5; i++) a.turns[i]!.release(1);
    await a.settled();
    expect(granted(a.turns)).toBe(41);
  });

  it('refuses the oldest waiting attempts when the queue overflows', async () => {
    const lanes = new Lanes(() => ({ concurrency: 1, queueLimit: 2 }));
    const a = take(lanes, 'k', 5);
    await a.settled();
    expect(a.turns.map((t) => (t === undefined ? 'waiting' : t.go ? 'go' : 'refused'))).toEqual(['go', 'refused', 'refused', 'waiting', 'waiting']);
    expect(refused(a.turns)).toBe(2);
    a.turns[0]!.release(1);
    await a.settled();
    expect(a.turns[3]?.go).toBe(true);
    a.turns[3]!.release(1);
    await a.settled();
    expect(a.turns[4]?.go).toBe(true);
    a.turns[4]!.release(1);
    expect(lanes.size).toBe(0);
  });
});
