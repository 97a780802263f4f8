/**
 * Properties of the whole engine, driven through the decider: random clinics (zones with and
 * without DST, random windows), a treatment or an inquiry or both, contact preferences that come
 * and go, then calls on whatever falls due with random outcomes, bookings and missed visits.
 * Windows here fall between 06:00 and 22:59, away from the hours clocks jump, so "on a window" is
 * simply "its local time is a window" (call-window gaps are schedule.property.unit.spec.ts's job).
 */
import fc from 'fast-check';
import { Temporal } from 'temporal-polyfill';
import { ClinicState, initialClinicState } from '../clinic/clinic';
import { DomainRefusal } from '../decider';
import { CALL_OUTCOMES, CallOutcome, FollowUpScheduled, PatientEvent } from '../events';
import { DEFAULT_PROTOCOL, KNOWN_PROCEDURES } from '../protocol/default-protocol';
import type { PatientCommand } from './patient.commands';
import { patientDecider } from './patient.decider';
import { evolvePatient, initialPatientState, PatientState } from './patient.state';

const ZONES = ['America/New_York', 'Europe/London', 'Australia/Sydney', 'Asia/Shanghai', 'America/Santiago', 'UTC'] as const;
const DAYTIME = fc.tuple(fc.integer({ min: 6, max: 22 }), fc.integer({ min: 0, max: 59 })).map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);
const clinicArb = fc.record({
  timeZone: fc.constantFrom(...ZONES),
  callWindows: fc.uniqueArray(DAYTIME, { minLength: 1, maxLength: 3 }).map((w) => [...w].sort()),
  maxAttempts: fc.integer({ min: 1, max: 4 }),
});
/** Starts within a few days of a DST change (northern and southern), or anywhere in 2025–2030. */
const DST_CHANGES = ['2026-03-08T07:00:00Z', '2026-11-01T06:00:00Z', '2026-03-29T01:00:00Z', '2026-10-25T01:00:00Z', '2026-04-05T16:00:00Z', '2026-10-04T16:00:00Z'];
const startArb = fc.oneof(
  fc.tuple(fc.constantFrom(...DST_CHANGES), fc.integer({ min: -4 * 86_400, max: 2 * 86_400 })).map(([t, s]) => Temporal.Instant.from(t).add({ seconds: s })),
  fc.integer({ min: 1_735_689_600, max: 1_893_456_000 }).map((s) => Temporal.Instant.fromEpochMilliseconds(s * 1000)),
);

/** One step of a scenario, interpreted against the state it meets. */
const stepArb: fc.Arbitrary<Step> = fc.record({
  action: fc.constantFrom<Step['action']>('call', 'call', 'call', 'call', 'call', 'call', 'adhoc_call', 'adhoc_call', 'book', 'miss', 'preferences'),
  // Refusals and reached calls weigh more, so prospects get to call 3, the escalation and the seventh no.
  outcome: fc.oneof(
    { weight: 3, arbitrary: fc.constant<CallOutcome>('declined') },
    { weight: 2, arbitrary: fc.constant<CallOutcome>('reached') },
    { weight: 2, arbitrary: fc.constantFrom<CallOutcome>(...CALL_OUTCOMES) },
  ),
  delayMinutes: fc.integer({ min: 0, max: 600 }),
  complaint: fc.boolean(),
  doNotCall: fc.boolean(),
  dates: fc.subarray(['birthday:03-08', 'anniversary:11-01', 'birthday:02-29', 'other:2010-10-04']),
});
const scenarioArb: fc.Arbitrary<Scenario> = fc.record({
  clinic: clinicArb,
  start: startArb,
  procedure: fc.option(fc.constantFrom(...KNOWN_PROCEDURES), { nil: undefined, freq: 2 }),
  inquiry: fc.boolean(),
  steps: fc.array(stepArb, { minLength: 1, maxLength: 30 }),
});
interface Step {
  action: 'call' | 'adhoc_call' | 'book' | 'miss' | 'preferences';
  outcome: CallOutcome;
  delayMinutes: number;
  complaint: boolean;
  doNotCall: boolean;
  dates: string[];
}
interface Scenario {
  clinic: { timeZone: string; callWindows: string[]; maxAttempts: number };
  start: Temporal.Instant;
  procedure: string | undefined;
  inquiry: boolean;
  steps: Step[];
}
/** A prospect who mostly says no, and is called on schedule and on the caller's own initiative. */
const stubbornProspectArb: fc.Arbitrary<Scenario> = fc.record({
  clinic: clinicArb,
  start: startArb,
  procedure: fc.constant(undefined),
  inquiry: fc.constant(true),
  steps: fc.array(
    fc.record({
      action: fc.constantFrom<Step['action']>('call', 'call', 'adhoc_call'),
      outcome: fc.oneof({ weight: 6, arbitrary: fc.constant<CallOutcome>('declined') }, { weight: 1, arbitrary: fc.constantFrom<CallOutcome>('reached', 'no_answer', 'call_back_later') }),
      delayMinutes: fc.integer({ min: 0, max: 600 }),
      complaint: fc.constant(false),
      doNotCall: fc.constant(false),
      dates: fc.constant<string[]>([]),
    }),
    { minLength: 5, maxLength: 14 },
  ),
});

