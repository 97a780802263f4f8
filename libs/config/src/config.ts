import { resolve } from 'node:path';

/** Configuration from the environment; every value has a working default for the embedded store. */
export interface RapportConfig {
  port: number;
  host: string;
  dataDir: string;
  /** `sqlite` (embedded default) or `esdb`: EventStoreDB at eventStoreUrl. */
  eventStore: 'sqlite' | 'esdb';
  eventStoreUrl?: string;
  sqliteSynchronous: 'FULL' | 'NORMAL';
  /** How often the SSE event feed sends a heartbeat comment to an idle client. */
  feedHeartbeatMs: number;
  /** Where the read models live: `<dataDir>/read-models.sqlite`, or PostgreSQL at databaseUrl. */
  readStore: 'sqlite' | 'postgres';
  databaseUrl?: string;
  /** Where the patients' keys live: `<dataDir>/keys.sqlite` (default) or PostgreSQL (KEY_STORE=postgres). */
  keyStore: 'sqlite' | 'postgres';
  /** KEY_DATABASE_URL, else DATABASE_URL: the PostgreSQL database of the keys. */
  keyDatabaseUrl?: string;
  /** KEY_ENCRYPTION_KEY: the master key (32 bytes, base64) the keys are wrapped with in PostgreSQL. */
  keyEncryptionKey?: string;
  /** `in-process`: the API runs the projections (embedded default); `external`: apps/projector does. */
  projector: 'in-process' | 'external';
  /** How long a query with ?minPosition= waits for its projections before answering 503. */
  minPositionTimeoutMs: number;
  /** How bearer tokens are checked (issue 6); with neither set, a local secret in `<dataDir>/auth-secret`. */
  auth: AuthSettings;
  /** REQUEST_TIMEOUT_MS: a request's headers and body must arrive within this, or 408 and the connection closes. */
  requestTimeoutMs: number;
  /** IDLE_TIMEOUT_MS: a connection silent both ways this long is closed (above the feed heartbeat, so SSE lives). */
  idleTimeoutMs: number;
  /** KEEP_ALIVE_TIMEOUT_MS: how long an idle keep-alive connection waits for its next request. */
  keepAliveTimeoutMs: number;
  /** MAX_CONNECTIONS: connections past this are closed at once; keep it below the open-file limit (ulimit -n). */
  maxConnections: number;
  /** MAX_FEED_CONNECTIONS: open SSE feed streams past this get 503 (below MAX_CONNECTIONS, so commands still get in). */
  maxFeedConnections: number;
  /** FEED_MAX_BUFFERED_BYTES: an SSE client with this much not yet taken by its socket is cut off (it resumes with Last-Event-ID). */
  feedMaxBufferedBytes: number;
}

export interface AuthSettings {
  /** AUTH_JWT_SECRET: a shared HS256 secret (at least 32 bytes). */
  jwtSecret?: string;
  /** AUTH_JWT_PUBLIC_KEY: an issuer's public key in PEM (verify only), with AUTH_JWT_ALGORITHM RS256 (default) or ES256. */
  jwtPublicKey?: string;
  jwtAlgorithm?: string;
}

