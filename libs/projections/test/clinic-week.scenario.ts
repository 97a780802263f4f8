import type { RecordedEvent } from '@rapport/event-store';
import { DomainRecorder } from './domain-recorder';

/**
 * A scripted clinic week, ISO week 2026-W48: Monday 23 to Sunday 29 November 2026 in
 * Asia/Shanghai (UTC+8, no DST), i.e. [2026-11-22T16:00Z, 2026-11-29T16:00Z). Call windows
 * 10:30 and 16:00 local (02:30Z and 08:00Z), three attempts at most.
 *
 * Patients of clinic c1 (all but p3 treated on Sunday 22, procedure "other": the general rule
 * puts their calls on day 1, 3 and 7 at 10:30 local, i.e. Mon 23, Wed 25 and Sun 29 at 02:30Z):
 *   p1 王伟, p2 李娜 (avoids work hours), p4 陈刚 (VIP), p5 刘洋 (do not call),
 *   p6 杨静 (prefers 12:00-13:00); p3 赵敏 has an extraction on Monday 09:00 local (urgent call).
 *   p7 陈丽 is referred by p4 and books twice with the referral; p9 is a patient of clinic c2.
 * Callers: nurse-zhang and desk-li. Every step says its local time.
 *
 * `pause(label)` lets the test look at the read side at that moment of the week.
 */
export const CLINIC = 'c1';
export const OTHER_CLINIC = 'c2';
export const ZHANG = 'nurse-zhang';
export const LI = 'desk-li';

export interface WeekRecord {
  /** Every event the script recorded, in order. */
  events: RecordedEvent[];
  /** callId of each scripted call, by its label (C1 … C16). */
  calls: Record<string, string>;
  referrals: Record<string, string>;
  appointments: Record<string, string>;
  objections: Record<string, string>;
}

