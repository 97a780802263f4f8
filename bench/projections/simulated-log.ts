import { randomUUID } from 'node:crypto';
import { clinicStream, envelope, patientStream } from '@rapport/domain';
import { SeededRandom } from '../../apps/api/src/demo/seeded-random';
import {
  CallAttempted,
  clinicDecider,
  ClinicState,
  DomainRefusal,
  PatientCommand,
  patientDecider,
  PatientState,
  PatientEvent,
  RapportEvent,
  ReferralRequested,
  Temporal,
} from '@rapport/domain';
import type { NewEvent } from '@rapport/event-store';
import { GIVEN_NAMES, NOTES_REACHED, OUTCOME_MIX, PROCEDURE_MIX, SURNAMES } from '../../apps/api/src/demo/clinic-mix';

/**
 * A realistic event log for a chain of clinics, decided by the domain's own deciders in simulated
 * time: treatments of every procedure, contact preferences, inquiries, calls on every follow-up as
 * it falls due (plausible outcome rates, retries, call-backs, complaints), objections, referrals,
 * bookings, referred friends booking, missed visits. The same distributions as the demo month
 * (apps/api/src/demo), but states are folded in memory, not re-read from a store, so a million
 * events take a minute, not an hour. Appends come out in simulated-time order, as a live clinic
 * would write them.
 */
export interface SimulationOptions {
  clinics: number;
  seed: number;
  /** The first simulated day's midnight, local. */
  startDay?: string;
}

/** One command's events, to append to `stream` after `expectedRevision` (-1: a new stream). */
export interface DecidedAppend {
  stream: string;
  expectedRevision: number;
  events: NewEvent[];
}

export interface SimulationStats {
  commands: number;
  refused: number;
  patients: number;
  days: number;
  /** The simulated instant of the last command. */
  lastAt: string;
}

const TIME_ZONE = 'Asia/Shanghai';
const CALL_WINDOWS = ['10:30', '16:00'];
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const DOCTORS = ['dr-chen', 'dr-liu', 'dr-zhou', 'dr-wu'];
const CALLERS = ['nurse-zhang', 'desk-li', 'assistant-wang', 'nurse-he'];
const OBJECTION_TOPICS = ['cost', 'time', 'fear', 'distance', 'doubt_result', 'prejudice'];
const CONCERNS = ['想了解种植牙的费用', '孩子牙齿不齐,咨询矫正', '牙龈经常出血', '智齿疼痛', '想做牙齿美白'];

type Action =
  | { kind: 'day'; at: number }
  | { kind: 'treatment'; at: number; clinic: number }
  | { kind: 'inquiry'; at: number; clinic: number }
  | { kind: 'call'; at: number; patientId: string; followUpId: string; dueAt: string }
  | { kind: 'visit'; at: number; patientId: string; appointmentId: string; scheduledFor: number }
  | { kind: 'friend'; at: number; clinic: number; referralId: string; referrerPatientId: string; callerId: string };

interface Patient {
  state: PatientState;
  revision: number;
  clinic: number;
  /** Actions still queued for this patient; at 0 the state is dropped (nothing will touch it again). */
  pending: number;
}

interface Clinic {
  clinicId: string;
  state: ClinicState;
}

/** A min-heap of actions by time (ties in insertion order, so a run is reproducible). */
class ActionQueue {
  private readonly items: { action: Action; seq: number }[] = [];
  private seq = 0;

  get size(): number {
    return this.items.length;
  }

  push(action: Action): void {
    const items = this.items;
    items.push({ action, seq: this.seq++ });
    for (let i = items.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (!this.less(i, parent)) break;
      [items[i], items[parent]] = [items[parent]!, items[i]!];
      i = parent;
    }
  }

  pop(): Action | undefined {
    const items = this.items;
    if (items.length === 0) return undefined;
    const top = items[0]!.action;
    const last = items.pop()!;
    if (items.length > 0) {
      items[0] = last;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < items.length && this.less(l, m)) m = l;
        if (r < items.length && this.less(r, m)) m = r;
        if (m === i) break;
        [items[i], items[m]] = [items[m]!, items[i]!];
        i = m;
      }
    }
    return top;
  }

  private less(a: number, b: number): boolean {
    const x = this.items[a]!;
    const y = this.items[b]!;
    return x.action.at < y.action.at || (x.action.at === y.action.at && x.seq < y.seq);
  }
}

export class ClinicSimulation {
  readonly stats: SimulationStats = { commands: 0, refused: 0, patients: 0, days: 0, lastAt: '' };
  private readonly random: SeededRandom;
  private readonly queue = new ActionQueue();
  private readonly patients = new Map<string, Patient>();
  private readonly clinics: Clinic[] = [];
  private readonly out: DecidedAppend[] = [];
  private patientSeq = 0;
  private dayStart: Temporal.ZonedDateTime;

