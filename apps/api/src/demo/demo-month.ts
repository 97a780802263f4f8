import { randomUUID } from 'node:crypto';
import { Temporal } from 'temporal-polyfill';
import type { FollowUpScheduled, RapportEvent } from '@rapport/domain';
import type { EventStore, RecordedEvent } from '@rapport/event-store';
import type { Clock } from '../clock';
import type { CommandContext } from '../application/command-context';
import { CommandPorts, commandPorts } from '../application/command-ports';
import { configureClinic } from '../application/clinics';
import { bookAppointment, missAppointment, raiseObjection, receiveInquiry, recordCall, recordTreatment, requestReferral, setContactPreferences } from '../application/recording';
import { SeededRandom } from './seeded-random';
import { GIVEN_NAMES, NOTES_REACHED, OUTCOME_MIX, PROCEDURE_MIX, SURNAMES } from './clinic-mix';

/**
 * A realistic clinic month, simulated day by day up to `until`: treatments of every procedure,
 * calls at the call windows with plausible outcomes, objections, referrals and bookings. Each
 * command is decided at its simulated time, so recordedAt tells the truth about the simulation.
 * The last day's calls are left undone, so the queue is full when a newcomer opens it.
 */
export interface DemoOptions {
  until: Temporal.Instant;
  days?: number;
  seed?: number;
  log?: (line: string) => void;
}

export const DEMO_CLINIC = { clinicId: 'demo-clinic', name: '微笑口腔 · 徐汇店', timeZone: 'Asia/Shanghai', callWindows: ['10:30', '16:00'] };
export const DEMO_CALLERS = ['nurse-zhang', 'desk-li', 'assistant-wang'] as const;
const DOCTORS = ['dr-chen', 'dr-liu', 'dr-zhou'];
const OBJECTION_TOPICS = ['cost', 'time', 'fear', 'distance', 'doubt_result', 'prejudice'];
const INQUIRY_CONCERNS = ['想了解种植牙的费用', '孩子牙齿不齐,咨询矫正', '牙龈经常出血', '智齿疼痛', '想做牙齿美白'];

interface OpenFollowUp {
  followUpId: string;
  patientId: string;
  dueAt: Temporal.Instant;
  urgent: boolean;
}

