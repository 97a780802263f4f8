import fc from 'fast-check';
import { eventShapeProblems } from '@rapport/domain';
import { EVENT_STORE, EventStore } from '@rapport/event-store';
import { RunningApp, startApp } from '../support/in-process-app';

/**
 * Ids are client-supplied strings of `[A-Za-z0-9_-]{1,64}`, and that grammar includes the names
 * every JavaScript object already has (`constructor`, `__proto__`, `toString`, …). Whatever id a
 * client sends, the answer is right or a 4xx: never a 5xx, and never an event in the log with a
 * missing or mistyped field.
 */
const BUILT_INS = Object.getOwnPropertyNames(Object.prototype).filter((name) => /^[A-Za-z0-9_-]{1,64}$/.test(name));
const idFromGrammar = fc.oneof(
  fc.constantFrom(...BUILT_INS, 'prototype', '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'length', 'then'),
  fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/),
);

/** Every command whose body carries a client id, with the id in each place it may go. */
const requests = fc.oneof(
  fc.record({ kind: fc.constant('call-followUpId'), id: idFromGrammar }),
  fc.record({ kind: fc.constant('call-patientId'), id: idFromGrammar }),
  fc.record({ kind: fc.constant('treatment-treatmentId'), id: idFromGrammar }),
  fc.record({ kind: fc.constant('treatment-patientId'), id: idFromGrammar }),
  fc.record({ kind: fc.constant('appointment-followUpId'), id: idFromGrammar }),
  fc.record({ kind: fc.constant('appointment-referralId'), id: idFromGrammar }),
  fc.record({ kind: fc.constant('missed-appointmentId'), id: idFromGrammar }),
  fc.record({ kind: fc.constant('objection-callId'), id: idFromGrammar }),
  fc.record({ kind: fc.constant('clinic-clinicId'), id: idFromGrammar }),
);

describe('client ids that are also JavaScript property names', () => {
  let running: RunningApp;

  beforeAll(async () => {
    running = await startApp({ now: '2026-11-24T03:00:00Z' });
    const { api } = running;
    expect((await api.put('/v1/clinics/c1', { timeZone: 'Asia/Shanghai', callWindows: ['10:30', '16:00'] })).status).toBe(201);
    const treatment = { treatmentId: 't1', patientId: 'p1', clinicId: 'c1', doctorId: 'dr-li', procedure: 'scaling', completedAt: '2026-11-23T06:00:00Z' };
    expect((await api.post('/v1/treatments', treatment)).status).toBe(201);
  });
  afterAll(() => running.close());

  function send(kind: string, id: string) {
    const { api } = running;
    const call = { patientId: 'p1', callerId: 'nurse-zhang', startedAt: '2026-11-24T02:40:00Z', outcome: 'no_answer' };
    switch (kind) {
      case 'call-followUpId':
        return api.post('/v1/calls', { ...call, followUpId: id });
      case 'call-patientId':
        return api.post('/v1/calls', { ...call, patientId: id });
      case 'treatment-treatmentId':
        return api.post('/v1/treatments', { treatmentId: id, patientId: 'p1', clinicId: 'c1', doctorId: 'dr-li', procedure: 'scaling', completedAt: '2026-11-23T07:00:00Z' });
      case 'treatment-patientId':
        return api.post('/v1/treatments', { treatmentId: 't9', patientId: id, clinicId: 'c1', doctorId: 'dr-li', procedure: 'scaling', completedAt: '2026-11-23T07:00:00Z' });
      case 'appointment-followUpId':
        return api.post('/v1/appointments', { patientId: 'p1', clinicId: 'c1', scheduledFor: '2026-12-01T02:00:00Z', followUpId: id });
      case 'appointment-referralId':
        return api.post('/v1/appointments', { patientId: 'p1', clinicId: 'c1', scheduledFor: '2026-12-01T02:00:00Z', referralId: id });
      case 'missed-appointmentId':
        return api.post(`/v1/appointments/${encodeURIComponent(id)}/missed`, { at: '2026-11-24T02:00:00Z' });
      case 'objection-callId':
        return api.post('/v1/objections', { patientId: 'p1', callerId: 'nurse-zhang', kind: 'trivial', topic: 'cost', method: 'inform', resolved: true, callId: id });
      default:
        return api.put(`/v1/clinics/${encodeURIComponent(id)}`, { timeZone: 'Asia/Shanghai', callWindows: ['10:30'] });
    }
  }

  it('refuses a call on follow-up "constructor" with a 4xx and appends nothing', async () => {
    const store = running.app.get<EventStore>(EVENT_STORE);
    const before = await store.headPosition();
    const response = await send('call-followUpId', 'constructor');
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    expect(await store.headPosition()).toBe(before);
  });

  it('records a treatment with treatmentId "__proto__" like any other', async () => {
    const response = await send('treatment-treatmentId', '__proto__');
    expect(response.status).toBe(201);
    const events = await running.app.get<EventStore>(EVENT_STORE).readStream('patient-p1');
    expect(events.filter((e) => e.type === 'TreatmentCompleted').map((e) => e.data.treatmentId)).toContain('__proto__');
  });

  it('any id from the grammar: a 2xx or a 4xx, never a 5xx, and every stored event has its whole shape', async () => {
    await fc.assert(
      fc.asyncProperty(requests, async ({ kind, id }) => {
        const response = await send(kind, id);
        expect({ kind, id, status: response.status, ok: response.status < 500 }).toEqual({ kind, id, status: response.status, ok: true });
      }),
      { numRuns: 300 },
    );
    const store = running.app.get<EventStore>(EVENT_STORE);
    const malformed = [];
    for (let after = 0; ; ) {
      const page = await store.readAll({ after, limit: 1000 });
      if (page.length === 0) break;
      for (const event of page) {
        const problems = eventShapeProblems(event.type, event.data);
        if (problems.length) malformed.push({ type: event.type, position: event.position, problems });
      }
      after = page.at(-1)!.position;
    }
    expect(malformed).toEqual([]);
  });
});