  constructor(private readonly options: SimulationOptions) {
    this.random = new SeededRandom(options.seed);
    this.dayStart = Temporal.PlainDate.from(options.startDay ?? '2026-01-05').toZonedDateTime({ timeZone: TIME_ZONE });
  }

  /** Decided appends in simulated-time order, for ever (the caller stops pulling). */
  *appends(): Generator<DecidedAppend> {
    const start = this.dayStart.epochMilliseconds;
    for (let i = 0; i < this.options.clinics; i++) this.configureClinic(`clinic-${String(i + 1).padStart(3, '0')}`, start);
    yield* this.drain();
    this.queue.push({ kind: 'day', at: start });
    for (;;) {
      const action = this.queue.pop();
      if (!action) return;
      this.run(action);
      yield* this.drain();
    }
  }

  private *drain(): Generator<DecidedAppend> {
    while (this.out.length > 0) yield this.out.shift()!;
  }

  private configureClinic(clinicId: string, atMs: number): void {
    const initial = clinicDecider.initialState();
    const data = { clinicId, name: `Clinic ${clinicId}`, timeZone: TIME_ZONE, callWindows: CALL_WINDOWS };
    const events = clinicDecider.decide({ type: 'ConfigureClinic', data }, initial, undefined);
    this.clinics.push({ clinicId, state: events.reduce(clinicDecider.evolve, initial) });
    this.out.push({ stream: clinicStream(clinicId), expectedRevision: -1, events: events.map((e) => toNewEvent(e, atMs, 'admin')) });
  }

  private run(action: Action): void {
    switch (action.kind) {
      case 'day':
        return this.startDay(action.at);
      case 'treatment':
        return this.treatment(action.clinic, action.at);
      case 'inquiry':
        return this.inquiry(action.clinic, action.at);
      case 'call':
        return this.call(action);
      case 'visit':
        return this.visit(action);
      case 'friend':
        return this.friend(action);
    }
  }

  /** The day's treatments and inquiries, clinic by clinic; Sundays are quiet. */
  private startDay(at: number): void {
    this.stats.days++;
    const sunday = this.dayStart.dayOfWeek === 7;
    for (let clinic = 0; clinic < this.clinics.length; clinic++) {
      for (let n = sunday ? this.random.int(2, 4) : this.random.int(6, 11); n > 0; n--) {
        this.queue.push({ kind: 'treatment', at: at + 9 * HOUR + this.random.int(0, 8 * 60) * MINUTE, clinic });
      }
      for (let n = this.random.int(0, 3); n > 0; n--) {
        this.queue.push({ kind: 'inquiry', at: at + 9 * HOUR + 30 * MINUTE + this.random.int(0, 9 * 60) * MINUTE, clinic });
      }
    }
    this.dayStart = this.dayStart.add({ days: 1 });
    this.queue.push({ kind: 'day', at: this.dayStart.epochMilliseconds });
  }

  private treatment(clinic: number, at: number): void {
    const patientId = `p${++this.patientSeq}`;
    const procedure = this.random.weighted(PROCEDURE_MIX);
    const patient = this.newPatient(patientId, clinic);
    const clinicId = this.clinics[clinic]!.clinicId;
    this.decide(patient, patientId, at, this.random.pick(DOCTORS), {
      type: 'CompleteTreatment',
      data: {
        treatmentId: `t${this.patientSeq}`,
        patientId,
        clinicId,
        doctorId: this.random.pick(DOCTORS),
        procedure,
        completedAt: new Date(at - 15 * MINUTE).toISOString(),
        patient: { name: this.name(), phone: this.phone() },
        ...(procedure === 'extraction' ? { needsProsthesis: this.random.chance(0.4) } : {}),
        ...(procedure === 'root_canal_treatment' ? { restored: this.random.chance(0.3) } : {}),
      },
    });
    if (this.random.chance(0.15)) this.preferences(patient, patientId, at + MINUTE);
    this.release(patientId, patient);
  }

  private inquiry(clinic: number, at: number): void {
    const patientId = `q${++this.patientSeq}`;
    const patient = this.newPatient(patientId, clinic);
    this.decide(patient, patientId, at, 'desk-li', {
      type: 'ReceiveInquiry',
      data: {
        patientId,
        clinicId: this.clinics[clinic]!.clinicId,
        receivedAt: new Date(at - 10 * MINUTE).toISOString(),
        channel: this.random.pick(['phone', 'web', 'wechat'] as const),
        concern: this.random.pick(CONCERNS),
        patient: { name: this.name(), phone: this.phone() },
      },
    });
    this.release(patientId, patient);
  }

