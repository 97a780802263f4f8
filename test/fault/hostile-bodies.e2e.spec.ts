import fc from 'fast-check';
import { EVENT_STORE, EventStore } from '@rapport/event-store';
import { RunningApp, startApp } from '../support/in-process-app';
import { deepJson, HostileRequest, hostileRequest, pathSegment } from './hostile-input';

/**
 * 10,000 hostile bodies (wrong types, huge strings, odd unicode, __proto__/constructor keys, deep
 * nesting, arrays for objects, numbers as strings, nulls) against every command endpoint the app
 * registers: never a 5xx, and nothing appended for any answer that is not 2xx.
 * Sent with Fastify's inject: no sockets, but the whole Fastify + Nest pipeline.
 */
const TOTAL = 10_000;

/** A valid body per known endpoint; hostile requests are mostly these with one to three things broken. */
const TEMPLATES: Record<string, Record<string, unknown>> = {
  'PUT /v1/clinics/{clinicId}': {
    timeZone: 'Asia/Shanghai',
    callWindows: ['10:30', '16:00'],
    name: '微笑口腔',
    maxAttempts: 3,
    protocol: { rules: [{ id: 'general', procedures: ['*'], steps: [{ id: 'd1', purpose: 'how are you', timing: { kind: 'day_window', afterDays: 1 } }] }] },
  },
  'POST /v1/treatments': {
    treatmentId: 't2',
    patientId: 'p1',
    clinicId: 'c1',
    doctorId: 'dr-li',
    procedure: 'root_canal',
    completedAt: '2026-11-23T06:00:00Z',
    patient: { name: '王伟', phone: '+86 138 0013 8000' },
    restored: false,
    needsProsthesis: false,
  },
  'POST /v1/calls': {
    patientId: 'p1',
    callerId: 'nurse-zhang',
    startedAt: '2026-11-24T02:40:00Z',
    outcome: 'call_back_later',
    followUpId: 'p1.fu1',
    durationSeconds: 30,
    notes: '恢复良好',
    satisfaction: 4,
    symptoms: 'none',
    callBackAt: '2026-11-24T08:00:00Z',
    lateEntryReason: 'entered late',
  },
  'POST /v1/objections': {
    patientId: 'p1',
    callerId: 'nurse-zhang',
    kind: 'sincere',
    topic: 'cost',
    method: 'inform',
    resolved: true,
    answerable: true,
    note: 'asked about price',
  },
  'POST /v1/referrals': { patientId: 'p1', callerId: 'nurse-zhang', referred: { name: '李娜', phone: '+86 139 0000 0000', relation: 'sister' }, note: 'n' },
  'POST /v1/appointments': { patientId: 'p1', clinicId: 'c1', scheduledFor: '2026-12-01T02:00:00Z', callerId: 'nurse-zhang', followUpId: 'p1.fu2' },
};

/** Templates for endpoints added after the brief; any other endpoint found still gets hostile bodies. */
const LATER_TEMPLATES: Record<string, Record<string, unknown>> = {
  'POST /v1/appointments/{appointmentId}/missed': { at: '2026-11-24T02:50:00Z' },
  'POST /v1/inquiries': { patientId: 'p9', clinicId: 'c1', receivedAt: '2026-11-23T06:00:00Z', channel: 'phone', concern: 'implants', patient: { name: '张三', phone: '+86 138 0000 0001' } },
  'PUT /v1/patients/{patientId}/preferences': {
    preferredTimes: ['12:00-13:00'],
    avoidWorkHours: true,
    doNotCall: false,
    specialDates: [{ kind: 'birthday', date: '03-15' }],
    vip: true,
  },
  'POST /v1/corrections': { eventId: 'e-1', reason: 'typed the wrong outcome', patientId: 'p1', outcome: 'reached', notes: '接通了' },
  'POST /v1/patients/{patientId}/erasure': { reason: 'the patient asked' },
  'POST /v1/auth/local-sign-in': { role: 'caller', clinicId: 'c1', userId: 'nurse-zhang' },
};

/** Valid path parameters; a few requests replace them with hostile ones. */
const PATH_VALUES: Record<string, string> = { clinicId: 'c1', patientId: 'p1', appointmentId: 'p1.apt20' };

const COMMAND_METHODS = ['post', 'put', 'patch', 'delete'];

interface Endpoint {
  method: string;
  path: string;
  key: string;
}

