import { Temporal } from 'temporal-polyfill';

/** The server's clock, injected so tests can set the time; the domain only ever sees its value. */
export interface Clock {
  now(): Temporal.Instant;
}

export const CLOCK = Symbol('Clock');

export const systemClock: Clock = { now: () => Temporal.Now.instant() };
