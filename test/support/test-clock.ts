import { Temporal } from 'temporal-polyfill';
import type { Clock } from '../../apps/api/src/clock';

/** A clock the test sets: time is data. */
export class TestClock implements Clock {
  constructor(private current: Temporal.Instant) {}

  static at(iso: string): TestClock {
    return new TestClock(Temporal.Instant.from(iso));
  }

  now(): Temporal.Instant {
    return this.current;
  }

  set(iso: string): void {
    this.current = Temporal.Instant.from(iso);
  }

  advance(duration: Temporal.DurationLike): void {
    this.current = this.current.add(duration);
  }
}
