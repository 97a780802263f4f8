import { PartialDuplicateAppendError } from './event-store.port';

/**
 * Every event id of an append is already stored, but not as that append would have stored it
 * (another stream, or another order). Still a caller bug, so it is a PartialDuplicateAppendError.
 */
export class EventIdConflictError extends PartialDuplicateAppendError {
  constructor(
    stream: string,
    readonly detail: string,
  ) {
    super(stream);
    this.message = `stream ${stream}: ${detail}`;
    this.name = 'EventIdConflictError';
  }
}
