import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import * as ts from 'typescript';
import { unmappedConstraints } from '../../apps/api/src/http/openapi-bodies';
import type { Principal } from '@rapport/access';
import { RunningApp, startApp } from '../support/in-process-app';
import { Answer, Contract, Operation, operationsOf } from '../support/openapi-contract';

/**
 * The OpenAPI document at /docs-json, held to what the server does, with tools nobody here wrote:
 * it lints clean under Redocly's recommended rules and spectral:oas; every operation is driven with
 * valid and invalid requests and every answer (status, headers, content type, body) is checked
 * against it with ajv; bodies json-schema-faker makes from it are taken unless a domain rule
 * refuses them, and bodies it does not allow are refused; the client types openapi-typescript
 * makes from it type-check against the requests sent and the answers received.
 */

const run = promisify(execFile);
const ROOT = resolve(__dirname, '../..');
const BIN = join(ROOT, 'node_modules', '.bin');
/** What the linters may say: /health and /metrics answer no 4xx, whatever they are sent. */
const REDOCLY_WARNINGS_ALLOWED = ['operation-4xx-response GET /health', 'operation-4xx-response GET /metrics'];

type Json = Record<string, any>;

interface Sent {
  op: Operation;
  path?: Record<string, string>;
  query?: Record<string, string>;
  body?: unknown;
  headers?: Record<string, string>;
  /** Who asks: the admin of every clinic unless told (null: no token). */
  as?: Principal | null;
}

