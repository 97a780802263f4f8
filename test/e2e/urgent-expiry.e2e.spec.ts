import { UrgentExpiry } from '../../apps/api/src/follow-ups/urgent-expiry';
import { RunningApp, startApp } from '../support/in-process-app';

/**
 * Issue 15 item 10: urgent calls have a deadline and expire. A post-op check shows its deadline in
 * the queue and is late past it; a day after it fell due, the server's sweep closes it as
 * `expired` (recorded, by the server) so it no longer sits above today's urgent calls; the urgent
 * report counts it as never done. The clinic may set a rule's deadline and expiry.
 */
describe('urgent calls expire', () => {
  let running: RunningApp;
  beforeAll(async () => {
    running = await startApp({ now: '2026-11-24T02:00:00Z' });
  });
  afterAll(async () => running.close());

  it('is late past its deadline, and expires a day after it fell due', async () => {
    const { api, clock } = running;
    expect((await api.put('/v1/clinics/c1', { timeZone: 'Asia/Shanghai', callWindows: ['10:30', '16:00'], urgentRules: { missed_appointment: { deadlineMinutes: 30, expiryHours: 6 } } })).status).toBe(201);
    const treated = await api.post('/v1/treatments', { treatmentId: 't1', patientId: 'u1', clinicId: 'c1', doctorId: 'dr-li', procedure: 'extraction', completedAt: '2026-11-24T01:00:00Z' });
    const postOp = treated.body.followUps.find((f: { urgent: boolean }) => f.urgent);
    expect(postOp).toMatchObject({ dueAt: '2026-11-24T03:00:00Z' });

    // 03:30: due, in time (the post-op deadline is an hour after it falls due); 04:30: late.
    const at = async (iso: string, minPosition = Number(treated.headers.get('x-rapport-position'))) =>
      (await api.get(`/v1/clinics/c1/queue?at=${iso}&minPosition=${minPosition}`)).body.items.find((i: { followUpId: string }) => i.followUpId === postOp.followUpId);
    expect(await at('2026-11-24T03:30:00Z')).toMatchObject({ urgent: true, deadlineAt: '2026-11-24T04:00:00Z', late: false });
    expect(await at('2026-11-24T04:30:00Z')).toMatchObject({ late: true });

    const sweep = running.app.get(UrgentExpiry);
    clock.set('2026-11-25T02:59:00Z');
    expect(await sweep.sweep()).toBe(0);
    clock.set('2026-11-25T03:00:00Z');
    expect(await sweep.sweep()).toBe(1);
    expect(await sweep.sweep()).toBe(0);

    const events = (await api.get('/v1/patients/u1/events')).body.events as { type: string; data: { followUpId?: string; reason?: string }; metadata: { actor: { userId: string } } }[];
    const expired = events.find((e) => e.type === 'FollowUpClosed' && e.data.followUpId === postOp.followUpId)!;
    expect(expired).toMatchObject({ data: { reason: 'expired' }, metadata: { actor: { userId: 'local-operator' } } });
    const head = await api.headPosition();
    expect(await at('2026-11-25T03:30:00Z', head)).toBeUndefined();
    const urgent = await api.get(`/v1/clinics/c1/reports/urgent?from=2026-11-23T16:00:00Z&to=2026-11-24T16:00:00Z&minPosition=${head}`);
    expect(urgent.body.rows).toEqual([{ rule: 'post_op_urgent', due: 1, inTime: 0, late: 0, notDone: 1, inTimeRate: 0 }]);
  });

  it('takes the clinic’s deadline and expiry for a rule', async () => {
    const { api, clock } = running;
    clock.set('2026-11-26T02:00:00Z');
    const booked = await api.post('/v1/appointments', { patientId: 'u1', clinicId: 'c1', scheduledFor: '2026-11-26T03:00:00Z' });
    clock.set('2026-11-26T03:10:00Z');
    const missed = await api.post(`/v1/appointments/${booked.body.appointmentId}/missed`, { at: '2026-11-26T03:10:00Z' });
    const call = missed.body.followUps[0];
    // The clinic's missed-visit rule: 30 minutes to call, expired after 6 hours.
    const queue = await api.get(`/v1/clinics/c1/queue?at=2026-11-26T03:20:00Z&minPosition=${missed.headers.get('x-rapport-position')}`);
    expect(queue.body.items.find((i: { followUpId: string }) => i.followUpId === call.followUpId)).toMatchObject({ deadlineAt: '2026-11-26T03:40:00Z' });
    clock.set('2026-11-26T09:10:00Z');
    expect(await running.app.get(UrgentExpiry).sweep()).toBe(1);
  });
});
