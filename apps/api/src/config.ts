import { resolve } from 'node:path';

/** Configuration from the environment; every value has a working default for the embedded store. */
export interface RapportConfig {
  port: number;
  host: string;
  dataDir: string;
  eventStore: 'sqlite';
  sqliteSynchronous: 'FULL' | 'NORMAL';
  /** Where the read models live: `<dataDir>/read-models.sqlite`, or PostgreSQL at databaseUrl. */
  readStore: 'sqlite' | 'postgres';
  databaseUrl?: string;
  /** `in-process`: the API runs the projections (embedded default); `external`: apps/projector does. */
  projector: 'in-process' | 'external';
  /** How long a query with ?minPosition= waits for its projections before answering 503. */
  minPositionTimeoutMs: number;
}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): RapportConfig {
  const eventStore = env.EVENT_STORE ?? 'sqlite';
  if (eventStore !== 'sqlite') throw new Error(`EVENT_STORE=${eventStore} is not supported by this build (sqlite)`);
  const synchronous = (env.SQLITE_SYNCHRONOUS ?? 'FULL').toUpperCase();
  if (synchronous !== 'FULL' && synchronous !== 'NORMAL') throw new Error('SQLITE_SYNCHRONOUS must be FULL or NORMAL');
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT=${env.PORT} is not a port number`);
  const readStore = env.READ_STORE ?? 'sqlite';
  if (readStore !== 'sqlite' && readStore !== 'postgres') throw new Error(`READ_STORE must be sqlite or postgres, not ${readStore}`);
  if (readStore === 'postgres' && !env.DATABASE_URL) throw new Error('READ_STORE=postgres needs DATABASE_URL (postgres://user@host:5432/db)');
  const projector = env.PROJECTOR ?? 'in-process';
  if (projector !== 'in-process' && projector !== 'external') throw new Error(`PROJECTOR must be in-process or external, not ${projector}`);
  const minPositionTimeoutMs = Number(env.MIN_POSITION_TIMEOUT_MS ?? 5000);
  if (!Number.isInteger(minPositionTimeoutMs) || minPositionTimeoutMs < 0) throw new Error('MIN_POSITION_TIMEOUT_MS must be a whole number of milliseconds');
  return {
    port,
    // Health data: listen on loopback unless told otherwise (docker sets HOST=0.0.0.0).
    host: env.HOST ?? '127.0.0.1',
    dataDir: resolve(env.DATA_DIR ?? './data'),
    eventStore,
    sqliteSynchronous: synchronous,
    readStore,
    ...(env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL } : {}),
    projector,
    minPositionTimeoutMs,
  };
}

export const RAPPORT_CONFIG = Symbol('RapportConfig');
