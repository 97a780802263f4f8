import { clinicWithPatient } from '../support/fixtures';
import { RunningApp, startApp } from '../support/in-process-app';

/**
 * Issue 16 over HTTP: two callers on one patient (a claim, and a call on a follow-up the other
 * already closed, recorded rather than lost) and the staff directory that puts names to ids.
 */
describe('a working day with two callers', () => {
  let running: RunningApp;
  beforeAll(async () => {
    running = await startApp({ now: '2026-11-24T02:40:00Z' });
    await clinicWithPatient(running.api, { patient: { name: '王芳', phone: '+86 138 0000 0001' } });
  });
  afterAll(async () => running.close());

  const as = async (userId: string, role: 'caller' | 'manager' | 'doctor' = 'caller') => running.api.as(await running.token({ userId, role, clinics: ['c1'] }));
  const queueItem = async (position: string | null) =>
    ((await running.api.get(`/v1/clinics/c1/queue?at=2026-11-24T02:40:00Z&minPosition=${position}`)).body.items as { followUpId: string; claim?: { by: string; until: string } }[]).find(
      (i) => i.followUpId === 'p1.fu1',
    );

  it('opening a call claims it: the queue shows who is on it, another caller is told, and saving releases it', async () => {
    const zhang = await as('nurse-zhang');
    const li = await as('nurse-li');
    const claimed = await zhang.post('/v1/follow-ups/p1.fu1/claim', {});
    expect([claimed.status, claimed.body]).toEqual([201, { followUpId: 'p1.fu1', patientId: 'p1', claimedBy: 'nurse-zhang', until: '2026-11-24T02:50:00Z' }]);
    expect(await queueItem(claimed.headers.get('x-rapport-position'))).toMatchObject({ claim: { by: 'nurse-zhang', until: '2026-11-24T02:50:00Z' }, doctorId: 'dr-li' });

    const taken = await li.post('/v1/follow-ups/p1.fu1/claim', { minutes: 5 });
    expect([taken.status, taken.body.rule]).toEqual([409, 'follow_up_claimed']);
    expect(taken.body.message).toContain('nurse-zhang');

    const call = await zhang.post('/v1/calls', { patientId: 'p1', callerId: 'nurse-zhang', followUpId: 'p1.fu1', startedAt: '2026-11-24T02:38:00Z', outcome: 'no_answer' });
    expect(call.status).toBe(201);
    expect((await queueItem(call.headers.get('x-rapport-position')))?.claim).toBeUndefined();
    expect((await li.post('/v1/follow-ups/p1.fu1/claim', { minutes: 5 })).status).toBe(201);
  });

  it('refuses minutes out of 1–60 and an id the server did not make, naming the field', async () => {
    const zhang = await as('nurse-zhang');
    const tooLong = await zhang.post('/v1/follow-ups/p1.fu1/claim', { minutes: 61 });
    expect([tooLong.status, tooLong.body.details.map((d: { field: string }) => d.field)]).toEqual([400, ['minutes']]);
    const forged = await zhang.post('/v1/follow-ups/nothing/claim', {});
    expect([forged.status, forged.body.details.map((d: { field: string }) => d.field)]).toEqual([400, ['followUpId']]);
  });

  it('a second caller’s call on a follow-up the first already closed is recorded, and they are told', async () => {
    const zhang = await as('nurse-zhang');
    const li = await as('nurse-li');
    const first = await zhang.post('/v1/calls', { patientId: 'p1', callerId: 'nurse-zhang', followUpId: 'p1.fu1', startedAt: '2026-11-24T02:39:00Z', outcome: 'reached', satisfaction: 5 });
    expect(first.body.followUp).toMatchObject({ status: 'closed', closedReason: 'completed' });
    const second = await li.post('/v1/calls', { patientId: 'p1', callerId: 'nurse-li', followUpId: 'p1.fu1', startedAt: '2026-11-24T02:39:30Z', outcome: 'reached', notes: 'she said a colleague just called' });
    expect(second.status).toBe(201);
    expect(second.body.followUp).toMatchObject({ followUpId: 'p1.fu1', status: 'closed', alreadyClosed: true });
    const attempts = (await running.api.get(`/v1/audit/attempts?patientId=p1&minPosition=${second.headers.get('x-rapport-position')}`)).body.attempts as { callerId: string; notes?: string }[];
    expect(attempts.map((a) => a.callerId)).toEqual(['nurse-zhang', 'nurse-zhang', 'nurse-li']);
  });

  it('the staff directory puts names to ids, and the doctors report uses them', async () => {
    const manager = await as('manager-wu', 'manager');
    const put = await manager.put('/v1/clinics/c1/staff/dr-li', { name: '李医生', role: 'doctor' });
    expect([put.status, put.body]).toEqual([201, { clinicId: 'c1', staffId: 'dr-li', name: '李医生', role: 'doctor', active: true }]);
    expect((await manager.put('/v1/clinics/c1/staff/nurse-zhang', { name: '张护士', role: 'caller' })).status).toBe(201);
    const left = await manager.put('/v1/clinics/c1/staff/nurse-zhang', { name: '张护士', role: 'caller', active: false });
    const staff = await running.api.get(`/v1/clinics/c1/staff?minPosition=${left.headers.get('x-rapport-position')}`);
    expect(staff.body).toEqual({
      clinicId: 'c1',
      staff: [
        { staffId: 'nurse-zhang', name: '张护士', role: 'caller', active: false },
        { staffId: 'dr-li', name: '李医生', role: 'doctor', active: true },
      ],
    });
    const doctors = await running.api.get(`/v1/clinics/c1/reports/doctors?minPosition=${left.headers.get('x-rapport-position')}`);
    expect(doctors.body.rows).toEqual([expect.objectContaining({ doctorId: 'dr-li', name: '李医生' })]);

    const caller = await as('nurse-li');
    expect((await caller.put('/v1/clinics/c1/staff/nurse-li', { name: 'me', role: 'manager' })).status).toBe(403);
    const badRole = await manager.put('/v1/clinics/c1/staff/x1', { name: 'X', role: 'janitor' });
    expect([badRole.status, badRole.body.details.map((d: { field: string }) => d.field)]).toEqual([400, ['role']]);
    expect((await manager.put('/v1/clinics/nowhere/staff/x1', { name: 'X', role: 'caller' })).status).toBe(403);
  });

  describe('one save, one decision (issue 16 items 1 and 2)', () => {
    const eventsOf = async (patientId: string) => ((await running.api.get(`/v1/patients/${patientId}/events`)).body.events as { type: string }[]).map((e) => e.type);
    const treated = async (patientId: string) =>
      expect((await running.api.post('/v1/treatments', { treatmentId: `t-${patientId}`, patientId, clinicId: 'c1', doctorId: 'dr-li', procedure: 'other', completedAt: '2026-11-23T06:00:00Z' })).status).toBe(201);

    it('records the call with its objection, referral, booking and preferences in one append', async () => {
      await treated('p2');
      const saved = await running.api.post('/v1/calls', {
        patientId: 'p2',
        callerId: 'nurse-zhang',
        followUpId: 'p2.fu1',
        startedAt: '2026-11-24T02:35:00Z',
        outcome: 'reached',
        satisfaction: 4,
        objections: [{ kind: 'sincere', topic: 'cost', method: 'inform', resolved: true }],
        referrals: [{ referred: { name: '李四', phone: '+86 139 0000 0009', relation: 'sister' } }],
        appointment: { scheduledFor: '2026-12-01T02:00:00Z', doctorId: 'dr-li' },
        preferences: { preferredTimes: ['12:00-13:00'] },
      });
      expect(saved.status).toBe(201);
      expect(saved.body).toMatchObject({ objectionIds: ['p2.obj7'], referralIds: ['p2.ref8'], appointmentId: 'p2.apt9', preferencesChanged: true });
      expect((await eventsOf('p2')).slice(-6)).toEqual(['CallAttempted', 'FollowUpClosed', 'ObjectionRaised', 'ReferralRequested', 'AppointmentBooked', 'ContactPreferencesChanged']);
    });

    it('a part that fails saves nothing: a booking in the past, an empty referred person', async () => {
      await treated('p3');
      const before = await eventsOf('p3');
      const past = await running.api.post('/v1/calls', { patientId: 'p3', callerId: 'nurse-zhang', followUpId: 'p3.fu1', startedAt: '2026-11-24T02:35:00Z', outcome: 'reached', appointment: { scheduledFor: '2026-11-20T02:00:00Z' } });
      expect([past.status, past.body.rule]).toEqual([422, 'appointment_in_past']);
      const empty = await running.api.post('/v1/calls', { patientId: 'p3', callerId: 'nurse-zhang', followUpId: 'p3.fu1', startedAt: '2026-11-24T02:35:00Z', outcome: 'reached', referrals: [{ referred: {} }] });
      expect([empty.status, empty.body.details?.map((d: { field: string }) => d.field)]).toEqual([400, ['referrals[0].referred']]);
      const noDate = await running.api.post('/v1/calls', { patientId: 'p3', callerId: 'nurse-zhang', followUpId: 'p3.fu1', startedAt: '2026-11-24T02:35:00Z', outcome: 'reached', appointment: {} });
      expect([noDate.status, noDate.body.details?.map((d: { field: string }) => d.field)]).toEqual([400, ['appointment.scheduledFor']]);
      expect(await eventsOf('p3')).toEqual(before);
    });

    it('a double click under one Idempotency-Key records one attempt', async () => {
      await treated('p4');
      const body = { patientId: 'p4', callerId: 'nurse-zhang', followUpId: 'p4.fu1', startedAt: '2026-11-24T02:35:00Z', outcome: 'no_answer' };
      const [a, b] = await Promise.all([running.api.post('/v1/calls', body, { 'Idempotency-Key': 'form-p4-1' }), running.api.post('/v1/calls', body, { 'Idempotency-Key': 'form-p4-1' })]);
      expect([a.status, b.status]).toEqual([201, 201]);
      expect(a.body.callId).toBe(b.body.callId);
      expect((await eventsOf('p4')).filter((t) => t === 'CallAttempted')).toHaveLength(1);
    });
  });
});
