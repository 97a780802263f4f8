import { applyDecorators, Type } from '@nestjs/common';
import { ApiExtraModels, ApiHeader, ApiOperation, ApiProperty, ApiPropertyOptional, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import type { HeaderObject, OpenAPIObject, ParameterObject, ResponseObject } from '@nestjs/swagger';
import { CLIENT_ID } from './validation';

/**
 * The OpenAPI contract of a route, told with decorators next to it: `ApiCommand` and `ApiRead`
 * bundle the operation, its answer as a named schema, the headers it sends, and the errors it can
 * give (each with the error body below). `finishDocument` (app.factory.ts) adds the global parts.
 */

/** One field a 400 names. */
export class ErrorDetail {
  @ApiProperty({ example: 'startedAt', description: 'the field, as a dotted path (`patient.phone`, `callWindows.0`), or a header name' }) field!: string;
  @ApiProperty({ example: 'durationSeconds must not be greater than 86400' }) message!: string;
}

/** Every error answer (apps/api/src/http/errors.ts). */
export class ErrorBody {
  @ApiProperty({ type: 'integer', example: 422 }) statusCode!: number;
  @ApiProperty({ example: 'Unprocessable Entity', description: 'the status as words' }) error!: string;
  @ApiProperty({ example: 'a call on a follow-up that is closed cannot be recorded against it' }) message!: string;
  @ApiPropertyOptional({ example: 'follow_up_closed', description: 'a stable code for the refusal a client can translate (docs/api.md lists them)' }) rule?: string;
  @ApiPropertyOptional({ type: [ErrorDetail], description: 'a 400: each bad field (at most 20, then one saying how many more)' }) details?: ErrorDetail[];
}

const ERRORS: Record<number, string> = {
  400: 'Bad input: `details` names each bad field (unknown fields included), header or query parameter.',
  401: 'No valid bearer token.',
  403: 'The token’s role or clinics do not cover this request (or its body names someone else as the caller).',
  404: 'The record or clinic it names does not exist.',
  409: 'A conflict; or the Idempotency-Key came before with another request.',
  412: 'If-Match names a revision the record has moved past (`rule`: `stale_revision`); nothing was recorded.',
  413: 'The body (or an event it makes) is over 1 MiB, or the answer would be too large.',
  422: 'A domain rule refused the command; `rule` says which. Nothing was recorded.',
  503: 'Storage refuses writes (with Retry-After), or the projections the answer needs are not there in time.',
};

const RETRY_AFTER: HeaderObject = { description: 'seconds to wait before trying again', schema: { type: 'integer', minimum: 0 } };

/** An error status, or one with what it means on this route. */
export type ErrorSpec = number | [status: number, meaning: string];

/** The errors a route can answer, each with the error body; 503 with Retry-After. */
export function ApiErrors(...specs: ErrorSpec[]): MethodDecorator {
  return applyDecorators(
    ...specs.map((spec) => {
      const [status, meaning] = Array.isArray(spec) ? spec : [spec, undefined];
      const general = ERRORS[status];
      if (!general) throw new Error(`no error description for status ${status}`);
      return ApiResponse({
        status,
        description: meaning ?? general,
        content: { 'application/json': { schema: { $ref: getSchemaPath(ErrorBody) } } },
        ...(status === 503 ? { headers: { 'Retry-After': RETRY_AFTER } } : {}),
      });
    }),
  );
}

/** What a command sends beside its body. */
const COMMAND_HEADERS: Record<string, HeaderObject> = {
  'X-Rapport-Position': {
    description: 'the global log position of the command’s last event (the head when it recorded nothing): pass it as `?minPosition=` to read your write',
    required: true,
    schema: { type: 'integer', minimum: 0 },
  },
  ETag: {
    description: 'the revision of the record the command changed (the patient’s or the clinic’s), to send back as If-Match; absent on a replay',
    schema: { type: 'string', pattern: '^"\\d+"$', example: '"12"' },
  },
  'Idempotent-Replayed': {
    description: '`true` when this is the first answer to an earlier request under the same Idempotency-Key (nothing was recorded now)',
    schema: { type: 'string', enum: ['true'] },
  },
};

export interface CommandDoc {
  operationId: string;
  summary: string;
  description: string;
  /** The 201 body: a named schema. */
  response: Type<unknown>;
  /** What the 201 means, beside the body. */
  created?: string;
  /** The error statuses besides the ones every command can answer (400, 401, 403, 409, 412, 413, 503). */
  errors?: ErrorSpec[];
}

/**
 * A command: 201 with the named body and X-Rapport-Position (ETag, Idempotent-Replayed); every
 * command takes Idempotency-Key, If-Match and X-Correlation-Id.
 */
export function ApiCommand(doc: CommandDoc): MethodDecorator {
  const own = new Set((doc.errors ?? []).map((e) => (Array.isArray(e) ? e[0] : e)));
  const common = [400, 401, 403, 409, 412, 413, 503].filter((status) => !own.has(status));
  return applyDecorators(
    ApiOperation({ operationId: doc.operationId, summary: doc.summary, description: doc.description }),
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description: 'per user: the same key with the same request again answers the first response (`Idempotent-Replayed: true`) and records nothing; with another request, 409',
      schema: { type: 'string' },
    }),
    ApiHeader({
      name: 'If-Match',
      required: false,
      description: 'an ETag this API gave (`"12"`): record only if the record is still at that revision, else 412 `stale_revision`',
      schema: { type: 'string', pattern: '^(W/)?"?-?\\d{1,15}"?$', example: '"12"' },
    }),
    ApiHeader({
      name: 'X-Correlation-Id',
      required: false,
      description: 'becomes every event’s `metadata.correlationId` when it is `[A-Za-z0-9_.:-]{1,128}` (else it is ignored and one is made)',
      schema: { type: 'string' },
    }),
    ApiResponse({ status: 201, description: doc.created ?? 'Recorded (or nothing to record); the ids it made.', type: doc.response, headers: COMMAND_HEADERS }),
    ApiErrors(...common, ...(doc.errors ?? [])),
  );
}