  private preferences(patient: Patient, patientId: string, at: number): void {
    const date = `${String(this.random.int(1, 12)).padStart(2, '0')}-${String(this.random.int(1, 28)).padStart(2, '0')}`;
    const which = this.random.weighted({ vip: 4, birthday: 3, lunch: 2, work: 2, doNotCall: 1 });
    this.decide(patient, patientId, at, 'desk-li', {
      type: 'SetContactPreferences',
      data: {
        patientId,
        ...(which === 'vip' ? { vip: true, specialDates: [{ kind: 'birthday', date }] } : {}),
        ...(which === 'birthday' ? { specialDates: [{ kind: 'birthday', date }] } : {}),
        ...(which === 'lunch' ? { preferredTimes: ['12:00-13:30'] } : {}),
        ...(which === 'work' ? { avoidWorkHours: true } : {}),
        ...(which === 'doNotCall' ? { doNotCall: true } : {}),
      },
    });
  }

  /** A call on a follow-up that is still open and still due when planned; callers skip do-not-call patients. */
  private call(action: Extract<Action, { kind: 'call' }>): void {
    const patient = this.patients.get(action.patientId);
    if (!patient) return;
    patient.pending--;
    const followUp = patient.state.followUps.get(action.followUpId);
    if (followUp?.status === 'open' && followUp.dueAt === action.dueAt && !patient.state.preferences.doNotCall) {
      const doctorTask = followUp.kind === 'doctor_callback' || followUp.kind === 'escalation';
      const callerId = doctorTask ? this.random.pick(DOCTORS) : this.random.pick(CALLERS);
      const outcome = this.random.weighted(OUTCOME_MIX);
      const reached = outcome === 'reached';
      const satisfaction = reached ? Number(this.random.weighted({ 5: 50, 4: 32, 3: 12, 2: 4, 1: 2 })) : undefined;
      const startedAt = action.at - 5 * MINUTE;
      const events = this.decide(patient, action.patientId, action.at, callerId, {
        type: 'RecordCall',
        data: {
          patientId: action.patientId,
          callerId,
          followUpId: action.followUpId,
          startedAt: new Date(startedAt).toISOString(),
          outcome,
          ...(reached ? { durationSeconds: this.random.int(60, 420), satisfaction, notes: this.random.pick(NOTES_REACHED) } : { durationSeconds: 0 }),
          ...(reached && satisfaction! <= 2 ? { complaint: true, symptoms: '术后仍有疼痛' } : {}),
          ...(outcome === 'call_back_later' ? { callBackAt: new Date(startedAt + this.random.int(3, 30) * HOUR).toISOString() } : {}),
        },
      });
      const callId = events?.find((e): e is CallAttempted => e.type === 'CallAttempted')?.data.callId;
      if (reached && callId) this.afterConversation(patient, action.patientId, callerId, callId, action.followUpId, action.at, satisfaction!);
    }
    this.release(action.patientId, patient);
  }

  private afterConversation(patient: Patient, patientId: string, callerId: string, callId: string, followUpId: string, at: number, satisfaction: number): void {
    if (this.random.chance(0.22)) {
      this.decide(patient, patientId, at + MINUTE, callerId, {
        type: 'RaiseObjection',
        data: {
          patientId,
          callerId,
          callId,
          kind: this.random.weighted({ trivial: 3, half_informed: 4, sincere: 5 }),
          topic: this.random.pick(OBJECTION_TOPICS),
          method: this.random.weighted({ convert: 3, let_patient_answer: 1, inform: 4, acknowledge: 2, deny: 1, defer: 1 }),
          resolved: this.random.chance(0.6),
        },
      });
    }
    if (satisfaction >= 4 && this.random.chance(0.2)) {
      const events = this.decide(patient, patientId, at + 2 * MINUTE, callerId, {
        type: 'RequestReferral',
        data: { patientId, callerId, referred: { relation: this.random.pick(['家人', '朋友', '同事']) } },
      });
      const referralId = events?.find((e): e is ReferralRequested => e.type === 'ReferralRequested')?.data.referralId;
      if (referralId && this.random.chance(0.35)) {
        this.queue.push({ kind: 'friend', at: at + this.random.int(2, 6) * DAY, clinic: patient.clinic, referralId, referrerPatientId: patientId, callerId });
      }
    }
    if (this.random.chance(0.28)) {
      this.decide(patient, patientId, at + 3 * MINUTE, callerId, {
        type: 'BookAppointment',
        data: { patientId, clinicId: this.clinics[patient.clinic]!.clinicId, scheduledFor: new Date(at + this.random.int(1, 14) * DAY).toISOString(), callerId, followUpId },
      });
    }
  }

