/**
 * The in-memory log behind the EventStoreDB stand-in (test code only). It models the parts of
 * EventStoreDB's behaviour that the EsdbEventStore adapter relies on, as EventStoreDB documents
 * them — it is NOT EventStoreDB:
 *
 * - one global log ($all) ordered by position; positions are byte offsets (the first record sits
 *   after a header, each record advances by its size), so they are unique and increasing but not
 *   consecutive, and commit = prepare for every event, as for EventStoreDB's implicit transactions;
 * - per-stream revisions from 0; expected-revision checks (no_stream, any, stream_exists, a
 *   revision) and EventStoreDB's idempotent repeat of the same event ids at the expected place;
 * - system activity: every event of a `<category>-<id>` stream gets a `$>` link event in
 *   `$ce-<category>` (what the $by_category projection writes), and `writeSystemEvent` adds others,
 *   so a client must filter them out of $all as it would have to on a real server.
 *
 * Known differences: reading $all from a position that is not an event's position starts at the
 * next event (EventStoreDB refuses a position inside a record); no ACLs, no metadata streams, no
 * deletes, no $maxCount, no scavenge, no cluster.
 */
import { randomUUID } from 'node:crypto';

export interface LogRecord {
  stream: string;
  revision: bigint;
  id: string;
  type: string;
  isJson: boolean;
  data: Uint8Array;
  metadata: Uint8Array;
  /** .NET ticks since the Unix epoch, as EventStoreDB sends them. */
  created: bigint;
  position: bigint;
}

export interface ProposedEvent {
  id: string;
  type: string;
  isJson: boolean;
  data: Uint8Array;
  metadata: Uint8Array;
}

export type Expected = { kind: 'any' } | { kind: 'no_stream' } | { kind: 'stream_exists' } | { kind: 'revision'; revision: bigint };

export type AppendOutcome =
  | { kind: 'success'; currentRevision: bigint; position: bigint }
  | { kind: 'wrong_expected_version'; current: bigint | 'no_stream'; expected: Expected }
  | { kind: 'too_large'; maxAppendSize: number };

export type AllStart = 'start' | 'end' | bigint;
export type StreamStart = 'start' | 'end' | bigint;

export interface StandInLogOptions {
  /** Where the first record goes; set near 2^53 to see the adapter refuse unsafe positions. */
  firstPosition?: bigint;
  /** Link every categorised event into `$ce-<category>`, as EventStoreDB's standard projections do. */
  categoryLinks?: boolean;
  /** EventStoreDB's MaxAppendSize: data + metadata bytes of one append. Default 1 MiB. */
  maxAppendSize?: number;
}

const RECORD_OVERHEAD = 72n;

export class StandInLog {
  readonly records: LogRecord[] = [];
  private readonly streams = new Map<string, LogRecord[]>();
  private readonly listeners = new Set<(record: LogRecord) => void>();
  private nextPosition: bigint;
  private readonly categoryLinks: boolean;
  private readonly maxAppendSize: number;

  constructor(options: StandInLogOptions = {}) {
    this.nextPosition = options.firstPosition ?? 4096n;
    this.categoryLinks = options.categoryLinks ?? true;
    this.maxAppendSize = options.maxAppendSize ?? 1024 * 1024;
  }

  append(stream: string, expected: Expected, proposed: ProposedEvent[]): AppendOutcome {
    const size = proposed.reduce((sum, event) => sum + event.data.length + event.metadata.length, 0);
    if (size > this.maxAppendSize) return { kind: 'too_large', maxAppendSize: this.maxAppendSize };
    const events = this.streams.get(stream) ?? [];
    const current = events.length === 0 ? -1n : events[events.length - 1].revision;
    const wrong = (): AppendOutcome => ({ kind: 'wrong_expected_version', current: current < 0n ? 'no_stream' : current, expected });

    const repeat = this.idempotentRepeat(events, expected, proposed);
    if (repeat === 'corrupt') return wrong();
    if (repeat) return { kind: 'success', currentRevision: repeat.revision, position: repeat.position };

    switch (expected.kind) {
      case 'no_stream':
        if (current !== -1n) return wrong();
        break;
      case 'stream_exists':
        if (current === -1n) return wrong();
        break;
      case 'revision':
        if (current !== expected.revision) return wrong();
        break;
      case 'any':
        break;
    }
    if (proposed.length === 0) return { kind: 'success', currentRevision: current, position: this.lastPosition() };
    let last: LogRecord | undefined;
    for (const event of proposed) last = this.write(stream, event);
    return { kind: 'success', currentRevision: last!.revision, position: last!.position };
  }

