/**
 * Issue 4 over HTTP, as a clinic works it, with a test clock: a patient through an implant (24 h,
 * 3 months, 6 months, yearly and recurring), a prospect through three calls to the escalation, a
 * missed visit, a complaint, contact preferences and a protocol override. Read back through the
 * audit view (GET /v1/patients/:id/events). Shanghai (UTC+8): 10:30 local = 02:30Z, 16:00 = 08:00Z.
 */
import { RunningApp, startApp } from '../support/in-process-app';

interface Recorded {
  type: string;
  data: Record<string, any>;
}

describe('the follow-up protocol engine over HTTP', () => {
  let running: RunningApp;

  beforeEach(async () => {
    running = await startApp({ now: '2026-11-23T07:00:00Z' });
    expect((await running.api.put('/v1/clinics/c1', { timeZone: 'Asia/Shanghai', callWindows: ['10:30', '16:00'] })).status).toBe(201);
  });
  afterEach(async () => running.close());

  async function events(patientId: string): Promise<Recorded[]> {
    const response = await running.api.get(`/v1/patients/${patientId}/events`);
    expect(response.status).toBe(200);
    return response.body.events;
  }

  /** A call at `startedAt`, with the clock a few minutes later. */
  async function call(patientId: string, followUpId: string | undefined, outcome: string, startedAt: string, extra: object = {}) {
    running.clock.set(startedAt);
    running.clock.advance({ minutes: 5 });
    const response = await running.api.post('/v1/calls', { patientId, callerId: 'nurse-zhang', startedAt, outcome, ...(followUpId ? { followUpId } : {}), ...extra });
    expect(response.status).toBe(201);
    return response.body;
  }

  it('documents the new commands in OpenAPI', async () => {
    const paths = Object.keys((await running.api.get('/docs-json')).body.paths);
    expect(paths).toEqual(expect.arrayContaining(['/v1/appointments/{appointmentId}/missed', '/v1/inquiries', '/v1/patients/{patientId}/preferences']));
  });

  it('takes a patient through an implant: 24 hours, 3 months, 6 months, then a year, and the next year when that one closes', async () => {
    const { api } = running;
    const treatment = await api.post('/v1/treatments', { treatmentId: 't1', patientId: 'p1', clinicId: 'c1', doctorId: 'dr-li', procedure: 'implant_surgery', completedAt: '2026-11-23T06:00:00Z' });
    expect(treatment.status).toBe(201);
    // 14:00 + 2 h = the 16:00 window; months from 2026-11-23 at 10:30 local.
    expect(treatment.body.followUps.map((f: any) => [f.rule.stepId, f.dueAt, f.urgent, f.rule.protocolVersion])).toEqual([
      ['within_24h', '2026-11-23T08:00:00Z', false, 1],
      ['month_3', '2027-02-23T02:30:00Z', false, 1],
      ['month_6', '2027-05-23T02:30:00Z', false, 1],
      ['yearly', '2027-11-23T02:30:00Z', false, 1],
    ]);
    const [within24h, month3, month6, yearly] = treatment.body.followUps.map((f: any) => f.followUpId);

    expect((await call('p1', within24h, 'reached', '2026-11-23T08:05:00Z', { satisfaction: 5 })).followUp).toMatchObject({ status: 'closed', closedReason: 'completed' });
    expect((await call('p1', month3, 'reached', '2027-02-23T02:35:00Z')).scheduled).toBeUndefined();
    // The 6-month call: not answered at 10:30, retried at 16:00 the same day, reached then.
    expect((await call('p1', month6, 'no_answer', '2027-05-23T02:35:00Z')).followUp).toEqual({ followUpId: month6, status: 'open', nextDueAt: '2027-05-23T08:00:00Z', attempts: 1 });
    expect((await call('p1', month6, 'reached', '2027-05-23T08:02:00Z')).followUp).toMatchObject({ status: 'closed', attempts: 2 });

    // The yearly check-up closes with a reached call: next year's is scheduled on that call.
    const firstYear = await call('p1', yearly, 'reached', '2027-11-23T02:40:00Z');
    expect(firstYear.followUp).toMatchObject({ followUpId: yearly, status: 'closed', closedReason: 'completed' });
    expect(firstYear.scheduled).toEqual([
      { followUpId: expect.stringMatching(/^p1\.fu\d+$/), kind: 'treatment', dueAt: '2028-11-23T02:30:00Z', purpose: 'Yearly implant check-up: invite back', urgent: false, rule: { ruleId: 'implant', stepId: 'yearly', protocolVersion: 1 }, follows: yearly },
    ]);
    const secondYear = await call('p1', firstYear.scheduled[0].followUpId, 'reached', '2028-11-23T02:33:00Z');
    expect(secondYear.scheduled.map((f: any) => f.dueAt)).toEqual(['2029-11-23T02:30:00Z']);

    const stream = await events('p1');
    const scheduled = stream.filter((e) => e.type === 'FollowUpScheduled').map((e) => [e.data.origin.stepId, e.data.dueAt, e.data.treatmentId]);
    expect(scheduled).toEqual([
      ['within_24h', '2026-11-23T08:00:00Z', 't1'],
      ['month_3', '2027-02-23T02:30:00Z', 't1'],
      ['month_6', '2027-05-23T02:30:00Z', 't1'],
      ['yearly', '2027-11-23T02:30:00Z', 't1'],
      ['yearly', '2028-11-23T02:30:00Z', 't1'],
      ['yearly', '2029-11-23T02:30:00Z', 't1'],
    ]);
    // The next year's follow-up is appended with the call that closed this year's, in one command.
    const closing = stream.findIndex((e) => e.type === 'FollowUpClosed' && e.data.followUpId === yearly);
    expect(stream.slice(closing - 1, closing + 2).map((e) => e.type)).toEqual(['CallAttempted', 'FollowUpClosed', 'FollowUpScheduled']);
  });

  it('takes a prospect through three calls, each with its purpose, to a senior doctor’s escalation (the patient unhappy); a booking then closes it', async () => {
    const { api } = running;
    const asked = await api.post('/v1/inquiries', { patientId: 'q1', clinicId: 'c1', receivedAt: '2026-11-23T06:00:00Z', channel: 'wechat', concern: '缺牙,想了解种植', patient: { name: '李娜' } });
    expect(asked.status).toBe(201);
    expect(asked.body).toMatchObject({ patientId: 'q1', inquiryId: 'q1.inq1' });
    // Called while the need is strongest: half an hour on (14:30 local, the clinic open), urgent.
    expect(asked.body.followUps).toEqual([expect.objectContaining({ kind: 'prospect', callNumber: 1, dueAt: '2026-11-23T06:30:00Z', urgent: true, rule: { ruleId: 'prospect', stepId: 'call_1', protocolVersion: 1 } })]);
    expect(asked.body.followUps[0].purpose).toMatch(/^Care and greeting/);
    // The same inquiry again records nothing and answers with the same id.
    const again = await api.post('/v1/inquiries', { patientId: 'q1', clinicId: 'c1', receivedAt: '2026-11-23T14:00:00+08:00', channel: 'wechat', concern: '缺牙,想了解种植', patient: { name: '李娜' } });
    expect(again.status).toBe(201);
    expect(again.body).toEqual({ patientId: 'q1', inquiryId: 'q1.inq1', followUps: [] });

    const first = await call('q1', asked.body.followUps[0].followUpId, 'reached', '2026-11-24T02:40:00Z', { notes: '牙龈偶有出血' });
    expect(first.scheduled).toEqual([expect.objectContaining({ kind: 'prospect', callNumber: 2, dueAt: '2026-11-27T02:30:00Z' })]);
    expect(first.scheduled[0].purpose).toMatch(/^Persuade to visit/);

    const second = await call('q1', first.scheduled[0].followUpId, 'declined', '2026-11-27T02:35:00Z');
    const objection = await api.post('/v1/objections', { patientId: 'q1', callerId: 'nurse-zhang', kind: 'sincere', topic: 'cost', method: 'inform', resolved: false, callId: second.callId });
    expect(objection.status).toBe(201);
    expect(second.scheduled).toEqual([expect.objectContaining({ kind: 'prospect', callNumber: 3, dueAt: '2026-12-04T02:30:00Z' })]);
    expect(second.scheduled[0].purpose).toMatch(/^Ask what holds them back/);

    const third = await call('q1', second.scheduled[0].followUpId, 'reached', '2026-12-04T02:40:00Z', { dissatisfied: true });
    expect(third.scheduled).toEqual([
      expect.objectContaining({ kind: 'escalation', assignee: { role: 'senior_doctor' }, dueAt: '2026-12-04T08:00:00Z', rule: { ruleId: 'prospect', stepId: 'senior_doctor', protocolVersion: 1 } }),
    ]);
    const escalationId = third.scheduled[0].followUpId;

    running.clock.set('2026-12-04T08:30:00Z');
    const booking = await api.post('/v1/appointments', { patientId: 'q1', clinicId: 'c1', scheduledFor: '2026-12-08T02:00:00Z', callerId: 'dr-wang' });
    expect(booking.status).toBe(201);

    const stream = await events('q1');
    expect(stream.map((e) => e.type)).toEqual([
      'InquiryReceived',
      'FollowUpScheduled',
      'CallAttempted',
      'FollowUpClosed',
      'FollowUpScheduled',
      'CallAttempted',
      'FollowUpClosed',
      'FollowUpScheduled',
      'ObjectionRaised',
      'CallAttempted',
      'FollowUpClosed',
      'FollowUpScheduled',
      'AppointmentBooked',
      'FollowUpClosed',
    ]);
    expect(stream.filter((e) => e.type === 'FollowUpScheduled').map((e) => [e.data.kind, e.data.callNumber ?? null, e.data.origin.stepId])).toEqual([
      ['prospect', 1, 'call_1'],
      ['prospect', 2, 'call_2'],
      ['prospect', 3, 'call_3'],
      ['escalation', null, 'senior_doctor'],
    ]);
    expect(stream.at(-1)!.data).toMatchObject({ followUpId: escalationId, reason: 'booked', appointmentId: booking.body.appointmentId });
  });

  it('issue 15: the clinic names its senior doctors; an unresolved sincere objection on call 3 sends the patient to one, in that doctor’s own queue', async () => {
    const { api } = running;
    running.clock.set('2026-11-23T06:30:00Z');
    const configured = await api.put('/v1/clinics/c1', { timeZone: 'Asia/Shanghai', callWindows: ['10:30', '16:00'], seniorDoctorIds: ['dr-zhou'], prospectMaxAttempts: 4 });
    expect(configured.status).toBe(201);
    expect(configured.body).toMatchObject({ seniorDoctorIds: ['dr-zhou'], prospectMaxAttempts: 4 });
    const refused = await api.put('/v1/clinics/c1', { timeZone: 'Asia/Shanghai', callWindows: ['10:30', '16:00'], seniorDoctorIds: ['dr zhou'] });
    expect([refused.status, refused.body.details.map((d: { field: string }) => d.field)]).toEqual([400, ['seniorDoctorIds']]);

    const asked = await api.post('/v1/inquiries', { patientId: 'q7', clinicId: 'c1', receivedAt: '2026-11-23T06:00:00Z', channel: 'web' });
    const first = await call('q7', asked.body.followUps[0].followUpId, 'reached', '2026-11-24T02:40:00Z');
    const second = await call('q7', first.scheduled[0].followUpId, 'reached', '2026-11-27T02:40:00Z');
    // Call 3 reaches a patient who does not say they are unhappy: kept in touch, no senior doctor yet.
    const third = await call('q7', second.scheduled[0].followUpId, 'reached', '2026-12-04T02:40:00Z', { satisfaction: 3 });
    expect(third.scheduled).toEqual([expect.objectContaining({ kind: 'prospect', callNumber: 4 })]);
    // Then the caller records what held them back: sincere, not answered.
    const objection = await api.post('/v1/objections', { patientId: 'q7', callerId: 'nurse-zhang', kind: 'sincere', topic: 'doubt_result', method: 'no_reply', resolved: false, callId: third.callId });
    expect(objection.status).toBe(201);
    const queue = await api.get(`/v1/doctors/dr-zhou/queue?at=2026-12-04T09:00:00Z&minPosition=${objection.headers.get('x-rapport-position')}`);
    expect(queue.body.items).toEqual([expect.objectContaining({ patientId: 'q7', kind: 'escalation' })]);
    const stream = await events('q7');
    expect(stream.slice(-3).map((e) => [e.type, e.data.reason ?? e.data.kind ?? null])).toEqual([
      ['ObjectionRaised', 'sincere'],
      ['FollowUpClosed', 'escalated'],
      ['FollowUpScheduled', 'escalation'],
    ]);
    expect(stream.at(-1)!.data.assignee).toEqual({ role: 'senior_doctor', doctorId: 'dr-zhou' });
  });

  it('issue 15 item 7: the clinic’s calendar — nothing falls due on a holiday or a closed weekday', async () => {
    const { api } = running;
    running.clock.set('2026-11-24T06:00:00Z');
    const calendar = { timeZone: 'Asia/Shanghai', callWindows: ['10:30', '16:00'], closedWeekdays: [7], closedDates: ['2026-11-25'], windowsByWeekday: { '6': ['10:00'] } };
    const configured = await api.put('/v1/clinics/c9', calendar);
    expect(configured.status).toBe(201);
    expect(configured.body).toMatchObject({ closedWeekdays: [7], closedDates: ['2026-11-25'], windowsByWeekday: { '6': ['10:00'] } });
    // A scaling on Tuesday: its next-day call would be on the holiday → Thursday 10:30 (02:30Z).
    const treated = await api.post('/v1/treatments', { treatmentId: 't1', patientId: 'cal1', clinicId: 'c9', doctorId: 'dr-li', procedure: 'scaling', completedAt: '2026-11-24T05:00:00Z' });
    expect(treated.body.followUps).toEqual([expect.objectContaining({ dueAt: '2026-11-26T02:30:00Z' })]);
    // An impossible holiday is refused, naming the rule; nothing changes.
    const refused = await api.put('/v1/clinics/c9', { ...calendar, closedDates: ['2026-02-30'] });
    expect([refused.status, refused.body.rule]).toEqual([422, 'calendar_invalid']);
    expect((await api.get('/v1/clinics/c9')).body.closedDates).toEqual(['2026-11-25']);
  });

  it('a missed visit: AppointmentMissed and an urgent call due at once; unknown appointments are 404, malformed ids 400', async () => {
    const { api } = running;
    await api.post('/v1/treatments', { treatmentId: 't1', patientId: 'p1', clinicId: 'c1', doctorId: 'dr-li', procedure: 'scaling', completedAt: '2026-11-23T06:00:00Z' });
    const booking = await api.post('/v1/appointments', { patientId: 'p1', clinicId: 'c1', scheduledFor: '2026-11-30T02:00:00Z' });
    const appointmentId = booking.body.appointmentId;
    running.clock.set('2026-11-30T02:25:00Z');
    const before = await api.headPosition();
    expect((await api.post(`/v1/appointments/${appointmentId}/missed`, { at: '2026-11-30T01:59:00Z' })).status).toBe(422);
    expect((await api.post('/v1/appointments/p1.apt99/missed', { at: '2026-11-30T02:20:00Z' })).status).toBe(404);
    expect((await api.post('/v1/appointments/nobody.apt1/missed', { at: '2026-11-30T02:20:00Z' })).status).toBe(404);
    const malformed = await api.post('/v1/appointments/p1/missed', { at: '2026-11-30T02:20:00Z' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.details.map((d: any) => d.field)).toEqual(['appointmentId']);
    expect((await api.post(`/v1/appointments/${appointmentId}/missed`, {})).body.details.map((d: any) => d.field)).toEqual(['at']);
    expect(await api.headPosition()).toBe(before);

    const missed = await api.post(`/v1/appointments/${appointmentId}/missed`, { at: '2026-11-30T02:20:00Z' });
    expect(missed.status).toBe(201);
    expect(missed.body).toEqual({
      appointmentId,
      patientId: 'p1',
      followUps: [expect.objectContaining({ kind: 'missed_appointment', dueAt: '2026-11-30T02:20:00Z', urgent: true, rule: { ruleId: 'missed_appointment', stepId: 'within_1h', protocolVersion: 1 } })],
    });
    const stream = await events('p1');
    expect(stream.slice(-2).map((e) => e.type)).toEqual(['AppointmentMissed', 'FollowUpScheduled']);
    expect(stream.at(-1)!.data).toMatchObject({ kind: 'missed_appointment', appointmentId });
  });

  it('a complaint on a call lands a callback with the attending doctor', async () => {
    const { api } = running;
    const treatment = await api.post('/v1/treatments', { treatmentId: 't1', patientId: 'p1', clinicId: 'c1', doctorId: 'dr-li', procedure: 'extraction', completedAt: '2026-11-23T06:00:00Z' });
    const urgent = treatment.body.followUps[0];
    expect(urgent).toMatchObject({ dueAt: '2026-11-23T08:00:00Z', urgent: true, rule: { ruleId: 'post_op_urgent', stepId: 'after_2h' } });
    const complained = await call('p1', urgent.followUpId, 'reached', '2026-11-23T08:05:00Z', { complaint: true, symptoms: '出血不止', satisfaction: 2 });
    expect(complained.scheduled).toEqual([expect.objectContaining({ kind: 'doctor_callback', urgent: true, dueAt: '2026-11-23T08:05:00Z', assignee: { role: 'doctor', doctorId: 'dr-li' } })]);
    const refused = await api.post('/v1/calls', { patientId: 'p1', callerId: 'nurse-zhang', startedAt: '2026-11-23T08:06:00Z', outcome: 'no_answer', complaint: true });
    expect(refused.status).toBe(422);
    expect(refused.body.rule).toBe('complaint_without_conversation');
    const badFlag = await api.post('/v1/calls', { patientId: 'p1', callerId: 'nurse-zhang', startedAt: '2026-11-23T08:06:00Z', outcome: 'reached', complaint: 'yes' });
    expect(badFlag.body.details.map((d: any) => d.field)).toEqual(['complaint']);
  });

  it('contact preferences: recorded, a greeting for the birthday, 404 for nobody, 400/422 for bad values', async () => {
    const { api } = running;
    expect((await api.put('/v1/patients/p1/preferences', { vip: true })).status).toBe(404);
    await api.post('/v1/treatments', { treatmentId: 't1', patientId: 'p1', clinicId: 'c1', doctorId: 'dr-li', procedure: 'scaling', completedAt: '2026-11-23T06:00:00Z' });
    const set = await api.put('/v1/patients/p1/preferences', { preferredTimes: ['12:00-13:00'], avoidWorkHours: true, vip: true, specialDates: [{ kind: 'birthday', date: '03-15' }] });
    expect(set.status).toBe(201);
    expect(set.body.preferences).toEqual({ preferredTimes: ['12:00-13:00'], avoidWorkHours: true, vip: true, specialDates: [{ kind: 'birthday', date: '03-15' }] });
    expect(set.body.followUps).toEqual([expect.objectContaining({ kind: 'greeting', dueAt: '2027-03-15T02:30:00Z', rule: { ruleId: 'special_date', stepId: 'greeting', protocolVersion: 1 } })]);
    const again = await api.put('/v1/patients/p1/preferences', { vip: true, avoidWorkHours: true, specialDates: [{ date: '03-15', kind: 'birthday' }], preferredTimes: ['12:00-13:00'] });
    expect(again.body.followUps).toEqual([]);

    const before = await api.headPosition();
    expect(again.headers.get('x-rapport-position')).toBe(String(before));
    const badRange = await api.put('/v1/patients/p1/preferences', { preferredTimes: ['noon'] });
    expect(badRange.body.details.map((d: any) => d.field)).toEqual(['preferredTimes']);
    const badDate = await api.put('/v1/patients/p1/preferences', { specialDates: [{ kind: 'birthday', date: '02-30' }] });
    expect(badDate.status).toBe(422);
    expect(badDate.body.rule).toBe('special_date_invalid');
    expect(await api.headPosition()).toBe(before);

    const stream = await events('p1');
    expect(stream.filter((e) => e.type === 'ContactPreferencesSet').map((e) => e.data)).toEqual([
      { patientId: 'p1', clinicId: 'c1', preferredTimes: ['12:00-13:00'], avoidWorkHours: true, vip: true, specialDates: [{ kind: 'birthday', date: '03-15' }] },
    ]);
  });

  it('a protocol override through PUT /v1/clinics: a new version for new follow-ups, the old ones untouched', async () => {
    const { api } = running;
    const before = await api.post('/v1/treatments', { treatmentId: 't1', patientId: 'p1', clinicId: 'c1', doctorId: 'dr-li', procedure: 'scaling', completedAt: '2026-11-23T06:00:00Z' });
    expect(before.body.followUps.map((f: any) => [f.rule.ruleId, f.rule.protocolVersion])).toEqual([['next_day', 1]]);

    const override = {
      timeZone: 'Asia/Shanghai',
      callWindows: ['10:30', '16:00'],
      protocol: {
        rules: [
          { id: 'scaling_plus', procedures: ['scaling'], steps: [{ id: 'day_2', timing: { kind: 'day_window', afterDays: 2 }, purpose: 'Day 2: sensitivity after scaling' }] },
          { id: 'implant', procedures: ['implant_surgery'], steps: [{ id: 'yearly', timing: { kind: 'day_window', afterMonths: 12 }, repeatEveryMonths: 12, purpose: 'Yearly' }] },
          { id: 'general', procedures: ['*'], steps: [{ id: 'day_1', timing: { kind: 'next_window', afterHours: 2, withinHours: 24 }, purpose: 'Day 1' }] },
        ],
        prospect: {
          id: 'prospect',
          calls: [{ id: 'call_1', timing: { kind: 'next_window', afterHours: 0 }, purpose: 'Call back the same day' }],
          escalation: { id: 'senior_doctor', timing: { kind: 'day_window', afterDays: 1 }, purpose: 'Senior doctor' },
          stopAfterRefusals: 3,
        },
      },
    };
    const put = await api.put('/v1/clinics/c1', override);
    expect(put.status).toBe(201);
    expect(put.body.protocolVersion).toBe(2);
    expect((await api.put('/v1/clinics/c1', override)).body.protocolVersion).toBe(2);
    const invalid = await api.put('/v1/clinics/c1', { ...override, protocol: { ...override.protocol, prospect: { ...override.protocol.prospect, calls: [] } } });
    expect(invalid.status).toBe(400);
    expect(invalid.body.details.map((d: any) => d.field)).toEqual(['protocol.prospect.calls']);
    const clinic = await api.get('/v1/clinics/c1');
    expect(clinic.body.protocol.prospect.stopAfterRefusals).toBe(3);

    running.clock.set('2026-11-24T07:00:00Z');
    const after = await api.post('/v1/treatments', { treatmentId: 't2', patientId: 'p1', clinicId: 'c1', doctorId: 'dr-li', procedure: 'scaling', completedAt: '2026-11-24T06:00:00Z' });
    expect(after.body.followUps.map((f: any) => [f.rule.ruleId, f.rule.stepId, f.rule.protocolVersion, f.dueAt])).toEqual([['scaling_plus', 'day_2', 2, '2026-11-26T02:30:00Z']]);
    const prospect = await api.post('/v1/inquiries', { patientId: 'q1', clinicId: 'c1', receivedAt: '2026-11-24T06:00:00Z' });
    expect(prospect.body.followUps.map((f: any) => [f.rule.stepId, f.rule.protocolVersion, f.dueAt])).toEqual([['call_1', 2, '2026-11-24T08:00:00Z']]);

    // What version 1 scheduled is still exactly as it was.
    const stream = await events('p1');
    const first = stream.find((e) => e.type === 'FollowUpScheduled' && e.data.treatmentId === 't1')!;
    expect(first.data).toMatchObject({ dueAt: '2026-11-24T02:30:00Z', origin: { protocolVersion: 1, ruleId: 'next_day', stepId: 'day_1' } });
    expect(stream.filter((e) => e.type === 'FollowUpScheduled')).toHaveLength(2);
  });
});
