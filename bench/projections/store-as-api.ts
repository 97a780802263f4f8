import { openAuditedEventStore, type AuditedStores } from '@rapport/audit';
import type { SynchronousMode } from '@rapport/event-store';

/**
 * The event store as apps/api/src/app.factory.ts opens it: the SQLite adapter in `dataDir` under
 * the audited store (personal data sealed under each patient's key, each event hash-chained), so
 * the projection rows write, read and rebuild what the API would.
 */
export function openStoreAsApi(dataDir: string, synchronous: SynchronousMode = 'FULL'): AuditedStores {
  return openAuditedEventStore({ eventStore: 'sqlite', dataDir, sqliteSynchronous: synchronous });
}
