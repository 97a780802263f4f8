import { RunningApp, startApp } from '../support/in-process-app';

/**
 * Issue 15 item 6: the patient's wishes move a call to the next time they accept, they never hide
 * it; "at work" means the clinic's own work hours. Asia/Shanghai is UTC+8: 10:30 local is 02:30Z.
 */
describe('contact preferences move calls over HTTP', () => {
  let running: RunningApp;
  beforeAll(async () => {
    running = await startApp({ now: '2026-11-23T07:00:00Z' });
    const { api } = running;
    // A clinic at work Monday to Saturday, 08:00–20:00.
    const clinic = { timeZone: 'Asia/Shanghai', callWindows: ['10:30', '16:00'], workHours: { days: [1, 2, 3, 4, 5, 6], from: '08:00', to: '20:00' } };
    expect((await api.put('/v1/clinics/c1', clinic)).status).toBe(201);
    for (const [patientId, preferences] of [
      ['p-work', { avoidWorkHours: true }],
      ['p-noon', { preferredTimes: ['12:00-13:00'] }],
      ['p-never', { avoidWorkHours: true, preferredTimes: ['10:00-11:00'] }],
      ['p-dnc', { doNotCall: true }],
    ] as const) {
      const treated = await api.post('/v1/treatments', { treatmentId: `t-${patientId}`, patientId, clinicId: 'c1', doctorId: 'dr-li', procedure: 'other', completedAt: '2026-11-23T06:00:00Z' });
      expect(treated.status).toBe(201);
      expect((await api.put(`/v1/patients/${patientId}/preferences`, preferences)).status).toBe(201);
    }
  });
  afterAll(async () => running.close());

  type Item = { patientId: string; dueAt: string; offeredAt?: string | null; overdueMinutes: number };
  const queue = async (at: string) => {
    const response = await running.api.get(`/v1/clinics/c1/queue?at=${at}&limit=100`);
    expect(response.status).toBe(200);
    return response.body as { items: Item[]; waiting: Item[] };
  };
  const day1 = (items: Item[]) => items.filter((i) => i.dueAt === '2026-11-24T02:30:00Z');

  it('Tuesday 10:40: the calls the wishes exclude wait, each with the time it will be offered; do-not-call is in neither list', async () => {
    const { items, waiting } = await queue('2026-11-24T02:40:00Z');
    expect(day1(items).map((i) => i.patientId)).toEqual([]);
    const offered = Object.fromEntries(day1(waiting).map((i) => [i.patientId, i.offeredAt]));
    expect(offered).toEqual({
      // 20:00, the end of this clinic's work hours (not 18:00).
      'p-work': '2026-11-24T12:00:00Z',
      'p-noon': '2026-11-24T04:00:00Z',
      // Only 10:00–11:00 and never at work, at a clinic at work at 10:00 six days a week: Sunday.
      'p-never': '2026-11-29T02:00:00Z',
    });
    expect(day1(waiting).map((i) => i.patientId)).toEqual(['p-noon', 'p-work', 'p-never']);
  });

  it('Tuesday 12:05 and 20:05: each call is offered at its time, overdue counted from it', async () => {
    const noon = await queue('2026-11-24T04:05:00Z');
    expect(day1(noon.items)).toEqual([expect.objectContaining({ patientId: 'p-noon', offeredAt: '2026-11-24T04:00:00Z', overdueMinutes: 5 })]);
    const evening = await queue('2026-11-24T12:05:00Z');
    expect(day1(evening.items)).toEqual([expect.objectContaining({ patientId: 'p-work', offeredAt: '2026-11-24T12:00:00Z', overdueMinutes: 5 })]);
    // p-noon's hour has passed: it waits for tomorrow's noon.
    expect(day1(evening.waiting).find((i) => i.patientId === 'p-noon')).toMatchObject({ offeredAt: '2026-11-25T04:00:00Z' });
  });

  it('Saturday is a work day for this clinic, Sunday is not', async () => {
    // The day-1 call of p-work, not called all week, at Saturday 10:40 and Sunday 10:40.
    expect(day1((await queue('2026-11-28T02:40:00Z')).items).some((i) => i.patientId === 'p-work')).toBe(false);
    expect(day1((await queue('2026-11-29T02:40:00Z')).items).map((i) => i.patientId)).toEqual(expect.arrayContaining(['p-work', 'p-never']));
  });
});
