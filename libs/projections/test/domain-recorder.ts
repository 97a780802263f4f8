import { randomUUID } from 'node:crypto';
import { Temporal } from 'temporal-polyfill';
import {
  ClinicCommand,
  ClinicEvent,
  clinicDecider,
  ClinicState,
  envelope,
  PatientCommand,
  PatientEvent,
  patientDecider,
  PatientState,
  RapportEvent,
} from '@rapport/domain';
import type { EventStore, RecordedEvent } from '@rapport/event-store';

/**
 * Feeds the real event store the way the command API does (read the stream, fold, decide with
 * the domain's deciders, append with the revision read), at a time the script sets. Tests of the
 * read side use it so every event they project is one the domain really decides.
 */
export class DomainRecorder {
  constructor(private readonly store: EventStore) {}

  async clinic(command: ClinicCommand, at: string): Promise<RecordedEvent[]> {
    const stream = `clinic-${command.data.clinicId}`;
    const { state, revision } = await this.load(stream, clinicDecider.initialState(), (s, e: ClinicEvent) => clinicDecider.evolve(s, e));
    return this.append(stream, revision, clinicDecider.decide(command, state, undefined), at, 'manager');
  }

  /** Records a patient command; `at` is the server's time (metadata.recordedAt, the decider's now). */
  async patient(command: PatientCommand, at: string, clinicIdForNewPatient?: string): Promise<RecordedEvent[]> {
    const patientId = command.data.patientId;
    const stream = `patient-${patientId}`;
    const { state, revision } = await this.loadPatient(patientId);
    const clinicId = state.clinicId ?? clinicIdForNewPatient ?? ('clinicId' in command.data ? (command.data.clinicId as string) : undefined);
    const clinic = clinicId ? (await this.loadClinic(clinicId)).state : clinicDecider.initialState();
    const events = patientDecider.decide(command, state, { now: Temporal.Instant.from(at), clinic });
    return this.append(stream, revision, events, at, 'caller');
  }

  async loadPatient(patientId: string): Promise<{ state: PatientState; revision: number }> {
    return this.load(`patient-${patientId}`, patientDecider.initialState(), (s, e: PatientEvent) => patientDecider.evolve(s, e));
  }

  private async loadClinic(clinicId: string): Promise<{ state: ClinicState; revision: number }> {
    return this.load(`clinic-${clinicId}`, clinicDecider.initialState(), (s, e: ClinicEvent) => clinicDecider.evolve(s, e));
  }

  private async load<S, E extends RapportEvent>(stream: string, initial: S, evolve: (s: S, e: E) => S) {
    const recorded = await this.store.readStream(stream);
    const state = recorded.reduce((s, r) => evolve(s, { type: r.type, data: r.data } as E), initial);
    return { state, revision: recorded.length - 1 };
  }

  private async append(stream: string, revision: number, events: RapportEvent[], at: string, role: string): Promise<RecordedEvent[]> {
    if (events.length === 0) return [];
    const correlationId = randomUUID();
    const result = await this.store.append(
      stream,
      events.map((event) =>
        envelope(event, { eventId: randomUUID(), correlationId, causationId: correlationId, actor: { userId: 'script', role }, recordedAt: Temporal.Instant.from(at).toString() }),
      ),
      { expectedRevision: revision < 0 ? 'no_stream' : revision },
    );
    return result.events;
  }
}
