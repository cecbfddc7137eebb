// The simulator clock: real, frozen at an instant, or manual (moved only by /_sim/clock).
export type ClockMode = 'real' | 'frozen' | 'manual';

export class Clock {
  private offsetMs = 0;
  private fixedMs: number;
  private lastIsoMs = NaN;
  private lastIso = '';

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
    // Records written in the same millisecond share one string (memory per stored record).
    const ms = this.now();
    if (ms !== this.lastIsoMs) {
      this.lastIsoMs = ms;
      this.lastIso = new Date(ms).toISOString();
    }
    return this.lastIso;
  }

  /** Moves time forward; in real mode this shifts the clock ahead of the wall clock. */
  advance(ms: number): void {
    if (ms < 0) throw new RangeError('the clock only moves forward');
    if (this.modeValue === 'real') this.offsetMs += ms;
    else this.fixedMs += ms;
  }

  set(mode: ClockMode, at?: number): void {
    const current = this.now();
    this.modeValue = mode;
    if (mode === 'real') this.offsetMs = at === undefined ? 0 : at - this.realNow();
    else this.fixedMs = at ?? current;
  }
}
