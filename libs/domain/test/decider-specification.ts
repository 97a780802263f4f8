/**
 * Given/when/then specifications over a decider: given these events, when this command, then
 * these events, nothing, or this refusal. The events are folded with `evolve` from
 * `initialState()`; `decide` runs only inside the `then…` call, so every spec states its outcome.
 */
import { Decider, DomainRefusal, RefusalKind } from '../src/decider';

export interface DeciderThen<Event> {
  /** The command records exactly these events, in this order. Returns them. */
  then(expected: Event[]): Event[];
  /** The command is accepted and records nothing (an idempotent repeat). */
  thenNothing(): void;
  /** The command is refused with this rule code (and kind, when given). Returns the refusal. */
  thenRefuses(rule: string, kind?: RefusalKind): DomainRefusal;
}

export interface DeciderWhen<Command, Event, Context> {
  when(command: Command, context?: Context): DeciderThen<Event>;
}

export type DeciderSpec<Command, Event, Context> = (given: Event[]) => DeciderWhen<Command, Event, Context>;

export const DeciderSpecification = {
  /**
   * `defaultContext` is used when `when` gets no context; a function is called anew for each
   * command, so a spec cannot leak state into the next.
   */
  for<Command, Event, State, Context>(
    decider: Decider<Command, Event, State, Context>,
    defaultContext?: Context | (() => Context),
  ): DeciderSpec<Command, Event, Context> {
    return (given) => ({
      when: (command, context) => {
        const decide = (): Event[] => {
          const state = given.reduce(decider.evolve, decider.initialState());
          const resolved = context !== undefined ? context : typeof defaultContext === 'function' ? (defaultContext as () => Context)() : defaultContext;
          return decider.decide(command, state, resolved as Context);
        };
        return {
          then(expected) {
            const events = decide();
            expect(events).toEqual(expected);
            // What the decider records must fold back: evolve accepts every event it produced.
            expect(() => [...given, ...events].reduce(decider.evolve, decider.initialState())).not.toThrow();
            return events;
          },
          thenNothing() {
            expect(decide()).toEqual([]);
          },
          thenRefuses(rule, kind) {
            let events: Event[] | undefined;
            let thrown: unknown;
            try {
              events = decide();
            } catch (error) {
              thrown = error;
            }
            if (thrown === undefined) {
              throw new Error(`expected refusal '${rule}', but the command was accepted with ${JSON.stringify(events)}`);
            }
            if (!(thrown instanceof DomainRefusal)) {
              throw new Error(`expected DomainRefusal '${rule}', but got ${String(thrown)}`, { cause: thrown });
            }
            expect(thrown.rule).toBe(rule);
            if (kind !== undefined) expect(thrown.kind).toBe(kind);
            expect(thrown.message.length).toBeGreaterThan(0);
            return thrown;
          },
        };
      },
    });
  },
};
