import { CallOutcome, ContactPreferencesSet, FollowUpKind, InquiryReceived, PatientEvent, ScheduleOrigin, SpecialDate, TreatmentCompleted, UNREACHED_OUTCOMES } from '../events';

export type FollowUpStatus = 'open' | 'closed';

export interface FollowUpState {
  followUpId: string;
  treatmentId?: string;
  status: FollowUpStatus;
  dueAt: string;
  urgent: boolean;
  /** All attempts on this follow-up. */
  attempts: number;
  /** Attempts that did not reach the patient; at the clinic's maxAttempts the follow-up closes. */
  failedAttempts: number;
  lastOutcome?: CallOutcome;
  kind: FollowUpKind;
  origin: ScheduleOrigin;
  /** The dueAt it was scheduled with, before any retry: a recurrence counts from it. */
  scheduledDueAt: string;
  callNumber?: number;
  inquiryId?: string;
  specialDate?: SpecialDate;
  /** The follow-up whose closing scheduled this one. */
  follows?: string;
  /** Who opened the call, and until when nobody else should dial (released by a call on it). */
  claim?: { by: string; until: string };
}

/** A call as the patient's record holds it (corrections applied): what attribution reads. */
export interface CallState {
  callerId: string;
  startedAt: string;
  outcome: CallOutcome;
  followUpId?: string;
  /** A booking has been credited to it: a call earns one booking at most. */
  credited: boolean;
}

export interface AppointmentState {
  scheduledFor: string;
  /** Its outcome, once recorded: one of the two, never both. */
  missedAt?: string;
  attendedAt?: string;
}

/** What the patient said about being contacted (the latest ContactPreferencesSet, without the ids). */
export type ContactPreferences = Omit<ContactPreferencesSet['data'], 'patientId' | 'clinicId'>;

/**
 * Where a prospect stands in seed 002's sequence. `active` from the first prospect call until a
 * booking or visit (`converted`) or seven consecutive refusals (`stopped`); a new sequence after a
 * new inquiry starts active again with no refusals.
 */
export interface ProspectState {
  status: 'none' | 'active' | 'converted' | 'stopped';
  /** Calls declined in a row while active; a booking or a visit ends the run. */
  consecutiveRefusals: number;
  /** The callNumber of the last prospect call scheduled. */
  lastCallNumber: number;
  inquiryId?: string;
}

/** A patient's relationship with the clinic, folded from their stream. */
export interface PatientState {
  exists: boolean;
  patientId?: string;
  clinicId?: string;
  // Maps, not objects: these are keyed by client-supplied ids, and an id such as `constructor` or
  // `__proto__` must be just another key, never a property every object already has.
  treatments: ReadonlyMap<string, TreatmentCompleted['data']>;
  followUps: ReadonlyMap<string, FollowUpState>;
  calls: ReadonlyMap<string, CallState>;
  referralIds: ReadonlySet<string>;
  appointments: ReadonlyMap<string, AppointmentState>;
  inquiries: ReadonlyMap<string, InquiryReceived['data']>;
  preferences: ContactPreferences;
  prospect: ProspectState;
  /** Server-made ids are `<patientId>.<kind><n>`; this is the last n used. */
  lastSeq: number;
  /** PersonalDataErased: the names and phone numbers are gone (the state keeps none either). */
  erased?: boolean;
  /** A call found the phone wrong, and no number has been given since. */
  phoneWrong?: boolean;
}

export function initialPatientState(): PatientState {
  return {
    exists: false,
    treatments: new Map(),
    followUps: new Map(),
    calls: new Map(),
    referralIds: new Set(),
    appointments: new Map(),
    inquiries: new Map(),
    preferences: {},
    prospect: { status: 'none', consecutiveRefusals: 0, lastCallNumber: 0 },
    lastSeq: 0,
  };
}

