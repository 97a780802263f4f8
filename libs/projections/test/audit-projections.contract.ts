import { randomUUID } from 'node:crypto';
import { AuditedEventStore, openSqliteKeyVault, PersonalDataSealer, SqliteKeyVault } from '@rapport/audit';
import { currentRecord } from '@rapport/domain';
import { SqliteEventStore } from '@rapport/event-store';
import { makeTempDir } from '../../../test/support/temp-dir';
import { ALL_PROJECTIONS } from '../src/all-projections';
import { readAccessLog } from '../src/audit/access-log.query';
import { readAuditAttempts } from '../src/audit/audit-attempts.query';
import { readCallerMetrics } from '../src/caller-metrics/caller-metrics.query';
import { readClinicQueue } from '../src/call-queue/call-queue.query';
import { readTimeline } from '../src/patient-timeline/timeline.query';
import type { ReadModels } from '../src/read-store/read-models';
import { ProjectorRuntime } from '../src/runtime/projector-runtime';
import { DomainRecorder } from './domain-recorder';
import type { ReadStoreTarget } from './read-store-targets';

const quiet = { log: () => undefined, warn: () => undefined, error: () => undefined };
const ZHANG = 'nurse-zhang';

/**
 * Corrections, erasure and the audit read models, on each database, over the audited store (sealed
 * personal data, a key vault in a temp dir). Clinic c1 in Asia/Shanghai; p1 has a scaling on
 * Monday 23 at 14:00 local, so one follow-up the next day at 10:30 local (Tue 24, 02:30Z).
 * Every expected value is worked out by hand from the script below.
 */
