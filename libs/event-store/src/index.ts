export * from './event-store.port';
export { EventIdConflictError } from './event-id-conflict.error';
export { DEFAULT_MAX_EVENT_BYTES, openSqliteEventStore, SqliteEventStore } from './sqlite/sqlite-event-store';
export type { GroupCommitStats, SqliteEventStoreOptions, StorageSettings } from './sqlite/sqlite-event-store';
export type { SynchronousMode } from './sqlite/sqlite-schema';
