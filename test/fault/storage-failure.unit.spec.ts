import { describeStorageFailure, storageFailureOf } from '@rapport/event-store';

/** Issue 11 item 9: which errors are storage failures (503, Retry-After) and which stay bugs (500). */
describe('storageFailureOf', () => {
  const coded = (code: string, message = 'failed') => Object.assign(new Error(message), { code });

  it.each([
    ['SQLITE_FULL', 'full'],
    ['SQLITE_IOERR', 'io'],
    ['SQLITE_IOERR_WRITE', 'io'],
    ['SQLITE_IOERR_FSYNC', 'io'],
    ['SQLITE_READONLY', 'read_only'],
    ['SQLITE_READONLY_DBMOVED', 'read_only'],
    ['SQLITE_BUSY', 'busy'],
    ['ENOSPC', 'full'],
    ['EDQUOT', 'full'],
    ['EIO', 'io'],
    ['EROFS', 'read_only'],
    ['53100', 'full'],
  ])('%s is %s', (code, kind) => {
    expect(storageFailureOf(coded(code))).toMatchObject({ kind, code, retryAfterSeconds: expect.any(Number) });
  });

  it.each(['unavailable', 'deadline-exceeded', 'timeout'])('an EventStoreDB %s error is unavailable', (type) => {
    expect(storageFailureOf(Object.assign(new Error('no answer'), { type }))).toMatchObject({ kind: 'unavailable', code: type });
  });

  it('knows an error from another realm (better-sqlite3 under Jest), which is no instanceof Error here', () => {
    expect(storageFailureOf({ name: 'SqliteError', code: 'SQLITE_FULL', message: 'database or disk is full' })).toMatchObject({ kind: 'full', detail: 'database or disk is full' });
  });

  it('looks through causes', () => {
    expect(storageFailureOf(new Error('append failed', { cause: coded('SQLITE_FULL', 'database or disk is full') }))).toMatchObject({ kind: 'full', detail: 'database or disk is full' });
  });

  it.each([
    ['a TypeError', new TypeError('x is undefined')],
    ['a constraint error', coded('SQLITE_CONSTRAINT_UNIQUE')],
    ['a corrupt file (not retryable)', coded('SQLITE_CORRUPT')],
    ['a body parser error', Object.assign(new Error('bad json'), { type: 'entity.parse.failed' })],
    ['a string', 'SQLITE_FULL'],
    ['undefined', undefined],
  ])('%s is not', (_, error) => {
    expect(storageFailureOf(error)).toBeUndefined();
  });

  it('tells the client what happened, that nothing was recorded, and when to retry', () => {
    expect(describeStorageFailure(storageFailureOf(coded('SQLITE_FULL'))!)).toBe('the server’s storage is full (SQLITE_FULL): nothing was recorded; retry in 30 s');
  });
});
