/**
 * The emulator's sense of time. Code lifetimes, token expiry and rate-limit windows all read it,
 * so a test can jump ten minutes or a rate-limit window ahead without waiting.
 */
export type Clock = { now(): number };

export const systemClock: Clock = { now: () => Date.now() };

/** A clock that only moves when told to. */
export class FakeClock implements Clock {
  constructor(private time = Date.parse("2026-01-05T09:00:00.000Z")) {}

  now() {
    return this.time;
  }

  advance(ms: number) {
    this.time += ms;
  }

  set(time: number | Date) {
    this.time = typeof time === "number" ? time : time.getTime();
  }
}