export async function recordClinicWeek(recorder: DomainRecorder, pause: (label: string) => Promise<void> = async () => undefined): Promise<WeekRecord> {
  const week: WeekRecord = { events: [], calls: {}, referrals: {}, appointments: {}, objections: {} };
  const keep = (events: RecordedEvent[]): RecordedEvent[] => {
    week.events.push(...events);
    return events;
  };
  const idOf = (events: RecordedEvent[], type: string, field: string): string => {
    const found = events.find((e) => e.type === type);
    if (!found) throw new Error(`the script expected a ${type} event, the domain decided ${events.map((e) => e.type).join(', ') || 'nothing'}`);
    return found.data[field] as string;
  };
  const call = async (label: string, at: string, data: Record<string, unknown> & { patientId: string; callerId: string; outcome: string }) => {
    // Recorded five minutes after it started, as a caller would.
    const recordedAt = new Date(Date.parse(at) + 5 * 60_000).toISOString();
    const events = keep(await recorder.patient({ type: 'RecordCall', data: { startedAt: at, ...data } as never }, recordedAt));
    week.calls[label] = idOf(events, 'CallAttempted', 'callId');
    return events;
  };
  const treatment = async (patientId: string, treatmentId: string, procedure: string, doctorId: string, completedAt: string, name: string, recordedAt: string) =>
    keep(await recorder.patient({ type: 'CompleteTreatment', data: { treatmentId, patientId, clinicId: CLINIC, doctorId, procedure, completedAt, patient: { name, phone: `+86 138 0000 000${patientId.slice(1)}` } } }, recordedAt));

  // Friday 20: the clinics are configured.
  keep(await recorder.clinic({ type: 'ConfigureClinic', data: { clinicId: CLINIC, timeZone: 'Asia/Shanghai', callWindows: ['10:30', '16:00'], name: '微笑口腔', maxAttempts: 3 } }, '2026-11-20T00:00:00Z'));
  keep(await recorder.clinic({ type: 'ConfigureClinic', data: { clinicId: OTHER_CLINIC, timeZone: 'Europe/Berlin', callWindows: ['10:00'], name: 'Praxis Mitte' } }, '2026-11-20T00:00:00Z'));

  // Sunday 22, 14:00 local: five treatments; the patients' contact preferences at 17:00 local.
  for (const [id, name, doctor] of [['p1', '王伟', 'dr-li'], ['p2', '李娜', 'dr-chen'], ['p4', '陈刚', 'dr-li'], ['p5', '刘洋', 'dr-li'], ['p6', '杨静', 'dr-chen']] as const) {
    await treatment(id, `t${id.slice(1)}`, 'other', doctor, '2026-11-22T06:00:00Z', name, '2026-11-22T08:00:00Z');
  }
  keep(await recorder.patient({ type: 'SetContactPreferences', data: { patientId: 'p2', avoidWorkHours: true } }, '2026-11-22T09:00:00Z'));
  keep(await recorder.patient({ type: 'SetContactPreferences', data: { patientId: 'p4', vip: true } }, '2026-11-22T09:00:00Z'));
  keep(await recorder.patient({ type: 'SetContactPreferences', data: { patientId: 'p5', doNotCall: true } }, '2026-11-22T09:00:00Z'));
  keep(await recorder.patient({ type: 'SetContactPreferences', data: { patientId: 'p6', preferredTimes: ['12:00-13:00'] } }, '2026-11-22T09:00:00Z'));
  // Clinic c2 (Berlin): p9 treated Sunday 11:00 Berlin.
  keep(await recorder.patient({ type: 'CompleteTreatment', data: { treatmentId: 't9', patientId: 'p9', clinicId: OTHER_CLINIC, doctorId: 'dr-weber', procedure: 'other', completedAt: '2026-11-22T10:00:00Z' } }, '2026-11-22T10:30:00Z'));

  // Monday 23, 09:00 local: p3's extraction (an urgent call 2-3 hours after).
  await treatment('p3', 't3', 'extraction', 'dr-li', '2026-11-23T01:00:00Z', '赵敏', '2026-11-23T01:30:00Z');
  await pause('Q1 Monday 10:40 local');

  await call('C1', '2026-11-23T02:45:00Z', { patientId: 'p4', callerId: ZHANG, outcome: 'reached', followUpId: 'p4.fu1', satisfaction: 5 }); // Mon 10:45
  await call('C2', '2026-11-23T02:50:00Z', { patientId: 'p1', callerId: ZHANG, outcome: 'no_answer', followUpId: 'p1.fu1' }); // Mon 10:50
  // Clinic c2: Monday 10:05 Berlin.
  await call('C16', '2026-11-23T09:05:00Z', { patientId: 'p9', callerId: ZHANG, outcome: 'reached', followUpId: 'p9.fu1' });
  await pause('Q2 Monday 12:10 local');

  // Monday 12:15 local: p3 reached; a complaint of swelling goes to dr-li; an objection about cost, resolved.
  const c3 = await call('C3', '2026-11-23T04:15:00Z', { patientId: 'p3', callerId: LI, outcome: 'reached', followUpId: urgentFollowUpOf(week.events, 'p3'), symptoms: 'swelling', satisfaction: 3, complaint: true });
  week.objections.O1 = idOf(
    keep(await recorder.patient({ type: 'RaiseObjection', data: { patientId: 'p3', callerId: LI, callId: idOf(c3, 'CallAttempted', 'callId'), kind: 'sincere', topic: 'cost', method: 'inform', resolved: true } }, '2026-11-23T04:21:00Z')),
    'ObjectionRaised',
    'objectionId',
  );
  await call('C4', '2026-11-23T04:20:00Z', { patientId: 'p6', callerId: ZHANG, outcome: 'call_back_later', followUpId: 'p6.fu1', callBackAt: '2026-11-24T04:30:00Z' }); // Mon 12:20, call back Tue 12:30
  await call('C5', '2026-11-23T08:05:00Z', { patientId: 'p1', callerId: ZHANG, outcome: 'busy', followUpId: 'p1.fu1' }); // Mon 16:05

  // Tuesday 24.
  await call('C6', '2026-11-24T02:45:00Z', { patientId: 'p1', callerId: ZHANG, outcome: 'powered_off', followUpId: 'p1.fu1' }); // Tue 10:45: third failure
  await call('C7', '2026-11-24T04:35:00Z', { patientId: 'p6', callerId: LI, outcome: 'reached', followUpId: 'p6.fu1' }); // Tue 12:35
  week.referrals.R1 = idOf(keep(await recorder.patient({ type: 'RequestReferral', data: { patientId: 'p6', callerId: LI, referred: { name: '杨光', relation: 'brother' } } }, '2026-11-24T04:39:00Z')), 'ReferralRequested', 'referralId');
  week.appointments.B2 = idOf(keep(await recorder.patient({ type: 'BookAppointment', data: { patientId: 'p6', clinicId: CLINIC, scheduledFor: '2026-12-01T02:00:00Z', callerId: LI } }, '2026-11-24T04:40:00Z')), 'AppointmentBooked', 'appointmentId'); // Tue 12:40

  // Wednesday 25.
  await call('C8', '2026-11-25T02:40:00Z', { patientId: 'p4', callerId: ZHANG, outcome: 'reached', followUpId: 'p4.fu2' }); // Wed 10:40
  week.appointments.B1 = idOf(keep(await recorder.patient({ type: 'BookAppointment', data: { patientId: 'p4', clinicId: CLINIC, scheduledFor: '2026-12-02T02:00:00Z', callerId: ZHANG } }, '2026-11-25T02:46:00Z')), 'AppointmentBooked', 'appointmentId'); // Wed 10:46
  week.referrals.R2 = idOf(keep(await recorder.patient({ type: 'RequestReferral', data: { patientId: 'p4', callerId: ZHANG, referred: { name: '陈丽', relation: 'wife' } } }, '2026-11-25T02:47:00Z')), 'ReferralRequested', 'referralId');
  await pause('Q3 Wednesday 19:00 local');

  await call('C9', '2026-11-25T11:05:00Z', { patientId: 'p1', callerId: ZHANG, outcome: 'declined', followUpId: 'p1.fu2' }); // Wed 19:05
  week.objections.O2 = idOf(
    keep(await recorder.patient({ type: 'RaiseObjection', data: { patientId: 'p1', callerId: ZHANG, callId: week.calls.C9, kind: 'trivial', topic: 'time', method: 'defer', resolved: false } }, '2026-11-25T11:11:00Z')),
    'ObjectionRaised',
    'objectionId',
  );
  await call('C10', '2026-11-25T11:10:00Z', { patientId: 'p2', callerId: LI, outcome: 'wrong_number', followUpId: 'p2.fu1' }); // Wed 19:10

  // Thursday 26: p4's referral (陈丽, now p7) books with desk-li, then again at the front desk (no caller).
  week.appointments.B3 = idOf(
    keep(await recorder.patient({ type: 'BookAppointment', data: { patientId: 'p7', clinicId: CLINIC, scheduledFor: '2026-12-04T02:00:00Z', callerId: LI, referralId: week.referrals.R2, referrerPatientId: 'p4' } }, '2026-11-26T03:00:00Z')),
    'AppointmentBooked',
    'appointmentId',
  ); // Thu 11:00
  await call('C12', '2026-11-26T04:10:00Z', { patientId: 'p6', callerId: ZHANG, outcome: 'no_answer', followUpId: 'p6.fu2' }); // Thu 12:10
  week.appointments.B4 = idOf(
    keep(await recorder.patient({ type: 'BookAppointment', data: { patientId: 'p7', clinicId: CLINIC, scheduledFor: '2026-12-05T02:00:00Z', referralId: week.referrals.R2, referrerPatientId: 'p4' } }, '2026-11-26T05:00:00Z')),
    'AppointmentBooked',
    'appointmentId',
  ); // Thu 13:00
  await call('C13', '2026-11-26T06:00:00Z', { patientId: 'p1', callerId: ZHANG, outcome: 'reached' }); // Thu 14:00, no follow-up
  week.objections.O3 = idOf(
    keep(await recorder.patient({ type: 'RaiseObjection', data: { patientId: 'p1', callerId: ZHANG, callId: week.calls.C13, kind: 'half_informed', topic: 'fear', method: 'inform', resolved: true } }, '2026-11-26T06:05:00Z')),
    'ObjectionRaised',
    'objectionId',
  );
  week.appointments.B5 = idOf(keep(await recorder.patient({ type: 'BookAppointment', data: { patientId: 'p1', clinicId: CLINIC, scheduledFor: '2026-12-03T02:00:00Z', callerId: ZHANG } }, '2026-11-26T06:10:00Z')), 'AppointmentBooked', 'appointmentId'); // Thu 14:10

  // Sunday 29, 10:35 local.
  await call('C14', '2026-11-29T02:35:00Z', { patientId: 'p4', callerId: LI, outcome: 'hung_up', followUpId: 'p4.fu3' });
  await pause('Q4 Sunday 20:00 local');

  // Monday 30, 10:40 local: the next week.
  await call('C15', '2026-11-30T02:40:00Z', { patientId: 'p1', callerId: ZHANG, outcome: 'reached', followUpId: 'p1.fu3' });
  return week;
}

/** The urgent follow-up the domain scheduled for a patient (p3's extraction). */
export function urgentFollowUpOf(events: RecordedEvent[], patientId: string): string {
  const urgent = events.filter((e) => e.type === 'FollowUpScheduled' && e.data.patientId === patientId && e.data.urgent === true);
  if (urgent.length !== 1) throw new Error(`the script expected one urgent follow-up for ${patientId}, found ${urgent.length}`);
  return urgent[0]!.data.followUpId as string;
}