describe('the OpenAPI document at /docs-json', () => {
  let running: RunningApp;
  let document: Json;
  let contract: Contract;
  let operations: Operation[];
  let temp: string;
  let docFile: string;
  const problems: string[] = [];
  /** Each operation's answers: status per request. */
  const seen = new Map<string, number[]>();
  /** The valid bodies sent and the 2xx JSON answers got, for the typed client. */
  const typedUses: { op: Operation; kind: 'body' | 'answer'; status?: number; value: unknown }[] = [];

  beforeAll(async () => {
    running = await startApp({ now: '2026-11-24T03:00:00Z', config: { minPositionTimeoutMs: 300 } });
    const answer = await running.api.anonymous().get('/docs-json');
    expect(answer.status).toBe(200);
    document = answer.body;
    contract = new Contract(document);
    operations = operationsOf(document);
    temp = mkdtempSync(join(tmpdir(), 'rapport-openapi-'));
    docFile = join(temp, 'openapi.json');
    writeFileSync(docFile, JSON.stringify(document, null, 2));
  });

  afterAll(async () => {
    await running?.close();
    if (temp) rmSync(temp, { recursive: true, force: true });
  });

  const op = (key: string): Operation => {
    const found = operations.find((o) => o.key === key);
    if (!found) throw new Error(`${key} is not in the document`);
    return found;
  };

  async function redocly(file: string): Promise<{ rule: string; severity: string; where: string }[]> {
    const { stdout } = await run(join(BIN, 'redocly'), ['lint', file, '--format=json'], {
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NO_COLOR: '1' },
      maxBuffer: 64 << 20,
    }).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }));
    const report = JSON.parse(stdout.slice(stdout.indexOf('{'))) as { problems: { ruleId: string; severity: string; location: { pointer: string }[] }[] };
    return report.problems.map((p) => ({ rule: p.ruleId, severity: p.severity, where: pointerToOperation(p.location[0]?.pointer ?? '') }));
  }

  async function spectral(file: string): Promise<{ rule: string; severity: number; where: string; message: string }[]> {
    const ruleset = join(temp, '.spectral.yaml');
    writeFileSync(ruleset, 'extends: ["spectral:oas"]\n');
    const { stdout } = await run(join(BIN, 'spectral'), ['lint', file, '--ruleset', ruleset, '--format', 'json', '--quiet'], { maxBuffer: 64 << 20 }).catch(
      (error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }),
    );
    const results = JSON.parse(stdout.trim() || '[]') as { code: string; severity: number; path: string[]; message: string }[];
    return results.map((r) => ({ rule: r.code, severity: r.severity, where: r.path.join('.'), message: r.message }));
  }

  /** `#/paths/~1health/get/responses` → `GET /health`. */
  function pointerToOperation(pointer: string): string {
    const match = /^#\/paths\/([^/]+)\/([a-z]+)/.exec(pointer);
    return match ? `${match[2]!.toUpperCase()} ${match[1]!.replace(/~1/g, '/').replace(/~0/g, '~')}` : pointer;
  }

  it('lints with no error under Redocly’s recommended rules (and no warning but the two it cannot help)', async () => {
    const found = await redocly(docFile);
    expect(found.filter((p) => p.severity === 'error')).toEqual([]);
    expect(found.map((p) => `${p.rule} ${p.where}`).sort()).toEqual(REDOCLY_WARNINGS_ALLOWED);
  });

  it('lints with no error and no warning under spectral:oas', async () => {
    const found = await spectral(docFile);
    // 0 error, 1 warn, 2 info, 3 hint
    expect(found.filter((p) => p.severity <= 1)).toEqual([]);
  });

  it('would notice an operation without a summary or a description, and an undeclared tag', async () => {
    const broken = structuredClone(document);
    delete broken.paths['/v1/calls'].post.summary;
    delete broken.paths['/v1/calls'].post.description;
    broken.paths['/v1/calls'].post.tags = ['nowhere'];
    const file = join(temp, 'broken.json');
    writeFileSync(file, JSON.stringify(broken));
    expect((await redocly(file)).filter((p) => p.severity === 'error').map((p) => `${p.rule} ${p.where}`)).toContain('operation-summary POST /v1/calls');
    expect((await spectral(file)).map((p) => p.rule)).toEqual(expect.arrayContaining(['operation-description', 'operation-tag-defined']));
  });

  it('describes every validation decorator of the request DTOs', () => {
    expect(unmappedConstraints(document as never)).toEqual([]);
  });

  it('gives every operation a summary, a description, a tag, an operationId, a 2xx with a body, and the error body on every 4xx and 5xx', () => {
    const wrong: string[] = [];
    for (const o of operations) {
      const { summary, description, tags, operationId, responses } = o.operation;
      if (!summary || !description || !tags?.length || !operationId) wrong.push(`${o.key}: summary, description, tag or operationId missing`);
      const statuses = Object.keys(responses ?? {});
      const ok = statuses.filter((s) => s.startsWith('2'));
      if (ok.length === 0 || ok.some((s) => !responses[s].content)) wrong.push(`${o.key}: no 2xx body`);
      for (const s of statuses.filter((s) => /^[45]/.test(s))) {
        if (responses[s].content?.['application/json']?.schema?.$ref !== '#/components/schemas/ErrorBody') wrong.push(`${o.key}: ${s} without the error body`);
      }
      const ownSchemas = ok.flatMap((s) => Object.values(responses[s].content ?? {}) as Json[]).filter((m) => m.schema?.type === 'object' && m.schema.properties);
      if (ownSchemas.length > 0) wrong.push(`${o.key}: an inline 2xx schema, not a named one`);
      const isPublic = Array.isArray(o.operation.security) && o.operation.security.length === 0;
      if (isPublic !== ['GET /health', 'GET /metrics', 'POST /v1/auth/local-sign-in'].includes(o.key)) wrong.push(`${o.key}: public is ${isPublic}`);
      if (!isPublic && !responses['401']) wrong.push(`${o.key}: needs a token but declares no 401`);
      if (o.method !== 'GET' && (!responses['201']?.headers?.['X-Rapport-Position'] || !o.operation.parameters?.some((p: Json) => p.name === 'Idempotency-Key'))) {
        if (o.key !== 'POST /v1/auth/local-sign-in') wrong.push(`${o.key}: a command without X-Rapport-Position or Idempotency-Key`);
      }
    }
    expect(wrong).toEqual([]);
    expect(document.servers?.length).toBeGreaterThan(0);
    expect(document.info.license?.name).toBeTruthy();
  });

  // ---------------------------------------------------------------------------------------------
  // Every operation, driven.

  /** Sends a request, checks it against the document (a valid one must be valid there), checks the answer, keeps what was seen. */
  async function send(request: Sent, expectation: 'ok' | number | ((status: number) => boolean) = 'ok'): Promise<Answer & { json: any }> {
    const { op: o } = request;
    const path = o.path.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(request.path?.[name] ?? `missing-${name}`));
    const query = new URLSearchParams(request.query ?? {}).toString();
    const url = `${running.url}${path}${query ? `?${query}` : ''}`;
    const as = request.as === undefined ? undefined : request.as;
    const token = as === null ? undefined : as ? await running.token(as) : await running.api.bearer();
    const headers: Record<string, string> = {
      ...(request.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...request.headers,
    };
    const abort = new AbortController();
    const response = await fetch(url, { method: o.method, headers, body: request.body === undefined ? undefined : typeof request.body === 'string' ? request.body : JSON.stringify(request.body), signal: abort.signal });
    const streaming = (response.headers.get('content-type') ?? '').startsWith('text/event-stream');
    // The SSE stream goes on for ever: its headers are the answer.
    const text = streaming ? '' : await response.text();
    if (streaming) abort.abort();
    const answer = { status: response.status, headers: response.headers, text };
    const label = `${o.key} ${JSON.stringify({ path: request.path, query: request.query, body: request.body })?.slice(0, 300)}`;
    const met = expectation === 'ok' ? answer.status >= 200 && answer.status < 300 : typeof expectation === 'number' ? answer.status === expectation : expectation(answer.status);
    if (!met) problems.push(`${label} → ${answer.status} (expected ${typeof expectation === 'function' ? 'another' : expectation}): ${text.slice(0, 300)}`);
    problems.push(...contract.answerProblems(o, answer).map((p) => `${p} [${label}]`));
    seen.set(o.key, [...(seen.get(o.key) ?? []), answer.status]);
    let json: any;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    if (answer.status >= 200 && answer.status < 300) {
      // A request the server took must be one the document allows.
      if (request.body !== undefined) problems.push(...contract.bodyProblems(o, request.body).map((p) => `${label}: the server took a body the document refuses: ${p}`));
      for (const [name, value] of Object.entries(request.query ?? {})) problems.push(...contract.parameterProblems(o, 'query', name, value).map((p) => `${label}: taken, yet ${p}`));
      if (request.body !== undefined && typeof request.body === 'object') typedUses.push({ op: o, kind: 'body', value: request.body });
      if (json !== undefined && (answer.headers.get('content-type') ?? '').startsWith('application/json')) typedUses.push({ op: o, kind: 'answer', status: answer.status, value: json });
    }
    return { ...answer, json };
  }

  const position = (answer: Answer) => answer.headers.get('x-rapport-position') ?? '0';

  it('drives every operation with valid requests: each answer is one the document declares', async () => {
    const { clock } = running;
    const configure = op('PUT /v1/clinics/{clinicId}');
    const clinic = {
      timeZone: 'Asia/Shanghai',
      callWindows: ['10:30', '16:00'],
      name: '微笑口腔',
      maxAttempts: 3,
      prospectMaxAttempts: 6,
      seniorDoctorIds: ['dr-wang'],
      workHours: { days: [1, 2, 3, 4, 5, 6], from: '09:00', to: '18:00' },
      inquiryFirstCallMinutes: { wechat: 15 },
      windowsByWeekday: { '6': ['10:30'] },
      closedWeekdays: [7],
      closedDates: ['2027-02-17'],
      urgentRules: { missed_appointment: { deadlineMinutes: 30, expiryHours: 6 } },
    };
    await send({ op: configure, path: { clinicId: 'c1' }, body: clinic, headers: { 'Idempotency-Key': 'k-clinic' } });
    const replay = await send({ op: configure, path: { clinicId: 'c1' }, body: clinic, headers: { 'Idempotency-Key': 'k-clinic' } });
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    await send({ op: configure, path: { clinicId: 'c2' }, body: { timeZone: 'Asia/Shanghai', callWindows: ['10:30'] } });
    const gotClinic = await send({ op: op('GET /v1/clinics/{clinicId}'), path: { clinicId: 'c1' } });
    expect(gotClinic.headers.get('etag')).toMatch(/^"\d+"$/);

    const treat = op('POST /v1/treatments');
    await send({ op: treat, body: { treatmentId: 't1', patientId: 'p1', clinicId: 'c1', doctorId: 'dr-li', procedure: 'extraction', completedAt: '2026-11-23T06:00:00Z', patient: { name: '王伟', phone: '+86 138 0013 8000' }, needsProsthesis: true } });
    // A local time with its zone, as a string (RFC 9557).
    await send({ op: treat, body: { treatmentId: 't2', patientId: 'p2', clinicId: 'c1', doctorId: 'dr-li', procedure: 'root_canal_treatment', completedAt: '2026-11-24T02:00:00+08:00[Asia/Shanghai]', restored: false } });
    await send({ op: treat, body: { treatmentId: 't3', patientId: 'p3', clinicId: 'c1', doctorId: 'dr-li', procedure: 'scaling', completedAt: '2026-11-23T06:00:00Z', patient: { name: '李娜' } } });

    const callOp = op('POST /v1/calls');
    const reached = await send({
      op: callOp,
      body: {
        patientId: 'p1', callerId: 'nurse-zhang', startedAt: '2026-11-24T02:40:00Z', outcome: 'reached', followUpId: 'p1.fu1', durationSeconds: 120, notes: '牙龈偶有出血',
        satisfaction: 2, symptoms: 'swelling', complaint: true, dissatisfied: false,
        // A local time as { at, timeZone }.
        nextContact: { at: { at: '2026-12-08T16:00:00+08:00', timeZone: 'Asia/Shanghai' }, purpose: 'Ask whether the swelling has gone' },
      },
    });
    const callId = reached.json.callId as string;
    // A call with what it produced, recorded with it.
    await send({
      op: callOp,
      body: {
        patientId: 'p3', callerId: 'nurse-zhang', startedAt: '2026-11-24T02:50:00Z', outcome: 'reached',
        objections: [{ kind: 'trivial', topic: 'time', method: 'convert', resolved: true, answerable: false, note: 'busy at work' }],
        referrals: [{ referred: { name: '李雷', relation: 'colleague' }, note: 'a colleague' }],
        appointment: { scheduledFor: '2026-11-30T02:00:00Z', doctorId: 'dr-li', note: 'a check-up' },
        preferences: { preferredTimes: ['12:00-13:00'], vip: true },
      },
    });
    await send({ op: callOp, body: { patientId: 'p2', callerId: 'nurse-zhang', startedAt: '2026-11-24T02:45:00Z', outcome: 'call_back_later', callBackAt: '2026-11-25T10:00:00+08:00' } });
    await send({ op: op('POST /v1/objections'), body: { patientId: 'p1', callerId: 'nurse-zhang', kind: 'sincere', topic: 'cost', method: 'inform', resolved: false, answerable: true, callId, note: '嫌贵' } });
    await send({ op: op('POST /v1/referrals'), body: { patientId: 'p1', callerId: 'nurse-zhang', referred: { name: '王芳', phone: '+86 139 0000 0000', relation: 'sister' }, note: 'her sister' } });
    const book = op('POST /v1/appointments');
    const apt1 = (await send({ op: book, body: { patientId: 'p1', clinicId: 'c1', scheduledFor: '2026-11-24T05:00:00Z', callerId: 'nurse-zhang', callId } })).json.appointmentId as string;
    const apt2 = (await send({ op: book, body: { patientId: 'p1', clinicId: 'c1', scheduledFor: { at: '2026-11-24T14:00:00+08:00', timeZone: 'Asia/Shanghai' } } })).json.appointmentId as string;
    await send({ op: op('POST /v1/inquiries'), body: { patientId: 'q1', clinicId: 'c1', receivedAt: '2026-11-24T02:00:00Z', channel: 'wechat', convenientAt: '2026-11-24T16:00:00+08:00[Asia/Shanghai]', concern: '想了解种植牙', patient: { name: '李娜' } } });

    const readPreferences = op('GET /v1/patients/{patientId}/preferences');
    const preferences = await send({ op: readPreferences, path: { patientId: 'p1' } });
    await send({
      op: op('PUT /v1/patients/{patientId}/preferences'),
      path: { patientId: 'p1' },
      body: { preferredTimes: ['12:00-13:00', '22:00-07:00'], avoidWorkHours: false, doNotCall: false, specialDates: [{ kind: 'birthday', date: '03-15' }], vip: true },
      headers: { 'If-Match': preferences.headers.get('etag')! },
    });
    await send({ op: op('PATCH /v1/patients/{patientId}/preferences'), path: { patientId: 'p1' }, body: { vip: false, preferredTimes: null } });
    await send({ op: readPreferences, path: { patientId: 'p1' } });

    const add = op('POST /v1/patients/{patientId}/follow-ups');
    const moved = (await send({ op: add, path: { patientId: 'p1' }, body: { purpose: 'How does the new denture feel?', dueAt: '2026-12-01T02:30:00Z', assigneeId: 'dr-li', note: 'after meals' } })).json.followUpId as string;
    const cancelled = (await send({ op: add, path: { patientId: 'p1' }, body: { purpose: 'Greet', dueAt: '2026-12-01T02:30:00Z' } })).json.followUpId as string;
    await send({ op: op('POST /v1/follow-ups/{followUpId}/move'), path: { followUpId: moved }, body: { dueAt: '2026-12-02T02:30:00Z', reason: 'travelling' } });
    await send({ op: op('POST /v1/follow-ups/{followUpId}/cancel'), path: { followUpId: cancelled }, body: { reason: 'moved away' } });

    if (operations.some((o) => o.key === 'POST /v1/follow-ups/{followUpId}/claim')) {
      await send({ op: op('POST /v1/follow-ups/{followUpId}/claim'), path: { followUpId: moved }, body: { minutes: 5 } });
    }
    if (operations.some((o) => o.key === 'PUT /v1/clinics/{clinicId}/staff/{staffId}')) {
      await send({ op: op('PUT /v1/clinics/{clinicId}/staff/{staffId}'), path: { clinicId: 'c1', staffId: 'dr-li' }, body: { name: '李医生', role: 'doctor', active: true } });
      await send({ op: op('GET /v1/clinics/{clinicId}/staff'), path: { clinicId: 'c1' } });
    }
    const events = await send({ op: op('GET /v1/patients/{patientId}/events'), path: { patientId: 'p1' } });
    const callEvent = (events.json.events as { eventId: string; type: string }[]).find((e) => e.type === 'CallAttempted')!;
    await send({ op: op('POST /v1/corrections'), body: { eventId: callEvent.eventId, patientId: 'p1', reason: 'it was three minutes', durationSeconds: 180 } });
    if (operations.some((o) => o.key === 'POST /v1/patients/{patientId}/personal-details')) {
      await send({ op: op('POST /v1/patients/{patientId}/personal-details'), path: { patientId: 'p1' }, body: { phone: '+86 138 0013 8001', reason: 'a new number' } });
    }

    clock.set('2026-11-24T07:00:00Z');
    await send({ op: op('POST /v1/appointments/{appointmentId}/attended'), path: { appointmentId: apt1 }, body: { at: '2026-11-24T05:05:00Z' } });
    const last = await send({ op: op('POST /v1/appointments/{appointmentId}/missed'), path: { appointmentId: apt2 }, body: { at: '2026-11-24T06:30:00Z' } });
    const minPosition = position(last);

    const timeline = await send({ op: op('GET /v1/patients/{patientId}/timeline'), path: { patientId: 'p1' }, query: { minPosition } });
    expect(timeline.headers.get('etag')).toMatch(/^"\d+"$/);
    const queue = op('GET /v1/clinics/{clinicId}/queue');
    await send({ op: queue, path: { clinicId: 'c1' }, query: { minPosition, at: '2026-11-25T03:00:00Z', callerId: 'nurse-zhang', limit: '20', role: 'caller' } });
    await send({ op: queue, path: { clinicId: 'c1' }, query: { at: '2026-11-24T15:00:00+08:00[Asia/Shanghai]', role: 'doctor' } });
    await send({ op: op('GET /v1/doctors/{doctorId}/queue'), path: { doctorId: 'dr-li' }, query: { minPosition, at: '2026-12-10T00:00:00Z', limit: '10' } });
    await send({ op: op('GET /v1/doctors/{doctorId}/feedback'), path: { doctorId: 'dr-li' }, query: { minPosition, from: '2026-11-01T00:00:00Z', to: '2026-12-01T00:00:00Z' } });
    await send({ op: op('GET /v1/callers/{callerId}/metrics'), path: { callerId: 'nurse-zhang' }, query: { minPosition, from: '2026-11-01T00:00:00Z' } });
    await send({ op: op('GET /v1/clinics/{clinicId}/callers/metrics'), path: { clinicId: 'c1' }, query: { minPosition, to: '2026-12-01T00:00:00Z' } });
    const range = { from: '2026-11-01T00:00:00Z', to: '2026-12-31T00:00:00Z' };
    await send({ op: op('GET /v1/clinics/{clinicId}/reports/best-times'), path: { clinicId: 'c1' }, query: { minPosition, ...range } });
    await send({ op: op('GET /v1/clinics/{clinicId}/reports/weekly'), path: { clinicId: 'c1' }, query: { minPosition, week: '2026-W48' } });
    for (const report of ['appointments', 'objections', 'referrals', 'effectiveness', 'doctors', 'prospects', 'urgent']) {
      const reportOp = op(`GET /v1/clinics/{clinicId}/reports/${report}`);
      await send({ op: reportOp, path: { clinicId: 'c1' }, query: { minPosition, ...range } });
      const csv = await send({ op: reportOp, path: { clinicId: 'c1' }, query: { ...range, format: 'csv' } });
      expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    }
    await send({ op: op('GET /v1/clinics/{clinicId}/reports/effectiveness'), path: { clinicId: 'c1' }, query: { by: 'rule', format: 'json' } });
    if (operations.some((o) => o.key === 'GET /v1/clinics/{clinicId}/follow-ups')) {
      for (const status of ['needs_number', 'unreachable', 'expired']) await send({ op: op('GET /v1/clinics/{clinicId}/follow-ups'), path: { clinicId: 'c1' }, query: { status, minPosition } });
    }
    const attempts = op('GET /v1/audit/attempts');
    await send({ op: attempts, query: { clinicId: 'c1', patientId: 'p1', callerId: 'nurse-zhang', minPosition, ...range } });
    await send({ op: attempts, query: { clinicId: 'c1', format: 'csv' } });
    await send({ op: op('GET /v1/audit/access'), query: { clinicId: 'c1', patientId: 'p1', userId: 'test-admin', limit: '10', minPosition } });
    await send({ op: op('GET /v1/audit/verify') });
    // Anchored once the log is anchored; before that a 409 the document declares.
    await send({ op: op('GET /v1/audit/anchor') }, (status) => status === 200 || status === 409);
    await send({ op: op('GET /v1/events'), query: { after: '0', limit: '1000', minPosition } });
    await send({ op: op('GET /v1/events/stream'), query: { after: '0', minPosition } });
    await send({ op: op('GET /v1/events/stream'), headers: { 'Last-Event-ID': '3' } });
    await send({ op: op('GET /health'), as: null });
    await send({ op: op('GET /metrics'), as: null });
    await send({ op: op('POST /v1/auth/local-sign-in'), body: { role: 'caller', clinicId: 'c1', userId: 'nurse-zhang' }, as: null });
    await send({ op: op('POST /v1/patients/{patientId}/erasure'), path: { patientId: 'p3' }, body: { reason: 'the patient asked' } });

    expect(problems).toEqual([]);
    const without2xx = operations.filter((o) => !(seen.get(o.key) ?? []).some((s) => s >= 200 && s < 300)).map((o) => o.key);
    // The anchor answers 409 until something is anchored (a graceful close, or the periodic anchoring).
    expect(without2xx.filter((k) => k !== 'GET /v1/audit/anchor')).toEqual([]);
  });

  it('drives every operation with invalid requests: each refusal is one the document declares', async () => {
    const other: Principal = { userId: 'admin-c2', role: 'admin', clinics: ['c2'] };
    const ids: Record<string, string> = { clinicId: 'c1', patientId: 'p1', callerId: 'nurse-zhang', doctorId: 'dr-li', followUpId: 'p1.fu2', appointmentId: 'p1.apt1' };
    const sample = (o: Operation): Record<string, string> => Object.fromEntries([...o.path.matchAll(/\{([^}]+)\}/g)].map((m) => [m[1]!, ids[m[1]!] ?? 'x']));
    for (const o of operations) {
      const isPublic = Array.isArray(o.operation.security) && o.operation.security.length === 0;
      const path = sample(o);
      const schema = o.operation.requestBody?.content?.['application/json']?.schema;
      const required = o.operation.parameters?.filter((p: Json) => p.in === 'query' && p.required) as Json[] | undefined;
      const query = Object.fromEntries((required ?? []).map((p) => [p.name, p.schema?.enum?.[0] ?? (p.name === 'week' ? '2026-W48' : 'x')]));
      if (!isPublic) await send({ op: o, path, query, body: schema ? {} : undefined, as: null }, 401);
      // Ids that are not ids.
      for (const name of Object.keys(path)) {
        await send({ op: o, path: { ...path, [name]: name.endsWith('Id') && ['followUpId', 'appointmentId'].includes(name) ? 'p1.call1' : 'not an id!' }, query, body: schema ? {} : undefined }, 400);
      }
      // Query parameters of the wrong kind.
      for (const parameter of (o.operation.parameters ?? []) as Json[]) {
        if (parameter.in !== 'query') continue;
        const bad = parameter.schema?.type === 'integer' ? '-1' : parameter.schema?.enum ? 'bogus' : parameter.schema?.oneOf ? '2026-02-30T00:00:00Z' : parameter.schema?.pattern ? 'not valid!' : undefined;
        if (bad === undefined) continue;
        const sent = { ...query, [parameter.name]: bad };
        expect({ [o.key]: contract.parameterProblems(o, 'query', parameter.name, bad).length > 0 }).toEqual({ [o.key]: true });
        await send({ op: o, path, query: sent }, 400);
      }
      // An unknown query parameter, where the route reads a query (a route that reads none ignores it).
      if (o.operation.parameters?.some((p: Json) => p.in === 'query')) await send({ op: o, path, query: { ...query, bogus: '1' } }, 400);
      if (!schema) continue;
      // Bodies the document refuses, made from one the server took: the server refuses them too (400), naming the field.
      const valid = typedUses.find((u) => u.op.key === o.key && u.kind === 'body')?.value as Json | undefined;
      if (!valid) {
        problems.push(`${o.key}: no valid body was sent to make invalid ones from`);
        continue;
      }
      const component = document.components.schemas[String(schema.$ref).replace('#/components/schemas/', '')] as Json;
      const bodies: [string, unknown][] = [
        ['not an object', [valid]],
        ['an unknown field', { ...valid, unknownField: 1 }],
        ['an unknown field as null', { ...valid, unknownField: null }],
      ];
      for (const name of (component.required ?? []) as string[]) {
        const { [name]: _dropped, ...rest } = valid;
        bodies.push([`${name} left out`, rest]);
      }
      for (const [name, property] of Object.entries((component.properties ?? {}) as Record<string, Json>)) {
        const wrong = property.type === 'string' || property.oneOf ? 12345 : 'a string';
        bodies.push([`${name} of the wrong type`, { ...valid, [name]: wrong }]);
      }
      for (const [what, body] of bodies) {
        const refused = contract.bodyProblems(o, body);
        if (refused.length === 0) problems.push(`${o.key}: the document takes a body it should refuse (${what}): ${JSON.stringify(body).slice(0, 200)}`);
        const answer = await send({ op: o, path, body }, 400);
        if (answer.status === 400 && !Array.isArray(answer.json?.details)) problems.push(`${o.key} (${what}): a 400 without details`);
      }
    }
    // The refusals only some requests meet.
    await send({ op: op('GET /v1/clinics/{clinicId}'), path: { clinicId: 'c1' }, as: other }, 403);
    await send({ op: op('GET /v1/clinics/{clinicId}'), path: { clinicId: 'nowhere' } }, 404);
    await send({ op: op('GET /v1/patients/{patientId}/timeline'), path: { patientId: 'nobody' } }, 404);
    await send({ op: op('POST /v1/calls'), body: { patientId: 'p1', callerId: 'someone-else', startedAt: '2026-11-24T06:00:00Z', outcome: 'busy' }, as: { userId: 'nurse-zhang', role: 'caller', clinics: ['c1'] } }, 403);
    await send({ op: op('PUT /v1/clinics/{clinicId}'), path: { clinicId: 'c1' }, body: { timeZone: 'Asia/Tokyo', callWindows: ['10:30'] }, headers: { 'Idempotency-Key': 'k-clinic' } }, 409);
    await send({ op: op('PATCH /v1/patients/{patientId}/preferences'), path: { patientId: 'p1' }, body: { vip: true }, headers: { 'If-Match': '"1"' } }, 412);
    await send({ op: op('PATCH /v1/patients/{patientId}/preferences'), path: { patientId: 'p1' }, body: { vip: true }, headers: { 'If-Match': 'yesterday' } }, 400);
    await send({ op: op('POST /v1/calls'), body: { patientId: 'p1', callerId: 'nurse-zhang', startedAt: '2026-11-24T06:00:00Z', outcome: 'busy', notes: 'x'.repeat(1_100_000) } }, 413);
    await send({ op: op('POST /v1/calls'), body: { patientId: 'p1', callerId: 'nurse-zhang', startedAt: '2026-11-29T06:00:00Z', outcome: 'busy' } }, 422);
    await send({ op: op('POST /v1/calls'), body: { patientId: 'p1', callerId: 'nurse-zhang', startedAt: { at: '2026-11-24T14:00:00+08:00', timeZone: 'Mars/Olympus_Mons' }, outcome: 'busy' } }, 422);
    await send({ op: op('POST /v1/calls'), body: { patientId: 'nobody', callerId: 'nurse-zhang', startedAt: '2026-11-24T06:00:00Z', outcome: 'busy' } }, 404);
    await send({ op: op('GET /v1/patients/{patientId}/timeline'), path: { patientId: 'p1' }, query: { minPosition: '999999' } }, 503);
    await send({ op: op('POST /v1/auth/local-sign-in'), body: { role: 'caller', clinicId: 'c1', userId: 'nurse-zhang' }, headers: { origin: 'https://example.org' }, as: null }, 403);
    expect(problems).toEqual([]);
    const without4xx = operations.filter((o) => !(seen.get(o.key) ?? []).some((s) => s >= 400 && s < 500)).map((o) => o.key);
    expect(without4xx).toEqual(['GET /health', 'GET /metrics']);
  });

  it('takes every body json-schema-faker makes from it, unless a domain rule refuses it; and checks each answer', async () => {
    const commands = operations.filter((o) => o.operation.requestBody?.content?.['application/json']?.schema);
    const script = `
      import { readFileSync, writeFileSync } from 'node:fs';
      import { createGeneratorSync } from 'json-schema-faker';
      const [docFile, outFile, keys] = process.argv.slice(1);
      // OpenAPI 3.0's own keywords mean nothing to a JSON Schema generator (it made fields of them).
      const plain = (v) => Array.isArray(v) ? v.map(plain) : v && typeof v === 'object'
        ? Object.fromEntries(Object.entries(v).filter(([k]) => k !== 'example' && k !== 'nullable').map(([k, x]) => [k, plain(x)])) : v;
      const doc = plain(JSON.parse(readFileSync(docFile, 'utf8')));
      const out = {};
      for (const key of JSON.parse(keys)) {
        const [method, path] = key.split(' ');
        const schema = doc.paths[path][method.toLowerCase()].requestBody.content['application/json'].schema;
        const generator = createGeneratorSync({ seed: 20261124, maxDefaultItems: 2, optionalsProbability: 0.6, refDepth: 3 });
        out[key] = Array.from({ length: 12 }, () => generator.generate({ ...schema, components: doc.components }));
      }
      writeFileSync(outFile, JSON.stringify(out));`;
    const outFile = join(temp, 'bodies.json');
    await run(process.execPath, ['--input-type=module', '-e', script, docFile, outFile, JSON.stringify(commands.map((o) => o.key))], { cwd: ROOT, maxBuffer: 64 << 20 });
    const generated = JSON.parse(readFileSync(outFile, 'utf8')) as Record<string, unknown[]>;
    const ids: Record<string, string> = { clinicId: 'cz', patientId: 'p2', followUpId: 'p2.fu1', appointmentId: 'p1.apt1' };
    const taken: Record<string, number> = {};
    for (const o of commands) {
      const path = Object.fromEntries([...o.path.matchAll(/\{([^}]+)\}/g)].map((m) => [m[1]!, ids[m[1]!] ?? 'x']));
      for (const body of generated[o.key] ?? []) {
        // A generator may miss a format (31 February): such a body is not one the document allows.
        if (contract.bodyProblems(o, body).length > 0) continue;
        taken[o.key] = (taken[o.key] ?? 0) + 1;
        await send({ op: o, path, body }, (status) => [201, 404, 409, 422].includes(status));
      }
    }
    expect(problems).toEqual([]);
    // Enough of them were bodies the document allows to say something.
    expect(commands.filter((o) => (taken[o.key] ?? 0) < 3).map((o) => o.key)).toEqual([]);
  });

  it('makes client types (openapi-typescript) that the requests sent and the answers got type-check against', async () => {
    const types = join(temp, 'api.d.ts');
    await run(join(BIN, 'openapi-typescript'), [docFile, '--output', types], { cwd: ROOT, maxBuffer: 64 << 20 });
    const typeOf = (o: Operation, kind: 'body' | 'answer', status?: number) =>
      kind === 'body'
        ? `paths['${o.path}']['${o.method.toLowerCase()}']['requestBody']['content']['application/json']`
        : `paths['${o.path}']['${o.method.toLowerCase()}']['responses'][${status}]['content']['application/json']`;
    const uses = typedUses.filter((u) => u.kind === 'body' || JSON.stringify(u.value).length < 200_000);
    expect(uses.length).toBeGreaterThan(60);
    const fixture = [
      "import type { components, paths } from './api';",
      // A typed use a client would write.
      "const call: paths['/v1/calls']['post']['requestBody']['content']['application/json'] = { patientId: 'p1', callerId: 'nurse-zhang', startedAt: '2026-11-24T02:40:00Z', outcome: 'no_answer' };",
      "// @ts-expect-error an outcome the API does not know",
      "const wrongOutcome: typeof call = { ...call, outcome: 'maybe' };",
      "// @ts-expect-error startedAt is required",
      "const noStart: typeof call = { patientId: 'p1', callerId: 'nurse-zhang', outcome: 'busy' };",
      "const localTime: typeof call['startedAt'] = { at: '2026-11-24T10:40:00+08:00', timeZone: 'Asia/Shanghai' };",
      "type Created = paths['/v1/calls']['post']['responses'][201];",
      "const position: Created['headers']['X-Rapport-Position'] = 12;",
      "const error: paths['/v1/calls']['post']['responses'][422]['content']['application/json'] = { statusCode: 422, error: 'Unprocessable Entity', message: 'closed', rule: 'follow_up_closed' };",
      "const item: components['schemas']['QueueItem']['dueAt'] = '2026-11-24T02:30:00Z';",
      "// @ts-expect-error the queue has no such field",
      "const unknownField: components['schemas']['ClinicQueue']['nothing'] = 1;",
      'export const used = [call, wrongOutcome, noStart, localTime, position, error, item, unknownField];',
      // Every request the server took and every JSON answer it gave, as typed values.
      ...uses.map((u, i) => `export const use${i}: ${typeOf(u.op, u.kind, u.status)} = ${JSON.stringify(u.value)};`),
    ].join('\n');
    const file = join(temp, 'client.ts');
    writeFileSync(file, fixture);
    const program = ts.createProgram([file], { strict: true, noEmit: true, skipLibCheck: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler });
    const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => {
      const where = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : undefined;
      const line = where ? fixture.split('\n')[where.line]!.slice(0, 160) : '';
      return `${ts.flattenDiagnosticMessageText(d.messageText, '\n').slice(0, 400)} — ${line}`;
    });
    expect(diagnostics).toEqual([]);
  });
});
