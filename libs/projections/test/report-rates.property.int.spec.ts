import fc from 'fast-check';
import { currentRecord, DomainRefusal, PatientCommand } from '@rapport/domain';
import { SqliteEventStore } from '@rapport/event-store';
import { ALL_PROJECTIONS } from '../src/all-projections';
import { readClinicCallerMetrics } from '../src/caller-metrics/caller-metrics.query';
import { readDoctorsReport } from '../src/doctors/doctors.query';
import { readEffectivenessReport } from '../src/effectiveness/effectiveness.query';
import { readProspectsReport } from '../src/prospects/prospects.query';
import { readUrgentReport } from '../src/urgent/urgent.query';
import { readAppointmentsReport } from '../src/appointments/appointments.query';
import { readObjectionsReport } from '../src/objections/objections.query';
import { readBestTimes } from '../src/reports/best-times.query';
import { openReadModels } from '../src/read-store/read-models';
import { ProjectorRuntime } from '../src/runtime/projector-runtime';
import { DomainRecorder } from './domain-recorder';

/**
 * Issue 14: whatever a clinic records — calls of every outcome, bookings credited or not, visits and
 * no-shows, corrections that take a reached call back — no report shows a rate outside [0, 1], a
 * caller's credited bookings never outnumber their reached calls, and every funnel narrows.
 */
const C = 'c1';
const PATIENTS = ['p1', 'p2', 'p3'];
const OUTCOMES = ['reached', 'no_answer', 'busy', 'declined', 'call_back_later'] as const;

type Step =
  | { kind: 'treat'; patient: number; procedure: string }
  | { kind: 'inquire'; patient: number; channel: 'web' | 'wechat' | 'phone' }
  | { kind: 'call'; patient: number; followUp: number; outcome: (typeof OUTCOMES)[number]; caller: string; satisfaction?: number; complaint: boolean }
  | { kind: 'book'; patient: number; caller?: string }
  | { kind: 'visit'; appointment: number; attended: boolean }
  | { kind: 'correct'; call: number; outcome: (typeof OUTCOMES)[number] }
  | { kind: 'objection'; patient: number; resolved: boolean };

const patient = fc.nat(PATIENTS.length - 1);
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('treat' as const), patient, procedure: fc.constantFrom('extraction', 'scaling', 'other', 'implant_surgery') }),
  fc.record({ kind: fc.constant('inquire' as const), patient, channel: fc.constantFrom('web' as const, 'wechat' as const, 'phone' as const) }),
  fc.record({ kind: fc.constant('call' as const), patient, followUp: fc.nat(20), outcome: fc.constantFrom(...OUTCOMES), caller: fc.constantFrom('li', 'zhang'), satisfaction: fc.option(fc.integer({ min: 1, max: 5 }), { nil: undefined }), complaint: fc.boolean() }),
  fc.record({ kind: fc.constant('book' as const), patient, caller: fc.option(fc.constantFrom('li', 'zhang'), { nil: undefined }) }),
  fc.record({ kind: fc.constant('visit' as const), appointment: fc.nat(10), attended: fc.boolean() }),
  fc.record({ kind: fc.constant('correct' as const), call: fc.nat(20), outcome: fc.constantFrom(...OUTCOMES) }),
  fc.record({ kind: fc.constant('objection' as const), patient, resolved: fc.boolean() }),
);

