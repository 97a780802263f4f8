import pg from 'pg';
import { CHECKPOINT_CHANNEL } from './checkpoints';

/** Something that says when a checkpoint may have moved (so a waiter looks again). */
export interface CheckpointChanges {
  onChange(listener: () => void): () => void;
}

/**
 * An API process whose projector runs elsewhere (PROJECTOR=external) learns that projections
 * advanced through PostgreSQL's LISTEN on the checkpoints' channel: one connection per process,
 * not a polling loop per waiting request. A lost connection is opened again; meanwhile waiters
 * fall back to their slow poll.
 */
export class PostgresCheckpointListener implements CheckpointChanges {
  private readonly listeners = new Set<() => void>();
  private client: pg.Client | undefined;
  private closed = false;
  private retry: NodeJS.Timeout | undefined;

  constructor(private readonly connectionString: string) {}

  async start(): Promise<void> {
    const client = new pg.Client({ connectionString: this.connectionString });
    client.on('notification', () => this.ring());
    const lost = () => {
      if (this.client !== client) return;
      this.client = undefined;
      this.ring(); // waiters look at the checkpoints themselves until it is back
      if (!this.closed) this.retry = setTimeout(() => void this.start().catch(() => this.scheduleRetry()), 1000).unref();
    };
    client.on('error', lost);
    client.on('end', lost);
    await client.connect();
    await client.query(`LISTEN ${CHECKPOINT_CHANNEL}`);
    this.client = client;
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retry) clearTimeout(this.retry);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private scheduleRetry(): void {
    if (!this.closed) this.retry = setTimeout(() => void this.start().catch(() => this.scheduleRetry()), 1000).unref();
  }

  private ring(): void {
    for (const listener of [...this.listeners]) listener();
  }
}