export interface ReadDoc {
  operationId: string;
  summary: string;
  description: string;
  /** The 200 body as JSON: a named schema. */
  response: Type<unknown>;
  /** Also answers `format=csv`: text/csv (UTF-8 with a byte-order mark). */
  csv?: boolean;
  /** Sends an ETag: the record's revision, for If-Match on the next command. */
  etag?: boolean;
  errors: ErrorSpec[];
  /** No token (and no security requirement in the document). */
  public?: boolean;
}

const CSV: ResponseObject['content'] = { 'text/csv': { schema: { type: 'string', description: 'UTF-8 with a byte-order mark, RFC 4180, CRLF; a header line, then one line per row' } } };

/** A query: 200 with the named body (and text/csv for `format=csv`). */
export function ApiRead(doc: ReadDoc): MethodDecorator {
  const json = { 'application/json': { schema: { $ref: getSchemaPath(doc.response) } } };
  return applyDecorators(
    ApiOperation({ operationId: doc.operationId, summary: doc.summary, description: doc.description, ...(doc.public ? { security: [] } : {}) }),
    ApiExtraModels(doc.response),
    ApiResponse({
      status: 200,
      description: doc.csv ? 'The answer: JSON, or CSV with `format=csv`.' : 'The answer.',
      content: doc.csv ? { ...json, ...CSV } : json,
      ...(doc.etag ? { headers: { ETag: { description: 'the record’s revision: send it back as If-Match to change the record only if nobody else has since', required: true, schema: { type: 'string', pattern: '^"\\d+"$', example: '"12"' } } } } : {}),
    }),
    ApiErrors(...doc.errors),
  );
}

/** The `?minPosition=` parameter every projection-backed query takes. */
export const MIN_POSITION_DOC = {
  type: 'integer',
  minimum: 0,
  description: 'read your writes: answer once the projections this query reads have applied the log up to this position (an X-Rapport-Position); 503 after MIN_POSITION_TIMEOUT_MS',
} as const;

// ---------------------------------------------------------------------------------------------
// The global parts of the document.

export const API_DESCRIPTION = [
  'Event-sourced patient follow-up (回访) for dental clinics and hospitals. The contract in prose: docs/api.md.',
  '',
  '- JSON in and out; answers give instants in UTC. A body instant may also be a local time with its zone (`…+08:00[Asia/Shanghai]` or `{ at, timeZone }`).',
  '- Every route but /health, /metrics and the local sign-in needs `Authorization: Bearer <JWT>`; a token reaches only its clinics.',
  '- Commands answer 201 with the ids they made and `X-Rapport-Position`; queries take `?minPosition=` to read your own writes.',
  '- `Idempotency-Key` makes a command safe to repeat; `If-Match` (an ETag) makes it conditional.',
  '- A body field or query parameter the route does not know is a 400; an optional body field sent as null counts as not sent.',
  '- Errors are `ErrorBody`: `{ statusCode, error, message, rule?, details? }`; `rule` is a stable code.',
].join('\n');

