// Counts turns of the event loop (a self-renewing setImmediate), so a test can tell whether work
// was spread over several turns or done in one.
export interface TurnCounter {
  /** Turns counted since start(). */
  readonly turns: number;
  stop(): void;
}

export function countTurns(): TurnCounter {
  let turns = 0;
  let counting = true;
  const tick = () => {
    turns++;
    if (counting) setImmediate(tick);
  };
  setImmediate(tick);
  return {
    get turns() {
      return turns;
    },
    stop: () => {
      counting = false;
    },
  };
}