/** A decision the engine took: the command, the state it met, when, and what it recorded. */
interface Decision {
  command: PatientCommand;
  before: PatientState;
  now: Temporal.Instant;
  events: PatientEvent[];
}

const P = 'p1';

function run(s: Scenario): { decisions: Decision[]; clinic: ClinicState } {
  const clinic: ClinicState = { ...initialClinicState(), configured: true, clinicId: 'c1', protocol: DEFAULT_PROTOCOL, ...s.clinic };
  let state = initialPatientState();
  let now = s.start;
  const decisions: Decision[] = [];
  const decide = (command: PatientCommand) => {
    try {
      const events = patientDecider.decide(command, state, { now, clinic });
      decisions.push({ command, before: state, now, events });
      state = events.reduce(evolvePatient, state);
    } catch (error) {
      if (!(error instanceof DomainRefusal)) throw error;
    }
  };
  if (s.inquiry) decide({ type: 'ReceiveInquiry', data: { patientId: P, clinicId: 'c1', receivedAt: now.toString() } });
  // An inquiry with no procedure stays a prospect; without an inquiry there is always a treatment.
  if (s.procedure || !s.inquiry) {
    now = now.add({ hours: 1 });
    decide({ type: 'CompleteTreatment', data: { treatmentId: 't1', patientId: P, clinicId: 'c1', doctorId: 'd1', procedure: s.procedure ?? 'other', completedAt: now.subtract({ minutes: 30 }).toString() } });
  }
  for (const step of s.steps) {
    const open = [...state.followUps.values()]
      .filter((f) => f.status === 'open')
      .sort((a, b) => Temporal.Instant.compare(Temporal.Instant.from(a.dueAt), Temporal.Instant.from(b.dueAt)));
    const due = open[0] ? Temporal.Instant.from(open[0].dueAt) : now;
    const startedAt = (Temporal.Instant.compare(due, now) > 0 ? due : now).add({ minutes: step.delayMinutes });
    now = startedAt.add({ minutes: 1 });
    const callBackAt = startedAt.add({ hours: 3 }).toString();
    const call = { patientId: P, callerId: 'n1', startedAt: startedAt.toString(), outcome: step.outcome, ...(step.complaint ? { complaint: true } : {}), ...(step.outcome === 'call_back_later' ? { callBackAt } : {}) };
    switch (step.action) {
      case 'call':
        if (open[0]) decide({ type: 'RecordCall', data: { ...call, followUpId: open[0].followUpId } });
        break;
      case 'adhoc_call':
        decide({ type: 'RecordCall', data: call });
        break;
      case 'book':
        decide({ type: 'BookAppointment', data: { patientId: P, clinicId: 'c1', scheduledFor: now.add({ hours: 48 }).toString() } });
        break;
      case 'miss': {
        const missable = [...state.appointments].find(([, a]) => !a.missedAt);
        if (missable) {
          const at = Temporal.Instant.from(missable[1].scheduledFor).add({ minutes: 20 });
          if (Temporal.Instant.compare(at, now) > 0) now = at.add({ minutes: 1 });
          decide({ type: 'MissAppointment', data: { appointmentId: missable[0], patientId: P, at: at.toString() } });
        }
        break;
      }
      case 'preferences': {
        const specialDates = step.dates.map((d) => ({ kind: d.split(':')[0]!, date: d.split(':')[1]! }));
        decide({ type: 'SetContactPreferences', data: { patientId: P, doNotCall: step.doNotCall, specialDates } });
        break;
      }
    }
  }
  return { decisions, clinic };
}

