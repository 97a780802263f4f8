import { clinicWithPatient } from '../support/fixtures';
import { RunningApp, startApp } from '../support/in-process-app';

/**
 * Issue 15 item 11, feedback to the attending doctor (seed 000 "及时反馈给主诊医生"): every reached
 * call about a doctor's patient with symptoms, satisfaction 1–2 or a complaint reaches that doctor
 * at GET /v1/doctors/:doctorId/feedback, newest first; satisfaction 1–2 alone also puts a callback
 * in the doctor's queue.
 */
describe('GET /v1/doctors/:doctorId/feedback', () => {
  let running: RunningApp;
  let lowRating: { callId: string };
  const head = async () => running.api.headPosition();
  const drLi = async (clinics = ['c1']) => running.api.as(await running.token({ userId: 'dr-li', role: 'doctor', clinics }));

  beforeAll(async () => {
    running = await startApp({ now: '2026-11-24T03:00:00Z' });
    const { api } = running;
    await clinicWithPatient(api); // c1; p1's treatment t1 by dr-li
    expect((await api.put('/v1/clinics/c2', { timeZone: 'Asia/Shanghai', callWindows: ['10:30', '16:00'] })).status).toBe(201);
    const call = (startedAt: string, extra: object) => api.post('/v1/calls', { patientId: 'p1', callerId: 'nurse-zhang', startedAt, outcome: 'reached', ...extra });
    const low = await call('2026-11-24T02:40:00Z', { satisfaction: 2, notes: 'unhappy with the wait' });
    expect(low.status).toBe(201);
    lowRating = low.body;
    expect((await call('2026-11-24T02:45:00Z', { satisfaction: 4, symptoms: 'gum swelling' })).status).toBe(201);
    expect((await call('2026-11-24T02:50:00Z', { satisfaction: 5 })).status).toBe(201);
    expect((await api.post('/v1/calls', { patientId: 'p1', callerId: 'nurse-zhang', startedAt: '2026-11-24T02:55:00Z', outcome: 'no_answer' })).status).toBe(201);
  });
  afterAll(async () => running?.close());

  it('lists the reached calls with symptoms or satisfaction ≤ 2, newest first, and a low rating alone puts a callback in dr-li’s queue', async () => {
    const doctor = await drLi();
    const feedback = await doctor.get(`/v1/doctors/dr-li/feedback?minPosition=${await head()}`);
    expect(feedback.status).toBe(200);
    const queue = await doctor.get(`/v1/doctors/dr-li/queue?at=2026-11-24T05:00:00Z&minPosition=${await head()}`);
    expect(queue.status).toBe(200);
    const callback = queue.body.items.find((i: { kind: string }) => i.kind === 'doctor_callback');
    expect(callback).toMatchObject({ patientId: 'p1', clinicId: 'c1', assignee: { role: 'doctor', doctorId: 'dr-li' }, treatmentId: 't1', urgent: true });

    expect(feedback.body).toEqual({
      doctorId: 'dr-li',
      items: [
        {
          callId: expect.any(String),
          patientId: 'p1',
          clinicId: 'c1',
          treatmentId: 't1',
          followUpId: null,
          callerId: 'nurse-zhang',
          startedAt: '2026-11-24T02:45:00Z',
          satisfaction: 4,
          symptoms: 'gum swelling',
          complaint: false,
          callbackFollowUpId: null,
        },
        {
          callId: lowRating.callId,
          patientId: 'p1',
          clinicId: 'c1',
          treatmentId: 't1',
          followUpId: null,
          callerId: 'nurse-zhang',
          startedAt: '2026-11-24T02:40:00Z',
          satisfaction: 2,
          symptoms: null,
          complaint: false,
          callbackFollowUpId: callback.followUpId,
        },
      ],
    });
    // No notes, names or phones: the patient's words about their condition only.
    expect(JSON.stringify(feedback.body)).not.toMatch(/unhappy with the wait|notes|phone|name/);
  });

  it('keeps to [from, to)', async () => {
    const feedback = await (await drLi()).get('/v1/doctors/dr-li/feedback?from=2026-11-24T02:41:00Z&to=2026-11-24T03:00:00Z');
    expect(feedback.status).toBe(200);
    expect(feedback.body).toMatchObject({ doctorId: 'dr-li', from: '2026-11-24T02:41:00Z', to: '2026-11-24T03:00:00Z' });
    expect(feedback.body.items.map((i: { startedAt: string }) => i.startedAt)).toEqual(['2026-11-24T02:45:00Z']);
  });

  it('records who read it in the access log', async () => {
    const auditor = running.api.as(await running.token({ userId: 'auditor-wu', role: 'auditor', clinics: ['c1'] }));
    const log = await auditor.get(`/v1/audit/access?userId=dr-li&minPosition=${await head()}`);
    expect(log.status).toBe(200);
    expect(log.body.entries.filter((e: { what: string }) => e.what === 'doctor_feedback').map((e: { patientId: string; clinicId: string; role: string }) => [e.patientId, e.clinicId, e.role])).toContainEqual([
      'p1',
      'c1',
      'doctor',
    ]);
  });

  it('shows another clinic’s token nothing of c1, and refuses another doctor', async () => {
    const otherAdmin = running.api.as(await running.token({ userId: 'admin-c2', role: 'admin', clinics: ['c2'] }));
    const scoped = await otherAdmin.get(`/v1/doctors/dr-li/feedback?minPosition=${await head()}`);
    expect([scoped.status, scoped.body.items]).toEqual([200, []]);
    const drLiInC2 = await (await drLi(['c2'])).get('/v1/doctors/dr-li/feedback');
    expect([drLiInC2.status, drLiInC2.body.items]).toEqual([200, []]);
    const drWang = running.api.as(await running.token({ userId: 'dr-wang', role: 'doctor', clinics: ['c1'] }));
    expect((await drWang.get('/v1/doctors/dr-li/feedback')).status).toBe(403);
  });

  it.each([
    ['from=2026-12-02T00:00:00Z&to=2026-12-01T00:00:00Z', 'from'],
    ['from=2026-12-01T00:00:00Z&to=2026-12-01T00:00:00Z', 'from'],
    ['from=2025-01-01T00:00:00Z&to=2026-12-01T00:00:00Z', 'to'],
    ['from=yesterday', 'from'],
    ['format=csv', 'format'],
  ])('answers 400 naming the parameter for ?%s', async (query, field) => {
    const response = await (await drLi()).get(`/v1/doctors/dr-li/feedback?${query}`);
    expect(response.status).toBe(400);
    expect(response.body.details.map((d: { field: string }) => d.field)).toContain(field);
  });

  it('a call corrected out of it leaves it: the low rating corrected to 4', async () => {
    const events = (await running.api.get('/v1/patients/p1/events')).body.events as { eventId: string; type: string; data: { callId?: string } }[];
    const recorded = events.find((e) => e.type === 'CallAttempted' && e.data.callId === lowRating.callId)!;
    const correction = await running.api.post('/v1/corrections', { eventId: recorded.eventId, reason: 'misheard the rating', satisfaction: 4 });
    expect(correction.status).toBe(201);
    const feedback = await (await drLi()).get(`/v1/doctors/dr-li/feedback?minPosition=${correction.headers.get('x-rapport-position')}`);
    expect(feedback.body.items.map((i: { startedAt: string }) => i.startedAt)).toEqual(['2026-11-24T02:45:00Z']);
  });
});
