import { TOKEN_KEYS } from '../../apps/api/src/auth/auth.guard';
import type { Principal } from '@rapport/access';
import type { TokenKeys } from '@rapport/access';
import { Api, RunningApp, startApp } from '../support/in-process-app';
import { SseReader } from './feed-sse-reader';

/**
 * Authentication and clinic isolation for EVERY endpoint the app registers, enumerated from its
 * own OpenAPI document (so a new endpoint without a sample below fails the test until it gets
 * one): 401 without a token or with a bad one, 403 for a token of another clinic (or, where a
 * request names no clinic, an answer holding nothing of the clinic it does not cover), 403 for
 * every write by an auditor or an integration, and neither 401 nor 403 for a token of the clinic.
 */

/** What a request to an endpoint looks like, and what a token for clinic c2 gets for clinic c1's data. */
interface Sample {
  path?: Record<string, string>;
  query?: string;
  body?: unknown;
  /** `forbidden`: 403. `scoped`: answered, holding nothing of c1 (checked by `holdsNothingOfC1`). */
  otherClinic: 'forbidden' | 'scoped';
  holdsNothingOfC1?: (body: any) => boolean;
}

/** No token needed: liveness, and the embedded default's local sign-in (loopback only). */
const PUBLIC = new Set(['GET /health', 'GET /metrics', 'POST /v1/auth/local-sign-in']);

interface Ids {
  callEventId: string;
  appointmentId: string;
}

