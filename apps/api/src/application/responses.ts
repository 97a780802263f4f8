import type { Kysely } from 'kysely';
import { KeyedQueue } from '@rapport/event-store';
import type { CommandContext, CommandResult } from './command-context';
import type { CommandRunner } from './command-runner';
import { scopedKey } from './derived-event-ids';
import { IdempotencyKeyReusedError } from './errors';

/** The first response to a request under an Idempotency-Key. */
export interface StoredResponse {
  requestHash: string;
  body: unknown;
  position: number;
  /**
   * Whether the request recorded events. One that recorded none (the same settings again) is
   * remembered by its response alone: nothing in the log carries its key.
   */
  recorded?: boolean;
}

/**
 * Where first responses are kept, beside the log and not in it: the events stay the truth (a
 * request whose events landed is recognised by their ids even if its response was never kept);
 * the response is what lets a replay answer exactly what the first request answered.
 */
export interface ResponseStore {
  find(key: string): Promise<StoredResponse | undefined>;
  /** The first response kept wins; saving again under a key changes nothing. */
  save(key: string, response: StoredResponse): Promise<void>;
}

interface ResponsesTable {
  command_responses: { key: string; request_hash: string; body: string; position: number; stored_at: string; recorded: number };
}

/**
 * How long the first response of a request that recorded events is kept: a client retries within
 * minutes, not weeks, and a later retry is still recognised by its events. A request that recorded
 * nothing has nothing else to be recognised by: its response is kept (it is small).
 */
const KEEP_MS = 7 * 24 * 3600 * 1000;
/** Old responses are pruned once every this many saves. */
const PRUNE_EVERY = 1000;

/**
 * Responses in a table of the read store's database (SQLite or PostgreSQL). No projection owns
 * the table, so no rebuild drops it; losing it loses only exact replays of state-dependent
 * answers, never a write. Responses older than a week are pruned (a retry after that is
 * still recognised by its events).
 */
export class SqlResponseStore implements ResponseStore {
  private readonly db: Kysely<ResponsesTable>;
  private saves = 0;

  private constructor(db: Kysely<ResponsesTable>) {
    this.db = db;
  }

  /** On a database whose other tables this store never touches (its own table is created here). */
  static async open<DB>(db: Kysely<DB>): Promise<SqlResponseStore> {
    const store = new SqlResponseStore(db as unknown as Kysely<ResponsesTable>);
    await store.db.schema
      .createTable('command_responses')
      .ifNotExists()
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('request_hash', 'text', (c) => c.notNull())
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('position', 'bigint', (c) => c.notNull())
      .addColumn('stored_at', 'text', (c) => c.notNull())
      .addColumn('recorded', 'integer', (c) => c.notNull().defaultTo(1))
      .execute();
    // A table made before `recorded` gets it (its rows count as having recorded events: prunable as before).
    const table = (await store.db.introspection.getTables()).find((t) => t.name === 'command_responses');
    if (table && !table.columns.some((c) => c.name === 'recorded')) {
      await store.db.schema.alterTable('command_responses').addColumn('recorded', 'integer', (c) => c.notNull().defaultTo(1)).execute();
    }
    return store;
  }

  async find(key: string): Promise<StoredResponse | undefined> {
    const row = await this.db.selectFrom('command_responses').selectAll().where('key', '=', key).executeTakeFirst();
    return row ? { requestHash: row.request_hash, body: JSON.parse(row.body) as unknown, position: Number(row.position), recorded: Number(row.recorded) !== 0 } : undefined;
  }

  async save(key: string, response: StoredResponse): Promise<void> {
    await this.db
      .insertInto('command_responses')
      .values({ key, request_hash: response.requestHash, body: JSON.stringify(response.body), position: response.position, stored_at: new Date().toISOString(), recorded: response.recorded === false ? 0 : 1 })
      .onConflict((oc) => oc.column('key').doNothing())
      .execute();
    if (++this.saves % PRUNE_EVERY === 0) {
      await this.db.deleteFrom('command_responses').where('stored_at', '<', new Date(Date.now() - KEEP_MS).toISOString()).where('recorded', '=', 1).execute();
    }
  }
}

/** For the demo and the bench, whose requests carry no Idempotency-Key. */
export class MemoryResponseStore implements ResponseStore {
  private readonly responses = new Map<string, StoredResponse>();

  async find(key: string): Promise<StoredResponse | undefined> {
    return this.responses.get(key);
  }

  async save(key: string, response: StoredResponse): Promise<void> {
    if (!this.responses.has(key)) this.responses.set(key, response);
  }
}

/**
 * A request under an Idempotency-Key runs once: a repeat gets the first response (409 when the
 * key comes with another request). Requests under one key run one at a time in this process, so
 * the second always finds the first's response; across processes the derived event ids do it.
 */
export class IdempotentRequests {
  private readonly queue = new KeyedQueue();

  constructor(
    private readonly responses: ResponseStore,
    private readonly runner: CommandRunner,
  ) {}

  run<Body>(context: CommandContext, work: () => Promise<CommandResult<Body>>): Promise<CommandResult<Body>> {
    const clientKey = context.idempotencyKey;
    if (!clientKey) return work();
    const key = scopedKey(context.principal.userId, clientKey);
    return this.queue.run(key, async () => {
      const earlier = await this.responses.find(key);
      if (earlier) {
        if (earlier.requestHash !== context.requestHash) {
          throw new IdempotencyKeyReusedError(clientKey);
        }
        return { body: earlier.body as Body, position: earlier.position, replayed: true, events: [] };
      }
      const result = await work();
      try {
        await this.responses.save(key, { requestHash: context.requestHash, body: result.body, position: result.position, recorded: result.events.length > 0 || result.replayed });
      } catch (error) {
        // The events landed, the answer was not kept: a retry must find the events in the stream.
        this.runner.forget();
        throw error;
      }
      return result;
    });
  }
}
