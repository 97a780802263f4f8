import { createHash, randomUUID } from 'node:crypto';
import { BACKWARDS, END, EventStoreDBClient, jsonEvent, StreamNotFoundError, WrongExpectedVersionError } from '@eventstore/db-client';
import { IDEMPOTENCY_STREAM_PREFIX } from './esdb-events';
import { toPortRevision } from './esdb-positions';
import { readToEnd } from './esdb-read-to-end';

/** What an append under an idempotency key promised to store. */
export interface KeyClaim {
  key: string;
  requestHash: string;
  stream: string;
  /** The appended events' ids, in order: the record is found by reading them back from `stream`. */
  eventIds: string[];
}

export interface KeyState {
  /** Revision of the key stream's last event; -1 when the key was never claimed. */
  revision: number;
  /** The live claim, if the last event claims the key (a released key has none). */
  claim?: KeyClaim;
  claimedAt?: Date;
}

const CLAIMED = 'IdempotencyKeyClaimed';
const RELEASED = 'IdempotencyKeyReleased';

/**
 * The idempotency keys on EventStoreDB, which has no transaction across two streams.
 *
 * Each key has its own stream, `idempotency-<sha256(key)>`, a tiny state machine:
 * Claimed → (Released → Claimed …). A claim is written with the stream's expected revision, so of
 * two writers racing for one key exactly one wins. The adapter claims BEFORE it appends the events
 * and releases the claim when the append is refused — two writes where SQLite does one
 * transaction. The caveat: a process that dies between the two leaves a claim whose events never
 * landed; until it is `staleAfterMs` old, that key answers "taken" (the record is not found, so a
 * retry under the key gets IdempotencyKeyTakenError). After that it may be taken over.
 */
export class IdempotencyKeys {
  constructor(private readonly client: EventStoreDBClient) {}

  static streamOf(key: string): string {
    return `${IDEMPOTENCY_STREAM_PREFIX}${createHash('sha256').update(key, 'utf8').digest('hex')}`;
  }

  async read(key: string): Promise<KeyState> {
    let read;
    try {
      read = await readToEnd(
        this.client.readStream(IdempotencyKeys.streamOf(key), { direction: BACKWARDS, fromRevision: END, maxCount: 1 }),
      );
    } catch (error) {
      if (error instanceof StreamNotFoundError) return { revision: -1 };
      throw error;
    }
    const event = read[0]?.event;
    if (!event) return { revision: -1 };
    const revision = toPortRevision(event.revision);
    if (event.type !== CLAIMED) return { revision };
    return { revision, claim: event.data as unknown as KeyClaim, claimedAt: event.created };
  }

  /** Writes the claim; the client's WrongExpectedVersionError means another writer claimed first. */
  async claim(claim: KeyClaim, state: KeyState): Promise<number> {
    const result = await this.client.appendToStream(
      IdempotencyKeys.streamOf(claim.key),
      jsonEvent({ id: randomUUID(), type: CLAIMED, data: { ...claim } }),
      { expectedRevision: state.revision < 0 ? 'no_stream' : BigInt(state.revision) },
    );
    return toPortRevision(result.nextExpectedRevision);
  }

  /** Frees a key whose append was refused; losing a race here only means someone else moved it on. */
  async release(key: string, claimRevision: number, reason: string): Promise<void> {
    try {
      await this.client.appendToStream(
        IdempotencyKeys.streamOf(key),
        jsonEvent({ id: randomUUID(), type: RELEASED, data: { reason } }),
        { expectedRevision: BigInt(claimRevision) },
      );
    } catch (error) {
      if (!(error instanceof WrongExpectedVersionError)) throw error;
    }
  }
}