function samples(ids: Ids): Record<string, Sample> {
  const noC1 = (items: { clinicId?: string }[]) => items.every((i) => i.clinicId !== 'c1');
  return {
    'PUT /v1/clinics/{clinicId}': { path: { clinicId: 'c1' }, body: { timeZone: 'Asia/Shanghai', callWindows: ['10:30', '16:00'] }, otherClinic: 'forbidden' },
    'GET /v1/clinics/{clinicId}': { path: { clinicId: 'c1' }, otherClinic: 'forbidden' },
    'POST /v1/treatments': {
      body: { treatmentId: 't9', patientId: 'p1', clinicId: 'c1', doctorId: 'dr-li', procedure: 'scaling', completedAt: '2026-11-23T06:00:00Z' },
      otherClinic: 'forbidden',
    },
    'POST /v1/calls': { body: { patientId: 'p1', callerId: 'nurse-zhang', startedAt: '2026-11-24T02:40:00Z', outcome: 'busy' }, otherClinic: 'forbidden' },
    'POST /v1/objections': { body: { patientId: 'p1', callerId: 'nurse-zhang', kind: 'sincere', topic: 'cost', method: 'inform', resolved: true }, otherClinic: 'forbidden' },
    'POST /v1/referrals': { body: { patientId: 'p1', callerId: 'nurse-zhang' }, otherClinic: 'forbidden' },
    'POST /v1/appointments': { body: { patientId: 'p1', clinicId: 'c1', scheduledFor: '2026-12-01T02:00:00Z' }, otherClinic: 'forbidden' },
    'POST /v1/appointments/{appointmentId}/missed': { path: { appointmentId: ids.appointmentId }, body: { at: '2026-12-01T03:00:00Z' }, otherClinic: 'forbidden' },
    'POST /v1/appointments/{appointmentId}/attended': { path: { appointmentId: ids.appointmentId }, body: { at: '2026-12-01T03:00:00Z' }, otherClinic: 'forbidden' },
    'POST /v1/inquiries': { body: { patientId: 'p1', clinicId: 'c1', receivedAt: '2026-11-23T06:00:00Z' }, otherClinic: 'forbidden' },
    'PUT /v1/patients/{patientId}/preferences': { path: { patientId: 'p1' }, body: { vip: true }, otherClinic: 'forbidden' },
    'POST /v1/patients/{patientId}/follow-ups': { path: { patientId: 'p1' }, body: { purpose: 'Check the crown', dueAt: '2026-12-30T02:30:00Z' }, otherClinic: 'forbidden' },
    'POST /v1/follow-ups/{followUpId}/move': { path: { followUpId: 'p1.fu3' }, body: { dueAt: '2026-12-30T02:30:00Z', reason: 'travelling' }, otherClinic: 'forbidden' },
    'POST /v1/follow-ups/{followUpId}/cancel': { path: { followUpId: 'p1.fu4' }, body: { reason: 'moved away' }, otherClinic: 'forbidden' },
    'POST /v1/follow-ups/{followUpId}/claim': { path: { followUpId: 'p1.fu5' }, body: {}, otherClinic: 'forbidden' },
    'PUT /v1/clinics/{clinicId}/staff/{staffId}': { path: { clinicId: 'c1', staffId: 'nurse-zhang' }, body: { name: '张护士', role: 'caller' }, otherClinic: 'forbidden' },
    'GET /v1/clinics/{clinicId}/staff': { path: { clinicId: 'c1' }, otherClinic: 'forbidden' },
    'PATCH /v1/patients/{patientId}/preferences': { path: { patientId: 'p1' }, body: { doNotCall: false }, otherClinic: 'forbidden' },
    'GET /v1/patients/{patientId}/preferences': { path: { patientId: 'p1' }, otherClinic: 'forbidden' },
    'POST /v1/corrections': { body: { eventId: ids.callEventId, patientId: 'p1', reason: 'wrong outcome', outcome: 'busy' }, otherClinic: 'forbidden' },
    'POST /v1/patients/{patientId}/erasure': { path: { patientId: 'p1' }, body: { reason: 'asked' }, otherClinic: 'forbidden' },
    'POST /v1/patients/{patientId}/personal-details': { path: { patientId: 'p1' }, body: { phone: '+86 139 0000 0002', reason: 'a new phone' }, otherClinic: 'forbidden' },
    'GET /v1/patients/{patientId}/events': { path: { patientId: 'p1' }, otherClinic: 'forbidden' },
    'GET /v1/patients/{patientId}/timeline': { path: { patientId: 'p1' }, otherClinic: 'forbidden' },
    'GET /v1/clinics/{clinicId}/queue': { path: { clinicId: 'c1' }, otherClinic: 'forbidden' },
    'GET /v1/clinics/{clinicId}/follow-ups': { path: { clinicId: 'c1' }, query: 'status=needs_number', otherClinic: 'forbidden' },
    'GET /v1/clinics/{clinicId}/callers/metrics': { path: { clinicId: 'c1' }, otherClinic: 'forbidden' },
    'GET /v1/clinics/{clinicId}/reports/best-times': { path: { clinicId: 'c1' }, otherClinic: 'forbidden' },
    'GET /v1/clinics/{clinicId}/reports/weekly': { path: { clinicId: 'c1' }, query: 'week=2026-W48', otherClinic: 'forbidden' },
    'GET /v1/clinics/{clinicId}/reports/appointments': { path: { clinicId: 'c1' }, otherClinic: 'forbidden' },
    'GET /v1/clinics/{clinicId}/reports/objections': { path: { clinicId: 'c1' }, otherClinic: 'forbidden' },
    'GET /v1/clinics/{clinicId}/reports/referrals': { path: { clinicId: 'c1' }, otherClinic: 'forbidden' },
    'GET /v1/clinics/{clinicId}/reports/effectiveness': { path: { clinicId: 'c1' }, query: 'by=rule', otherClinic: 'forbidden' },
    'GET /v1/clinics/{clinicId}/reports/doctors': { path: { clinicId: 'c1' }, otherClinic: 'forbidden' },
    'GET /v1/clinics/{clinicId}/reports/prospects': { path: { clinicId: 'c1' }, otherClinic: 'forbidden' },
    'GET /v1/clinics/{clinicId}/reports/urgent': { path: { clinicId: 'c1' }, otherClinic: 'forbidden' },
    'GET /v1/audit/verify': { otherClinic: 'forbidden' },
    'GET /v1/audit/anchor': { otherClinic: 'forbidden' },
    'GET /v1/audit/attempts': { query: 'clinicId=c1', otherClinic: 'forbidden' },
    'GET /v1/audit/access': { query: 'clinicId=c1', otherClinic: 'forbidden' },
    // These name no clinic: they answer, with the token's clinics only.
    'GET /v1/doctors/{doctorId}/queue': { path: { doctorId: 'dr-li' }, query: 'at=2027-06-01T00:00:00Z', otherClinic: 'scoped', holdsNothingOfC1: (b) => noC1(b.items) },
    'GET /v1/doctors/{doctorId}/feedback': { path: { doctorId: 'dr-li' }, otherClinic: 'scoped', holdsNothingOfC1: (b) => noC1(b.items) },
    'GET /v1/callers/{callerId}/metrics': { path: { callerId: 'nurse-zhang' }, otherClinic: 'scoped', holdsNothingOfC1: (b) => b.attempts === 0 && b.reached === 0 },
    'GET /v1/events': { query: 'limit=1000', otherClinic: 'scoped', holdsNothingOfC1: (b) => b.events.every((e: { data: { clinicId?: string } }) => e.data.clinicId !== 'c1') },
    'GET /v1/events/stream': { otherClinic: 'scoped' },
  };
}