export function evolvePatient(state: PatientState, event: PatientEvent): PatientState {
  const s: PatientState = { ...state, exists: true, patientId: event.data.patientId, clinicId: state.clinicId ?? event.data.clinicId };
  switch (event.type) {
    case 'TreatmentCompleted':
      return { ...s, treatments: withEntry(s.treatments, event.data.treatmentId, event.data), prospect: converted(s.prospect), ...newPhone(event.data.patient) };
    case 'FollowUpScheduled':
    case 'FollowUpAdded': {
      const d = event.data;
      const followUp: FollowUpState = {
        followUpId: d.followUpId,
        treatmentId: d.treatmentId,
        status: 'open',
        dueAt: d.dueAt,
        urgent: d.urgent,
        attempts: 0,
        failedAttempts: 0,
        kind: d.kind ?? 'treatment',
        origin: d.origin,
        scheduledDueAt: d.dueAt,
        ...(d.callNumber !== undefined ? { callNumber: d.callNumber } : {}),
        ...(d.inquiryId !== undefined ? { inquiryId: d.inquiryId } : {}),
        ...(d.follows !== undefined ? { follows: d.follows } : {}),
        ...(d.specialDate !== undefined ? { specialDate: d.specialDate } : {}),
      };
      return { ...s, lastSeq: Math.max(s.lastSeq, seqOf(d.followUpId)), followUps: withEntry(s.followUps, d.followUpId, followUp), prospect: prospectScheduled(s.prospect, event.data) };
    }
    case 'CallAttempted': {
      const d = event.data;
      // Every call counts as an attempt on an open follow-up (a wrong number moves nothing else) and releases its claim.
      const followUps = d.followUpId
        ? patchFollowUp(s.followUps, d.followUpId, ({ claim: _released, ...f }) => ({ ...f, lastOutcome: d.outcome, attempts: f.status === 'open' ? f.attempts + 1 : f.attempts }))
        : s.followUps;
      const prospect = s.prospect.status === 'active' ? { ...s.prospect, consecutiveRefusals: refusalsAfter(s.prospect.consecutiveRefusals, d.outcome) } : s.prospect;
      const call: CallState = { callerId: d.callerId, startedAt: d.startedAt, outcome: d.outcome, ...(d.followUpId ? { followUpId: d.followUpId } : {}), credited: false };
      return { ...s, lastSeq: Math.max(s.lastSeq, seqOf(d.callId)), calls: withEntry(s.calls, d.callId, call), followUps, prospect };
    }
    case 'FollowUpMoved': {
      const d = event.data;
      return { ...s, followUps: patchFollowUp(s.followUps, d.followUpId, (f) => ({ ...f, dueAt: d.dueAt })) };
    }
    case 'FollowUpCancelled':
      return { ...s, followUps: patchFollowUp(s.followUps, event.data.followUpId, (f) => ({ ...f, status: 'closed' })) };
    case 'FollowUpRescheduled': {
      const d = event.data;
      const failed = d.reason === 'retry' ? 1 : 0;
      return { ...s, followUps: patchFollowUp(s.followUps, d.followUpId, (f) => ({ ...f, dueAt: d.dueAt, attempts: d.attempts, failedAttempts: f.failedAttempts + failed })) };
    }
    case 'FollowUpClosed': {
      const d = event.data;
      return { ...s, followUps: patchFollowUp(s.followUps, d.followUpId, (f) => ({ ...f, status: 'closed', attempts: d.attempts })) };
    }
    case 'ObjectionRaised':
      return { ...s, lastSeq: Math.max(s.lastSeq, seqOf(event.data.objectionId)) };
    case 'ReferralRequested':
      return { ...s, lastSeq: Math.max(s.lastSeq, seqOf(event.data.referralId)), referralIds: withMember(s.referralIds, event.data.referralId) };
    case 'AppointmentBooked': {
      const d = event.data;
      const credited = d.attributedCallId ? s.calls.get(d.attributedCallId) : undefined;
      return {
        ...s,
        lastSeq: Math.max(s.lastSeq, seqOf(d.appointmentId)),
        ...(credited && d.attributedCallId ? { calls: withEntry(s.calls, d.attributedCallId, { ...credited, credited: true }) } : {}),
        appointments: withEntry(s.appointments, d.appointmentId, { scheduledFor: d.scheduledFor }),
        prospect: converted(s.prospect),
      };
    }
    case 'AppointmentMissed': {
      const d = event.data;
      const appointment = s.appointments.get(d.appointmentId);
      return appointment ? { ...s, appointments: withEntry(s.appointments, d.appointmentId, { ...appointment, missedAt: d.at }) } : s;
    }
    case 'AppointmentAttended': {
      const d = event.data;
      const appointment = s.appointments.get(d.appointmentId);
      return appointment ? { ...s, appointments: withEntry(s.appointments, d.appointmentId, { ...appointment, attendedAt: d.at }), prospect: converted(s.prospect) } : s;
    }
    case 'ContactPreferencesSet':
    case 'ContactPreferencesChanged': {
      const { patientId: _p, clinicId: _c, ...rest } = event.data;
      const { changed: _changed, ...preferences } = rest as typeof rest & { changed?: unknown };
      return { ...s, preferences };
    }
    case 'ProspectPersuasionStopped':
      return { ...s, prospect: { ...s.prospect, status: 'stopped' } };
    case 'FollowUpClaimed': {
      const d = event.data;
      return { ...s, followUps: patchFollowUp(s.followUps, d.followUpId, (f) => ({ ...f, claim: { by: d.claimedBy, until: d.until } })) };
    }
    case 'PhoneNumberReportedWrong':
      return { ...s, phoneWrong: true };
    case 'PersonalDetailsCorrected':
      return { ...s, lastSeq: Math.max(s.lastSeq, seqOf(event.data.correctionId)), ...(event.data.patient.phone !== undefined ? { phoneWrong: false } : {}) };
    case 'InquiryReceived':
      return { ...s, lastSeq: Math.max(s.lastSeq, seqOf(event.data.inquiryId)), inquiries: withEntry(s.inquiries, event.data.inquiryId, event.data), ...newPhone(event.data.patient) };
    case 'CallRecordCorrected': {
      // Attribution reads the call as corrected (a no_answer corrected to reached can earn a booking).
      const d = event.data;
      const call = s.calls.get(d.callId);
      const corrected = d.corrected as { outcome?: CallOutcome; startedAt?: string };
      const calls = call ? withEntry(s.calls, d.callId, { ...call, ...(corrected.outcome ? { outcome: corrected.outcome } : {}), ...(corrected.startedAt ? { startedAt: corrected.startedAt } : {}) }) : s.calls;
      return { ...s, calls, lastSeq: Math.max(s.lastSeq, seqOf(d.correctionId)) };
    }
    case 'AppointmentRecordCorrected': {
      // The visit is for the corrected time: whether it can be missed or attended reads that.
      const d = event.data;
      const appointment = s.appointments.get(d.appointmentId);
      const scheduledFor = (d.corrected as { scheduledFor?: string }).scheduledFor;
      const appointments = appointment && scheduledFor ? withEntry(s.appointments, d.appointmentId, { ...appointment, scheduledFor }) : s.appointments;
      return { ...s, appointments, lastSeq: Math.max(s.lastSeq, seqOf(d.correctionId)) };
    }
    case 'ObjectionRecordCorrected':
    case 'ReferralRecordCorrected':
    case 'TreatmentRecordCorrected':
      // A correction fixes the record; what the follow-ups became stays as it was decided.
      return { ...s, lastSeq: Math.max(s.lastSeq, seqOf(event.data.correctionId)) };
    case 'PersonalDataErased':
      return { ...s, erased: true, treatments: withoutPersonal(s.treatments), inquiries: withoutPersonal(s.inquiries) };
  }
}

