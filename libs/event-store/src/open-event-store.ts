import type { EventStore } from './event-store.port';
import { EsdbEventStore } from './esdb/esdb-event-store';
import { openSqliteEventStore } from './sqlite/sqlite-event-store';
import type { SynchronousMode } from './sqlite/sqlite-schema';

/** What picks and opens the event store; the API's and the projector's config both carry it. */
export interface EventStoreSettings {
  /** `sqlite` (embedded default) or `esdb` (EventStoreDB). */
  eventStore: 'sqlite' | 'esdb';
  /** sqlite: where `events.sqlite` lives. */
  dataDir: string;
  /** sqlite: FULL (default) or NORMAL. */
  sqliteSynchronous?: SynchronousMode;
  /** esdb: the connection string (EVENTSTORE_URL); TLS and credentials come from it. */
  eventStoreUrl?: string;
}

/** Opens the configured adapter. The caller owns it: `close()` it on shutdown. */
export function openEventStore(settings: EventStoreSettings): EventStore {
  switch (settings.eventStore) {
    case 'sqlite':
      return openSqliteEventStore(settings.dataDir, { synchronous: settings.sqliteSynchronous ?? 'FULL' });
    case 'esdb':
      if (!settings.eventStoreUrl) throw new Error('EVENT_STORE=esdb needs EVENTSTORE_URL, e.g. esdb://localhost:2113?tls=false');
      return new EsdbEventStore({ connectionString: settings.eventStoreUrl });
    default:
      throw new Error(`EVENT_STORE must be sqlite or esdb, got ${String((settings as { eventStore: unknown }).eventStore)}`);
  }
}

/** Where the events are, for a log line: the connection string without its credentials. */
export function describeEventStore(settings: EventStoreSettings): string {
  if (settings.eventStore === 'esdb') return `EventStoreDB at ${(settings.eventStoreUrl ?? '').replace(/\/\/[^@/]*@/, '//***@')}`;
  return `SQLite in ${settings.dataDir}`;
}