/** Some of c1's data must be in the answer a c1 token gets, or the scoped check proves nothing. */
const HOLDS_C1: Record<string, (body: any) => boolean> = {
  'GET /v1/doctors/{doctorId}/queue': (b) => b.items.some((i: { clinicId: string }) => i.clinicId === 'c1'),
  'GET /v1/doctors/{doctorId}/feedback': (b) => b.items.some((i: { clinicId: string }) => i.clinicId === 'c1'),
  'GET /v1/callers/{callerId}/metrics': (b) => b.attempts > 0,
  'GET /v1/events': (b) => b.events.some((e: { data: { clinicId?: string } }) => e.data.clinicId === 'c1'),
};

interface Operation {
  key: string;
  method: string;
  path: string;
}

describe('every endpoint needs a token, and a token reaches only its clinics', () => {
  let running: RunningApp;
  let operations: Operation[];
  let table: Record<string, Sample>;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    running = await startApp({ now: '2026-11-24T03:00:00Z' });
    const { api } = running;
    for (const clinicId of ['c1', 'c2']) expect((await api.put(`/v1/clinics/${clinicId}`, { timeZone: 'Asia/Shanghai', callWindows: ['10:30', '16:00'] })).status).toBe(201);
    const treatment = { treatmentId: 't1', patientId: 'p1', clinicId: 'c1', doctorId: 'dr-li', procedure: 'other', completedAt: '2026-11-22T06:00:00Z', patient: { name: '王伟', phone: '+86 138 0013 8000' } };
    expect((await api.post('/v1/treatments', treatment)).status).toBe(201);
    expect((await api.post('/v1/treatments', { ...treatment, treatmentId: 't2', patientId: 'p2', clinicId: 'c2', doctorId: 'dr-wu' })).status).toBe(201);
    // A reached call with a complaint: a callback task for dr-li (the doctor's queue has a c1 row).
    const call = await api.post('/v1/calls', { patientId: 'p1', callerId: 'nurse-zhang', startedAt: '2026-11-24T02:40:00Z', outcome: 'reached', followUpId: 'p1.fu1', symptoms: 'swelling', complaint: true });
    expect(call.status).toBe(201);
    // A reached call with symptoms: a row in dr-li's feedback (the corrections sample turns the call above into a busy one).
    expect((await api.post('/v1/calls', { patientId: 'p1', callerId: 'nurse-zhang', startedAt: '2026-11-24T02:45:00Z', outcome: 'reached', symptoms: 'sensitivity' })).status).toBe(201);
    const booked = await api.post('/v1/appointments', { patientId: 'p1', clinicId: 'c1', scheduledFor: '2026-12-01T02:00:00Z' });
    expect(booked.status).toBe(201);
    const events = (await api.get('/v1/patients/p1/events')).body.events as { eventId: string; type: string; data: { callId?: string } }[];
    table = samples({ callEventId: events.find((e) => e.type === 'CallAttempted')!.eventId, appointmentId: booked.body.appointmentId });

    const mint = (p: Principal) => running.token(p);
    tokens.otherClinicAdmin = await mint({ userId: 'admin-c2', role: 'admin', clinics: ['c2'] });
    tokens.ownClinicAdmin = await mint({ userId: 'admin-c1', role: 'admin', clinics: ['c1'] });
    tokens.auditor = await mint({ userId: 'auditor-an', role: 'auditor', clinics: ['*'] });
    tokens.integration = await mint({ userId: 'crm', role: 'integration', clinics: ['*'] });

    const document = await api.get<{ paths: Record<string, Record<string, unknown>> }>('/docs-json');
    operations = Object.entries(document.body.paths).flatMap(([path, methods]) =>
      Object.keys(methods)
        .filter((m) => ['get', 'post', 'put', 'patch', 'delete'].includes(m))
        .map((m) => ({ key: `${m.toUpperCase()} ${path}`, method: m.toUpperCase(), path })),
    );
  });
  afterAll(async () => running?.close());

  /** The request of an operation's sample, with a token or none; SSE is cut off once its headers are in. */
  async function send(op: Operation, token: string | undefined, extraQuery = ''): Promise<{ status: number; body: any }> {
    const sample = table[op.key]!;
    const path = op.path.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(sample.path?.[name] ?? 'x'));
    const query = [sample.query, extraQuery].filter(Boolean).join('&');
    const url = `${running.url}${path}${query ? `?${query}` : ''}`;
    if (op.key === 'GET /v1/events/stream') {
      const sse = await SseReader.open(url, token ? { authorization: `Bearer ${token}` } : {});
      sse.disconnect();
      return { status: sse.status, body: undefined };
    }
    const api = token ? new Api(running.url, token) : new Api(running.url);
    return api.request(op.method, `${path}${query ? `?${query}` : ''}`, sample.body);
  }

  it('has a sample for every endpoint in /docs-json, and only /health and the local sign-in are public', () => {
    const keys = operations.map((o) => o.key);
    expect(keys.length).toBeGreaterThan(20);
    expect(keys.filter((k) => !table[k] && !PUBLIC.has(k))).toEqual([]);
    expect(keys.filter((k) => PUBLIC.has(k)).sort()).toEqual([...PUBLIC].sort());
  });

  it('answers 401 to every other endpoint without a token, with a forged token, and with an expired one', async () => {
    const forged = `${tokens.ownClinicAdmin!.slice(0, -4)}AAAA`;
    const unsigned = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${Buffer.from(JSON.stringify({ sub: 'x', role: 'admin', clinics: ['*'], iss: 'rapport' })).toString('base64url')}.`;
    const results: string[] = [];
    for (const op of operations.filter((o) => !PUBLIC.has(o.key))) {
      for (const [what, token] of [['none', undefined], ['forged', forged], ['alg none', unsigned]] as const) {
        const { status } = await send(op, token);
        if (status !== 401) results.push(`${op.key} with ${what} token → ${status}`);
      }
    }
    expect(results).toEqual([]);
    // Signed with the app's own secret for a minute of the app's clock: taken until its time is
    // up, refused from its exp on (jose: exp <= now), even though it was checked and remembered
    // before. The test clock moves, so nothing waits; it is put back for the tests that follow.
    const signedAt = running.clock.now().toString();
    const expiring = await running.app.get<TokenKeys>(TOKEN_KEYS).sign!({ userId: 'u', role: 'admin', clinics: ['*'] }, 60);
    try {
      expect((await running.api.get('/v1/clinics/c1', { authorization: `Bearer ${expiring}` })).status).toBe(200);
      running.clock.advance({ seconds: 59 });
      expect((await running.api.get('/v1/clinics/c1', { authorization: `Bearer ${expiring}` })).status).toBe(200);
      running.clock.advance({ seconds: 1 });
      expect((await running.api.get('/v1/clinics/c1', { authorization: `Bearer ${expiring}` })).status).toBe(401);
    } finally {
      running.clock.set(signedAt);
    }
    expect((await running.api.anonymous().get('/health')).status).toBe(200);
  });

  it('answers 403 to a token of another clinic wherever a request names the clinic, and shows it nothing of that clinic elsewhere', async () => {
    const wrong: string[] = [];
    for (const op of operations.filter((o) => !PUBLIC.has(o.key))) {
      const sample = table[op.key]!;
      const { status, body } = await send(op, tokens.otherClinicAdmin);
      if (sample.otherClinic === 'forbidden' && status !== 403) wrong.push(`${op.key} → ${status}, not 403`);
      if (sample.otherClinic === 'scoped' && op.key !== 'GET /v1/events/stream') {
        if (status !== 200) wrong.push(`${op.key} → ${status}, not 200`);
        else if (!sample.holdsNothingOfC1!(body)) wrong.push(`${op.key} showed clinic c1's data to a c2 token: ${JSON.stringify(body).slice(0, 300)}`);
      }
    }
    expect(wrong).toEqual([]);
    // The patient is found from the event when a correction names none: still refused.
    const events = (await running.api.get('/v1/patients/p1/events')).body.events as { eventId: string; type: string }[];
    const call = events.find((e) => e.type === 'CallAttempted')!;
    const unnamed = await running.api.as(tokens.otherClinicAdmin!).post(`/v1/corrections`, { eventId: call.eventId, reason: 'x', outcome: 'busy' });
    expect(unnamed.status).toBe(403);
    // Without a clinicId the audit export answers, with the token's clinics only.
    const attempts = await running.api.as(tokens.otherClinicAdmin!).get('/v1/audit/attempts');
    expect(attempts.status).toBe(200);
    expect(attempts.body.attempts).toEqual([]);
  });

  it('streams a token of another clinic only its own clinic’s events', async () => {
    const page = await running.api.as(tokens.otherClinicAdmin!).get('/v1/events?limit=1000');
    const own = page.body.events.length as number;
    expect(own).toBeGreaterThan(0);
    const sse = await SseReader.open(`${running.url}/v1/events/stream`, { authorization: `Bearer ${tokens.otherClinicAdmin}` });
    await sse.waitFor((r) => r.messages.length >= own, 'the c2 history');
    sse.disconnect();
    expect(sse.messages.map((m) => JSON.parse(m.data).data.clinicId).filter((c: string) => c !== 'c2')).toEqual([]);
  });

  it('lets a token of the clinic through every endpoint (no 401, no 403), and shows it the clinic’s data', async () => {
    const refused: string[] = [];
    // Erasure last: it changes what the patient's record shows.
    const ordered = [...operations].sort((a, b) => Number(a.key.endsWith('/erasure')) - Number(b.key.endsWith('/erasure')));
    for (const op of ordered.filter((o) => !PUBLIC.has(o.key))) {
      // Verification walks every clinic: only a token for all of them may ask (checked above with c2).
      const token = op.key === 'GET /v1/audit/verify' || op.key === 'GET /v1/audit/anchor' ? await running.api.bearer() : tokens.ownClinicAdmin;
      const { status, body } = await send(op, token);
      if (status === 401 || status === 403 || status >= 500) refused.push(`${op.key} → ${status} ${JSON.stringify(body)?.slice(0, 200)}`);
      if (HOLDS_C1[op.key] && !HOLDS_C1[op.key]!(body)) refused.push(`${op.key} showed none of clinic c1's data to a c1 token`);
    }
    expect(refused).toEqual([]);
  });

  it('refuses every write to an auditor and every request but the feed to an integration', async () => {
    const wrong: string[] = [];
    for (const op of operations.filter((o) => !PUBLIC.has(o.key))) {
      const write = op.method !== 'GET';
      const auditor = await send(op, tokens.auditor);
      if (write && auditor.status !== 403) wrong.push(`auditor ${op.key} → ${auditor.status}, not 403`);
      if (!write && (auditor.status === 401 || auditor.status === 403)) wrong.push(`auditor ${op.key} → ${auditor.status}: an auditor reads everything`);
      const feed = op.path.startsWith('/v1/events');
      const integration = await send(op, tokens.integration);
      if (!feed && integration.status !== 403) wrong.push(`integration ${op.key} → ${integration.status}, not 403`);
      if (feed && integration.status !== 200) wrong.push(`integration ${op.key} → ${integration.status}, not 200`);
    }
    expect(wrong).toEqual([]);
  });
});
