import { clinicWithPatient as fixture, WANG_WEI } from '../support/fixtures';
import { RunningApp, startApp } from '../support/in-process-app';

/** Issue 2, tried as a clinic would: every core fact recorded over HTTP and read back in order. */
describe('walking skeleton over HTTP on the embedded store', () => {
  let running: RunningApp;

  beforeEach(async () => {
    running = await startApp({ now: '2026-11-24T03:00:00Z' });
  });
  afterEach(async () => running.close());

  const clinicWithPatient = () => fixture(running.api, { clinicName: '微笑口腔', patient: WANG_WEI });

  it('records a clinic, a treatment, calls reached and unreached, an objection, a referral and an appointment, in order with metadata', async () => {
    const { api } = running;
    const treatment = await clinicWithPatient();
    // The general rule: day 1, 3, 7, 1 month, 3 months at 10:30 Shanghai (02:30Z).
    expect(treatment.body.followUps.map((f: { dueAt: string }) => f.dueAt)).toEqual([
      '2026-11-24T02:30:00Z',
      '2026-11-26T02:30:00Z',
      '2026-11-30T02:30:00Z',
      '2026-12-23T02:30:00Z',
      '2027-02-23T02:30:00Z',
    ]);
    const [day1, day3] = treatment.body.followUps;

    const unreached = await api.post('/v1/calls', { patientId: 'p1', callerId: 'nurse-zhang', startedAt: '2026-11-24T02:40:00Z', outcome: 'no_answer', followUpId: day1.followUpId });
    expect(unreached.status).toBe(201);
    // Retried at the next window: 16:00 Shanghai the same day.
    expect(unreached.body.followUp).toEqual({ followUpId: day1.followUpId, status: 'open', nextDueAt: '2026-11-24T08:00:00Z', attempts: 1 });

    const reached = await api.post('/v1/calls', { patientId: 'p1', callerId: 'nurse-zhang', startedAt: '2026-11-24T02:50:00Z', outcome: 'reached', followUpId: day3.followUpId, satisfaction: 5, notes: '恢复良好' });
    expect(reached.status).toBe(201);
    expect(reached.body.followUp).toMatchObject({ followUpId: day3.followUpId, status: 'closed', closedReason: 'completed' });

    const objection = await api.post('/v1/objections', { patientId: 'p1', callerId: 'nurse-zhang', kind: 'sincere', topic: 'cost', method: 'inform', resolved: true, callId: reached.body.callId });
    expect(objection.status).toBe(201);
    const referral = await api.post('/v1/referrals', { patientId: 'p1', callerId: 'nurse-zhang', referred: { name: '李娜', relation: 'sister' } });
    expect(referral.status).toBe(201);
    const appointment = await api.post('/v1/appointments', { patientId: 'p1', clinicId: 'c1', scheduledFor: '2026-12-01T02:00:00Z', callerId: 'nurse-zhang' });
    expect(appointment.status).toBe(201);
    const referred = await api.post('/v1/appointments', { patientId: 'p2', clinicId: 'c1', scheduledFor: '2026-12-02T02:00:00Z', callerId: 'nurse-zhang', referralId: referral.body.referralId });
    expect(referred.status).toBe(201);
    expect(Number(referred.headers.get('x-rapport-position'))).toBeGreaterThan(Number(appointment.headers.get('x-rapport-position')));

    const events = await api.get('/v1/patients/p1/events');
    expect(events.status).toBe(200);
    expect(events.body.events.map((e: { type: string }) => e.type)).toEqual([
      'TreatmentCompleted',
      ...Array(5).fill('FollowUpScheduled'),
      'CallAttempted',
      'FollowUpRescheduled',
      'CallAttempted',
      'FollowUpClosed',
      'ObjectionRaised',
      'ReferralRequested',
      'AppointmentBooked',
    ]);
    const revisions = events.body.events.map((e: { revision: number }) => e.revision);
    expect(revisions).toEqual(revisions.map((_: number, i: number) => i));
    const positions: number[] = events.body.events.map((e: { position: number }) => e.position);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    for (const event of events.body.events) {
      expect(event.metadata).toEqual(
        expect.objectContaining({
          eventId: event.eventId,
          correlationId: expect.any(String),
          causationId: expect.any(String),
          actor: expect.objectContaining({ userId: expect.any(String), role: expect.any(String) }),
          recordedAt: '2026-11-24T03:00:00Z',
        }),
      );
    }
    const calls = events.body.events.filter((e: { type: string }) => e.type === 'CallAttempted');
    expect(calls.map((c: { metadata: { claimedAt: string } }) => c.metadata.claimedAt)).toEqual(['2026-11-24T02:40:00Z', '2026-11-24T02:50:00Z']);
    // One command, one correlation: the treatment and its follow-ups share it.
    const fromTreatment = events.body.events.slice(0, 6).map((e: { metadata: { causationId: string } }) => e.metadata.causationId);
    expect(new Set(fromTreatment).size).toBe(1);

    const p2 = await api.get('/v1/patients/p2/events');
    expect(p2.body.events[0]).toMatchObject({ type: 'AppointmentBooked', data: { referralId: referral.body.referralId, referrerPatientId: 'p1' } });
  });

  it('answers a malformed body with 400 naming the field, and appends nothing', async () => {
    const { api } = running;
    await clinicWithPatient();
    const before = await api.headPosition();
    const bad = await api.post('/v1/calls', { patientId: 'p1', callerId: 'nurse-zhang', startedAt: 'yesterday', outcome: 'reached' });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    expect(bad.body.details.map((d: { field: string }) => d.field)).toEqual(['startedAt']);
    const unknownField = await api.post('/v1/referrals', { patientId: 'p1', callerId: 'k', actor: 'someone-else' });
    expect(unknownField.status).toBe(400);
    expect(unknownField.body.details.map((d: { field: string }) => d.field)).toEqual(['actor']);
    const nested = await api.post('/v1/treatments', { treatmentId: 't9', patientId: 'p1', clinicId: 'c1', doctorId: 'd', procedure: 'other', completedAt: '2026-11-23T06:00:00Z', patient: { phone: 'call me' } });
    expect(nested.status).toBe(400);
    expect(nested.body.details.map((d: { field: string }) => d.field)).toEqual(['patient.phone']);
    const notJson = await api.post('/v1/calls', '{"patientId":');
    expect(notJson.status).toBe(400);
    const badPathId = await api.get('/v1/patients/p%20q/events');
    expect(badPathId.status).toBe(400);
    expect(await api.headPosition()).toBe(before);
  });

  it('refuses domain rules with 404/409/422 naming the rule, and appends nothing', async () => {
    const { api } = running;
    const unconfigured = await api.post('/v1/treatments', { treatmentId: 't1', patientId: 'p1', clinicId: 'nowhere', doctorId: 'd', procedure: 'other', completedAt: '2026-11-23T06:00:00Z' });
    expect(unconfigured).toMatchObject({ status: 422, body: { rule: 'clinic_not_configured' } });
    await clinicWithPatient();
    const before = await api.headPosition();
    const changed = await api.post('/v1/treatments', { treatmentId: 't1', patientId: 'p1', clinicId: 'c1', doctorId: 'dr-wang', procedure: 'other', completedAt: '2026-11-23T06:00:00Z' });
    expect(changed).toMatchObject({ status: 409, body: { rule: 'treatment_conflict' } });
    const noFollowUp = await api.post('/v1/calls', { patientId: 'p1', callerId: 'k', startedAt: '2026-11-24T02:40:00Z', outcome: 'reached', followUpId: 'p1.fu99' });
    expect(noFollowUp).toMatchObject({ status: 422, body: { rule: 'unknown_follow_up' } });
    const past = await api.post('/v1/appointments', { patientId: 'p1', clinicId: 'c1', scheduledFor: '2026-11-20T02:00:00Z' });
    expect(past).toMatchObject({ status: 422, body: { rule: 'appointment_in_past' } });
    const stranger = await api.post('/v1/objections', { patientId: 'nobody', callerId: 'k', kind: 'trivial', topic: 'time', method: 'defer', resolved: false });
    expect(stranger).toMatchObject({ status: 404, body: { rule: 'unknown_patient' } });
    expect(await api.headPosition()).toBe(before);
  });

  it('appends once for the same Idempotency-Key twice, and answers 409 when the key comes with another body', async () => {
    const { api } = running;
    await clinicWithPatient();
    const body = { patientId: 'p1', callerId: 'nurse-zhang', startedAt: '2026-11-24T02:40:00Z', outcome: 'busy' };
    const first = await api.post('/v1/calls', body, { 'Idempotency-Key': 'call-0001' });
    const again = await api.post('/v1/calls', { outcome: 'busy', startedAt: '2026-11-24T02:40:00Z', callerId: 'nurse-zhang', patientId: 'p1' }, { 'Idempotency-Key': 'call-0001' });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('x-rapport-position')).toBe(first.headers.get('x-rapport-position'));
    const other = await api.post('/v1/calls', { ...body, outcome: 'reached' }, { 'Idempotency-Key': 'call-0001' });
    expect(other.status).toBe(409);
    const events = await api.get('/v1/patients/p1/events');
    expect(events.body.events.filter((e: { type: string }) => e.type === 'CallAttempted')).toHaveLength(1);
  });

  it('replays the first response under an Idempotency-Key, even after the record moved on', async () => {
    const { api } = running;
    await clinicWithPatient();
    const first = await api.put('/v1/patients/p1/preferences', { doNotCall: true }, { 'Idempotency-Key': 'prefs-1' });
    expect([first.status, first.body.preferences.doNotCall]).toEqual([201, true]);
    expect((await api.put('/v1/patients/p1/preferences', { doNotCall: false }, { 'Idempotency-Key': 'prefs-2' })).status).toBe(201);
    const again = await api.put('/v1/patients/p1/preferences', { doNotCall: true }, { 'Idempotency-Key': 'prefs-1' });
    expect([again.status, again.headers.get('idempotent-replayed'), again.body]).toEqual([201, 'true', first.body]);
  });

  it("credits a caller's conversion to the reached call that led to it: three bookings after one reached call are one conversion, not 300%", async () => {
    const { api } = running;
    await clinicWithPatient();
    const call = await api.post('/v1/calls', { patientId: 'p1', callerId: 'nurse-zhang', startedAt: '2026-11-24T02:40:00Z', outcome: 'reached' });
    expect(call.status).toBe(201);
    let position = '0';
    for (const day of ['2026-11-30', '2026-12-01', '2026-12-02']) {
      const booking = await api.post('/v1/appointments', { patientId: 'p1', clinicId: 'c1', scheduledFor: `${day}T02:00:00Z`, callerId: 'nurse-zhang' });
      expect(booking.status).toBe(201);
      position = booking.headers.get('x-rapport-position')!;
    }
    const events = (await api.get('/v1/patients/p1/events')).body.events.filter((e: { type: string }) => e.type === 'AppointmentBooked');
    expect(events.map((e: { data: { attributedCallId?: string; attribution?: string } }) => [e.data.attributedCallId, e.data.attribution])).toEqual([
      [call.body.callId, 'caller_recent'],
      [undefined, undefined],
      [undefined, undefined],
    ]);
    const metrics = await api.get(`/v1/callers/nurse-zhang/metrics?minPosition=${position}`);
    expect(metrics.status).toBe(200);
    expect(metrics.body).toMatchObject({ reached: 1, appointmentsBooked: 1, conversionRate: 1 });
  });

  it('records that the patient came (复诊): once, and the appointment then takes no other outcome', async () => {
    const { api, clock } = running;
    await clinicWithPatient();
    const booking = await api.post('/v1/appointments', { patientId: 'p1', clinicId: 'c1', scheduledFor: '2026-11-24T06:00:00Z', callerId: 'nurse-zhang' });
    expect(booking.status).toBe(201);
    const { appointmentId } = booking.body;
    clock.set('2026-11-24T06:30:00Z');
    const attended = await api.post(`/v1/appointments/${appointmentId}/attended`, { at: '2026-11-24T05:55:00Z' });
    expect([attended.status, attended.body]).toEqual([201, { appointmentId, patientId: 'p1', at: '2026-11-24T05:55:00Z' }]);
    expect((await api.post(`/v1/appointments/${appointmentId}/attended`, { at: '2026-11-24T05:55:00Z' })).status).toBe(201);
    const missed = await api.post(`/v1/appointments/${appointmentId}/missed`, { at: '2026-11-24T06:20:00Z' });
    expect([missed.status, missed.body.rule]).toEqual([422, 'appointment_closed']);
    const events = (await api.get('/v1/patients/p1/events')).body.events as { type: string }[];
    expect(events.filter((e) => e.type === 'AppointmentAttended')).toHaveLength(1);
    expect(events.filter((e) => e.type === 'AppointmentMissed')).toHaveLength(0);
    expect((await api.post('/v1/appointments/p1.apt99/attended', { at: '2026-11-24T05:55:00Z' })).status).toBe(404);
    expect((await api.post('/v1/appointments/not-an-id/attended', { at: '2026-11-24T05:55:00Z' })).status).toBe(400);
  });

  it('lands 50 calls recorded concurrently for one patient: none lost, none doubled', async () => {
    const { api } = running;
    await clinicWithPatient();
    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        api.post('/v1/calls', { patientId: 'p1', callerId: `caller-${i % 5}`, startedAt: '2026-11-24T02:40:00Z', outcome: 'no_answer', notes: `attempt ${i}` }),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(50).fill(201));
    const callIds = responses.map((r) => r.body.callId);
    expect(new Set(callIds).size).toBe(50);
    const events = await api.get('/v1/patients/p1/events');
    const calls = events.body.events.filter((e: { type: string }) => e.type === 'CallAttempted');
    expect(calls).toHaveLength(50);
    expect(new Set(calls.map((c: { data: { notes: string } }) => c.data.notes)).size).toBe(50);
    expect(calls.map((c: { data: { callId: string } }) => c.data.callId).sort()).toEqual([...callIds].sort());
  });

  it('serves OpenAPI at /docs and /docs-json', async () => {
    const { api } = running;
    const json = await api.get('/docs-json');
    expect(json.status).toBe(200);
    expect(Object.keys(json.body.paths)).toEqual(expect.arrayContaining(['/v1/clinics/{clinicId}', '/v1/treatments', '/v1/calls', '/v1/objections', '/v1/referrals', '/v1/appointments', '/v1/patients/{patientId}/events']));
    expect((await api.get('/docs')).status).toBe(200);
  });
});