export async function loadDemoMonth(store: EventStore, options: DemoOptions): Promise<{ events: number }> {
  const random = new SeededRandom(options.seed ?? 20261123);
  const clock = new SimulatedClock(options.until);
  // The application's own command functions, as the API calls them, on the simulated clock.
  const ports = commandPorts({ store, clock });
  const log = options.log ?? (() => undefined);
  const tz = DEMO_CLINIC.timeZone;
  const today = options.until.toZonedDateTimeISO(tz).toPlainDate();
  const first = today.subtract({ days: options.days ?? 28 });
  const open = new Map<string, OpenFollowUp>();
  const leaveUndoneAfter = options.until.subtract({ hours: 24 });
  const referrals: { referralId: string; callerId: string }[] = [];
  const doNotCall = new Set<string>();
  const appointments = new Map<string, { patientId: string; scheduledFor: Temporal.Instant }>();
  let patientSeq = 0;
  let events = 0;

  const context = (actor: string): CommandContext => ({
    commandId: randomUUID(),
    correlationId: randomUUID(),
    principal: { userId: actor, role: actor.startsWith('dr-') ? 'doctor' : 'caller' },
    requestHash: randomUUID(),
  });
  const track = (recorded: RecordedEvent[]) => {
    events += recorded.length;
    for (const { type, data } of recorded as unknown as RapportEvent[]) {
      if (type === 'FollowUpScheduled' && !data.assignee) open.set(data.followUpId, followUpOf(data));
      if (type === 'FollowUpRescheduled') open.get(data.followUpId)!.dueAt = Temporal.Instant.from(data.dueAt);
      if (type === 'FollowUpClosed') open.delete(data.followUpId);
      if (type === 'ContactPreferencesSet' && data.doNotCall) doNotCall.add(data.patientId);
      if (type === 'AppointmentBooked') appointments.set(data.appointmentId, { patientId: data.patientId, scheduledFor: Temporal.Instant.from(data.scheduledFor) });
    }
  };

  clock.set(first.toZonedDateTime({ timeZone: tz, plainTime: '08:00' }).toInstant());
  track((await configureClinic(ports, DEMO_CLINIC, context('admin'))).events);

  for (let day = first; Temporal.PlainDate.compare(day, today) <= 0; day = day.add({ days: 1 })) {
    const isToday = day.equals(today);
    const at = (hhmm: string, plusMinutes = 0) => day.toZonedDateTime({ timeZone: tz, plainTime: hhmm }).toInstant().add({ minutes: plusMinutes });
    // Treatments through the working day (Sundays are quiet).
    const treatments = day.dayOfWeek === 7 ? random.int(2, 4) : random.int(6, 11);
    for (let i = 0; i < treatments; i++) {
      const completedAt = at('09:00', random.int(0, 8 * 60));
      if (isToday && Temporal.Instant.compare(completedAt, options.until) > 0) continue;
      const patientId = `demo-p${String(++patientSeq).padStart(4, '0')}`;
      const procedure = random.weighted(PROCEDURE_MIX);
      clock.set(completedAt.add({ minutes: 15 }));
      const outcome = await recordTreatment(ports, {
          treatmentId: `demo-t${patientSeq}`,
          patientId,
          clinicId: DEMO_CLINIC.clinicId,
          doctorId: random.pick(DOCTORS),
          procedure,
          completedAt: completedAt.toString(),
          patient: { name: random.pick(SURNAMES) + random.pick(GIVEN_NAMES), phone: `+86 13${random.int(0, 9)} ${random.int(1000, 9999)} ${random.int(1000, 9999)}` },
          ...(procedure === 'extraction' ? { needsProsthesis: random.chance(0.4) } : {}),
          ...(procedure === 'root_canal_treatment' ? { restored: random.chance(0.3) } : {}),
        }, context(random.pick(DOCTORS)));
      track(outcome.events);
      if (random.chance(0.15)) await setPreferences(ports, random, patientId, context, track);
    }
    // People who asked but have not come yet (seed 002): the prospect calls start.
    for (let i = random.int(0, 3); i > 0; i--) {
      const receivedAt = at('09:30', random.int(0, 9 * 60));
      if (isToday && Temporal.Instant.compare(receivedAt, options.until) > 0) continue;
      const patientId = `demo-q${String(++patientSeq).padStart(4, '0')}`;
      clock.set(receivedAt.add({ minutes: 10 }));
      track((await receiveInquiry(ports, { patientId, clinicId: DEMO_CLINIC.clinicId, receivedAt: receivedAt.toString(), channel: random.pick(['phone', 'web', 'wechat'] as const), concern: random.pick(INQUIRY_CONCERNS), patient: { name: random.pick(SURNAMES) + random.pick(GIVEN_NAMES), phone: `+86 13${random.int(0, 9)} ${random.int(1000, 9999)} ${random.int(1000, 9999)}` } }, context('desk-li'))).events);
    }
    // Booked visits that came due: about one in ten is missed, and the clinic notices within the hour.
    for (const [appointmentId, visit] of appointments) {
      if (Temporal.Instant.compare(visit.scheduledFor, at('23:00')) > 0) continue;
      appointments.delete(appointmentId);
      if (!random.chance(0.1) || (isToday && Temporal.Instant.compare(visit.scheduledFor.add({ minutes: 30 }), options.until) > 0)) continue;
      clock.set(visit.scheduledFor.add({ minutes: 30 }));
      track((await missAppointment(ports, { appointmentId, at: visit.scheduledFor.add({ minutes: 30 }).toString() }, context('desk-li'))).events);
    }
    if (isToday) continue;
    // The callers work what is due at each window, and the urgent calls as they fall due; the
    // last day's calls are left for the people trying the demo, whatever the hour they start it.
    for (const window of [...DEMO_CLINIC.callWindows, '23:59']) {
      const windowStart = at(window);
      if (Temporal.Instant.compare(windowStart, leaveUndoneAfter) > 0) continue;
      const evening = window === '23:59'; // urgent calls only, made as they fall due
      const due = [...open.values()].filter((f) => Temporal.Instant.compare(f.dueAt, windowStart) <= 0 && !doNotCall.has(f.patientId) && (!evening || f.urgent));
      for (const followUp of due) {
        const startedAt = followUp.urgent ? Temporal.Instant.compare(followUp.dueAt, day.toZonedDateTime({ timeZone: tz, plainTime: '08:00' }).toInstant()) < 0 ? at('08:30') : followUp.dueAt.add({ minutes: 10 }) : windowStart.add({ minutes: random.int(0, 75) });
        if (random.chance(0.08)) continue; // a busy day: some calls slip and turn overdue
        await callOnce(ports, clock, random, followUp, startedAt, context, track, referrals);
      }
    }
    // Some referred friends book in over the following days.
    for (const referral of referrals.splice(0)) {
      if (!random.chance(0.35)) continue;
      const friendId = `demo-f${String(++patientSeq).padStart(4, '0')}`;
      clock.set(at('18:00'));
      const booked = await bookAppointment(ports, { patientId: friendId, clinicId: DEMO_CLINIC.clinicId, scheduledFor: at('10:00').add({ hours: 24 * random.int(2, 6) }).toString(), callerId: referral.callerId, referralId: referral.referralId }, context('desk-li'));
      track(booked.events);
    }
    log(`demo: ${day.toString()} done, ${events} events, ${open.size} follow-ups open`);
  }
  return { events };
}

