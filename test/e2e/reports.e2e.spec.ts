import { clinicWithPatient } from '../support/fixtures';
import { RunningApp, startApp } from '../support/in-process-app';

/** Issue 14: the appointments report over HTTP — JSON and CSV, and bad ranges refused naming the parameter. */
describe('GET /v1/clinics/:clinicId/reports/appointments', () => {
  let running: RunningApp;
  beforeAll(async () => {
    running = await startApp({ now: '2026-11-24T03:00:00Z' });
  });
  afterAll(async () => running.close());

  it('counts the booked visits of a range by outcome and local weekday, as JSON and as CSV', async () => {
    const { api, clock } = running;
    await clinicWithPatient(api);
    const mon = await api.post('/v1/appointments', { patientId: 'p1', clinicId: 'c1', scheduledFor: '2026-11-30T02:00:00Z' }); // Mon 10:00 Shanghai
    const tue = await api.post('/v1/appointments', { patientId: 'p1', clinicId: 'c1', scheduledFor: '2026-12-01T02:00:00Z' }); // Tue 10:00
    expect([mon.status, tue.status]).toEqual([201, 201]);
    clock.set('2026-12-01T04:00:00Z');
    expect((await api.post(`/v1/appointments/${mon.body.appointmentId}/attended`, { at: '2026-11-30T01:50:00Z' })).status).toBe(201);
    const missed = await api.post(`/v1/appointments/${tue.body.appointmentId}/missed`, { at: '2026-12-01T03:00:00Z' });
    expect(missed.status).toBe(201);
    const week = `from=2026-11-29T16:00:00Z&to=2026-12-06T16:00:00Z&minPosition=${missed.headers.get('x-rapport-position')}`;

    const report = await api.get(`/v1/clinics/c1/reports/appointments?${week}`);
    expect(report.status).toBe(200);
    expect(report.body).toMatchObject({ booked: 2, attended: 1, missed: 1, open: 0, showRate: 0.5, noShowRate: 0.5 });
    expect(report.body.byWeekday.slice(0, 2)).toEqual([
      { weekday: 1, booked: 1, attended: 1, missed: 0, open: 0, showRate: 1, noShowRate: 0 },
      { weekday: 2, booked: 1, attended: 0, missed: 1, open: 0, showRate: 0, noShowRate: 1 },
    ]);

    const response = await fetch(`${running.url}/v1/clinics/c1/reports/appointments?${week}&format=csv`, { headers: { authorization: `Bearer ${await api.bearer()}` } });
    expect(response.headers.get('content-type')).toMatch(/^text\/csv/);
    const lines = (await response.text()).replace(/^\uFEFF/, '').trimEnd().split('\r\n');
    expect(lines[0]).toBe('weekday,booked,attended,missed,open,showRate,noShowRate');
    expect(lines.slice(1, 3)).toEqual(['1,1,1,0,0,1,0', '2,1,0,1,0,0,1']);
    expect(lines.at(-1)).toBe('total,2,1,1,0,0.5,0.5');
  });

  it('counts objections by kind × method and topic × method, as JSON and as CSV (a topic that looks like a formula is guarded)', async () => {
    const { api } = running;
    const raise = (topic: string, method: string, resolved: boolean) =>
      api.post('/v1/objections', { patientId: 'p1', callerId: 'nurse-zhang', kind: 'sincere', topic, method, resolved });
    expect((await raise('cost', 'inform', true)).status).toBe(201);
    expect((await raise('cost', 'inform', false)).status).toBe(201);
    // Seed 002 §5.3.4, 不予答复: an objection left unanswered on purpose.
    expect((await raise('prejudice', 'no_reply', false)).status).toBe(201);
    const last = await raise('=HYPERLINK("x")', 'defer', false);
    expect(last.status).toBe(201);
    const query = `minPosition=${last.headers.get('x-rapport-position')}`;
    const report = await api.get(`/v1/clinics/c1/reports/objections?${query}`);
    expect(report.body.byKindMethod).toEqual([
      { kind: 'sincere', method: 'defer', raised: 1, resolved: 0, resolutionRate: 0 },
      { kind: 'sincere', method: 'inform', raised: 2, resolved: 1, resolutionRate: 0.5 },
      { kind: 'sincere', method: 'no_reply', raised: 1, resolved: 0, resolutionRate: 0 },
    ]);
    expect(report.body.topics.map((t: { topic: string }) => t.topic)).toEqual(['cost', '=HYPERLINK("x")', 'prejudice']);
    const response = await fetch(`${running.url}/v1/clinics/c1/reports/objections?${query}&format=csv`, { headers: { authorization: `Bearer ${await api.bearer()}` } });
    const lines = (await response.text()).replace(/^\uFEFF/, '').trimEnd().split('\r\n');
    expect(lines[0]).toBe('section,kind,topic,method,raised,resolved,resolutionRate');
    expect(lines).toContain('kind_method,sincere,,inform,2,1,0.5');
    expect(lines).toContain(`topic,,"'=HYPERLINK(""x"")",,1,0,0`);
  });

  it('follows a referral to the friend’s booking over HTTP, as JSON and as CSV', async () => {
    const { api } = running;
    const referral = await api.post('/v1/referrals', { patientId: 'p1', callerId: 'nurse-zhang', referred: { relation: '朋友' } });
    expect(referral.status).toBe(201);
    const friend = await api.post('/v1/appointments', { patientId: 'friend-1', clinicId: 'c1', scheduledFor: '2026-12-10T02:00:00Z', referralId: referral.body.referralId });
    expect(friend.status).toBe(201);
    const query = `minPosition=${friend.headers.get('x-rapport-position')}`;
    const report = await api.get(`/v1/clinics/c1/reports/referrals?${query}`);
    expect(report.body).toMatchObject({ requested: 1, booked: 1, attended: 0, topReferrers: [{ patientId: 'p1', requested: 1, booked: 1, attended: 0 }] });
    expect(report.body.chains).toEqual([
      expect.objectContaining({ referralId: referral.body.referralId, referrerId: 'p1', referredPatientId: 'friend-1', appointmentId: friend.body.appointmentId }),
    ]);
    const response = await fetch(`${running.url}/v1/clinics/c1/reports/referrals?${query}&format=csv`, { headers: { authorization: `Bearer ${await api.bearer()}` } });
    const lines = (await response.text()).replace(/^\uFEFF/, '').trimEnd().split('\r\n');
    expect(lines[0]).toBe('referralId,referrerId,requestedAt,referredPatientId,appointmentId,bookedAt,attendedAt');
    expect(lines[1]).toMatch(new RegExp(`^${referral.body.referralId.replace('.', '\\.')},p1,.+,friend-1,${friend.body.appointmentId.replace('.', '\\.')},.+,$`));
  });

  it('effectiveness, doctors, prospects and urgent over HTTP, as JSON and as CSV', async () => {
    const { api, clock } = running;
    clock.set('2026-12-02T06:00:00Z');
    expect((await api.put('/v1/clinics/c2', { timeZone: 'Asia/Shanghai', callWindows: ['10:30', '16:00'] })).status).toBe(201);
    const treated = await api.post('/v1/treatments', { treatmentId: 't1', patientId: 'q1', clinicId: 'c2', doctorId: 'dr-chen', procedure: 'extraction', completedAt: '2026-12-02T02:00:00Z' });
    const postOp = treated.body.followUps.find((f: { rule: { ruleId: string } }) => f.rule.ruleId === 'post_op_urgent');
    // 20 minutes after it fell due (04:00Z): in time; the complaint puts a callback in dr-chen's queue that nobody has done yet.
    const call = await api.post('/v1/calls', { patientId: 'q1', callerId: 'nurse-zhang', followUpId: postOp.followUpId, startedAt: '2026-12-02T04:20:00Z', outcome: 'reached', satisfaction: 3, complaint: true });
    expect(call.status).toBe(201);
    const inquiry = await api.post('/v1/inquiries', { patientId: 'q2', clinicId: 'c2', receivedAt: '2026-12-02T05:00:00Z', channel: 'wechat' });
    expect(inquiry.status).toBe(201);
    // Wednesday 2 December in Shanghai.
    const day = `from=2026-12-01T16:00:00Z&to=2026-12-02T16:00:00Z&minPosition=${inquiry.headers.get('x-rapport-position')}`;

    // The inquiry's first call is due half an hour after it (05:30Z), urgent, and nobody has made it yet.
    const effectiveness = await api.get(`/v1/clinics/c2/reports/effectiveness?by=rule&${day}`);
    expect(effectiveness.body).toMatchObject({
      by: 'rule',
      rows: [
        { rule: 'post_op_urgent', step: 'after_2h', due: 1, attempted: 1, reached: 1, reachRate: 1, booked: 0, attended: 0, complaints: 1 },
        { rule: 'prospect', step: 'call_1', due: 1, attempted: 0, reached: 0, reachRate: 0 },
      ],
    });
    expect((await api.get(`/v1/clinics/c2/reports/effectiveness?${day}`)).body.rows).toEqual([
      expect.objectContaining({ kind: 'prospect', procedure: null, due: 1 }),
      expect.objectContaining({ kind: 'treatment', procedure: 'extraction', due: 1 }),
    ]);
    const doctors = await api.get(`/v1/clinics/c2/reports/doctors?${day}`);
    expect(doctors.body.rows).toEqual([
      { doctorId: 'dr-chen', name: null, reachedCalls: 1, satisfactionMean: 3, satisfaction: { 1: 0, 2: 0, 3: 1, 4: 0, 5: 0 }, complaints: 1, callbacksDone: 0, callbackMedianMinutes: null },
    ]);
    const prospects = await api.get(`/v1/clinics/c2/reports/prospects?${day}`);
    expect(prospects.body).toMatchObject({ seedBookingRate: 0.35, rows: [{ channel: 'wechat', inquiries: 1, notCalled: 1, firstAttemptMedianMinutes: null, bookingRate: 0 }] });
    const urgent = await api.get(`/v1/clinics/c2/reports/urgent?${day}`);
    expect(urgent.body.rows).toEqual([
      { rule: 'complaint_callback', due: 1, inTime: 0, late: 0, notDone: 1, inTimeRate: 0 },
      { rule: 'post_op_urgent', due: 1, inTime: 1, late: 0, notDone: 0, inTimeRate: 1 },
      { rule: 'prospect', due: 1, inTime: 0, late: 0, notDone: 1, inTimeRate: 0 },
    ]);

    const csv = async (path: string) => {
      const response = await fetch(`${running.url}${path}&format=csv`, { headers: { authorization: `Bearer ${await api.bearer()}` } });
      expect(response.headers.get('content-type')).toMatch(/^text\/csv/);
      return (await response.text()).replace(/^\uFEFF/, '').trimEnd().split('\r\n');
    };
    expect(await csv(`/v1/clinics/c2/reports/urgent?${day}`)).toEqual(['rule,due,inTime,late,notDone,inTimeRate', 'complaint_callback,1,0,0,1,0', 'post_op_urgent,1,1,0,0,1', 'prospect,1,0,0,1,0']);
    expect(await csv(`/v1/clinics/c2/reports/doctors?${day}`)).toEqual([
      'doctorId,name,reachedCalls,satisfactionMean,satisfaction1,satisfaction2,satisfaction3,satisfaction4,satisfaction5,complaints,callbacksDone,callbackMedianMinutes',
      'dr-chen,,1,3,0,0,1,0,0,1,0,',
    ]);
    expect(await csv(`/v1/clinics/c2/reports/effectiveness?by=procedure&${day}`)).toContain('treatment,extraction,,,1,1,1,1,0,0,1');
    expect((await csv(`/v1/clinics/c2/reports/prospects?${day}`))[1]).toBe('wechat,1,,,1,0,0,0,0');
  });

  it.each(['effectiveness', 'doctors', 'prospects', 'urgent'])('the %s report refuses a range the wrong way round, naming from', async (name) => {
    const response = await running.api.get(`/v1/clinics/c1/reports/${name}?from=2026-12-02T00:00:00Z&to=2026-12-01T00:00:00Z`);
    expect([response.status, response.body.details.map((d: { field: string }) => d.field)]).toEqual([400, ['from']]);
  });

  it('the effectiveness report refuses an unknown grouping, naming by', async () => {
    const response = await running.api.get('/v1/clinics/c1/reports/effectiveness?by=doctor');
    expect([response.status, response.body.details]).toEqual([400, [{ field: 'by', message: 'by must be procedure or rule' }]]);
  });

  it.each([
    ['from=2026-12-02T00:00:00Z&to=2026-12-01T00:00:00Z', 'from'],
    ['from=2026-12-01T00:00:00Z&to=2026-12-01T00:00:00Z', 'from'],
    ['from=2025-01-01T00:00:00Z&to=2026-12-01T00:00:00Z', 'to'],
    ['from=yesterday', 'from'],
    ['format=xml', 'format'],
  ])('answers 400 naming the parameter for ?%s', async (query, field) => {
    const response = await running.api.get(`/v1/clinics/c1/reports/appointments?${query}`);
    expect(response.status).toBe(400);
    expect(response.body.details.map((d: { field: string }) => d.field)).toContain(field);
  });
});
