import type { EventStore, RecordedEvent } from '@rapport/event-store';
import { chainHash, chainOf } from './hash-chain';

export interface BrokenLink {
  stream: string;
  revision: number;
  position: number;
  eventId: string;
  type: string;
  reason: string;
}

export interface ChainReport {
  ok: boolean;
  streams: number;
  events: number;
  /** The first broken event in global order, named. */
  firstBroken?: BrokenLink;
  /** Every stream's first broken event. */
  broken: BrokenLink[];
}

/** Walks the whole log once, checking each stream's revisions and hash chain. */
export async function verifyChain(store: EventStore, pageSize = 5000): Promise<ChainReport> {
  const chains = new StreamChains();
  let events = 0;
  for (let after = 0; ; ) {
    const page = await store.readAll({ after, limit: pageSize });
    if (page.length === 0) break;
    for (const event of page) {
      events++;
      chains.check(event);
    }
    after = page[page.length - 1]!.position;
  }
  return chains.report(events);
}

/** Every stream's revisions and hash chain, checked one event at a time in global order. */
export class StreamChains {
  private readonly heads = new Map<string, { revision: number; hash: string | null; broken: boolean }>();
  private readonly broken: BrokenLink[] = [];

  /** The event's break, if it is its stream's first. */
  check(event: RecordedEvent): BrokenLink | undefined {
    const head = this.heads.get(event.stream) ?? { revision: -1, hash: null, broken: false };
    this.heads.set(event.stream, head);
    if (head.broken) return undefined;
    const reason = problemWith(event, head);
    if (reason) {
      head.broken = true;
      const link = { stream: event.stream, revision: event.revision, position: event.position, eventId: event.eventId, type: event.type, reason };
      this.broken.push(link);
      return link;
    }
    head.revision = event.revision;
    head.hash = chainOf(event.metadata)!.hash;
    return undefined;
  }

  report(events: number): ChainReport {
    const broken = [...this.broken].sort((a, b) => a.position - b.position);
    return { ok: broken.length === 0, streams: this.heads.size, events, broken, ...(broken[0] ? { firstBroken: broken[0] } : {}) };
  }
}

function problemWith(event: RecordedEvent, head: { revision: number; hash: string | null }): string | undefined {
  if (event.revision !== head.revision + 1) return `revision ${event.revision} follows ${head.revision}: an event is missing`;
  const chain = chainOf(event.metadata);
  if (!chain) return 'no hash chain in its metadata';
  if (chain.prev !== head.hash) return 'its link to the previous event does not match';
  if (chainHash(chain.prev, event) !== chain.hash) return 'its content does not match its hash: it was changed after it was recorded';
  return undefined;
}
