import { createHash, randomUUID } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { AuthenticatedRequest } from '../auth/auth.guard';
import { canonicalJson } from '@rapport/domain';
import type { CommandContext } from '../application/command-context';
import { InvalidInputException } from './errors';

const HEADER_ID = /^[A-Za-z0-9_.:-]{1,128}$/;

/** What a command carries from its HTTP request into the event metadata. */
export function requestContext(request: FastifyRequest, body: unknown): CommandContext {
  const principal = (request as AuthenticatedRequest).principal;
  // The guard sets it on every route that is not @Public; a command without one is a wiring bug.
  if (!principal) throw new Error(`no authenticated principal on ${request.method} ${request.url}`);
  const commandId = randomUUID();
  const correlation = headerValue(request, 'x-correlation-id');
  const idempotencyKey = headerValue(request, 'idempotency-key');
  const ifMatch = headerValue(request, 'if-match');
  const expectedRevision = ifMatch === undefined ? undefined : revisionOf(ifMatch);
  return {
    commandId,
    correlationId: correlation && HEADER_ID.test(correlation) ? correlation : commandId,
    principal: { userId: principal.userId, role: principal.role },
    ...(idempotencyKey ? { idempotencyKey } : {}),
    requestHash: hashRequest(request.method, request.url.split('?')[0] ?? '', body),
    ...(expectedRevision !== undefined ? { expectedRevision } : {}),
  };
}

/** An ETag as this API makes them ("12", also weak or unquoted); anything else is a 400 naming If-Match. */
function revisionOf(ifMatch: string): number {
  const match = /^(?:W\/)?"?(-?\d{1,15})"?$/.exec(ifMatch.trim());
  if (!match) throw new InvalidInputException([{ field: 'If-Match', message: 'If-Match must be an ETag this API gave, e.g. "12"' }]);
  return Number(match[1]);
}

function headerValue(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The same method, path and body (whatever its key order) hash the same. */
export function hashRequest(method: string, path: string, body: unknown): string {
  return createHash('sha256').update(`${method} ${path}\n${canonicalJson(body)}`).digest('hex');
}
