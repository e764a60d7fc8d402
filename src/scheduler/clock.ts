/**
 * Where the scheduler (and whatever it runs) reads the time. Production uses the system clock;
 * tests use a {@link ManualClock} and move it on, then wake the scheduler, instead of waiting.
 */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/**
 * A clock that stands still until told to move.
 * @example const clock = new ManualClock(Date.parse('2024-11-04T08:59:00Z')); clock.advance(60_000);
 */
export class ManualClock implements Clock {
  constructor(private ms: number) {}

  now(): number {
    return this.ms;
  }

  advance(ms: number): number {
    if (!(ms >= 0)) throw new RangeError('a clock only moves forward');
    this.ms += ms;
    return this.ms;
  }

  set(ms: number): void {
    if (!(ms >= this.ms)) throw new RangeError('a clock only moves forward');
    this.ms = ms;
  }
}