async function record(store: SqliteEventStore, steps: Step[]): Promise<void> {
  const r = new DomainRecorder(store);
  await r.clinic({ type: 'ConfigureClinic', data: { clinicId: C, timeZone: 'Asia/Shanghai', callWindows: ['10:30', '16:00'] } }, '2026-11-01T00:00:00Z');
  let now = Date.parse('2026-11-02T02:00:00Z');
  const followUps: { patientId: string; followUpId: string }[] = [];
  const calls: { patientId: string; eventId: string }[] = [];
  const appointments: { patientId: string; appointmentId: string; scheduledFor: number }[] = [];
  for (const [i, s] of steps.entries()) {
    now += 47 * 60_000 + (i % 5) * 3_600_000;
    const at = new Date(now).toISOString();
    const send = async (patientId: string, command: PatientCommand) => {
      try {
        const events = await r.patient(command, at, C);
        for (const e of events) {
          const d = e.data as Record<string, string>;
          if (e.type === 'FollowUpScheduled' && !(e.data as { assignee?: unknown }).assignee) followUps.push({ patientId, followUpId: d.followUpId! });
          if (e.type === 'CallAttempted') calls.push({ patientId, eventId: e.eventId });
          if (e.type === 'AppointmentBooked') appointments.push({ patientId, appointmentId: d.appointmentId!, scheduledFor: Date.parse(d.scheduledFor!) });
        }
      } catch (error) {
        if (!(error instanceof DomainRefusal)) throw error; // a refused command records nothing, as over HTTP
      }
    };
    switch (s.kind) {
      case 'treat':
        await send(PATIENTS[s.patient]!, { type: 'CompleteTreatment', data: { treatmentId: `t${i}`, patientId: PATIENTS[s.patient]!, clinicId: C, doctorId: `dr-${s.patient}`, procedure: s.procedure, completedAt: at } });
        break;
      case 'inquire':
        await send(PATIENTS[s.patient]!, { type: 'ReceiveInquiry', data: { patientId: PATIENTS[s.patient]!, clinicId: C, channel: s.channel, receivedAt: at } });
        break;
      case 'call': {
        const own = followUps.filter((f) => f.patientId === PATIENTS[s.patient]);
        const followUpId = own.length > 0 ? own[s.followUp % own.length]!.followUpId : undefined;
        const reached = s.outcome === 'reached';
        await send(PATIENTS[s.patient]!, {
          type: 'RecordCall',
          data: { patientId: PATIENTS[s.patient]!, callerId: s.caller, startedAt: at, outcome: s.outcome, ...(followUpId ? { followUpId } : {}), ...(reached && s.satisfaction ? { satisfaction: s.satisfaction } : {}), ...(reached && s.complaint ? { complaint: true } : {}) },
        });
        break;
      }
      case 'book':
        await send(PATIENTS[s.patient]!, { type: 'BookAppointment', data: { patientId: PATIENTS[s.patient]!, clinicId: C, scheduledFor: new Date(now + 86_400_000).toISOString(), ...(s.caller ? { callerId: s.caller } : {}) } });
        break;
      case 'visit': {
        const due = appointments.filter((a) => a.scheduledFor <= now);
        const a = due[s.appointment % Math.max(1, due.length)];
        if (a) await send(a.patientId, { type: s.attended ? 'AttendAppointment' : 'MissAppointment', data: { patientId: a.patientId, appointmentId: a.appointmentId, at } });
        break;
      }
      case 'correct': {
        const c = calls[s.call % Math.max(1, calls.length)];
        if (!c) break;
        const target = currentRecord(await store.readStream(`patient-${c.patientId}`), c.eventId);
        await send(c.patientId, { type: 'CorrectRecord', data: { patientId: c.patientId, eventId: c.eventId, reason: 'checked the recording', changes: { outcome: s.outcome }, ...(target ? { target } : {}) } });
        break;
      }
      case 'objection':
        await send(PATIENTS[s.patient]!, { type: 'RaiseObjection', data: { patientId: PATIENTS[s.patient]!, callerId: 'li', kind: 'sincere', topic: 'cost', method: 'inform', resolved: s.resolved } });
        break;
    }
  }
}

const inUnit = (rate: number | null) => rate === null || (rate >= 0 && rate <= 1);

describe('every report of any recorded history', () => {
  it('has its rates in [0, 1], conversion never above reached, and funnels that only narrow', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 5, maxLength: 40 }), async (steps) => {
        const store = new SqliteEventStore({ filename: ':memory:' });
        const models = await openReadModels({ kind: 'sqlite', filename: ':memory:' });
        try {
          await record(store, steps);
          await new ProjectorRuntime({ store, db: models.db, projections: ALL_PROJECTIONS, batchSize: 16, logger: { log: () => undefined, warn: () => undefined, error: () => undefined }, progress: false }).catchUp();
          const all = {};
          const db = models.db;
          for (const m of (await readClinicCallerMetrics(db, C, all)).callers) {
            expect([m.contactRate, m.conversionRate].every(inUnit)).toBe(true);
            expect(m.appointmentsBooked).toBeLessThanOrEqual(m.reached);
            expect(m.reached).toBeLessThanOrEqual(m.attempts);
          }
          for (const cell of (await readBestTimes(db, C, all)).cells) expect([cell.contactRate, cell.conversionRate].every(inUnit)).toBe(true);
          for (const by of ['procedure', 'rule'] as const) {
            for (const row of (await readEffectivenessReport(db, C, by, all)).rows) {
              expect(inUnit(row.reachRate)).toBe(true);
              expect(row.attended <= row.booked && row.booked <= row.reached && row.reached <= row.attempted && row.attempted <= row.due && row.complaints <= row.attempted).toBe(true);
            }
          }
          for (const row of (await readDoctorsReport(db, C, all)).rows) {
            expect(row.satisfactionMean === null || (row.satisfactionMean >= 1 && row.satisfactionMean <= 5)).toBe(true);
            expect(row.complaints).toBeLessThanOrEqual(row.reachedCalls);
          }
          for (const row of (await readProspectsReport(db, C, all)).rows) {
            expect(inUnit(row.bookingRate)).toBe(true);
            expect(row.attended <= row.booked && row.booked <= row.inquiries && row.reached <= row.inquiries).toBe(true);
          }
          for (const row of (await readUrgentReport(db, C, all)).rows) expect(inUnit(row.inTimeRate) && row.inTime + row.late + row.notDone === row.due).toBe(true);
          const appointments = await readAppointmentsReport(db, C, all);
          expect([appointments.showRate, appointments.noShowRate].every(inUnit)).toBe(true);
          for (const row of (await readObjectionsReport(db, C, all)).byKindMethod) expect(inUnit(row.resolutionRate)).toBe(true);
        } finally {
          await models.close();
          await store.close();
        }
      }),
      {
        numRuns: 40,
        examples: [
          // A reached call earns a booking, then is corrected to no answer: the credit goes with the reach.
          [[{ kind: 'treat', patient: 0, procedure: 'other' }, { kind: 'call', patient: 0, followUp: 0, outcome: 'reached', caller: 'li', complaint: false }, { kind: 'book', patient: 0, caller: 'li' }, { kind: 'correct', call: 0, outcome: 'no_answer' }]],
        ],
      },
    );
  });
});