/** A whole-number setting (unset or empty: `fallback`), or an error naming it: a typo must not silently mean "never". */
export function wholeNumberSetting(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number): number {
  const text = env[name];
  if (text === undefined || text === '') return fallback;
  // Digits only: Number() would also take " ", "0x10" and "1e3".
  const value = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(value) || value < min) throw new Error(`${name} must be a whole number ≥ ${min}, not "${text}"`);
  return value;
}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): RapportConfig {
  const eventStore = env.EVENT_STORE ?? 'sqlite';
  if (eventStore !== 'sqlite' && eventStore !== 'esdb') throw new Error(`EVENT_STORE must be sqlite or esdb, not ${eventStore}`);
  if (eventStore === 'esdb' && !env.EVENTSTORE_URL) throw new Error('EVENT_STORE=esdb needs EVENTSTORE_URL (esdb://host:2113?tls=false)');
  const feedHeartbeatMs = Number(env.FEED_HEARTBEAT_MS ?? 15_000);
  if (!Number.isInteger(feedHeartbeatMs) || feedHeartbeatMs <= 0) throw new Error('FEED_HEARTBEAT_MS must be a positive whole number of milliseconds');
  const synchronous = (env.SQLITE_SYNCHRONOUS ?? 'FULL').toUpperCase();
  if (synchronous !== 'FULL' && synchronous !== 'NORMAL') throw new Error('SQLITE_SYNCHRONOUS must be FULL or NORMAL');
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT=${env.PORT} is not a port number`);
  const readStore = env.READ_STORE ?? 'sqlite';
  if (readStore !== 'sqlite' && readStore !== 'postgres') throw new Error(`READ_STORE must be sqlite or postgres, not ${readStore}`);
  if (readStore === 'postgres' && !env.DATABASE_URL) throw new Error('READ_STORE=postgres needs DATABASE_URL (postgres://user@host:5432/db)');
  const keyStore = env.KEY_STORE ?? 'sqlite';
  if (keyStore !== 'sqlite' && keyStore !== 'postgres') throw new Error(`KEY_STORE=${keyStore}: use sqlite or postgres`);
  const keyDatabaseUrl = env.KEY_DATABASE_URL ?? env.DATABASE_URL;
  if (keyStore === 'postgres' && !keyDatabaseUrl) throw new Error('KEY_STORE=postgres needs KEY_DATABASE_URL or DATABASE_URL');
  if (keyStore === 'postgres' && !env.KEY_ENCRYPTION_KEY) throw new Error('KEY_STORE=postgres needs KEY_ENCRYPTION_KEY (32 bytes, base64: openssl rand -base64 32)');
  const projector = env.PROJECTOR ?? 'in-process';
  if (projector !== 'in-process' && projector !== 'external') throw new Error(`PROJECTOR must be in-process or external, not ${projector}`);
  const minPositionTimeoutMs = Number(env.MIN_POSITION_TIMEOUT_MS ?? 5000);
  if (!Number.isInteger(minPositionTimeoutMs) || minPositionTimeoutMs < 0) throw new Error('MIN_POSITION_TIMEOUT_MS must be a whole number of milliseconds');
  const limit = (name: string, fallback: number): number => wholeNumberSetting(env, name, fallback, 1);
  const idleTimeoutMs = limit('IDLE_TIMEOUT_MS', 120_000);
  if (idleTimeoutMs <= Math.max(feedHeartbeatMs, minPositionTimeoutMs)) throw new Error('IDLE_TIMEOUT_MS must be longer than FEED_HEARTBEAT_MS and MIN_POSITION_TIMEOUT_MS');
  const maxConnections = limit('MAX_CONNECTIONS', 1000);
  const maxFeedConnections = limit('MAX_FEED_CONNECTIONS', Math.max(1, Math.min(800, Math.floor(maxConnections * 0.8))));
  if (maxFeedConnections >= maxConnections && maxConnections > 1) throw new Error('MAX_FEED_CONNECTIONS must be below MAX_CONNECTIONS, or feed streams could take every connection');
  return {
    port,
    // Health data: listen on loopback unless told otherwise (docker sets HOST=0.0.0.0).
    host: env.HOST ?? '127.0.0.1',
    dataDir: resolve(env.DATA_DIR ?? './data'),
    eventStore,
    ...(env.EVENTSTORE_URL ? { eventStoreUrl: env.EVENTSTORE_URL } : {}),
    sqliteSynchronous: synchronous,
    feedHeartbeatMs,
    readStore,
    ...(env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL } : {}),
    keyStore,
    ...(keyStore === 'postgres' && keyDatabaseUrl ? { keyDatabaseUrl } : {}),
    ...(env.KEY_ENCRYPTION_KEY ? { keyEncryptionKey: env.KEY_ENCRYPTION_KEY } : {}),
    projector,
    minPositionTimeoutMs,
    auth: {
      ...(env.AUTH_JWT_SECRET ? { jwtSecret: env.AUTH_JWT_SECRET } : {}),
      ...(env.AUTH_JWT_PUBLIC_KEY ? { jwtPublicKey: env.AUTH_JWT_PUBLIC_KEY } : {}),
      ...(env.AUTH_JWT_ALGORITHM ? { jwtAlgorithm: env.AUTH_JWT_ALGORITHM } : {}),
    },
    requestTimeoutMs: limit('REQUEST_TIMEOUT_MS', 15_000),
    idleTimeoutMs,
    keepAliveTimeoutMs: limit('KEEP_ALIVE_TIMEOUT_MS', 72_000),
    maxConnections,
    maxFeedConnections,
    feedMaxBufferedBytes: limit('FEED_MAX_BUFFERED_BYTES', 8 * 1024 * 1024),
  };
}

export const RAPPORT_CONFIG = Symbol('RapportConfig');