/**
 * Path ids, by name: what ClientIdPipe, FollowUpIdPipe and AppointmentIdPipe take (else 400).
 * A path parameter named otherwise is left as it is.
 */
const PATH_IDS: Record<string, { pattern: string; description: string }> = {
  clinicId: { pattern: CLIENT_ID.source, description: 'a clinic id (client-supplied)' },
  patientId: { pattern: CLIENT_ID.source, description: 'a patient id (client-supplied)' },
  callerId: { pattern: CLIENT_ID.source, description: 'a caller’s user id' },
  doctorId: { pattern: CLIENT_ID.source, description: 'a doctor’s user id' },
  staffId: { pattern: CLIENT_ID.source, description: 'a staff member’s user id' },
  followUpId: { pattern: '^[A-Za-z0-9_-]{1,64}\\.fu\\d{1,12}$', description: 'a follow-up id the server made: <patientId>.fu<n>' },
  appointmentId: { pattern: '^[A-Za-z0-9_-]{1,64}\\.apt\\d{1,12}$', description: 'an appointment id the server made: <patientId>.apt<n>' },
};

function describePathIds(document: OpenAPIObject): void {
  for (const item of Object.values(document.paths)) {
    for (const operation of Object.values(item as Record<string, { parameters?: ParameterObject[] }>)) {
      // A header declared on a controller and again on its route: the route's (the later) says it.
      if (operation.parameters) operation.parameters = operation.parameters.filter((p, i, all) => !all.slice(i + 1).some((q) => q.name === p.name && q.in === p.in));
      for (const parameter of operation.parameters ?? []) {
        const id = parameter.in === 'path' ? PATH_IDS[parameter.name] : undefined;
        if (!id) continue;
        parameter.schema = { type: 'string', pattern: id.pattern };
        parameter.description ??= id.description;
      }
    }
  }
}

/** The tags, in the order a reader meets them. */
export const TAGS: { name: string; description: string }[] = [
  { name: 'clinics', description: 'A clinic’s configuration: time zone, call windows, calendar, protocol.' },
  { name: 'recording', description: 'Commands that record what happened with a patient: treatments, calls, objections, referrals, appointments, inquiries, preferences, follow-ups, corrections.' },
  { name: 'patients', description: 'A patient’s record as stored, their preferences, and erasure of their personal data.' },
  { name: 'follow-ups', description: 'Working a follow-up: claiming it while calling.' },
  { name: 'queries', description: 'The call queues, timelines, metrics and reports, read from the projections (`?minPosition=` to read your writes).' },
  { name: 'audit', description: 'The hash chain checked, every contact attempt, every read of a record.' },
  { name: 'events', description: 'The global event log for downstream subscribers: pages, or Server-Sent Events.' },
  { name: 'auth', description: 'Local sign-in for the console on this machine.' },
  { name: 'health', description: 'Liveness, readiness and metrics.' },
];

/**
 * What no route decorator says: where the API is, under what terms, the tags' descriptions, the
 * error schema; and the request bodies' constraints as the validation pipe enforces them.
 */
export function finishDocument(document: OpenAPIObject): OpenAPIObject {
  // Relative: the API is where this document is served from.
  document.servers = [{ url: '/', description: 'this server (the document is served by the API it describes)' }];
  document.info.license = { name: 'UNLICENSED: proprietary, no licence granted (package.json)', url: 'https://docs.npmjs.com/cli/v11/configuring-npm/package-json#license' };
  describePathIds(document);
  const used = new Set(Object.values(document.paths).flatMap((item) => Object.values(item as Record<string, { tags?: string[] }>).flatMap((op) => op.tags ?? [])));
  // A tag a route uses but TAGS does not describe is still declared (the lint tests then ask for its description).
  document.tags = [...TAGS.filter((t) => used.has(t.name)), ...[...used].filter((name) => !TAGS.some((t) => t.name === name)).map((name) => ({ name }))];
  return document;
}
