import { openEventStore, type EventStore, type EventStoreSettings } from '../../event-store/src';
import { AuditedEventStore } from './audited-event-store';
import { openSqliteKeyVault, type KeyVault } from './key-vault';
import { PersonalDataSealer } from './personal-data';

/** The configured event store wrapped for audit, the raw store under it, and the patients' keys. */
export interface AuditedStores {
  /** What commands, queries, projections and feeds use: sealed and chained on the way in, opened on the way out. */
  store: AuditedEventStore;
  /** The events exactly as stored (sealed, chained): what verification reads. */
  raw: EventStore;
  vault: KeyVault;
  close(): Promise<void>;
}

/**
 * Opens the event store of the configuration and the key vault in `<dataDir>/keys.sqlite`.
 * Every process that reads events with personal data (the API, apps/projector) must see the same
 * keys file; a process without a patient's key sees that patient's personal data as erased.
 */
export function openAuditedEventStore(settings: EventStoreSettings): AuditedStores {
  const raw = openEventStore(settings);
  const vault = openSqliteKeyVault(settings.dataDir);
  const store = new AuditedEventStore(raw, new PersonalDataSealer(vault));
  return {
    store,
    raw,
    vault,
    close: async () => {
      await raw.close();
      await vault.close();
    },
  };
}