/** A phone given again (a treatment, an inquiry) is the number to call from now on. */
function newPhone(details: { phone?: unknown } | undefined): Pick<PatientState, 'phoneWrong'> | Record<string, never> {
  return details && typeof details.phone === 'string' ? { phoneWrong: false } : {};
}

/** The same records without the `patient` details (kept in memory by caches of folded state). */
function withoutPersonal<T extends { patient?: unknown }>(records: ReadonlyMap<string, T>): ReadonlyMap<string, T> {
  return new Map([...records].map(([id, { patient: _dropped, ...rest }]) => [id, rest as T]));
}

/** A copy with one entry set: state is never changed in place (caches share it). */
function withEntry<V>(map: ReadonlyMap<string, V>, key: string, value: V): ReadonlyMap<string, V> {
  return new Map(map).set(key, value);
}

function withMember(set: ReadonlySet<string>, member: string): ReadonlySet<string> {
  return set.has(member) ? set : new Set(set).add(member);
}

/** A prospect call: call 1 starts a sequence afresh; later ones move its count on. */
function prospectScheduled(prospect: ProspectState, d: { kind?: string; callNumber?: number; inquiryId?: string }): ProspectState {
  if (d.kind !== 'prospect' || d.callNumber === undefined) return prospect;
  const inquiry = d.inquiryId !== undefined ? { inquiryId: d.inquiryId } : {};
  if (d.callNumber === 1) return { status: 'active', consecutiveRefusals: 0, lastCallNumber: 1, ...inquiry };
  return { ...prospect, lastCallNumber: d.callNumber };
}

/**
 * Seed 002, "除非对方连续七次说'不'": a refusal adds to the run; any other contact (someone spoke)
 * starts it again; a call that reached nobody (or a wrong number) changes nothing.
 */
export function refusalsAfter(run: number, outcome: CallOutcome): number {
  if (outcome === 'declined') return run + 1;
  return UNREACHED_OUTCOMES.includes(outcome) || outcome === 'wrong_number' ? run : 0;
}

/** A booking or a visit converts an active prospect and ends any run of refusals. */
function converted(prospect: ProspectState): ProspectState {
  return { ...prospect, status: prospect.status === 'active' ? 'converted' : prospect.status, consecutiveRefusals: 0 };
}

function patchFollowUp(all: ReadonlyMap<string, FollowUpState>, id: string, patch: (f: FollowUpState) => FollowUpState): ReadonlyMap<string, FollowUpState> {
  const current = all.get(id);
  return current ? withEntry(all, id, patch(current)) : all;
}

/** The n of a server-made id `<patientId>.<kind><n>` (0 when it has none). */
function seqOf(id: string): number {
  const match = /\.[a-z]+(\d+)$/.exec(id);
  return match ? Number(match[1]) : 0;
}

/** The patient a server-made id belongs to: everything before the first dot. */
export function patientIdOf(serverMadeId: string): string | undefined {
  const dot = serverMadeId.indexOf('.');
  return dot > 0 ? serverMadeId.slice(0, dot) : undefined;
}

/** Open follow-ups of the given kinds. */
export function openFollowUps(state: PatientState, kinds: readonly FollowUpKind[]): FollowUpState[] {
  return [...state.followUps.values()].filter((f) => f.status === 'open' && kinds.includes(f.kind));
}
