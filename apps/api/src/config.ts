import { resolve } from 'node:path';

/** Configuration from the environment; every value has a working default for the embedded store. */
export interface RapportConfig {
  port: number;
  host: string;
  dataDir: string;
  eventStore: 'sqlite';
  sqliteSynchronous: 'FULL' | 'NORMAL';
}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): RapportConfig {
  const eventStore = env.EVENT_STORE ?? 'sqlite';
  if (eventStore !== 'sqlite') throw new Error(`EVENT_STORE=${eventStore} is not supported by this build (sqlite)`);
  const synchronous = (env.SQLITE_SYNCHRONOUS ?? 'FULL').toUpperCase();
  if (synchronous !== 'FULL' && synchronous !== 'NORMAL') throw new Error('SQLITE_SYNCHRONOUS must be FULL or NORMAL');
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT=${env.PORT} is not a port number`);
  return {
    port,
    // Health data: listen on loopback unless told otherwise (docker sets HOST=0.0.0.0).
    host: env.HOST ?? '127.0.0.1',
    dataDir: resolve(env.DATA_DIR ?? './data'),
    eventStore,
    sqliteSynchronous: synchronous,
  };
}

export const RAPPORT_CONFIG = Symbol('RapportConfig');
