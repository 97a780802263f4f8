import { Temporal } from 'temporal-polyfill';
import type { Clock } from '../../apps/api/src/clock';

/** A clock the test sets: time is data. `live()` follows the machine's clock until set. */
export class TestClock implements Clock {
  constructor(private current: Temporal.Instant | undefined) {}

  static at(iso: string): TestClock {
    return new TestClock(Temporal.Instant.from(iso));
  }

  /** For tests that drive a browser, whose own clock is real. */
  static live(): TestClock {
    return new TestClock(undefined);
  }

  now(): Temporal.Instant {
    return this.current ?? Temporal.Now.instant();
  }

  /** Now in whole seconds since the epoch: the iat and exp of a token the app should take now. */
  epochSeconds(): number {
    return Math.floor(this.now().epochMilliseconds / 1000);
  }

  set(iso: string): void {
    this.current = Temporal.Instant.from(iso);
  }

  advance(duration: Temporal.DurationLike): void {
    this.current = this.now().add(duration);
  }
}
