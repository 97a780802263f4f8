import { join } from 'node:path';
import type { RapportConfig } from '@rapport/config';
import type { ReadStoreConfig } from './read-models';

/** Where the read models live, from the configuration: `<DATA_DIR>/read-models.sqlite` unless READ_STORE=postgres. */
export function readStoreConfig(config: Pick<RapportConfig, 'readStore' | 'databaseUrl' | 'dataDir'>): ReadStoreConfig {
  if (config.readStore === 'postgres') return { kind: 'postgres', connectionString: config.databaseUrl! };
  return { kind: 'sqlite', filename: join(config.dataDir, 'read-models.sqlite') };
}
