import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Principal } from '@rapport/access';
import { runVerify as verifyCommand } from '../../apps/cli/src/verify';
import { builtEntryPoint } from '../support/built';
import { clinicWithPatient } from '../support/fixtures';
import { Api, RunningApp, startApp } from '../support/in-process-app';
import { makeTempDir } from '../support/temp-dir';

/**
 * Issue 6 over HTTP: the actor of a fact is the token's user, a claimed time is checked,
 * corrections point at what they correct, verification catches a row changed by hand in the
 * SQLite file (the endpoint and `npm run verify`), an erasure leaves metrics and the chain intact,
 * the audit export lists every attempt of a caller as CSV and JSON, and reads are recorded.
 *
 * Clinic c1 in Asia/Shanghai (UTC+8), windows 10:30 and 16:00 local. p1 has an "other" treatment
 * on Sunday 22 at 14:00 local, so follow-ups p1.fu1 (Mon 23, 02:30Z), p1.fu2, p1.fu3. The clock
 * stands at Tuesday 24, 11:00 local (03:00Z).
 */
const VERIFY_CLI = 'apps/cli/src/verify.js';

describe('audit and access over HTTP', () => {
  let running: RunningApp;
  let zhang: Api;
  let li: Api;
  let manager: Api;
  let auditor: Api;
  /** A client for this principal, its token signed for each request on the app's clock. */
  const as = async (principal: Principal) => running.api.as(principal);

  beforeEach(async () => {
    running = await startApp({ now: '2026-11-24T03:00:00Z' });
    zhang = await as({ userId: 'nurse-zhang', role: 'caller', clinics: ['c1'] });
    li = await as({ userId: 'nurse-li', role: 'caller', clinics: ['c1'] });
    manager = await as({ userId: 'manager-wu', role: 'manager', clinics: ['c1'] });
    auditor = await as({ userId: 'auditor-an', role: 'auditor', clinics: ['*'] });
    expect((await manager.put('/v1/clinics/c1', { timeZone: 'Asia/Shanghai', callWindows: ['10:30', '16:00'] })).status).toBe(201);
    const treatment = await zhang.post('/v1/treatments', {
      treatmentId: 't1',
      patientId: 'p1',
      clinicId: 'c1',
      doctorId: 'dr-li',
      procedure: 'other',
      completedAt: '2026-11-22T06:00:00Z',
      patient: { name: '王伟', phone: '+86 138 0013 8000' },
    });
    expect(treatment.status).toBe(201);
  });
  afterEach(async () => running?.close());

  const head = () => running.api.headPosition();
  const eventsOf = async (patientId: string) => (await auditor.get(`/v1/patients/${patientId}/events`)).body.events as { eventId: string; type: string; data: any; metadata: any; position: number; revision: number }[];
  const position = (r: { headers: Headers }) => Number(r.headers.get('x-rapport-position'));

  it('records the token’s user as the actor and ignores any other claim', async () => {
    const own = await zhang.post('/v1/calls', { patientId: 'p1', callerId: 'nurse-zhang', startedAt: '2026-11-24T02:40:00Z', outcome: 'no_answer', followUpId: 'p1.fu1' }, { 'x-user-id': 'someone-else' });
    expect(own.status).toBe(201);
    const before = await head();
    // A caller cannot record a call as another caller, nor name an actor in the body.
    const forged = await zhang.post('/v1/calls', { patientId: 'p1', callerId: 'nurse-li', startedAt: '2026-11-24T02:45:00Z', outcome: 'reached' });
    expect(forged.status).toBe(403);
    expect(forged.body.message).toMatch(/callerId must be nurse-zhang/);
    const claimed = await zhang.post('/v1/calls', { patientId: 'p1', callerId: 'nurse-zhang', startedAt: '2026-11-24T02:45:00Z', outcome: 'reached', actor: { userId: 'manager-wu', role: 'admin' } });
    expect(claimed.status).toBe(400);
    expect(claimed.body.details.map((d: { field: string }) => d.field)).toEqual(['actor']);
    expect(await head()).toBe(before);
    // A manager typing in a paper log records nurse-li's call; the actor is still the manager.
    const onBehalf = await manager.post('/v1/calls', { patientId: 'p1', callerId: 'nurse-li', startedAt: '2026-11-24T02:50:00Z', outcome: 'busy' });
    expect(onBehalf.status).toBe(201);

    const calls = (await eventsOf('p1')).filter((e) => e.type === 'CallAttempted');
    expect(calls.map((e) => [e.data.callerId, e.metadata.actor])).toEqual([
      ['nurse-zhang', { userId: 'nurse-zhang', role: 'caller' }],
      ['nurse-li', { userId: 'manager-wu', role: 'manager' }],
    ]);
    // Every event of the treatment too: the actor is who sent it.
    const treatment = (await eventsOf('p1')).find((e) => e.type === 'TreatmentCompleted')!;
    expect(treatment.metadata.actor).toEqual({ userId: 'nurse-zhang', role: 'caller' });
  });

  it('keeps the claimed time beside recordedAt and refuses a future one, or one a day old without a reason (422)', async () => {
    const before = await head();
    const future = await zhang.post('/v1/calls', { patientId: 'p1', callerId: 'nurse-zhang', startedAt: '2026-11-24T03:30:00Z', outcome: 'reached' });
    expect([future.status, future.body.rule]).toEqual([422, 'claimed_time_in_future']);
    const late = await zhang.post('/v1/calls', { patientId: 'p1', callerId: 'nurse-zhang', startedAt: '2026-11-23T02:59:00Z', outcome: 'reached' });
    expect([late.status, late.body.rule]).toEqual([422, 'late_entry_needs_reason']);
    expect(await head()).toBe(before);
    const explained = await zhang.post('/v1/calls', { patientId: 'p1', callerId: 'nurse-zhang', startedAt: '2026-11-23T02:59:00Z', outcome: 'reached', lateEntryReason: 'the system was down' });
    expect(explained.status).toBe(201);
    const call = (await eventsOf('p1')).find((e) => e.type === 'CallAttempted')!;
    expect(call.data.startedAt).toBe('2026-11-23T02:59:00Z');
    expect(call.metadata).toMatchObject({ claimedAt: '2026-11-23T02:59:00Z', recordedAt: '2026-11-24T03:00:00Z' });
  });

  it('corrects a call by a new event that points at it; the original stays as recorded; metrics count the corrected outcome', async () => {
    const call = await zhang.post('/v1/calls', { patientId: 'p1', callerId: 'nurse-zhang', startedAt: '2026-11-24T02:40:00Z', outcome: 'no_answer', followUpId: 'p1.fu1' });
    const original = (await eventsOf('p1')).find((e) => e.type === 'CallAttempted')!;
    const metricsBefore = await zhang.get(`/v1/callers/nurse-zhang/metrics?minPosition=${position(call)}`);
    expect(metricsBefore.body).toMatchObject({ attempts: 1, reached: 0 });

    // Another caller may not correct nurse-zhang's call; an auditor writes nothing; a field that is not correctable is named.
    expect((await li.post('/v1/corrections', { eventId: original.eventId, patientId: 'p1', reason: 'x', outcome: 'reached' })).status).toBe(403);
    expect((await auditor.post('/v1/corrections', { eventId: original.eventId, patientId: 'p1', reason: 'x', outcome: 'reached' })).status).toBe(403);
    const badField = await zhang.post('/v1/corrections', { eventId: original.eventId, patientId: 'p1', reason: 'x', scheduledFor: '2026-12-01T02:00:00Z' });
    expect([badField.status, badField.body.details]).toEqual([400, [{ field: 'scheduledFor', message: expect.stringContaining('cannot be corrected on a CallAttempted') }]]);
    const nothing = await zhang.post('/v1/corrections', { eventId: original.eventId, patientId: 'p1', reason: 'x', outcome: 'no_answer' });
    expect([nothing.status, nothing.body.rule]).toEqual([422, 'nothing_to_correct']);

    running.clock.set('2026-11-24T04:00:00Z');
    // No patientId: the event is found on the read side.
    const correction = await zhang.post('/v1/corrections', { eventId: original.eventId, reason: 'the patient did answer; I clicked the wrong outcome', outcome: 'reached', satisfaction: 5 });
    expect(correction.status).toBe(201);
    expect(correction.body).toMatchObject({
      type: 'CallRecordCorrected',
      correctsEventId: original.eventId,
      patientId: 'p1',
      corrected: { outcome: 'reached', satisfaction: 5 },
      previous: { outcome: 'no_answer' },
    });

    const events = await eventsOf('p1');
    expect(events.find((e) => e.eventId === original.eventId)).toEqual(original);
    const recorded = events.find((e) => e.type === 'CallRecordCorrected')!;
    expect(recorded.data).toMatchObject({ correctsEventId: original.eventId, callId: call.body.callId, callerId: 'nurse-zhang', reason: 'the patient did answer; I clicked the wrong outcome' });
    expect(recorded.metadata).toMatchObject({ actor: { userId: 'nurse-zhang', role: 'caller' }, recordedAt: '2026-11-24T04:00:00Z' });

    const at = position(correction);
    expect((await zhang.get(`/v1/callers/nurse-zhang/metrics?minPosition=${at}`)).body).toMatchObject({ attempts: 1, reached: 1, contactRate: 1 });
    const timeline = await zhang.get(`/v1/patients/p1/timeline?minPosition=${at}`);
    const summaries = timeline.body.entries.map((e: { summary: string }) => e.summary);
    expect(summaries).toContain(`Call by nurse-zhang: no answer (attempt 1 of follow-up p1.fu1) [corrected: see ${correction.body.correctionId}]`);
    expect(summaries).toContain(
      `Correction of call ${call.body.callId} by nurse-zhang: outcome no answer → reached; satisfaction — → 5. Reason: the patient did answer; I clicked the wrong outcome`,
    );
  });

  it('names a row changed by hand in the SQLite file, on GET /v1/audit/verify and with npm run verify', async () => {
    await zhang.post('/v1/calls', { patientId: 'p1', callerId: 'nurse-zhang', startedAt: '2026-11-24T02:40:00Z', outcome: 'no_answer', followUpId: 'p1.fu1' });
    await zhang.get('/v1/patients/p1/timeline');
    const intact = await auditor.get('/v1/audit/verify');
    expect(intact.body).toMatchObject({ ok: true, broken: [] });
    // Streams: clinic-c1, patient-p1, access-c1 (the read above, and the auditor's own reads).
    expect(intact.body.streams).toBe(3);
    expect(intact.body.events).toBe(await head());
    expect((await manager.get('/v1/audit/verify')).status).toBe(403);
    expect(runVerify(running.dataDir)).toMatchObject({ status: 0, stdout: expect.stringContaining('every hash chain is intact') });

    // Someone with the file edits the no-answer into a reached call.
    const call = (await eventsOf('p1')).find((e) => e.type === 'CallAttempted')!;
    const db = new Database(join(running.dataDir, 'events.sqlite'));
    const row = db.prepare('SELECT data FROM events WHERE position = ?').get(call.position) as { data: string };
    db.prepare('UPDATE events SET data = ? WHERE position = ?').run(row.data.replace('"no_answer"', '"reached"'), call.position);
    db.close();

    const broken = await auditor.get('/v1/audit/verify');
    expect(broken.body).toMatchObject({
      ok: false,
      firstBroken: { stream: 'patient-p1', eventId: call.eventId, position: call.position, type: 'CallAttempted', reason: expect.stringMatching(/changed after it was recorded/) },
    });
    expect(broken.body.broken).toHaveLength(1);
    const cli = runVerify(running.dataDir);
    expect(cli.status).toBe(1);
    expect(cli.stdout).toContain(`First: patient-p1 revision ${call.revision} (position ${call.position}, event ${call.eventId}, CallAttempted)`);
  });

  it('erases a patient’s names and phones: the facts, the metrics and the hash chain stay', async () => {
    await zhang.post('/v1/calls', { patientId: 'p1', callerId: 'nurse-zhang', startedAt: '2026-11-24T02:40:00Z', outcome: 'reached', followUpId: 'p1.fu1' });
    const referral = await zhang.post('/v1/referrals', { patientId: 'p1', callerId: 'nurse-zhang', referred: { name: '李娜', phone: '+86 139 0000 0001', relation: 'sister' } });
    const before = await manager.get(`/v1/callers/nurse-zhang/metrics?minPosition=${position(referral)}`);
    expect(before.body).toMatchObject({ attempts: 1, reached: 1, referralsRequested: 1 });
    const timelineBefore = await zhang.get(`/v1/patients/p1/timeline?minPosition=${position(referral)}`);
    expect(JSON.stringify(timelineBefore.body)).toContain('李娜');
    // The file itself never held them in the clear.
    const files = ['events.sqlite', 'events.sqlite-wal'].map((f) => join(running.dataDir, f)).filter(existsSync);
    expect(files.some((f) => readFileSync(f).includes(Buffer.from('李娜')))).toBe(false);

    expect((await zhang.post('/v1/patients/p1/erasure', { reason: 'asked' })).status).toBe(403);
    expect((await auditor.post('/v1/patients/p1/erasure', { reason: 'asked' })).status).toBe(403);
    const erased = await manager.post('/v1/patients/p1/erasure', { reason: 'the patient asked to be forgotten' });
    expect([erased.status, erased.body]).toEqual([201, { patientId: 'p1', erased: true, recorded: true }]);
    const again = await manager.post('/v1/patients/p1/erasure', { reason: 'again' });
    expect([again.status, again.body.recorded]).toEqual([201, false]);

    const events = await eventsOf('p1');
    expect(events.find((e) => e.type === 'TreatmentCompleted')!.data).toMatchObject({ treatmentId: 't1', patient: { erased: true } });
    expect(events.find((e) => e.type === 'ReferralRequested')!.data).toMatchObject({ referralId: referral.body.referralId, referred: { erased: true } });
    expect(events.at(-1)).toMatchObject({ type: 'PersonalDataErased', data: { patientId: 'p1', clinicId: 'c1', reason: 'the patient asked to be forgotten' }, metadata: { actor: { userId: 'manager-wu', role: 'manager' } } });
    expect(JSON.stringify(events)).not.toMatch(/王伟|李娜|0013 8000/);

    const at = position(erased);
    const timeline = await zhang.get(`/v1/patients/p1/timeline?minPosition=${at}`);
    expect(JSON.stringify(timeline.body)).not.toMatch(/王伟|李娜|0013 8000/);
    expect(timeline.body.entries.at(-1)).toMatchObject({ type: 'PersonalDataErased' });
    const queue = await zhang.get(`/v1/clinics/c1/queue?at=2026-11-30T08:00:00Z&minPosition=${at}`);
    expect(queue.body.items.length).toBeGreaterThan(0);
    for (const item of queue.body.items) expect(item.patient).toEqual({});
    expect((await manager.get(`/v1/callers/nurse-zhang/metrics?minPosition=${at}`)).body).toEqual(before.body);
    expect((await auditor.get('/v1/audit/verify')).body).toMatchObject({ ok: true, broken: [] });
    // A later record with personal data keeps none of it.
    const inquiry = await zhang.post('/v1/inquiries', { patientId: 'p1', clinicId: 'c1', receivedAt: '2026-11-24T02:00:00Z', patient: { name: '王伟', phone: '+86 138 0013 8000' } });
    expect(inquiry.status).toBe(201);
    expect(JSON.stringify(await eventsOf('p1'))).not.toMatch(/王伟|0013 8000/);
  });

  it('exports every attempt of a caller, failed ones and corrections included, as CSV and JSON', async () => {
    // Tue 24: four attempts by nurse-zhang (three failed), one by nurse-li; a correction of the first.
    const notes = '她说:"下周再打", 好的\n第二行';
    const calls = [
      await zhang.post('/v1/calls', { patientId: 'p1', callerId: 'nurse-zhang', startedAt: '2026-11-24T02:31:00Z', outcome: 'no_answer', followUpId: 'p1.fu1' }),
      await zhang.post('/v1/calls', { patientId: 'p1', callerId: 'nurse-zhang', startedAt: '2026-11-24T02:35:00Z', outcome: 'powered_off' }),
      await li.post('/v1/calls', { patientId: 'p1', callerId: 'nurse-li', startedAt: '2026-11-24T02:36:00Z', outcome: 'busy' }),
      await zhang.post('/v1/calls', { patientId: 'p1', callerId: 'nurse-zhang', startedAt: '2026-11-24T02:40:00Z', outcome: 'hung_up', notes: '=HYPERLINK("x")' }),
      await zhang.post('/v1/calls', { patientId: 'p1', callerId: 'nurse-zhang', startedAt: '2026-11-24T02:50:00Z', outcome: 'reached', notes, satisfaction: 4 }),
    ];
    expect(calls.map((c) => c.status)).toEqual([201, 201, 201, 201, 201]);
    const callIds = calls.map((c) => c.body.callId as string);
    const firstEvent = (await eventsOf('p1')).find((e) => e.type === 'CallAttempted' && e.data.callId === callIds[0])!;
    running.clock.set('2026-11-24T05:00:00Z');
    const correction = await manager.post('/v1/corrections', { eventId: firstEvent.eventId, patientId: 'p1', reason: 'wrong button, "busy" really', outcome: 'busy' });
    expect(correction.status).toBe(201);
    const at = position(correction);

    // Raw bytes: a text decoder would swallow the byte-order mark.
    const csv = await fetch(`${running.url}/v1/audit/attempts?callerId=nurse-zhang&format=csv&minPosition=${at}`, { headers: { authorization: `Bearer ${await manager.bearer()}` } });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const bytes = Buffer.from(await csv.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.subarray(3).toString('utf8');
    expect(text.endsWith('\r\n')).toBe(true);
    const rows = parseCsv(text);
    const [header, ...records] = rows;
    expect(header).toEqual([
      'record', 'eventId', 'correctsEventId', 'position', 'callId', 'patientId', 'clinicId', 'callerId', 'followUpId', 'startedAt', 'recordedAt',
      'outcome', 'durationSeconds', 'satisfaction', 'complaint', 'symptoms', 'notes', 'lateEntryReason', 'recordedBy', 'recordedByRole', 'correctionReason', 'changes',
    ]);
    const col = (row: string[], name: string) => row[header!.indexOf(name)];
    // Every attempt of nurse-zhang in the order made, the correction right below the one it corrects; nurse-li's is not hers.
    expect(records.map((r) => [col(r, 'record'), col(r, 'callId'), col(r, 'outcome'), col(r, 'startedAt')])).toEqual([
      ['attempt', callIds[0], 'no_answer', '2026-11-24T02:31:00Z'],
      ['correction', callIds[0], 'busy', ''],
      ['attempt', callIds[1], 'powered_off', '2026-11-24T02:35:00Z'],
      ['attempt', callIds[3], 'hung_up', '2026-11-24T02:40:00Z'],
      ['attempt', callIds[4], 'reached', '2026-11-24T02:50:00Z'],
    ]);
    const [first, fix, , hungUp, reached] = records as [string[], string[], string[], string[], string[]];
    expect([col(first, 'eventId'), col(first, 'recordedAt'), col(first, 'recordedBy'), col(first, 'recordedByRole'), col(first, 'followUpId')]).toEqual([
      firstEvent.eventId, '2026-11-24T03:00:00Z', 'nurse-zhang', 'caller', 'p1.fu1',
    ]);
    expect([col(fix, 'correctsEventId'), col(fix, 'eventId'), col(fix, 'recordedAt'), col(fix, 'recordedBy'), col(fix, 'correctionReason'), col(fix, 'changes')]).toEqual([
      firstEvent.eventId, correction.body.eventId, '2026-11-24T05:00:00Z', 'manager-wu', 'wrong button, "busy" really', 'outcome: no_answer → busy',
    ]);
    expect(col(reached, 'notes')).toBe(notes);
    expect(col(reached, 'satisfaction')).toBe('4');
    // A note that a spreadsheet would run as a formula is kept as text.
    expect(col(hungUp, 'notes')).toBe(`'=HYPERLINK("x")`);
    // The raw text: the quote doubled, the field quoted because of its comma and line break, the Chinese as written.
    expect(text).toContain('"她说:""下周再打"", 好的\n第二行"');

    const json = await manager.get(`/v1/audit/attempts?callerId=nurse-zhang&minPosition=${at}`);
    expect(json.body.attempts.map((a: { callId: string; outcome: string; current: { outcome: string } }) => [a.callId, a.outcome, a.current.outcome])).toEqual([
      [callIds[0], 'no_answer', 'busy'],
      [callIds[1], 'powered_off', 'powered_off'],
      [callIds[3], 'hung_up', 'hung_up'],
      [callIds[4], 'reached', 'reached'],
    ]);
    expect(json.body.attempts[0].corrections).toEqual([
      expect.objectContaining({ eventId: correction.body.eventId, recordedBy: { userId: 'manager-wu', role: 'manager' }, changes: { outcome: { from: 'no_answer', to: 'busy' } } }),
    ]);
    // The clinic and period: every attempt of the clinic on Tuesday 24 (local), nurse-li's too.
    const day = await auditor.get(`/v1/audit/attempts?clinicId=c1&from=2026-11-23T16:00:00Z&to=2026-11-24T16:00:00Z&minPosition=${at}`);
    expect(day.body.attempts.map((a: { callId: string }) => a.callId)).toEqual(callIds);
    // A caller reads no export.
    expect((await zhang.get('/v1/audit/attempts?callerId=nurse-zhang')).status).toBe(403);
  });

  it('records every read of a patient’s events and timeline, and shows auditors who read what and when', async () => {
    const call = await zhang.post('/v1/calls', { patientId: 'p1', callerId: 'nurse-zhang', startedAt: '2026-11-24T02:40:00Z', outcome: 'reached', followUpId: 'p1.fu1' });
    running.clock.set('2026-11-24T03:10:00Z');
    expect((await zhang.get(`/v1/patients/p1/timeline?minPosition=${position(call)}`)).status).toBe(200);
    running.clock.set('2026-11-24T03:20:00Z');
    expect((await li.get('/v1/patients/p1/events')).status).toBe(200);
    // A read of a patient with no record reads nothing, and records nothing.
    expect((await li.get('/v1/patients/p404/events')).status).toBe(404);

    expect((await zhang.get('/v1/audit/access?patientId=p1')).status).toBe(403);
    expect((await manager.get('/v1/audit/access?patientId=p1')).status).toBe(403);
    const log = await auditor.get(`/v1/audit/access?patientId=p1&minPosition=${await head()}`);
    expect(log.status).toBe(200);
    expect(log.body.entries.map((e: any) => [e.at, e.userId, e.role, e.patientId, e.clinicId, e.what])).toEqual([
      ['2026-11-24T03:10:00Z', 'nurse-zhang', 'caller', 'p1', 'c1', 'timeline'],
      ['2026-11-24T03:20:00Z', 'nurse-li', 'caller', 'p1', 'c1', 'events'],
    ]);
    const byUser = await auditor.get(`/v1/audit/access?userId=nurse-li&from=2026-11-24T03:15:00Z&minPosition=${await head()}`);
    expect(byUser.body.entries.map((e: any) => e.what)).toEqual(['events']);
  });
});

describe('local sign-in and where tokens come from', () => {
  it('signs in locally on loopback with the local secret; the token works and carries its clinic', async () => {
    const running = await startApp();
    try {
      const signIn = await running.api.anonymous().post('/v1/auth/local-sign-in', { role: 'caller', clinicId: 'c1', userId: 'nurse-zhang' });
      expect(signIn.status).toBe(201);
      const caller = running.api.as(signIn.body.token);
      expect((await running.api.put('/v1/clinics/c2', { timeZone: 'UTC', callWindows: ['10:00'] })).status).toBe(201);
      expect((await caller.get('/v1/clinics/c2')).status).toBe(403);
      expect((await caller.get('/v1/clinics/c1')).status).toBe(404);
      const bad = await running.api.anonymous().post('/v1/auth/local-sign-in', { role: 'root', clinicId: 'c1', userId: 'x' });
      expect([bad.status, bad.body.details.map((d: { field: string }) => d.field)]).toEqual([400, ['role']]);
    } finally {
      await running.close();
    }
  });

  it('has no local sign-in with AUTH_JWT_SECRET, and takes tokens signed with that secret only', async () => {
    const secret = 'a-shared-secret-of-at-least-32-bytes!!';
    const running = await startApp({ config: { auth: { jwtSecret: secret } } });
    try {
      expect((await running.api.anonymous().post('/v1/auth/local-sign-in', { role: 'admin', clinicId: '*', userId: 'x' })).status).toBe(404);
      // startApp signed its admin token with the app's keys: the shared secret.
      expect((await running.api.get('/v1/clinics/c1')).status).toBe(404);
      const { SignJWT } = await import('jose');
      // Issued now and valid for an hour, on the app's clock (not the machine's).
      const iat = running.clock.epochSeconds();
      const other = await new SignJWT({ role: 'admin', clinics: ['*'] }).setProtectedHeader({ alg: 'HS256' }).setSubject('x').setIssuer('rapport').setIssuedAt(iat).setExpirationTime(iat + 3600).sign(Buffer.from('another-secret-of-at-least-32-bytes!!!'));
      expect((await running.api.as(other).get('/v1/clinics/c1')).status).toBe(401);
      // The right secret, but a token that never expires is not taken.
      const forever = await new SignJWT({ role: 'admin', clinics: ['*'] }).setProtectedHeader({ alg: 'HS256' }).setSubject('x').setIssuer('rapport').sign(Buffer.from(secret));
      expect((await running.api.as(forever).get('/v1/clinics/c1')).status).toBe(401);
      const good = await new SignJWT({ role: 'admin', clinics: ['*'] }).setProtectedHeader({ alg: 'HS256' }).setSubject('x').setIssuer('rapport').setIssuedAt(iat).setExpirationTime(iat + 3600).sign(Buffer.from(secret));
      expect((await running.api.as(good).get('/v1/clinics/c1')).status).toBe(404);
    } finally {
      await running.close();
    }
  });

  it('checks tokens of an identity provider with its public key (RS256), and signs none itself', async () => {
    const { exportSPKI, generateKeyPair, SignJWT } = await import('jose');
    const { publicKey, privateKey } = await generateKeyPair('RS256');
    const running = await startApp({ config: { auth: { jwtPublicKey: await exportSPKI(publicKey) } } });
    try {
      // Issued now and valid for an hour, on the app's clock (not the machine's).
      const iat = running.clock.epochSeconds();
      const issued = await new SignJWT({ role: 'manager', clinics: ['c1'] }).setProtectedHeader({ alg: 'RS256' }).setSubject('wu').setIssuer('rapport').setIssuedAt(iat).setExpirationTime(iat + 3600).sign(privateKey);
      expect((await running.api.as(issued).get('/v1/clinics/c1')).status).toBe(404);
      expect((await running.api.as(issued).get('/v1/clinics/c2')).status).toBe(403);
      // A token signed with a shared secret is not one of the provider's.
      const hs = await new SignJWT({ role: 'admin', clinics: ['*'] }).setProtectedHeader({ alg: 'HS256' }).setSubject('x').setIssuer('rapport').setIssuedAt(iat).setExpirationTime(iat + 3600).sign(Buffer.from('x'.repeat(40)));
      expect((await running.api.as(hs).get('/v1/clinics/c1')).status).toBe(401);
      expect((await running.api.anonymous().post('/v1/auth/local-sign-in', { role: 'admin', clinicId: '*', userId: 'x' })).status).toBe(404);
    } finally {
      await running.close();
    }
  });

  it('has no local sign-in when listening beyond loopback', async () => {
    const running = await startApp({ config: { host: '0.0.0.0' } });
    try {
      expect((await running.api.anonymous().post('/v1/auth/local-sign-in', { role: 'admin', clinicId: '*', userId: 'x' })).status).toBe(404);
    } finally {
      await running.close();
    }
  });
});

describe('tamper evidence over the tail: GET /v1/audit/anchor and npm run verify', () => {
  it('exports the anchor over HTTP; verify names the first event cut from the tail, and a cut of both files with --anchor', async () => {
    const temp = makeTempDir();
    const offMachine = makeTempDir('rapport-export-');
    try {
      const running = await startApp({ now: '2026-11-24T03:00:00Z', dataDir: temp.path, keepData: true });
      try {
        const manager = running.api.as({ userId: 'manager-wu', role: 'manager', clinics: ['c1'] });
        const auditor = running.api.as({ userId: 'auditor-an', role: 'auditor', clinics: ['*'] });
        await clinicWithPatient(manager, { completedAt: '2026-11-22T06:00:00Z' });
        expect((await manager.post('/v1/calls', { patientId: 'p1', callerId: 'nurse-zhang', startedAt: '2026-11-24T02:40:00Z', outcome: 'no_answer', followUpId: 'p1.fu1' })).status).toBe(201);
        // Reads of the record: PatientRecordRead entries at the end of the log, in access-c1.
        expect((await auditor.get('/v1/patients/p1/timeline')).status).toBe(200);
        expect((await auditor.get('/v1/patients/p1/events')).status).toBe(200);

        expect((await manager.get('/v1/audit/anchor')).status).toBe(403);
        const anchor = await auditor.get('/v1/audit/anchor');
        expect(anchor.status).toBe(200);
        expect(anchor.body).toEqual({ position: expect.any(Number), eventId: expect.any(String), head: expect.stringMatching(/^[0-9a-f]{64}$/), anchoredAt: expect.any(String), mac: expect.stringMatching(/^[0-9a-f]{64}$/) });
        writeFileSync(join(offMachine.path, 'http-anchor.json'), JSON.stringify(anchor.body));
        expect((await auditor.get('/v1/audit/verify')).body).toMatchObject({ ok: true, anchor: { present: true } });
      } finally {
        // A graceful close anchors the rest of the log.
        await running.close();
      }

      const env = { DATA_DIR: temp.path, EVENT_STORE: 'sqlite' };
      const verify = async (...argv: string[]) => {
        let stdout = '';
        const status = await verifyCommand(argv, env, (text) => (stdout += text));
        return { status, stdout };
      };
      expect(await verify()).toEqual({ status: 0, stdout: expect.stringMatching(/every hash chain is intact; anchored through position \d+, not yet anchored: 0/) });
      expect(await verify('--anchor', join(offMachine.path, 'http-anchor.json'))).toMatchObject({ status: 0, stdout: expect.stringContaining('is still held') });
      const exportFile = join(offMachine.path, 'anchor.json');
      expect(await verify('--export-anchor', exportFile)).toMatchObject({ status: 0, stdout: expect.stringContaining(`anchor exported to ${exportFile}`) });

      // Someone with the file deletes the newest access-log entries: the per-stream chain of access-c1 still holds.
      const db = new Database(join(temp.path, 'events.sqlite'));
      const reads = db.prepare("SELECT position, event_id AS eventId, revision FROM events WHERE stream = 'access-c1' ORDER BY position").all() as { position: number; eventId: string; revision: number }[];
      const head = (db.prepare('SELECT MAX(position) AS head FROM events').get() as { head: number }).head;
      const cut = reads.at(-2)!;
      expect(reads.at(-1)!.position).toBe(head);
      db.prepare('DELETE FROM events WHERE position >= ?').run(cut.position);
      db.close();
      const broken = await verify();
      expect(broken.status).toBe(1);
      expect(broken.stdout).toContain(
        `First: access-c1 revision ${cut.revision} (position ${cut.position}, event ${cut.eventId}): the log ends at position ${cut.position - 1} but the anchor recorded up to ${head}; ` +
          `first missing: event ${cut.eventId}, stream access-c1 revision ${cut.revision}`,
      );
      expect(await verify('--export-anchor', join(offMachine.path, 'refused.json'))).toMatchObject({ status: 1, stdout: expect.stringContaining('no export written') });
      expect(existsSync(join(offMachine.path, 'refused.json'))).toBe(false);

      // The anchor cut back the same way: the two files agree again, and only the export kept off the machine tells.
      const anchorDb = new Database(join(temp.path, 'audit-anchor.sqlite'));
      anchorDb.prepare('DELETE FROM anchor WHERE position >= ?').run(cut.position);
      anchorDb.close();
      expect((await verify()).status).toBe(0);
      const caught = await verify('--anchor', exportFile);
      expect(caught.status).toBe(1);
      expect(caught.stdout).toContain(`the anchor ends at position ${cut.position - 1} but the export of`);
      expect(caught.stdout).toContain(`recorded up to position ${head}`);
    } finally {
      temp.remove();
      offMachine.remove();
    }
  });
});

function runVerify(dataDir: string): { status: number | null; stdout: string } {
  // The built CLI, refused when dist/ is missing or older than the sources.
  const result = spawnSync(process.execPath, [builtEntryPoint(VERIFY_CLI)], { env: { ...process.env, DATA_DIR: dataDir, EVENT_STORE: 'sqlite' }, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout + result.stderr };
}

/** RFC 4180: quoted fields may hold commas, CR/LF and doubled quotes; records end with CRLF. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  return rows;
}
