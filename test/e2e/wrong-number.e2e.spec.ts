import { clinicWithPatient } from '../support/fixtures';
import { RunningApp, startApp } from '../support/in-process-app';

/**
 * Issue 15 item 9: a wrong number takes the patient's open follow-ups out of the queue onto a
 * "needs a number" list until staff give the right one (a correction of personal details, sealed
 * like every other copy of it); `GET …/follow-ups?status=` lists what staff look at outside the queue.
 */
describe('a wrong number over HTTP', () => {
  let running: RunningApp;
  beforeAll(async () => {
    running = await startApp({ now: '2026-11-24T03:00:00Z' });
    await clinicWithPatient(running.api, { patient: { name: '王芳', phone: '+86 138 0000 0001' } });
  });
  afterAll(async () => running.close());

  type Item = { followUpId: string; patientId: string; patient: { name?: string; phone?: string }; status?: string };
  const queue = async (position: string | null) => (await running.api.get(`/v1/clinics/c1/queue?at=2026-11-24T03:00:00Z&limit=100&minPosition=${position}`)).body.items as Item[];
  const list = async (status: string, position: string | null) => (await running.api.get(`/v1/clinics/c1/follow-ups?status=${status}&minPosition=${position}`)).body.items as Item[];

  it('moves every open follow-up of the patient from the queue to the list, and a corrected phone brings them back', async () => {
    const { api } = running;
    // Day 1 (p1.fu1) is due at 2026-11-24 10:30 local (02:30Z).
    expect((await queue('0')).map((i) => i.followUpId)).toEqual(['p1.fu1']);

    const call = await api.post('/v1/calls', { patientId: 'p1', callerId: 'nurse-zhang', followUpId: 'p1.fu1', startedAt: '2026-11-24T02:45:00Z', outcome: 'wrong_number', notes: 'a stranger answered' });
    expect(call.status).toBe(201);
    // The follow-up stays open: its call is still to make, on the right number.
    expect(call.body).toMatchObject({ followUp: { followUpId: 'p1.fu1', status: 'open', nextDueAt: '2026-11-24T02:30:00Z' }, phoneWrong: true });
    const afterCall = call.headers.get('x-rapport-position');
    expect(await queue(afterCall)).toEqual([]);
    const waiting = await list('needs_number', afterCall);
    expect(waiting.map((i) => i.followUpId)).toEqual(['p1.fu1', 'p1.fu2', 'p1.fu3', 'p1.fu4', 'p1.fu5'].slice(0, waiting.length));
    expect(waiting.length).toBeGreaterThanOrEqual(3);
    expect(waiting[0]).toMatchObject({ patientId: 'p1', status: 'needs_number', patient: { name: '王芳', phone: '+86 138 0000 0001' } });

    const corrected = await api.post('/v1/patients/p1/personal-details', { phone: '+86 139 0000 0002', reason: 'her daughter gave the right number' });
    expect(corrected.status).toBe(201);
    expect(corrected.body).toMatchObject({ patientId: 'p1', corrected: ['phone'], phoneWrong: false });
    const afterCorrection = corrected.headers.get('x-rapport-position');
    expect(await list('needs_number', afterCorrection)).toEqual([]);
    const back = await queue(afterCorrection);
    expect(back.map((i) => i.followUpId)).toEqual(['p1.fu1']);
    expect(back[0]!.patient).toEqual({ name: '王芳', phone: '+86 139 0000 0002' });

    const timeline = (await api.get(`/v1/patients/p1/timeline?minPosition=${afterCorrection}`)).body.entries as { type: string; summary: string }[];
    expect(timeline.map((e) => e.type)).toEqual(expect.arrayContaining(['PhoneNumberReportedWrong', 'PersonalDetailsCorrected']));
    // The timeline says what was corrected, never the number itself.
    expect(timeline.find((e) => e.type === 'PersonalDetailsCorrected')!.summary).not.toContain('139');
  });

  it('stores the corrected phone sealed: the log as stored opens it for the reader, and an erasure makes it unreadable', async () => {
    const { api } = running;
    const events = (await api.get('/v1/patients/p1/events')).body.events as { type: string; data: { patient?: unknown } }[];
    expect(events.find((e) => e.type === 'PersonalDetailsCorrected')!.data.patient).toEqual({ phone: '+86 139 0000 0002' });
    const erased = await api.post('/v1/patients/p1/erasure', { reason: 'asked to be forgotten' });
    expect(erased.status).toBe(201);
    const after = (await api.get('/v1/patients/p1/events')).body.events as { type: string; data: { patient?: { erased?: boolean } } }[];
    expect(after.find((e) => e.type === 'PersonalDetailsCorrected')!.data.patient).toMatchObject({ erased: true });
    const again = await api.post('/v1/patients/p1/personal-details', { phone: '+86 139 0000 0003', reason: 'new phone' });
    expect([again.status, again.body.rule]).toEqual([422, 'patient_erased']);
  });

  it('refuses bad input with the field named, and changes nothing', async () => {
    const { api } = running;
    const noReason = await api.post('/v1/patients/p1/personal-details', { phone: '+86 139 0000 0002' });
    expect([noReason.status, [...new Set(noReason.body.details.map((d: { field: string }) => d.field))]]).toEqual([400, ['reason']]);
    const badPhone = await api.post('/v1/patients/p1/personal-details', { phone: 'call me', reason: 'x' });
    expect([badPhone.status, badPhone.body.details.map((d: { field: string }) => d.field)]).toEqual([400, ['phone']]);
    const unknown = await api.post('/v1/patients/nobody/personal-details', { phone: '+86 139 0000 0002', reason: 'x' });
    expect(unknown.status).toBe(404);
    const badStatus = await api.get('/v1/clinics/c1/follow-ups?status=lost');
    expect([badStatus.status, badStatus.body.details.map((d: { field: string }) => d.field)]).toEqual([400, ['status']]);
  });
});