export function auditProjectionsContract(target: ReadStoreTarget): void {
  describe(`audit read models, corrections and erasure on ${target.name}`, () => {
    let temp: ReturnType<typeof makeTempDir>;
    let vault: SqliteKeyVault;
    let store: AuditedEventStore;
    let models: ReadModels;
    let recorder: DomainRecorder;
    let runtime: ProjectorRuntime;
    const ids = { followUp: '', call1: '', call1Event: '', call2: '', referral: '', objection: '', objectionEvent: '', correction: '' };

    beforeAll(async () => {
      temp = makeTempDir();
      vault = openSqliteKeyVault(temp.path);
      store = new AuditedEventStore(new SqliteEventStore({ filename: ':memory:' }), new PersonalDataSealer(vault));
      models = await target.open();
      runtime = new ProjectorRuntime({ store, db: models.db, projections: ALL_PROJECTIONS, batchSize: 4, logger: quiet, progress: false });
      recorder = new DomainRecorder(store);

      await recorder.clinic({ type: 'ConfigureClinic', data: { clinicId: 'c1', timeZone: 'Asia/Shanghai', callWindows: ['10:30', '16:00'], maxAttempts: 3 } }, '2026-11-20T00:00:00Z');
      const treated = await recorder.patient(
        { type: 'CompleteTreatment', data: { treatmentId: 't1', patientId: 'p1', clinicId: 'c1', doctorId: 'dr-li', procedure: 'scaling', completedAt: '2026-11-23T06:00:00Z', patient: { name: '王伟', phone: '+86 138 0013 8000' } } },
        '2026-11-23T07:00:00Z',
      );
      ids.followUp = treated.find((e) => e.type === 'FollowUpScheduled')!.data.followUpId as string;
      // Tue 24, 10:35 local: no answer (the follow-up moves to 16:00). 11:00 local: busy, no follow-up named.
      const call1 = await recorder.patient({ type: 'RecordCall', data: { patientId: 'p1', callerId: ZHANG, startedAt: '2026-11-24T02:35:00Z', outcome: 'no_answer', followUpId: ids.followUp } }, '2026-11-24T02:40:00Z');
      ids.call1 = call1[0]!.data.callId as string;
      ids.call1Event = call1[0]!.eventId;
      const call2 = await recorder.patient({ type: 'RecordCall', data: { patientId: 'p1', callerId: ZHANG, startedAt: '2026-11-24T03:00:00Z', outcome: 'busy', notes: '忙线, "稍后", 再打' } }, '2026-11-24T03:05:00Z');
      ids.call2 = call2[0]!.data.callId as string;
      const referral = await recorder.patient({ type: 'RequestReferral', data: { patientId: 'p1', callerId: ZHANG, referred: { name: '李娜', phone: '+86 139 0000 0001', relation: 'sister' } } }, '2026-11-24T03:10:00Z');
      ids.referral = referral[0]!.data.referralId as string;
      const objection = await recorder.patient({ type: 'RaiseObjection', data: { patientId: 'p1', callerId: ZHANG, kind: 'sincere', topic: 'cost', method: 'inform', resolved: false } }, '2026-11-24T03:10:00Z');
      ids.objection = objection[0]!.data.objectionId as string;
      ids.objectionEvent = objection[0]!.eventId;
      await runtime.catchUp();
    });
    afterAll(async () => {
      await runtime?.stop();
      await models?.close();
      await target.cleanup();
      await store?.close();
      await vault?.close();
      temp?.remove();
    });

    async function correct(eventId: string, changes: Record<string, unknown>, reason: string, at: string) {
      const events = await store.readStream('patient-p1');
      const events2 = await recorder.patient({ type: 'CorrectRecord', data: { patientId: 'p1', eventId, reason, changes, target: currentRecord(events, eventId) } }, at);
      await runtime.catchUp();
      return events2[0]!;
    }

    it('before any correction: two attempts, one referral naming the referred person, the patient’s name on the queue', async () => {
      expect(await readCallerMetrics(models.db, ZHANG, {})).toMatchObject({ attempts: 2, reached: 0, contactRate: 0, referralsRequested: 1, objectionsRaised: 1, objectionsResolved: 0 });
      const timeline = await readTimeline(models.db, 'p1');
      expect(timeline!.entries.find((e) => e.type === 'ReferralRequested')!.summary).toBe(`Referral ${ids.referral} asked for by ${ZHANG}: 李娜 (sister)`);
      // Tue 24, 16:05 local: the follow-up, moved to 16:00, is due.
      const queue = await readClinicQueue(models.db, { clinicId: 'c1', atMs: Date.parse('2026-11-24T08:05:00Z'), limit: 10 });
      expect(queue.items).toHaveLength(1);
      expect(queue.items[0]).toMatchObject({ followUpId: ids.followUp, patient: { name: '王伟', phone: '+86 138 0013 8000' }, attempts: 1, lastOutcome: 'no_answer' });
    });

    it('a call corrected from no answer to reached counts as reached, once; the audit keeps both beside each other', async () => {
      const correction = await correct(ids.call1Event, { outcome: 'reached', satisfaction: 4 }, 'entered the wrong outcome', '2026-11-24T05:00:00Z');
      ids.correction = correction.data.correctionId as string;
      expect(await readCallerMetrics(models.db, ZHANG, {})).toMatchObject({ attempts: 2, reached: 1, contactRate: 0.5 });
      // In a range that holds only the second call (11:00 local), nothing of the first moves in.
      expect(await readCallerMetrics(models.db, ZHANG, { fromMs: Date.parse('2026-11-24T02:50:00Z') })).toMatchObject({ attempts: 1, reached: 0 });

      const attempts = await readAuditAttempts(models.db, { callerId: ZHANG });
      expect(attempts.map((a) => [a.callId, a.outcome, a.current.outcome])).toEqual([
        [ids.call1, 'no_answer', 'reached'],
        [ids.call2, 'busy', 'busy'],
      ]);
      expect(attempts[0]).toMatchObject({
        startedAt: '2026-11-24T02:35:00Z',
        recordedAt: '2026-11-24T02:40:00Z',
        recordedBy: { userId: 'script', role: 'caller' },
        current: { satisfaction: 4 },
        corrections: [{ eventId: correction.eventId, correctionId: ids.correction, recordedAt: '2026-11-24T05:00:00Z', reason: 'entered the wrong outcome', changes: { outcome: { from: 'no_answer', to: 'reached' }, satisfaction: { from: null, to: 4 } } }],
      });
      expect(attempts[1]!.notes).toBe('忙线, "稍后", 再打');

      const entries = (await readTimeline(models.db, 'p1'))!.entries;
      expect(entries.find((e) => e.type === 'CallAttempted' && e.ids.callId === ids.call1)!.summary).toBe(
        `Call by ${ZHANG}: no answer (attempt 1 of follow-up ${ids.followUp}) [corrected: see ${ids.correction}]`,
      );
      expect(entries.find((e) => e.type === 'CallRecordCorrected')).toMatchObject({
        at: '2026-11-24T05:00:00Z',
        summary: `Correction of call ${ids.call1} by script: outcome no answer → reached; satisfaction — → 4. Reason: entered the wrong outcome`,
        ids: { correctionId: ids.correction, correctsEventId: ids.call1Event, callId: ids.call1, followUpId: ids.followUp },
      });
      // The queue's attempt history shows the corrected outcome; the follow-up stays where the call put it.
      const queue = await readClinicQueue(models.db, { clinicId: 'c1', atMs: Date.parse('2026-11-24T08:05:00Z'), limit: 10 });
      expect(queue.items[0]).toMatchObject({ followUpId: ids.followUp, lastOutcome: 'reached', attemptHistory: [{ callId: ids.call1, outcome: 'reached' }] });
    });

    it('an objection corrected to resolved counts as resolved', async () => {
      await correct(ids.objectionEvent, { resolved: true }, 'the patient agreed at the end of the call', '2026-11-24T05:10:00Z');
      expect(await readCallerMetrics(models.db, ZHANG, {})).toMatchObject({ objectionsRaised: 1, objectionsResolved: 1 });
    });

    it('after erasure the queue and the timeline hold no name or phone, and the metrics are unchanged', async () => {
      const before = await readCallerMetrics(models.db, ZHANG, {});
      await vault.destroy('p1', '2026-11-24T06:00:00Z');
      await recorder.patient({ type: 'ErasePersonalData', data: { patientId: 'p1', reason: 'the patient asked' } }, '2026-11-24T06:00:00Z');
      await runtime.catchUp();
      expect(await readCallerMetrics(models.db, ZHANG, {})).toEqual(before);
      const queue = await readClinicQueue(models.db, { clinicId: 'c1', atMs: Date.parse('2026-11-24T08:05:00Z'), limit: 10 });
      expect(queue.items[0]!.patient).toEqual({});
      const timeline = await readTimeline(models.db, 'p1');
      const text = JSON.stringify(timeline);
      expect(text).not.toContain('李娜');
      expect(text).not.toContain('王伟');
      expect(timeline!.entries.find((e) => e.type === 'ReferralRequested')!.summary).toBe(`Referral ${ids.referral} asked for by ${ZHANG}`);
      expect(timeline!.entries.at(-1)).toMatchObject({ type: 'PersonalDataErased', summary: 'Personal data erased (names and phone numbers can no longer be read): the patient asked' });

      // A rebuild from the log never sees the names again: the key is gone.
      const rebuilt = await target.open();
      try {
        await new ProjectorRuntime({ store, db: rebuilt.db, projections: ALL_PROJECTIONS, logger: quiet, progress: false }).catchUp();
        expect(JSON.stringify(await readTimeline(rebuilt.db, 'p1'))).toBe(text);
        expect((await readClinicQueue(rebuilt.db, { clinicId: 'c1', atMs: Date.parse('2026-11-24T08:05:00Z'), limit: 10 })).items[0]!.patient).toEqual({});
        expect(await readCallerMetrics(rebuilt.db, ZHANG, {})).toEqual(before);
      } finally {
        await rebuilt.close();
      }
    });

    it('the access log answers who read which record, filtered by patient, user, clinic and time', async () => {
      const read = (userId: string, patientId: string, clinicId: string, at: string, what: 'events' | 'timeline') => {
        const eventId = randomUUID();
        return store.append(`access-${clinicId}`, [{ eventId, type: 'PatientRecordRead', data: { patientId, clinicId, userId, role: 'caller', what }, metadata: { eventId, recordedAt: at } }], { expectedRevision: 'any' });
      };
      await read(ZHANG, 'p1', 'c1', '2026-11-24T07:00:00Z', 'timeline');
      await read('auditor-an', 'p1', 'c1', '2026-11-24T08:00:00Z', 'events');
      await read(ZHANG, 'p9', 'c2', '2026-11-24T09:00:00Z', 'timeline');
      await runtime.catchUp();
      const all = await readAccessLog(models.db, { limit: 10 });
      expect(all.entries.map((e) => [e.userId, e.patientId, e.what, e.at])).toEqual([
        [ZHANG, 'p1', 'timeline', '2026-11-24T07:00:00Z'],
        ['auditor-an', 'p1', 'events', '2026-11-24T08:00:00Z'],
        [ZHANG, 'p9', 'timeline', '2026-11-24T09:00:00Z'],
      ]);
      expect((await readAccessLog(models.db, { userId: ZHANG, limit: 10 })).entries.map((e) => e.patientId)).toEqual(['p1', 'p9']);
      expect((await readAccessLog(models.db, { clinicIds: ['c1'], limit: 10 })).entries).toHaveLength(2);
      expect((await readAccessLog(models.db, { patientId: 'p1', fromMs: Date.parse('2026-11-24T07:30:00Z'), limit: 10 })).entries.map((e) => e.userId)).toEqual(['auditor-an']);
      expect(await readAccessLog(models.db, { limit: 2 })).toMatchObject({ truncated: true });
    });
  });
}
