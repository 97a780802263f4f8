import { SqliteEventStore } from '@rapport/event-store';
import { ALL_PROJECTIONS } from '../src/all-projections';
import type { ReadModels } from '../src/read-store/read-models';
import { ProjectorRuntime } from '../src/runtime/projector-runtime';
import { DomainRecorder } from './domain-recorder';
import type { ReadStoreTarget } from './read-store-targets';

export const REPORT_CLINIC = 'c1';
/** 2026-W48 in Shanghai: Monday 23 November 00:00 to Monday 30 November 00:00, local. */
export const W48 = { fromMs: Date.parse('2026-11-22T16:00:00Z'), toMs: Date.parse('2026-11-29T16:00:00Z') };

/**
 * What each report's hand-worked week starts from: clinic c1 in Asia/Shanghai, the given patients
 * treated on 10 November, then whatever `record` decides through the domain, every projection
 * caught up on `target`. Registers its own beforeAll/afterAll; read `models` inside the tests.
 */
export function reportWeek(target: ReadStoreTarget, patients: readonly string[], record: (recorder: DomainRecorder, store: SqliteEventStore) => Promise<void>): { readonly models: ReadModels } {
  let store: SqliteEventStore;
  let models: ReadModels | undefined;
  beforeAll(async () => {
    store = new SqliteEventStore({ filename: ':memory:' });
    const recorder = new DomainRecorder(store);
    await recorder.clinic({ type: 'ConfigureClinic', data: { clinicId: REPORT_CLINIC, timeZone: 'Asia/Shanghai', callWindows: ['10:30', '16:00'] } }, '2026-11-01T00:00:00Z');
    for (const p of patients) {
      await recorder.patient({ type: 'CompleteTreatment', data: { treatmentId: `t-${p}`, patientId: p, clinicId: REPORT_CLINIC, doctorId: 'dr-li', procedure: 'other', completedAt: '2026-11-10T02:00:00Z' } }, '2026-11-10T03:00:00Z');
    }
    await record(recorder, store);
    models = await target.open();
    await new ProjectorRuntime({ store, db: models.db, projections: ALL_PROJECTIONS, logger: { log: () => undefined, warn: () => undefined, error: () => undefined }, progress: false }).catchUp();
  });
  afterAll(async () => {
    await models?.close();
    await store?.close();
    await target.cleanup();
  });
  return {
    get models() {
      if (!models) throw new Error('the report week is recorded in beforeAll');
      return models;
    },
  };
}
