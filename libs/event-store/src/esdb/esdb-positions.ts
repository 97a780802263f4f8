import { START, type AppendExpectedRevision, type Position } from '@eventstore/db-client';
import type { ExpectedRevision } from '../event-store.port';

/**
 * EventStoreDB speaks bigint (revisions and log positions are unsigned 64-bit); the port speaks
 * number. Every conversion goes through here, so no bigint reaches JSON and no value is silently
 * rounded.
 *
 * The port's global position is EventStoreDB's commit position. For every event written through
 * the gRPC API (an implicit transaction) the server reports commit = prepare = the event's own
 * log position, so the number is unique per event and increases along $all — but it is a byte
 * offset: positions are NOT consecutive, and `p - 1` is not a position.
 */

/** What EventStoreDB reports for "no position" (a stream read on servers up to 22.6). */
const NO_POSITION = 18446744073709551615n;
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

export class PositionOutOfRangeError extends RangeError {
  constructor(what: string, value: bigint) {
    super(
      value === NO_POSITION
        ? `EventStoreDB returned no ${what} (it reports positions for stream reads only after version 22.6)`
        : `EventStoreDB ${what} ${value} is beyond Number.MAX_SAFE_INTEGER; the port's numbers cannot carry it exactly`,
    );
    this.name = 'PositionOutOfRangeError';
  }
}

export function toPortPosition(commit: bigint): number {
  if (commit < 0n || commit > MAX_SAFE) throw new PositionOutOfRangeError('commit position', commit);
  return Number(commit);
}

export function toPortRevision(revision: bigint): number {
  if (revision < 0n || revision > MAX_SAFE) throw new PositionOutOfRangeError('stream revision', revision);
  return Number(revision);
}

/**
 * Where EventStoreDB should start reading for "position > after". EventStoreDB reads $all from a
 * position inclusively (subscriptions exclusively), so callers drop events at `after` themselves.
 * `after` must be 0 or a position this store reported: EventStoreDB cannot start in the middle of
 * a log record.
 */
export function readStartAfter(after: number): Position | typeof START {
  if (!Number.isSafeInteger(after) || after < 0) throw new TypeError(`after must be a non-negative integer, got ${String(after)}`);
  if (after === 0) return START;
  const at = BigInt(after);
  return { commit: at, prepare: at };
}

/** The port's expected revision in the client's terms; -1 means no_stream, as in the SQLite adapter. */
export function toEsdbExpectedRevision(expected: ExpectedRevision): AppendExpectedRevision {
  if (expected === 'any' || expected === 'no_stream') return expected;
  if (!Number.isSafeInteger(expected) || expected < -1) {
    throw new TypeError(`expectedRevision must be 'any', 'no_stream' or an integer >= -1, got ${String(expected)}`);
  }
  return expected === -1 ? 'no_stream' : BigInt(expected);
}

/** The client reports the actual revision as a bigint or 'no_stream'. */
export function toPortActualRevision(actual: bigint | string | undefined): number | 'no_stream' {
  return typeof actual === 'bigint' ? toPortRevision(actual) : 'no_stream';
}
