import { currentRecord, ObjectionKind, ObjectionMethod } from '@rapport/domain';
import { readObjectionsReport } from '../src/objections/objections.query';
import type { ReadStoreTarget } from './read-store-targets';
import { REPORT_CLINIC as C, reportWeek, W48 } from './report-fixture';

const ms = (iso: string) => Date.parse(iso);

/**
 * The objections report against a week worked out by hand (seed 002 §5), objections counted when raised:
 * - O1 p1 sincere / cost / inform, resolved (Mon); O2 p1 trivial / time / defer, not (Tue);
 * - O3 p2 sincere / cost / inform, not (Tue); O4 p2 half_informed / fear / inform, resolved (Wed);
 * - O5 p2 sincere / cost / convert, resolved (Thu);
 * - O6 p1 sincere / cost / inform, recorded as not resolved (Wed), corrected to resolved: counts resolved;
 * - O7 p1 trivial / time / defer on Monday 30: the next week, not counted.
 * By kind × method: half_informed·inform 1/1; sincere·convert 1/1; sincere·inform 3 raised, 2
 * resolved (O1, O6), 2/3; trivial·defer 1/0. By topic × method: cost·convert 1/1; cost·inform 3/2;
 * fear·inform 1/1; time·defer 1/0. Topics, most raised first: cost 4 (3 resolved), fear 1/1, time 1/0.
 */
export function objectionsReportContract(target: ReadStoreTarget): void {
  describe(`the objections report on ${target.name}`, () => {
    const week = reportWeek(target, ['p1', 'p2'], async (r, store) => {
      const raise = async (patientId: string, kind: ObjectionKind, topic: string, method: ObjectionMethod, resolved: boolean, at: string) =>
        (await r.patient({ type: 'RaiseObjection', data: { patientId, callerId: 'nurse-zhang', kind, topic, method, resolved } }, at)).find((e) => e.type === 'ObjectionRaised')!;
      await raise('p1', 'sincere', 'cost', 'inform', true, '2026-11-23T03:00:00Z');
      await raise('p1', 'trivial', 'time', 'defer', false, '2026-11-24T03:00:00Z');
      await raise('p2', 'sincere', 'cost', 'inform', false, '2026-11-24T04:00:00Z');
      await raise('p2', 'half_informed', 'fear', 'inform', true, '2026-11-25T03:00:00Z');
      await raise('p2', 'sincere', 'cost', 'convert', true, '2026-11-26T03:00:00Z');
      const o6 = await raise('p1', 'sincere', 'cost', 'inform', false, '2026-11-25T05:00:00Z');
      await raise('p1', 'trivial', 'time', 'defer', false, '2026-11-30T03:00:00Z');
      const target6 = currentRecord(await store.readStream('patient-p1'), o6.eventId)!;
      await r.patient({ type: 'CorrectRecord', data: { patientId: 'p1', eventId: o6.eventId, reason: 'she agreed at the end of the call', changes: { resolved: true }, target: target6 } }, '2026-11-25T06:00:00Z');
    });

    it('counts the week by kind × method, by topic × method, and ranks the topics', async () => {
      const report = await readObjectionsReport(week.models.db, C, W48);
      const counts = (raised: number, resolved: number) => ({ raised, resolved, resolutionRate: resolved / raised });
      expect(report.byKindMethod).toEqual([
        { kind: 'half_informed', method: 'inform', ...counts(1, 1) },
        { kind: 'sincere', method: 'convert', ...counts(1, 1) },
        { kind: 'sincere', method: 'inform', ...counts(3, 2) },
        { kind: 'trivial', method: 'defer', ...counts(1, 0) },
      ]);
      expect(report.byTopicMethod).toEqual([
        { topic: 'cost', method: 'convert', ...counts(1, 1) },
        { topic: 'cost', method: 'inform', ...counts(3, 2) },
        { topic: 'fear', method: 'inform', ...counts(1, 1) },
        { topic: 'time', method: 'defer', ...counts(1, 0) },
      ]);
      expect(report.topics).toEqual([
        { topic: 'cost', ...counts(4, 3) },
        { topic: 'fear', ...counts(1, 1) },
        { topic: 'time', ...counts(1, 0) },
      ]);
    });

    it('takes O7 with the next week, and nothing from a range without objections', async () => {
      expect((await readObjectionsReport(week.models.db, C, {})).topics).toEqual([
        { topic: 'cost', raised: 4, resolved: 3, resolutionRate: 0.75 },
        { topic: 'time', raised: 2, resolved: 0, resolutionRate: 0 },
        { topic: 'fear', raised: 1, resolved: 1, resolutionRate: 1 },
      ]);
      expect(await readObjectionsReport(week.models.db, C, { fromMs: ms('2026-12-01T00:00:00Z'), toMs: ms('2026-12-02T00:00:00Z') })).toMatchObject({ byKindMethod: [], byTopicMethod: [], topics: [] });
    });
  });
}
