import pg from 'pg';
import type { ReadStoreConfig } from '../read-store/read-models';

/**
 * Which projections this process may run, when several projector processes share one read store
 * (issue 18): each projection is owned by one process at a time, the others stand by. Without
 * leases (the embedded SQLite default: one process per DATA_DIR) a process runs every projection.
 */
export interface ProjectionLeases {
  /** Takes every one of `names` nobody holds; answers the names this process holds now. */
  acquire(names: readonly string[]): Promise<ReadonlySet<string>>;
  /** Runs `fn` while no other process prepares (creates or drops tables): one at a time. */
  exclusive<T>(fn: () => Promise<T>): Promise<T>;
  /** Lets every lease go (on shutdown), so a standby takes over at once. */
  release(): Promise<void>;
}

/**
 * Leases as PostgreSQL session advisory locks on a connection of their own: held while this
 * process's session lives. A process that dies (SIGKILL, a cut cable) loses its session, and its
 * locks with it, so a standby's next `acquire` takes its projections over, within its retry
 * interval. A lost connection drops every lease here at once; the batch in flight, if any, is
 * refused by its checkpoint's compare-and-set when the new owner has moved it.
 */
export class PostgresAdvisoryLeases implements ProjectionLeases {
  private client: pg.Client | undefined;
  private connecting: Promise<pg.Client> | undefined;
  private readonly held = new Set<string>();

  constructor(
    private readonly connectionString: string,
    /** What the locks are scoped to (the read store's schema): two read stores on one server do not share owners. */
    private readonly scope: string,
  ) {}

  async acquire(names: readonly string[]): Promise<ReadonlySet<string>> {
    const client = await this.connection();
    for (const name of names) {
      if (this.held.has(name)) continue;
      const { rows } = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock(hashtext($1)) AS ok', [this.key(name)]);
      if (rows[0]?.ok) this.held.add(name);
    }
    return new Set(this.held);
  }

  async exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const client = await this.connection();
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [this.key('(prepare)')]);
    try {
      return await fn();
    } finally {
      await client.query('SELECT pg_advisory_unlock(hashtext($1))', [this.key('(prepare)')]).catch(() => undefined);
    }
  }

  async release(): Promise<void> {
    this.held.clear();
    const client = this.client;
    this.client = undefined;
    // Ending the session releases its locks.
    await client?.end().catch(() => undefined);
  }

  private key(name: string): string {
    return `rapport projection ${this.scope} ${name}`;
  }

  private connection(): Promise<pg.Client> {
    if (this.client) return Promise.resolve(this.client);
    this.connecting ??= (async () => {
      const client = new pg.Client({ connectionString: this.connectionString });
      // The session is the lease: when it is gone, so is every lease it held.
      const lost = () => {
        if (this.client === client) this.client = undefined;
        this.held.clear();
      };
      client.on('error', lost);
      client.on('end', lost);
      await client.connect();
      this.client = client;
      return client;
    })().finally(() => (this.connecting = undefined));
    return this.connecting;
  }
}

/** Leases for a read store several processes may share (PostgreSQL); none for SQLite (one process per DATA_DIR). */
export function leasesFor(config: ReadStoreConfig): ProjectionLeases | undefined {
  return config.kind === 'postgres' ? new PostgresAdvisoryLeases(config.connectionString, config.schema ?? 'public') : undefined;
}