  /** About one booked visit in ten is missed; the clinic notices half an hour later. */
  private visit(action: Extract<Action, { kind: 'visit' }>): void {
    const patient = this.patients.get(action.patientId);
    if (!patient) return;
    patient.pending--;
    this.decide(patient, action.patientId, action.at, 'desk-li', {
      type: 'MissAppointment',
      data: { appointmentId: action.appointmentId, patientId: action.patientId, at: new Date(action.at).toISOString() },
    });
    this.release(action.patientId, patient);
  }

  private friend(action: Extract<Action, { kind: 'friend' }>): void {
    const patientId = `f${++this.patientSeq}`;
    const patient = this.newPatient(patientId, action.clinic);
    this.decide(patient, patientId, action.at, 'desk-li', {
      type: 'BookAppointment',
      data: {
        patientId,
        clinicId: this.clinics[action.clinic]!.clinicId,
        scheduledFor: new Date(action.at + this.random.int(2, 6) * DAY).toISOString(),
        callerId: action.callerId,
        referralId: action.referralId,
        referrerPatientId: action.referrerPatientId,
      },
    });
    this.release(patientId, patient);
  }

  private newPatient(patientId: string, clinic: number): Patient {
    const patient: Patient = { state: patientDecider.initialState(), revision: -1, clinic, pending: 0 };
    this.patients.set(patientId, patient);
    this.stats.patients++;
    return patient;
  }

  private release(patientId: string, patient: Patient): void {
    if (patient.pending <= 0) this.patients.delete(patientId);
  }

  /** Decides at `at` (the server's time), queues the append, folds the state and plans what follows. */
  private decide(patient: Patient, patientId: string, at: number, actor: string, command: PatientCommand): PatientEvent[] | undefined {
    const clinic = this.clinics[patient.clinic]!.state;
    let events: PatientEvent[];
    try {
      events = patientDecider.decide(command, patient.state, { now: Temporal.Instant.fromEpochMilliseconds(at), clinic });
    } catch (error) {
      if (!(error instanceof DomainRefusal)) throw error;
      this.stats.refused++;
      return undefined;
    }
    this.stats.commands++;
    this.stats.lastAt = new Date(at).toISOString();
    if (events.length === 0) return events;
    this.out.push({ stream: patientStream(patientId), expectedRevision: patient.revision, events: events.map((e) => toNewEvent(e, at, actor)) });
    patient.revision += events.length;
    patient.state = events.reduce(patientDecider.evolve, patient.state);
    for (const event of events) {
      if (event.type === 'FollowUpScheduled' || event.type === 'FollowUpRescheduled') {
        this.planCall(patient, patientId, event.data.followUpId, event.data.dueAt, patient.state.followUps.get(event.data.followUpId)?.urgent === true);
      }
      if (event.type === 'AppointmentBooked' && this.random.chance(0.1)) {
        const scheduledFor = Date.parse(event.data.scheduledFor);
        patient.pending++;
        this.queue.push({ kind: 'visit', at: scheduledFor + 30 * MINUTE, patientId, appointmentId: event.data.appointmentId, scheduledFor });
      }
    }
    return events;
  }

  /** Urgent calls ten minutes after they fall due; the rest within the window's 75 minutes; some slip a day. */
  private planCall(patient: Patient, patientId: string, followUpId: string, dueAt: string, urgent: boolean): void {
    const due = Date.parse(dueAt);
    let at = urgent ? due + 10 * MINUTE : due + this.random.int(5, 75) * MINUTE;
    if (this.random.chance(0.08)) at += DAY;
    patient.pending++;
    this.queue.push({ kind: 'call', at, patientId, followUpId, dueAt });
  }

  private name(): string {
    return this.random.pick(SURNAMES) + this.random.pick(GIVEN_NAMES);
  }

  private phone(): string {
    return `+86 13${this.random.int(0, 9)} ${this.random.int(1000, 9999)} ${this.random.int(1000, 9999)}`;
  }
}

/** The metadata the command runner writes, through the same envelope. */
function toNewEvent(event: RapportEvent, atMs: number, actor: string): NewEvent {
  const eventId = randomUUID();
  const role = actor.startsWith('dr-') ? 'doctor' : actor === 'admin' ? 'admin' : 'caller';
  return envelope(event, { eventId, correlationId: eventId, causationId: eventId, actor: { userId: actor, role }, recordedAt: new Date(atMs).toISOString() });
}
