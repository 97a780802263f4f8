import { randomUUID } from 'node:crypto';
import {
  ClinicCommand,
  ClinicEvent,
  clinicDecider,
  ClinicState,
  clinicStream,
  envelope,
  EVENT_CODEC,
  PatientCommand,
  patientDecider,
  PatientEvent,
  PatientState,
  patientStream,
  RapportEvent,
} from '@rapport/domain';
import { EventStore, KeyedQueue, RecordedEvent, WrongExpectedRevisionError } from '@rapport/event-store';
import type { Clock } from '../clock';
import type { CommandContext } from './command-context';
import { derivedEventId, scopedKey } from './derived-event-ids';
import { PreconditionFailedError } from './errors';
import { FoldedStateCache } from './folded-state-cache';

/** What deciding a command came to: the events it stored (or stored the first time) and the resulting state. */
export interface CommandOutcome<State> {
  events: RecordedEvent[];
  state: State;
  /** Global position of the command's last event, or the log's head when it appended nothing. */
  position: number;
  /** True when the stream already held this request's events (an Idempotency-Key repeat). */
  replayed: boolean;
  /** The stream's revision after the command (-1: no stream). */
  revision: number;
}

/** Another process won the race this many times in a row: give up and say so (409). */
const MAX_ATTEMPTS = 5;

/**
 * command → decide → append: reads the stream, folds it, decides with the server's time and the
 * clinic's configuration, appends with the revision it read, and on a conflict tries again.
 *
 * Under an Idempotency-Key the events get ids derived from the key, so a request that already
 * landed (its response lost to a crash, or sent twice to two processes) is found in the stream
 * and answered with its events instead of being decided again.
 */
export class CommandRunner {
  private readonly queue = new KeyedQueue();
  private readonly cache = new FoldedStateCache();

  constructor(
    private readonly store: EventStore,
    private readonly clock: Clock,
  ) {}

  async clinic(clinicId: string, command: ClinicCommand, context: CommandContext): Promise<CommandOutcome<ClinicState>> {
    return this.run(clinicStream(clinicId), context, {
      initial: clinicDecider.initialState(),
      load: () => this.loadClinic(clinicId),
      decide: ({ state }) => clinicDecider.decide(command, state, undefined),
      evolve: (s: ClinicState, e: ClinicEvent) => clinicDecider.evolve(s, e),
    });
  }

  /** `clinicIdForNewPatient`: the clinic a command names, used when the patient has no stream yet. */
  async patient(
    patientId: string,
    clinicIdForNewPatient: string | undefined,
    command: PatientCommand,
    context: CommandContext,
  ): Promise<CommandOutcome<PatientState>> {
    return this.run(patientStream(patientId), context, {
      initial: patientDecider.initialState(),
      load: () => this.loadPatient(patientId),
      decide: async ({ state }) => {
        const clinicId = state.clinicId ?? clinicIdForNewPatient;
        const clinic = clinicId ? (await this.loadClinic(clinicId)).state : clinicDecider.initialState();
        return patientDecider.decide(command, state, { now: this.clock.now(), clinic });
      },
      evolve: (s: PatientState, e: PatientEvent) => patientDecider.evolve(s, e),
    });
  }

  async loadPatient(patientId: string): Promise<Loaded<PatientState>> {
    return this.load(patientStream(patientId), patientDecider.initialState(), (s, e: PatientEvent) => patientDecider.evolve(s, e));
  }

  async loadClinic(clinicId: string): Promise<Loaded<ClinicState>> {
    return this.load(clinicStream(clinicId), clinicDecider.initialState(), (s, e: ClinicEvent) => clinicDecider.evolve(s, e));
  }

  /**
   * Drops every folded state, so the next command on a stream reads it whole: after a request's
   * events landed but its answer could not be kept, a retry must see them to recognise itself.
   */
  forget(): void {
    this.cache.clear();
  }

  /** The stream folded from its start up to a revision (an earlier request's answer). */
  private async stateAt<S, E extends RapportEvent>(stream: string, revision: number, aggregate: Aggregate<S, E>): Promise<S> {
    const recorded = await this.store.readStream(stream);
    return recorded.filter((r) => r.revision <= revision).reduce((s, r) => aggregate.evolve(s, EVENT_CODEC.decode<E>(r)), aggregate.initial);
  }