  /** A system event (`$`-typed, usually in a `$`-stream), as the server's own subsystems write them. */
  writeSystemEvent(stream: string, type: string, data: unknown = {}): LogRecord {
    return this.write(stream, {
      id: randomUUID(),
      type,
      isJson: true,
      data: Buffer.from(JSON.stringify(data)),
      metadata: new Uint8Array(),
    });
  }

  readStream(stream: string, from: StreamStart, forwards: boolean, count: bigint): LogRecord[] | 'not_found' {
    const events = this.streams.get(stream);
    if (!events) return 'not_found';
    let selected: LogRecord[];
    if (forwards) {
      const start = from === 'start' ? 0n : from === 'end' ? BigInt(events.length) : from;
      selected = events.filter((event) => event.revision >= start);
    } else {
      const start = from === 'start' ? -1n : from === 'end' ? BigInt(events.length) : from;
      selected = events.filter((event) => event.revision <= start).reverse();
    }
    return take(selected, count);
  }

  /** Forwards: events at or after `from` (EventStoreDB reads $all inclusively). Backwards: before it. */
  readAll(from: AllStart, forwards: boolean, count: bigint, accept: (record: LogRecord) => boolean = () => true): LogRecord[] {
    const out: LogRecord[] = [];
    if (forwards) {
      const start = from === 'start' ? 0 : from === 'end' ? this.records.length : this.firstIndexAtOrAfter(from);
      for (let i = start; i < this.records.length && BigInt(out.length) < count; i++) {
        if (accept(this.records[i])) out.push(this.records[i]);
      }
    } else {
      const start = from === 'end' ? this.records.length - 1 : from === 'start' ? -1 : this.firstIndexAtOrAfter(from) - 1;
      for (let i = start; i >= 0 && BigInt(out.length) < count; i--) {
        if (accept(this.records[i])) out.push(this.records[i]);
      }
    }
    return out;
  }

  /** Index of the first record strictly after `position`. */
  firstIndexAfter(position: bigint): number {
    let low = 0;
    let high = this.records.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (this.records[mid].position <= position) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  onRecord(listener: (record: LogRecord) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  lastPosition(): bigint {
    return this.records.length === 0 ? 0n : this.records[this.records.length - 1].position;
  }

  firstIndexAtOrAfter(position: bigint): number {
    let low = 0;
    let high = this.records.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (this.records[mid].position < position) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  /**
   * EventStoreDB's idempotence: the same event ids already at the place the expected revision
   * names (or, for `any`, found in the stream in the same order) succeed without writing.
   */
  private idempotentRepeat(events: LogRecord[], expected: Expected, proposed: ProposedEvent[]): LogRecord | 'corrupt' | undefined {
    if (proposed.length === 0) return undefined;
    let start: number;
    if (expected.kind === 'revision') start = Number(expected.revision) + 1;
    else if (expected.kind === 'no_stream') start = 0;
    else if (expected.kind === 'any') start = events.findIndex((event) => event.id === proposed[0].id);
    else return undefined;
    if (start < 0 || start >= events.length) return undefined;
    const candidates = events.slice(start, start + proposed.length);
    const matching = candidates.filter((event, i) => event.id === proposed[i]?.id).length;
    if (matching === proposed.length) return candidates[candidates.length - 1];
    if (matching > 0) return 'corrupt';
    return undefined;
  }

  private write(stream: string, event: ProposedEvent): LogRecord {
    const events = this.streams.get(stream) ?? [];
    const record: LogRecord = {
      stream,
      revision: BigInt(events.length),
      id: event.id.toLowerCase(),
      type: event.type,
      isJson: event.isJson,
      data: event.data,
      metadata: event.metadata,
      created: BigInt(Date.now()) * 10_000n,
      position: this.nextPosition,
    };
    this.nextPosition +=
      RECORD_OVERHEAD + BigInt(Buffer.byteLength(stream) + Buffer.byteLength(event.type) + event.data.length + event.metadata.length);
    events.push(record);
    this.streams.set(stream, events);
    this.records.push(record);
    for (const listener of [...this.listeners]) listener(record);
    this.linkToCategory(record);
    return record;
  }

  private linkToCategory(record: LogRecord): void {
    const dash = record.stream.indexOf('-');
    if (!this.categoryLinks || record.stream.startsWith('$') || dash <= 0) return;
    this.write(`$ce-${record.stream.slice(0, dash)}`, {
      id: randomUUID(),
      type: '$>',
      isJson: false,
      data: Buffer.from(`${record.revision}@${record.stream}`),
      metadata: new Uint8Array(),
    });
  }
}

function take<T>(items: T[], count: bigint): T[] {
  return BigInt(items.length) > count ? items.slice(0, Number(count)) : items;
}
