import { START } from '@eventstore/db-client';
import {
  PositionOutOfRangeError,
  readStartAfter,
  toEsdbExpectedRevision,
  toPortActualRevision,
  toPortPosition,
  toPortRevision,
} from './esdb-positions';

describe('EventStoreDB positions and revisions as the port\'s numbers', () => {
  it('converts commit positions up to Number.MAX_SAFE_INTEGER exactly', () => {
    expect(toPortPosition(0n)).toBe(0);
    expect(toPortPosition(4096n)).toBe(4096);
    expect(toPortPosition(9_007_199_254_740_991n)).toBe(9_007_199_254_740_991);
  });

  it('refuses a position the number would round, rather than shift the log silently', () => {
    expect(() => toPortPosition(9_007_199_254_740_992n)).toThrow(PositionOutOfRangeError);
    expect(() => toPortPosition(9_007_199_254_740_992n)).toThrow('commit position 9007199254740992 is beyond Number.MAX_SAFE_INTEGER');
    expect(() => toPortPosition(-1n)).toThrow(PositionOutOfRangeError);
  });

  it("names an old server's missing position (2^64 - 1) for what it is", () => {
    expect(() => toPortPosition(18_446_744_073_709_551_615n)).toThrow(
      'EventStoreDB returned no commit position (it reports positions for stream reads only after version 22.6)',
    );
  });

  it('converts revisions the same way', () => {
    expect(toPortRevision(0n)).toBe(0);
    expect(toPortRevision(41n)).toBe(41);
    expect(() => toPortRevision(2n ** 53n)).toThrow('stream revision 9007199254740992');
  });

  it('starts a read of $all at the start for 0, at the position itself otherwise (the caller skips it)', () => {
    expect(readStartAfter(0)).toBe(START);
    expect(readStartAfter(4528)).toEqual({ commit: 4528n, prepare: 4528n });
    expect(() => readStartAfter(-1)).toThrow(TypeError);
    expect(() => readStartAfter(1.5)).toThrow(TypeError);
    expect(() => readStartAfter(2 ** 53)).toThrow(TypeError);
  });

  it("maps the port's expected revisions to the client's, -1 meaning no stream", () => {
    expect(toEsdbExpectedRevision('any')).toBe('any');
    expect(toEsdbExpectedRevision('no_stream')).toBe('no_stream');
    expect(toEsdbExpectedRevision(-1)).toBe('no_stream');
    expect(toEsdbExpectedRevision(0)).toBe(0n);
    expect(toEsdbExpectedRevision(17)).toBe(17n);
    expect(() => toEsdbExpectedRevision(-2)).toThrow(TypeError);
    expect(() => toEsdbExpectedRevision(0.5)).toThrow(TypeError);
    expect(() => toEsdbExpectedRevision('stream_exists' as never)).toThrow(TypeError);
  });

  it("reads the client's actual revision as a number or 'no_stream'", () => {
    expect(toPortActualRevision(3n)).toBe(3);
    expect(toPortActualRevision('no_stream')).toBe('no_stream');
    expect(toPortActualRevision(undefined)).toBe('no_stream');
  });
});
