import { RunningApp, startApp } from '../support/in-process-app';
import { SseReader } from './feed-sse-reader';

/**
 * Queues and the event feed show names and phones as much as a timeline does: who saw which
 * patients in them is recorded (PatientRecordsListed, one per request and clinic) and shows in the
 * auditors' access log beside the record reads.
 */
describe('reading a queue or the event feed is recorded in the access log', () => {
  let running: RunningApp;
  const head = async () => running.api.headPosition();

  beforeAll(async () => {
    running = await startApp({ now: '2026-11-24T03:00:00Z' });
    const { api } = running;
    expect((await api.put('/v1/clinics/c1', { timeZone: 'Asia/Shanghai', callWindows: ['10:30', '16:00'] })).status).toBe(201);
    for (const [patientId, name] of [['p1', '王伟'], ['p2', '李娜']] as const) {
      const treatment = { treatmentId: `t-${patientId}`, patientId, clinicId: 'c1', doctorId: 'dr-li', procedure: 'extraction', completedAt: '2026-11-24T01:00:00Z', patient: { name, phone: '+86 138 0000 0000' } };
      expect((await api.post('/v1/treatments', treatment)).status).toBe(201);
    }
    // A complaint gives dr-li a callback task in the doctor's own queue.
    const call = await api.post('/v1/calls', { patientId: 'p1', callerId: 'nurse-zhang', startedAt: '2026-11-24T02:50:00Z', outcome: 'reached', complaint: true, symptoms: 'pain' });
    expect(call.status).toBe(201);
  });
  afterAll(() => running.close());

  async function entries(filter: string) {
    const auditor = running.api.as(await running.token({ userId: 'auditor-wu', role: 'auditor', clinics: ['c1'] }));
    const log = await auditor.get(`/v1/audit/access?${filter}&minPosition=${await head()}`);
    expect(log.status).toBe(200);
    return log.body.entries as { userId: string; role: string; patientId: string; clinicId: string; what: string }[];
  }

  it('the clinic queue: one entry per patient shown, naming who read it', async () => {
    const zhang = running.api.as(await running.token({ userId: 'nurse-zhang', role: 'caller', clinics: ['c1'] }));
    const queue = await zhang.get(`/v1/clinics/c1/queue?at=2026-11-24T05:00:00Z&minPosition=${await head()}`);
    expect(queue.status).toBe(200);
    const shown = [...new Set(queue.body.items.map((i: { patientId: string }) => i.patientId))].sort();
    expect(shown).toEqual(['p1', 'p2']);
    const log = (await entries('userId=nurse-zhang')).filter((e) => e.what === 'queue');
    expect(log.map((e) => [e.patientId, e.role, e.clinicId]).sort()).toEqual([
      ['p1', 'caller', 'c1'],
      ['p2', 'caller', 'c1'],
    ]);
  });

  it("a doctor's own queue", async () => {
    const doctor = running.api.as(await running.token({ userId: 'dr-li', role: 'doctor', clinics: ['c1'] }));
    const queue = await doctor.get(`/v1/doctors/dr-li/queue?at=2026-11-24T05:00:00Z&minPosition=${await head()}`);
    expect(queue.status).toBe(200);
    expect(queue.body.items.map((i: { patientId: string }) => i.patientId)).toEqual(['p1']);
    expect((await entries('userId=dr-li')).map((e) => [e.what, e.patientId])).toEqual([['doctor_queue', 'p1']]);
  });

  it('a page of the event feed, and the live stream, for the patients whose names they carried', async () => {
    const bi = running.api.as(await running.token({ userId: 'bi-system', role: 'integration', clinics: ['c1'] }));
    const page = await bi.get('/v1/events?after=0&limit=100');
    expect(page.status).toBe(200);
    expect((await entries('userId=bi-system')).map((e) => [e.what, e.patientId]).sort()).toEqual([
      ['feed', 'p1'],
      ['feed', 'p2'],
    ]);
    const token = await running.token({ userId: 'crm-system', role: 'integration', clinics: ['c1'] });
    const sse = await SseReader.open(`${running.url}/v1/events/stream?after=${await head()}`, { authorization: `Bearer ${token}` });
    try {
      const treatment = { treatmentId: 't-p3', patientId: 'p3', clinicId: 'c1', doctorId: 'dr-li', procedure: 'scaling', completedAt: '2026-11-24T01:00:00Z', patient: { name: '张三', phone: '+86 137 0000 0000' } };
      expect((await running.api.post('/v1/treatments', treatment)).status).toBe(201);
      await sse.waitFor((r) => r.messages.some((m) => m.event === 'TreatmentCompleted'), 'the live treatment');
      expect((await entries('userId=crm-system')).map((e) => [e.what, e.patientId])).toEqual([['feed', 'p3']]);
    } finally {
      sse.disconnect();
    }
  });
});
