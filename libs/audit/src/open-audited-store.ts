import { openEventStore, type EventStore, type EventStoreSettings } from '@rapport/event-store';
import { anchorKeyFor } from './anchor-key';
import { AuditAnchor } from './audit-anchor';
import { AuditedEventStore } from './audited-event-store';
import { openSqliteKeyVault, type KeyVault } from './key-vault';
import { masterKeyFrom, PostgresKeyVault } from './postgres-key-vault';
import { LogAnchorer } from './log-anchorer';
import { PersonalDataSealer } from './personal-data';

/** The configured event store wrapped for audit, the raw store under it, and the patients' keys. */
export interface AuditedStores {
  /** What commands, queries, projections and feeds use: sealed and chained on the way in, opened on the way out. */
  store: AuditedEventStore;
  /** The events exactly as stored (sealed, chained): what verification reads. */
  raw: EventStore;
  vault: KeyVault;
  /** Keeps `<dataDir>/audit-anchor.sqlite` up with the global log (`anchoredThrough(position)` waits for it). */
  anchorer: LogAnchorer;
  /** Waits for appends in flight, anchors the rest of the log, then closes every file. */
  close(): Promise<void>;
}

/**
 * Opens the event store of the configuration, the key vault in `<dataDir>/keys.sqlite` and the
 * audit anchor in `<dataDir>/audit-anchor.sqlite` (key: AUDIT_ANCHOR_KEY or `<dataDir>/anchor-secret`).
 * Every process that reads events with personal data (the API, apps/projector) must see the same
 * keys file; a process without a patient's key sees that patient's personal data as erased.
 * Every such process also anchors: the anchor follows the log, whoever appended to it.
 */
/** Where the patients' keys live: `<dataDir>/keys.sqlite` (default), or PostgreSQL for several machines. */
export interface KeyStoreSettings {
  keyStore?: 'sqlite' | 'postgres';
  /** KEY_DATABASE_URL, else DATABASE_URL. */
  keyDatabaseUrl?: string;
  /** KEY_ENCRYPTION_KEY: the master key the patients' keys are wrapped with in PostgreSQL. */
  keyEncryptionKey?: string;
}

export function openKeyVault(settings: { dataDir: string } & KeyStoreSettings): KeyVault {
  if (settings.keyStore !== 'postgres') return openSqliteKeyVault(settings.dataDir);
  if (!settings.keyDatabaseUrl) throw new Error('KEY_STORE=postgres needs KEY_DATABASE_URL (or DATABASE_URL)');
  return new PostgresKeyVault(settings.keyDatabaseUrl, masterKeyFrom(settings.keyEncryptionKey));
}

export function openAuditedEventStore(settings: EventStoreSettings & KeyStoreSettings, env: NodeJS.ProcessEnv = process.env): AuditedStores {
  const key = anchorKeyFor(settings.dataDir, { env, create: true });
  const anchor = AuditAnchor.openForWriting(settings.dataDir, key);
  let raw: EventStore;
  let vault: KeyVault;
  try {
    raw = openEventStore(settings);
  } catch (error) {
    anchor.close();
    throw error;
  }
  try {
    vault = openKeyVault(settings);
  } catch (error) {
    anchor.close();
    void raw.close();
    throw error;
  }
  const anchorer = new LogAnchorer(raw, anchor, key);
  const store = new AuditedEventStore(raw, new PersonalDataSealer(vault), { afterAppend: () => anchorer.nudge() });
  // Catch up with whatever was appended while no anchoring process ran.
  anchorer.nudge();
  return {
    store,
    raw,
    vault,
    anchorer,
    close: async () => {
      try {
        await store.settled();
        await anchorer.close();
      } finally {
        await raw.close();
        await vault.close();
      }
    },
  };
}
