import { randomUUID } from 'node:crypto';
import { ConflictException, Inject, Injectable } from '@nestjs/common';
import {
  ClinicState,
  clinicDecider,
  EVENT_SCHEMA_VERSIONS,
  PatientCommand,
  patientDecider,
  PatientState,
  RapportEvent,
  ClinicCommand,
  ClinicEvent,
  PatientEvent,
} from '@rapport/domain';
import {
  EVENT_STORE,
  EventStore,
  IdempotencyKeyTakenError,
  NewEvent,
  RecordedEvent,
  WrongExpectedRevisionError,
} from '@rapport/event-store';
import { CLOCK, Clock } from '../clock';
import type { RequestContext } from '../http/request-context';
import { FoldedStateCache } from './folded-state-cache';
import { KeyedMutex } from './keyed-mutex';
import { clinicStream, patientStream } from '@rapport/domain';

/** What a command answers: the events it stored (or stored the first time) and the resulting state. */
export interface CommandOutcome<State> {
  events: RecordedEvent[];
  state: State;
  /** Global position of the command's last event, or the log's head when it appended nothing. */
  position: number;
  /** True when an Idempotency-Key repeat returned the first result. */
  replayed: boolean;
}

/** Another process won the race this many times in a row: give up and say so (409). */
const MAX_ATTEMPTS = 5;

/**
 * command → decide → append: reads the stream, folds it, decides with the server's time and the
 * clinic's configuration, appends with the revision it read, and on a conflict tries again.
 */
@Injectable()
export class CommandRunner {
  private readonly mutex = new KeyedMutex();
  private readonly cache = new FoldedStateCache();

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async clinic(clinicId: string, command: ClinicCommand, context: RequestContext): Promise<CommandOutcome<ClinicState>> {
    return this.run(clinicStream(clinicId), context, {
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
    context: RequestContext,
  ): Promise<CommandOutcome<PatientState>> {
    return this.run(patientStream(patientId), context, {
      load: () => this.loadPatient(patientId),
      decide: async ({ state }) => {
        const clinicId = state.clinicId ?? clinicIdForNewPatient;
        const clinic = clinicId ? (await this.loadClinic(clinicId)).state : clinicDecider.initialState();
        return patientDecider.decide(command, state, { now: this.clock.now(), clinic });
      },
      evolve: (s: PatientState, e: PatientEvent) => patientDecider.evolve(s, e),
    });
  }

  async loadPatient(patientId: string): Promise<{ state: PatientState; revision: number }> {
    return this.load(patientStream(patientId), patientDecider.initialState(), (s, e: PatientEvent) => patientDecider.evolve(s, e));
  }

  async loadClinic(clinicId: string): Promise<{ state: ClinicState; revision: number }> {
    return this.load(clinicStream(clinicId), clinicDecider.initialState(), (s, e: ClinicEvent) => clinicDecider.evolve(s, e));
  }

  /** The stream folded from the cached state plus whatever was recorded since (by any process). */
  private async load<S, E extends RapportEvent>(stream: string, initial: S, evolve: (s: S, e: E) => S) {
    const cached = this.cache.get<S>(stream);
    const from = cached ? cached.revision + 1 : 0;
    const recorded = await this.store.readStream(stream, from > 0 ? { fromRevision: from } : undefined);
    const state = recorded.reduce((s, r) => evolve(s, toDomainEvent(r) as E), cached?.state ?? initial);
    const revision = recorded.length > 0 ? recorded[recorded.length - 1]!.revision : (cached?.revision ?? -1);
    if (recorded.length > 0) this.cache.set(stream, state, revision);
    return { state, revision };
  }

  private async run<S, E extends RapportEvent>(stream: string, context: RequestContext, aggregate: Aggregate<S, E>): Promise<CommandOutcome<S>> {
    const key = context.idempotencyKey ? `${context.principal.userId}:${context.idempotencyKey}` : undefined;
    return this.mutex.run(stream, async () => {
      for (let attempt = 1; ; attempt++) {
        const loaded = await aggregate.load();
        if (key) {
          const earlier = await this.replay(key, context, loaded.state);
          if (earlier) return earlier;
        }
        const events = await aggregate.decide(loaded);
        if (events.length === 0) {
          return { events: [], state: loaded.state, position: await this.store.headPosition(), replayed: false };
        }
        const recordedAt = this.clock.now().toString();
        try {
          const result = await this.store.append(stream, events.map((event) => toNewEvent(event, context, recordedAt)), {
            expectedRevision: loaded.revision < 0 ? 'no_stream' : loaded.revision,
            ...(key ? { idempotency: { key, requestHash: context.requestHash } } : {}),
          });
          const state = events.reduce(aggregate.evolve, loaded.state);
          this.cache.set(stream, state, result.nextRevision);
          return { events: result.events, state, position: result.position, replayed: false };
        } catch (error) {
          // Another writer got in first (another process, or the same Idempotency-Key on another stream): decide again.
          const retry = error instanceof WrongExpectedRevisionError || error instanceof IdempotencyKeyTakenError;
          if (!retry || attempt >= MAX_ATTEMPTS) throw error;
        }
      }
    });
  }

  /** A repeat of an Idempotency-Key: the first result, or 409 when the request differs. */
  private async replay<S>(key: string, context: RequestContext, state: S): Promise<CommandOutcome<S> | undefined> {
    const record = await this.store.findIdempotencyRecord(key);
    if (!record) return undefined;
    if (record.requestHash !== context.requestHash) {
      throw new ConflictException(`Idempotency-Key ${context.idempotencyKey} was already used for a different request`);
    }
    const position = record.events.at(-1)?.position ?? (await this.store.headPosition());
    return { events: record.events, state, position, replayed: true };
  }
}

interface Loaded<S> {
  state: S;
  /** Revision of the stream's last event; -1 when the stream does not exist. */
  revision: number;
}

interface Aggregate<S, E> {
  load(): Promise<Loaded<S>>;
  decide(loaded: Loaded<S>): E[] | Promise<E[]>;
  evolve(state: S, event: E): S;
}

export function toDomainEvent(recorded: RecordedEvent): RapportEvent {
  return { type: recorded.type, data: recorded.data } as RapportEvent;
}

function toNewEvent(event: RapportEvent, context: RequestContext, recordedAt: string): NewEvent {
  const eventId = randomUUID();
  const claimedAt = event.type === 'CallAttempted' ? { claimedAt: event.data.startedAt } : {};
  return {
    eventId,
    type: event.type,
    data: event.data as unknown as Record<string, unknown>,
    metadata: {
      eventId,
      schemaVersion: EVENT_SCHEMA_VERSIONS[event.type],
      correlationId: context.correlationId,
      causationId: context.commandId,
      actor: context.principal,
      recordedAt,
      ...claimedAt,
      ...(context.idempotencyKey ? { idempotencyKey: context.idempotencyKey } : {}),
    },
  };
}

