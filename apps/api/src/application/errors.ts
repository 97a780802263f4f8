/** The errors of the application layer; the HTTP layer maps them (errors.ts) to 403, 409 and 412. */

/** The person may not do this to this record (a caller correcting someone else's call, another clinic's patient). */
export class NotPermittedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotPermittedError';
  }
}

/** The Idempotency-Key came before with another request. */
export class IdempotencyKeyReusedError extends Error {
  constructor(readonly key: string) {
    super(`Idempotency-Key ${key} was already used for a different request`);
    this.name = 'IdempotencyKeyReusedError';
  }
}

/** If-Match named a revision the record has moved past: someone else changed it since it was read. */
export class PreconditionFailedError extends Error {
  constructor(
    readonly expected: number,
    readonly actual: number,
  ) {
    super(`the record is at revision ${actual}, not ${expected} (If-Match): it changed since you read it; read it again`);
    this.name = 'PreconditionFailedError';
  }
}