describe('hostile request bodies', () => {
  let running: RunningApp;
  let store: EventStore;
  let endpoints: Endpoint[];

  beforeAll(async () => {
    running = await startApp({ now: '2026-11-24T03:00:00Z' });
    store = running.app.get<EventStore>(EVENT_STORE);
    expect((await running.api.put('/v1/clinics/c1', { timeZone: 'Asia/Shanghai', callWindows: ['10:30', '16:00'] })).status).toBe(201);
    const treatment = { treatmentId: 't1', patientId: 'p1', clinicId: 'c1', doctorId: 'dr-li', procedure: 'other', completedAt: '2026-11-23T06:00:00Z' };
    expect((await running.api.post('/v1/treatments', treatment)).status).toBe(201);
    // Every command the app registers, from its own OpenAPI document.
    const document = await running.api.get<{ paths: Record<string, Record<string, unknown>> }>('/docs-json');
    endpoints = Object.entries(document.body.paths).flatMap(([path, methods]) =>
      Object.keys(methods)
        .filter((m) => COMMAND_METHODS.includes(m))
        .map((m) => ({ method: m.toUpperCase(), path, key: `${m.toUpperCase()} ${path}` })),
    );
  });
  afterAll(async () => running?.close());

  it('finds every command endpoint the brief names', () => {
    expect(endpoints.map((e) => e.key)).toEqual(expect.arrayContaining(Object.keys(TEMPLATES)));
  });

  // Found by the property below (each was a 500); kept as fixed cases so they never come back unseen.
  it.each([
    ['a body nested 3,000 arrays deep', `{"timeZone":${deepJson(3000, 'array')},"callWindows":["10:30"]}`, 'timeZone.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0'],
    ['a protocol step without its timing', '{"timeZone":"UTC","callWindows":["10:30"],"protocol":{"rules":[{"id":"r","procedures":["*"],"steps":[{"id":"s","purpose":"p"}]}]}}', 'protocol.rules.0.steps.0.timing'],
    ['an array where a protocol rule belongs', '{"timeZone":"UTC","callWindows":["10:30"],"protocol":{"rules":[[]]}}', 'protocol.rules.0'],
    ['an array where the timing object belongs', '{"timeZone":"UTC","callWindows":["10:30"],"protocol":{"rules":[{"id":"r","procedures":["*"],"steps":[{"id":"s","purpose":"p","timing":[]}]}]}}', 'protocol.rules.0.steps.0.timing'],
  ])('refuses %s with a 400 naming the field, appending nothing', async (_, payload, field) => {
    const before = await store.headPosition();
    const response = await running.app.getHttpAdapter().getInstance().inject({ method: 'PUT', url: '/v1/clinics/c2', payload, headers: { 'content-type': 'application/json', authorization: `Bearer ${running.api.token}` } });
    expect(response.statusCode).toBe(400);
    expect(JSON.parse(response.body).details).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
    expect(await store.headPosition()).toBe(before);
  });

  it(`answers ${TOTAL.toLocaleString('en-US')} hostile bodies with no 5xx and appends nothing for a refusal`, async () => {
    const fastify = running.app.getHttpAdapter().getInstance();
    const prototypeBefore = Object.getOwnPropertyNames(Object.prototype).sort();
    const perEndpoint = Math.ceil(TOTAL / endpoints.length);
    const statuses = new Map<string, Map<number, number>>();
    let sent = 0;

    for (const endpoint of endpoints) {
      const seen = new Map<number, number>();
      statuses.set(endpoint.key, seen);
      const template = TEMPLATES[endpoint.key] ?? LATER_TEMPLATES[endpoint.key] ?? {};
      const send = async (request: HostileRequest) => {
        const url = endpoint.path.replace(/\{([^}]+)\}/g, (_, name: string) => pathSegment(request.pathValue ?? PATH_VALUES[name] ?? 'x1'));
        const before = await store.headPosition();
        const response = await fastify.inject({
          method: endpoint.method as 'POST',
          url,
          payload: request.payload,
          headers: { 'content-type': request.contentType, authorization: `Bearer ${running.api.token}`, ...request.headers },
        });
        const after = await store.headPosition();
        sent++;
        seen.set(response.statusCode, (seen.get(response.statusCode) ?? 0) + 1);
        const what = `${endpoint.method} ${url} → ${response.statusCode} ${response.body.slice(0, 300)}\nbody: ${request.payload.slice(0, 500)}`;
        if (response.statusCode >= 500) throw new Error(`5xx for a hostile body: ${what}`);
        if (response.statusCode >= 300 && after !== before) throw new Error(`a refused request appended ${after - before} events: ${what}`);
        if (response.statusCode >= 400) expect(JSON.parse(response.body)).toMatchObject({ statusCode: response.statusCode });
      };
      await fc.assert(fc.asyncProperty(hostileRequest(template, endpoint.path.includes('{')), send), { numRuns: perEndpoint });
    }

    // fast-check ran each property exactly numRuns times (a failing run throws above): every
    // endpoint answered all of its requests, and the counts add up to what was sent.
    expect(sent).toBe(perEndpoint * endpoints.length);
    expect(sent).toBeGreaterThanOrEqual(TOTAL);
    for (const [key, seen] of statuses) expect([key, [...seen.values()].reduce((a, b) => a + b, 0)]).toEqual([key, perEndpoint]);
    // Every endpoint's bad input reached validation and was refused as such.
    for (const [key, seen] of statuses) expect({ key, refusedAsBadInput: (seen.get(400) ?? 0) > 0 }).toEqual({ key, refusedAsBadInput: true });
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeBefore);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  }, 180_000);
});