async function callOnce(
  ports: CommandPorts,
  clock: SimulatedClock,
  random: SeededRandom,
  followUp: OpenFollowUp,
  startedAt: Temporal.Instant,
  context: (actor: string) => CommandContext,
  track: (events: RecordedEvent[]) => void,
  referrals: { referralId: string; callerId: string }[],
): Promise<void> {
  const callerId = random.pick(DEMO_CALLERS);
  const outcome = random.weighted(OUTCOME_MIX);
  const { patientId } = followUp;
  clock.set(startedAt.add({ minutes: 5 }));
  const reached = outcome === 'reached';
  const satisfaction = reached ? random.weighted({ 5: 50, 4: 32, 3: 12, 2: 4, 1: 2 }) : undefined;
  const call = await recordCall(ports, {
      patientId,
      callerId,
      startedAt: startedAt.toString(),
      outcome,
      followUpId: followUp.followUpId,
      ...(reached ? { durationSeconds: random.int(60, 420), satisfaction: Number(satisfaction), notes: random.pick(NOTES_REACHED) } : { durationSeconds: 0 }),
      // Unhappy patients: the complaint goes to the attending doctor, who calls back.
      ...(reached && Number(satisfaction) <= 2 ? { complaint: true, symptoms: random.pick(['术后仍有疼痛', '牙冠有异物感', '咬合不适']) } : {}),
      ...(outcome === 'call_back_later' ? { callBackAt: startedAt.add({ hours: random.int(3, 30) }).toString() } : {}),
    }, context(callerId));
  track(call.events);
  if (!reached) return;
  const callId = (call.events[0]!.data as { callId: string }).callId;
  if (random.chance(0.22)) {
    const objection = await raiseObjection(ports, { patientId, callerId, callId, kind: random.weighted({ trivial: 3, half_informed: 4, sincere: 5 }), topic: random.pick(OBJECTION_TOPICS), method: random.weighted({ convert: 3, let_patient_answer: 1, inform: 4, acknowledge: 2, deny: 1, defer: 1 }), resolved: random.chance(0.6) }, context(callerId));
    track(objection.events);
  }
  if (Number(satisfaction) >= 4 && random.chance(0.2)) {
    const referral = await requestReferral(ports, { patientId, callerId, referred: { relation: random.pick(['家人', '朋友', '同事']) } }, context(callerId));
    track(referral.events);
    referrals.push({ referralId: (referral.events[0]!.data as { referralId: string }).referralId, callerId });
  }
  if (random.chance(0.28)) {
    const booked = await bookAppointment(ports, { patientId, clinicId: DEMO_CLINIC.clinicId, scheduledFor: startedAt.add({ hours: 24 * random.int(1, 14) }).toString(), callerId, followUpId: followUp.followUpId }, context(callerId));
    track(booked.events);
  }
}

async function setPreferences(
  ports: CommandPorts,
  random: SeededRandom,
  patientId: string,
  context: (actor: string) => CommandContext,
  track: (events: RecordedEvent[]) => void,
): Promise<void> {
  const month = String(random.int(1, 12)).padStart(2, '0');
  const day = String(random.int(1, 28)).padStart(2, '0');
  const preferences = random.weighted({ vip: 4, birthday: 3, lunch: 2, work: 2, doNotCall: 1 });
  const data = {
    patientId,
    ...(preferences === 'vip' ? { vip: true, specialDates: [{ kind: 'birthday', date: `${month}-${day}` }] } : {}),
    ...(preferences === 'birthday' ? { specialDates: [{ kind: 'birthday', date: `${month}-${day}` }] } : {}),
    ...(preferences === 'lunch' ? { preferredTimes: ['12:00-13:30'] } : {}),
    ...(preferences === 'work' ? { avoidWorkHours: true } : {}),
    ...(preferences === 'doNotCall' ? { doNotCall: true } : {}),
  };
  track((await setContactPreferences(ports, data, context('desk-li'))).events);
}

function followUpOf(data: FollowUpScheduled['data']): OpenFollowUp {
  return { followUpId: data.followUpId, patientId: data.patientId, dueAt: Temporal.Instant.from(data.dueAt), urgent: data.urgent };
}

class SimulatedClock implements Clock {
  constructor(private current: Temporal.Instant) {}
  now(): Temporal.Instant {
    return this.current;
  }
  set(instant: Temporal.Instant): void {
    this.current = instant;
  }
}
