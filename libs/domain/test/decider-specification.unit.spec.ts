/** The helper must fail when the decider does not do what a spec says, or every spec is hollow. */
import type { Decider } from '../src/decider';
import { DomainRefusal } from '../src/decider';
import { DeciderSpecification } from './decider-specification';

type Counted = { type: 'Counted'; data: { by: number } };
type Count = { type: 'Count'; data: { by: number } };
/** A counter that refuses to go above a limit given in the context, and records nothing for 0. */
const counter: Decider<Count, Counted, number, { limit: number }> = {
  decide: ({ data }, total, { limit }) => {
    if (data.by < 0) throw new Error('negative');
    if (total + data.by > limit) throw new DomainRefusal('over_limit', `at most ${limit}`, 'conflict');
    return data.by === 0 ? [] : [{ type: 'Counted', data: { by: data.by } }];
  },
  evolve: (total, event) => total + event.data.by,
  initialState: () => 0,
};
const spec = DeciderSpecification.for(counter, { limit: 10 });
const count = (by: number): Count => ({ type: 'Count', data: { by } });
const counted = (by: number): Counted => ({ type: 'Counted', data: { by } });

describe('DeciderSpecification', () => {
  it('passes when the events match, and returns them', () => {
    expect(spec([counted(4)]).when(count(5)).then([counted(5)])).toEqual([counted(5)]);
  });

  it('folds the given events: 4 + 5 + 2 goes over 10', () => {
    spec([counted(4), counted(5)]).when(count(2)).thenRefuses('over_limit', 'conflict');
  });

  it('uses a context passed to when over the default', () => {
    spec([counted(4), counted(5)]).when(count(2), { limit: 20 }).then([counted(2)]);
  });

  it('fails then() on other events', () => {
    expect(() => spec([]).when(count(5)).then([counted(6)])).toThrow();
    expect(() => spec([]).when(count(5)).then([])).toThrow();
  });

  it('fails thenNothing() when something was recorded', () => {
    spec([]).when(count(0)).thenNothing();
    expect(() => spec([]).when(count(1)).thenNothing()).toThrow();
  });

  it('fails then() and thenNothing() on a refusal', () => {
    expect(() => spec([counted(10)]).when(count(1)).then([counted(1)])).toThrow(DomainRefusal);
    expect(() => spec([counted(10)]).when(count(1)).thenNothing()).toThrow(DomainRefusal);
  });

  it('fails thenRefuses() when the command is accepted', () => {
    expect(() => spec([]).when(count(1)).thenRefuses('over_limit')).toThrow(/expected refusal 'over_limit'/);
  });

  it('fails thenRefuses() on another rule or kind', () => {
    expect(() => spec([counted(10)]).when(count(1)).thenRefuses('under_limit')).toThrow();
    expect(() => spec([counted(10)]).when(count(1)).thenRefuses('over_limit', 'rule')).toThrow();
  });

  it('fails thenRefuses() on an error that is not a DomainRefusal', () => {
    expect(() => spec([]).when(count(-1)).thenRefuses('over_limit')).toThrow(/expected DomainRefusal/);
  });

  it('returns the refusal for a closer look', () => {
    expect(spec([counted(10)]).when(count(1)).thenRefuses('over_limit').message).toBe('at most 10');
  });
});
