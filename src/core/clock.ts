// The simulator clock: real, frozen at an instant, or manual (moved only by /_sim/clock).
export type ClockMode = 'real' | 'frozen' | 'manual';

/**
 * The instants a namespace clock may show: 1970 to the end of year 9999. Dates are written as
 * four-digit-year ISO strings, and records add days or months to the clock (expiries, retries), which
 * must stay far inside what a JavaScript Date can hold (year 275760).
 */
export const MIN_CLOCK_MS = 0;
export const MAX_CLOCK_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

export function clockInRange(ms: number): boolean {
  return Number.isFinite(ms) && ms >= MIN_CLOCK_MS && ms <= MAX_CLOCK_MS;
}

export class ClockRangeError extends RangeError {}

export class Clock {
  private offsetMs = 0;
  private fixedMs: number;
  private lastIsoMs = NaN;
  private lastIso = '';
  private prevIsoMs = NaN;
  private prevIso = '';

  constructor(
    private modeValue: ClockMode = 'real',
    start?: number,
    private readonly realNow: () => number = Date.now,
  ) {
    this.fixedMs = start ?? realNow();
  }

  get mode(): ClockMode {
    return this.modeValue;
  }

  now(): number {
    return this.modeValue === 'real' ? this.realNow() + this.offsetMs : this.fixedMs;
  }

  iso(): string {
    return this.isoOf(this.now());
  }

  /**
   * ISO string of an instant; records written in the same millisecond share one string (memory per
   * stored record). Two instants are remembered: a webhook attempt is recorded with the instant it
   * was sent and the instant it was answered, alternately for a whole batch of answers.
   */
  isoOf(ms: number): string {
    if (ms === this.lastIsoMs) return this.lastIso;
    if (ms === this.prevIsoMs) return this.prevIso;
    this.prevIsoMs = this.lastIsoMs;
    this.prevIso = this.lastIso;
    this.lastIsoMs = ms;
    this.lastIso = new Date(ms).toISOString();
    return this.lastIso;
  }

  /** What persistence stores: real mode keeps its lead over the wall clock, the others their instant. */
  persisted(): { mode: ClockMode; now: number; offset: number } {
    return this.modeValue === 'real' ? { mode: 'real', now: this.realNow() + this.offsetMs, offset: this.offsetMs } : { mode: this.modeValue, now: this.fixedMs, offset: 0 };
  }

  /** Moves time forward; in real mode this shifts the clock ahead of the wall clock. */
  advance(ms: number): void {
    if (!(ms >= 0)) throw new RangeError('the clock only moves forward');
    if (!clockInRange(this.now() + ms)) throw new ClockRangeError(`the clock cannot move past ${new Date(MAX_CLOCK_MS).toISOString()}`);
    if (this.modeValue === 'real') this.offsetMs += ms;
    else this.fixedMs += ms;
  }

  set(mode: ClockMode, at?: number): void {
    if (at !== undefined && !clockInRange(at)) throw new ClockRangeError(`the clock must stay between ${new Date(MIN_CLOCK_MS).toISOString()} and ${new Date(MAX_CLOCK_MS).toISOString()}`);
    const current = this.now();
    this.modeValue = mode;
    if (mode === 'real') this.offsetMs = at === undefined ? 0 : at - this.realNow();
    else this.fixedMs = at ?? current;
  }
}
