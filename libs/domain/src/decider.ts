/**
 * The decider pattern: a pure function from (command, state, context) to events, and a fold of
 * events into state. No I/O and no clock: time arrives in the context.
 */
export interface Decider<Command, Event, State, Context> {
  decide(command: Command, state: State, context: Context): Event[];
  evolve(state: State, event: Event): State;
  initialState(): State;
}

/** How a refused command should be reported; the API maps it to 400 (naming `fields`), 404, 409 or 422. */
export type RefusalKind = 'invalid' | 'not_found' | 'conflict' | 'rule';

/** A command the domain refuses. `rule` is a stable code; `message` says what to do about it. */
export class DomainRefusal extends Error {
  constructor(
    readonly rule: string,
    message: string,
    readonly kind: RefusalKind = 'rule',
    /** The command's fields the refusal is about (for `invalid`). */
    readonly fields?: readonly string[],
  ) {
    super(message);
    this.name = 'DomainRefusal';
  }
}
