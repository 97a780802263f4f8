/**
 * Tells a storage failure (disk full, I/O error, read-only, locked past its timeout, store server
 * unreachable) from a bug. A storage failure is the operator's to fix and the client's to retry:
 * the API answers 503 with Retry-After and /health says degraded, instead of a 500 with a stack.
 */
export interface StorageFailure {
  kind: 'full' | 'io' | 'read_only' | 'busy' | 'unavailable';
  /** As the driver said it: SQLITE_FULL, SQLITE_IOERR_WRITE, ENOSPC, unavailable, … */
  code: string;
  /** The driver's message, one line. */
  detail: string;
  retryAfterSeconds: number;
}

type Kind = StorageFailure['kind'];

const RETRY_AFTER: Record<Kind, number> = { full: 30, io: 30, read_only: 30, busy: 2, unavailable: 5 };

/** SQLite (better-sqlite3 `code`, extended codes included), Node fs, PostgreSQL SQLSTATE. */
function kindOfCode(code: string): Kind | undefined {
  if (code === 'SQLITE_FULL' || code === 'ENOSPC' || code === 'EDQUOT' || code === '53100') return 'full';
  if (code === 'SQLITE_IOERR' || code.startsWith('SQLITE_IOERR_') || code === 'EIO') return 'io';
  if (code === 'SQLITE_READONLY' || code.startsWith('SQLITE_READONLY_') || code === 'EROFS') return 'read_only';
  // better-sqlite3 throws BUSY only after busy_timeout has run out: another writer held the lock that long.
  if (code === 'SQLITE_BUSY' || code.startsWith('SQLITE_BUSY_')) return 'busy';
  return undefined;
}

/** @eventstore/db-client's CommandError `type`s for a server that did not answer in time. */
const ESDB_UNAVAILABLE = new Set(['unavailable', 'deadline-exceeded', 'timeout']);

interface ErrorLike {
  code?: unknown;
  type?: unknown;
  message?: unknown;
  cause?: unknown;
}

/**
 * The storage failure behind `error` (or its `cause`s), or undefined when it is something else.
 * Duck-typed, not `instanceof Error`: better-sqlite3's native addon makes its errors with the
 * SqliteError class of the first realm that loaded it (a Jest worker runs many).
 */
export function storageFailureOf(error: unknown): StorageFailure | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    const { code, type } = current as ErrorLike;
    const kind = typeof code === 'string' ? kindOfCode(code) : undefined;
    if (kind) return failure(kind, code as string, current);
    if (typeof type === 'string' && ESDB_UNAVAILABLE.has(type)) return failure('unavailable', type, current);
    current = (current as ErrorLike).cause;
  }
  return undefined;
}

const SAY: Record<Kind, string> = {
  full: 'the server’s storage is full',
  io: 'the server’s disk failed a read or write',
  read_only: 'the server’s storage is read-only',
  busy: 'the event store is locked by another writer',
  unavailable: 'the event store does not answer',
};

/** What failed, in a line an operator reads: `the server’s storage is full (SQLITE_FULL)`. */
export function whatFailed(failure: StorageFailure): string {
  return `${SAY[failure.kind]} (${failure.code})`;
}

/** What a client is told: what happened, that nothing was recorded, when to try again. */
export function describeStorageFailure(failure: StorageFailure): string {
  return `${whatFailed(failure)}: nothing was recorded; retry in ${failure.retryAfterSeconds} s`;
}

function failure(kind: Kind, code: string, error: ErrorLike): StorageFailure {
  return { kind, code, detail: String(error.message ?? '').split('\n')[0]!.slice(0, 300), retryAfterSeconds: RETRY_AFTER[kind] };
}