  /** The stream folded from the cached state plus whatever was recorded since (by any process). */
  private async load<S, E extends RapportEvent>(stream: string, initial: S, evolve: (s: S, e: E) => S): Promise<Loaded<S>> {
    const cached = this.cache.get<S>(stream);
    const from = cached ? cached.revision + 1 : 0;
    const recorded = await this.store.readStream(stream, from > 0 ? { fromRevision: from } : undefined);
    const state = recorded.reduce((s, r) => evolve(s, EVENT_CODEC.decode<E>(r)), cached?.state ?? initial);
    const revision = recorded.length > 0 ? recorded[recorded.length - 1]!.revision : (cached?.revision ?? -1);
    if (recorded.length > 0) this.cache.set(stream, state, revision);
    return { state, revision, recorded };
  }

  private async run<S, E extends RapportEvent>(stream: string, context: CommandContext, aggregate: Aggregate<S, E>): Promise<CommandOutcome<S>> {
    const key = context.idempotencyKey ? scopedKey(context.principal.userId, context.idempotencyKey) : undefined;
    return this.queue.run(stream, async () => {
      for (let attempt = 1; ; attempt++) {
        const loaded = await aggregate.load();
        const earlier = key ? eventsOfRequest(loaded.recorded, key) : [];
        if (earlier.length > 0) {
          // The first answer, not what is true now: the state as the request's last event left it.
          const revision = earlier.at(-1)!.revision;
          const state = revision === loaded.revision ? loaded.state : await this.stateAt(stream, revision, aggregate);
          return { events: earlier, state, position: earlier.at(-1)!.position, replayed: true, revision };
        }
        if (context.expectedRevision !== undefined && context.expectedRevision !== loaded.revision) throw new PreconditionFailedError(context.expectedRevision, loaded.revision);
        const events = await aggregate.decide(loaded);
        if (events.length === 0) {
          return { events: [], state: loaded.state, position: await this.store.headPosition(), replayed: false, revision: loaded.revision };
        }
        const recordedAt = this.clock.now().toString();
        try {
          const toStore = events.map((event, i) =>
            envelope(event, {
              eventId: key ? derivedEventId(key, i) : randomUUID(),
              correlationId: context.correlationId,
              causationId: context.commandId,
              actor: context.principal,
              recordedAt,
              ...(context.idempotencyKey ? { idempotencyKey: context.idempotencyKey } : {}),
            }),
          );
          const result = await this.store.append(stream, toStore, { expectedRevision: loaded.revision < 0 ? 'no_stream' : loaded.revision });
          const state = events.reduce(aggregate.evolve, loaded.state);
          this.cache.set(stream, state, result.nextRevision);
          return { events: result.events, state, position: result.position, replayed: false, revision: result.nextRevision };
        } catch (error) {
          // Another writer got in first (another process, or this same request there): read again, decide again.
          if (!(error instanceof WrongExpectedRevisionError) || attempt >= MAX_ATTEMPTS) throw error;
        }
      }
    });
  }
}

/** A stream folded up to a revision, and the events read to get there. */
export interface Loaded<S> {
  state: S;
  /** Revision of the stream's last event; -1 when the stream does not exist. */
  revision: number;
  /** What this load read from the store (the events since the cached state). */
  recorded: RecordedEvent[];
}

interface Aggregate<S, E> {
  initial: S;
  load(): Promise<Loaded<S>>;
  decide(loaded: Loaded<S>): E[] | Promise<E[]>;
  evolve(state: S, event: E): S;
}

/** The events a keyed request stored, found by their derived ids: its first event, then the run that follows. */
function eventsOfRequest(recorded: readonly RecordedEvent[], key: string): RecordedEvent[] {
  const firstId = derivedEventId(key, 0);
  const first = recorded.findIndex((e) => e.eventId === firstId);
  if (first < 0) return [];
  const found: RecordedEvent[] = [];
  for (let i = first; i < recorded.length && recorded[i]!.eventId === derivedEventId(key, i - first); i++) found.push(recorded[i]!);
  return found;
}
