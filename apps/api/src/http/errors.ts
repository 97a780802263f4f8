import { ArgumentsHost, BadRequestException, Catch, ExceptionFilter, HttpException, HttpStatus, Logger, ValidationError } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { DomainRefusal } from '@rapport/domain';
import { describeStorageFailure, EventIdConflictError, EventTooLargeError, PartialDuplicateAppendError, storageFailureOf, WrongExpectedRevisionError } from '@rapport/event-store';
import { IdempotencyKeyReusedError, NotPermittedError, PreconditionFailedError } from '../application/errors';
import { ProjectionRebuildingError } from '@rapport/projections';
import type { StorageStatus } from '../health/storage-status';

/** The error body of API.md: `{ statusCode, error, message, details?: [{ field, message }] }`. */
export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  details?: { field: string; message: string }[];
  rule?: string;
}

/** An error names at most this many fields, then `{ field: '…', message: 'and N more' }`: 60,000 bad keys once made a 4.3 MB answer. */
export const MAX_DETAILS = 20;

/** A 400 that names each bad field (the first MAX_DETAILS of them). */
export class InvalidInputException extends BadRequestException {
  readonly details: { field: string; message: string }[];

  constructor(details: { field: string; message: string }[]) {
    const shown = details.slice(0, MAX_DETAILS);
    const more = details.length - shown.length;
    super(`invalid input: ${shown.map((d) => d.field).join(', ')}${more > 0 ? ` and ${more} more` : ''}`);
    this.details = more > 0 ? [...shown, { field: '…', message: `and ${more} more` }] : shown;
  }
}

/** class-validator errors, flattened to dotted field paths (`patient.phone`, `callWindows.0`). */
export function validationDetails(errors: ValidationError[], parent = ''): { field: string; message: string }[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...validationDetails(error.children ?? [], field)];
  });
}

const REFUSAL_STATUS = { invalid: HttpStatus.BAD_REQUEST, not_found: HttpStatus.NOT_FOUND, conflict: HttpStatus.CONFLICT, rule: HttpStatus.UNPROCESSABLE_ENTITY } as const;

@Catch()
export class ErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  constructor(private readonly storage: StorageStatus) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    // Full disk, I/O error, store unreachable: the client can retry, the operator must act; no stack per request.
    const storage = storageFailureOf(exception);
    if (storage) {
      this.storage.failed(storage);
      void reply.header('retry-after', String(storage.retryAfterSeconds));
    }
    if (exception instanceof ProjectionRebuildingError) void reply.header('retry-after', '5');
    const body = storage ? { ...base(503), message: describeStorageFailure(storage) } : this.toBody(exception);
    if (body.statusCode >= 500 && !storage) this.logger.error(exception instanceof Error ? exception.stack : String(exception));
    void reply.status(body.statusCode).header('content-type', 'application/json; charset=utf-8').send(body);
  }

  private toBody(exception: unknown): ErrorBody {
    if (exception instanceof InvalidInputException) return { ...base(400), message: exception.message, details: exception.details };
    if (exception instanceof DomainRefusal) {
      const details = exception.fields?.map((field) => ({ field, message: exception.message }));
      return { ...base(REFUSAL_STATUS[exception.kind]), message: exception.message, rule: exception.rule, ...(details ? { details } : {}) };
    }
    if (exception instanceof ProjectionRebuildingError) return { ...base(503), message: exception.message };
    if (exception instanceof NotPermittedError) return { ...base(403), message: exception.message };
    if (exception instanceof PreconditionFailedError) return { ...base(412), message: exception.message, rule: 'stale_revision' };
    if (exception instanceof IdempotencyKeyReusedError || exception instanceof EventIdConflictError) return { ...base(409), message: exception.message };
    if (exception instanceof WrongExpectedRevisionError) {
      return { ...base(409), message: 'the record changed while this command ran; please retry' };
    }
    if (exception instanceof EventTooLargeError) return { ...base(413), message: exception.message };
    if (exception instanceof PartialDuplicateAppendError) return { ...base(409), message: exception.message };
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const response = exception.getResponse();
      const message = typeof response === 'string' ? response : String((response as { message?: unknown }).message ?? exception.message);
      return { ...base(status), message: Array.isArray((response as { message?: unknown }).message) ? ((response as { message: string[] }).message).join('; ') : message };
    }
    // Fastify's own errors (body too large, bad JSON, wrong content type) carry a statusCode.
    const status = (exception as { statusCode?: unknown })?.statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      return { ...base(status), message: (exception as Error).message };
    }
    return { ...base(500), message: 'internal error; it has been logged' };
  }
}

function base(statusCode: number): Pick<ErrorBody, 'statusCode' | 'error'> {
  const name = HttpStatus[statusCode];
  const error = name ? name.toLowerCase().split('_').map((w) => w[0]!.toUpperCase() + w.slice(1)).join(' ') : 'Error';
  return { statusCode, error };
}