/** The instant a command's follow-ups are counted from. */
function triggerOf(d: Decision): Temporal.Instant {
  switch (d.command.type) {
    case 'CompleteTreatment':
      return Temporal.Instant.from(d.command.data.completedAt);
    case 'ReceiveInquiry':
      return Temporal.Instant.from(d.command.data.receivedAt);
    case 'RecordCall':
      return Temporal.Instant.from(d.command.data.startedAt);
    case 'MissAppointment':
      return Temporal.Instant.from(d.command.data.at);
    default:
      return d.now;
  }
}

const scheduledIn = (d: Decision) => d.events.filter((e): e is FollowUpScheduled => e.type === 'FollowUpScheduled');
const localTime = (instant: string, timeZone: string) => Temporal.Instant.from(instant).toZonedDateTimeISO(timeZone).toPlainTime().toString({ smallestUnit: 'minute' });
const RUNS = { numRuns: 250 };

describe('the protocol engine (property)', () => {
  it('never schedules a follow-up before what triggered it (treatment, inquiry, call, missed visit, preferences)', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        for (const d of run(s).decisions) {
          const trigger = triggerOf(d);
          for (const f of scheduledIn(d)) {
            if (Temporal.Instant.compare(Temporal.Instant.from(f.data.dueAt), trigger) < 0) {
              throw new Error(`${f.data.followUpId} (${f.data.kind ?? 'treatment'}) due ${f.data.dueAt} before ${d.command.type} at ${trigger.toString()}`);
            }
          }
        }
      }),
      RUNS,
    );
  });

  it('never puts a treatment’s follow-up before the treatment, however far its chain runs', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const decisions = run(s).decisions;
        const completed = decisions.flatMap((d) => d.events).find((e) => e.type === 'TreatmentCompleted');
        if (!completed) return;
        for (const f of decisions.flatMap(scheduledIn).filter((e) => e.data.treatmentId === 't1')) {
          expect(Temporal.Instant.compare(Temporal.Instant.from(f.data.dueAt), Temporal.Instant.from(completed.data.completedAt))).toBeGreaterThanOrEqual(0);
        }
      }),
      RUNS,
    );
  });

  it('puts every non-urgent follow-up and every retry on a call window, at the window’s local time across DST', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const { decisions, clinic } = run(s);
        for (const e of decisions.flatMap((d) => d.events)) {
          const due = e.type === 'FollowUpScheduled' && !e.data.urgent ? e.data.dueAt : e.type === 'FollowUpRescheduled' && e.data.reason === 'retry' ? e.data.dueAt : undefined;
          if (due && !clinic.callWindows.includes(localTime(due, clinic.timeZone))) {
            throw new Error(`${e.type} ${JSON.stringify(e.data)} is at ${localTime(due, clinic.timeZone)} local, not on ${clinic.callWindows.join(',')} (${clinic.timeZone})`);
          }
        }
      }),
      RUNS,
    );
  });

  it('schedules no greeting or persuasion call while the patient asks not to be called', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        for (const d of run(s).decisions) {
          const doNotCall = d.command.type === 'SetContactPreferences' ? d.command.data.doNotCall : d.before.preferences.doNotCall;
          if (!doNotCall) continue;
          const kinds = scheduledIn(d).map((f) => f.data.kind);
          expect(kinds.filter((k) => k === 'greeting' || k === 'prospect' || k === 'escalation')).toEqual([]);
        }
      }),
      RUNS,
    );
  });

  it('stops persuasion exactly at the seventh consecutive refusal, not before, not twice; the count is the trailing run of refusals', () => {
    fc.assert(
      fc.property(stubbornProspectArb, (s) => {
        const decisions = run(s).decisions;
        // The trailing run of refusals: a "no" adds one, a contact that is not a "no" (someone spoke) starts again, an unreached call leaves it.
        let run_ = 0;
        let stopped = false;
        for (const d of decisions) {
          if (d.before.prospect.status === 'active') expect(d.before.prospect.consecutiveRefusals).toBe(run_);
          for (const e of d.events) {
            if (e.type !== 'CallAttempted') continue;
            if (e.data.outcome === 'declined') run_++;
            else if (e.data.outcome === 'reached' || e.data.outcome === 'call_back_later') run_ = 0;
          }
          const stops = d.events.filter((e) => e.type === 'ProspectPersuasionStopped');
          const isSeventh = !stopped && run_ === 7 && d.events.some((e) => e.type === 'CallAttempted' && e.data.outcome === 'declined');
          expect(stops.length).toBe(isSeventh ? 1 : 0);
          if (stops.length > 0) stopped = true;
        }
      }),
      RUNS,
    );
  });

  it('after persuasion stopped, no persuasion call is open or scheduled', () => {
    fc.assert(
      fc.property(fc.oneof(scenarioArb, stubbornProspectArb), (s) => {
        const decisions = run(s).decisions;
        const stopIndex = decisions.findIndex((d) => d.events.some((e) => e.type === 'ProspectPersuasionStopped'));
        if (stopIndex < 0) return;
        const stopped = decisions[stopIndex]!.events.find((e) => e.type === 'ProspectPersuasionStopped')!;
        expect(stopped.data).toMatchObject({ consecutiveRefusals: 7 });
        const state = decisions[stopIndex]!.events.reduce(evolvePatient, decisions[stopIndex]!.before);
        expect([...state.followUps.values()].filter((f) => f.status === 'open' && (f.kind === 'prospect' || f.kind === 'escalation'))).toEqual([]);
        // Scenarios hold one inquiry, made first: nothing restarts the sequence.
        for (const d of decisions.slice(stopIndex + 1)) expect(scheduledIn(d).filter((f) => f.data.kind === 'prospect' || f.data.kind === 'escalation')).toEqual([]);
      }),
      RUNS,
    );
  });

  it('keeps a recurring chain at its first window’s local time across DST (yearly implant check-ups)', () => {
    fc.assert(
      fc.property(clinicArb, startArb, fc.integer({ min: 2, max: 6 }), (c, start, years) => {
        const steps = Array.from({ length: 4 + years }, () => ({ action: 'call' as const, outcome: 'reached' as const, delayMinutes: 5, complaint: false, doNotCall: false, dates: [] }));
        const { decisions, clinic } = run({ clinic: c, start, procedure: 'implant_surgery', inquiry: false, steps });
        const yearly = decisions.flatMap(scheduledIn).filter((f) => f.data.origin.stepId === 'yearly');
        expect(yearly.length).toBeGreaterThanOrEqual(2);
        for (const f of yearly) expect(localTime(f.data.dueAt, clinic.timeZone)).toBe(clinic.callWindows[0]);
        // A year apart, on the same local date.
        const dates = yearly.map((f) => Temporal.Instant.from(f.data.dueAt).toZonedDateTimeISO(clinic.timeZone).toPlainDate());
        for (let k = 1; k < dates.length; k++) expect(dates[k]!.toString()).toBe(dates[k - 1]!.add({ months: 12 }).toString());
      }),
      { numRuns: 100 },
    );
  });
});
