/** The errors of the application layer; the HTTP layer maps them (errors.ts) to 403 and 409. */

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
