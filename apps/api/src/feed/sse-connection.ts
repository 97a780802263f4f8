import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RecordedEvent } from '@rapport/event-store';
import type { LiveLog } from './live-log';

export interface SseConnectionOptions {
  /** History and live events come from here: the process's one tail of the log. */
  log: Pick<LiveLog, 'read' | 'join' | 'turn'>;
  /** Deliver events with position > after. */
  after: number;
  heartbeatMs: number;
  /** The events this client may see; the others are passed over (default: all). */
  accept?: (event: RecordedEvent) => boolean;
  /** The clinics whose events `accept` lets through (undefined: all), so the tail hands it only those. */
  clinics?: readonly string[];
  /** History is read in pages of this many events, each written before the next is read. */
  pageSize?: number;
  /** A client this far behind on live events (bytes not yet taken by its socket) is cut off; it resumes with Last-Event-ID. */
  maxBufferedBytes?: number;
  /** ...or this many live events not yet written (waiting for the access log). */
  maxPendingEvents?: number;
  onError?: (error: unknown) => void;
  /** Runs before events are written (the access log records who received names and phones); a failure ends the stream unsent. */
  beforeSend?: (events: RecordedEvent[]) => Promise<void>;
}

/**
 * One client of GET /v1/events/stream: the history after its position, page by page and only as
 * fast as the client reads, then live events from the shared tail (LiveLog) — each event exactly
 * once, in position order, framed as `id: <position>` / `event: <type>` / `data: <JSON>`.
 * Heartbeat comments keep idle proxies from closing the connection. A client that stops reading
 * is cut off (its socket destroyed) once its backlog passes the bound, so it never pins memory.
 */
export class SseConnection {
  private closed = false;
  private heartbeat: NodeJS.Timeout | undefined;
  private leave: (() => void) | undefined;
  /** Live events waiting to be written, oldest first; one pump writes them. */
  private pending: RecordedEvent[] = [];
  private pumping = false;
  private readonly drainWaiters = new Set<() => void>();
  private readonly pageSize: number;
  private readonly maxBufferedBytes: number;
  private readonly maxPendingEvents: number;
  /** Resolves once the connection is over, whoever ended it. */
  readonly finished: Promise<void>;
  private finish!: () => void;

  constructor(
    private readonly request: IncomingMessage,
    private readonly response: ServerResponse,
    private readonly options: SseConnectionOptions,
  ) {
    this.pageSize = options.pageSize ?? 500;
    this.maxBufferedBytes = options.maxBufferedBytes ?? 8 * 1024 * 1024;
    this.maxPendingEvents = options.maxPendingEvents ?? 10_000;
    this.finished = new Promise((resolve) => (this.finish = resolve));
  }

  start(): void {
    this.response.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      // nginx and friends buffer responses unless told not to.
      'x-accel-buffering': 'no',
    });
    this.response.write(`retry: 2000\n: rapport event feed, after position ${this.options.after}\n\n`);
    this.request.on('close', () => this.close());
    this.response.on('close', () => this.close());
    this.response.on('drain', () => this.wakeWriters());
    this.heartbeat = setInterval(() => this.write(': heartbeat\n\n'), this.options.heartbeatMs);
    this.run().catch((error: unknown) => this.fail(error));
  }

  /** Ends the stream from the server's side (shutdown). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.leave?.();
    this.pending = [];
    this.wakeWriters();
    if (!this.response.writableEnded) this.response.end();
    this.finish();
  }

  private async run(): Promise<void> {
    let cursor = this.options.after;
    // History, pulled page by page until the shared tail holds the rest: a slow reader slows the
    // reads instead of filling memory.
    for (;;) {
      if (this.closed) return;
      const leave = await this.options.log.join(cursor, { event: (event) => this.queue(event), failed: (error) => this.fail(error) }, this.options.clinics);
      if (leave) {
        if (this.closed) leave();
        else this.leave = leave;
        return;
      }
      // Every client behind takes its turn: other requests run between two pages.
      await this.options.log.turn();
      if (this.closed) return;
      const page = await this.options.log.read(cursor, this.pageSize);
      await this.options.beforeSend?.(page.filter((event) => this.accepts(event)));
      for (const event of page) {
        if (this.closed) return;
        if (this.accepts(event) && !this.write(frame(event))) await this.drained();
        cursor = event.position;
      }
    }
  }

  /** A live event: queued in order, written after its access record; a client too far behind is cut off. */
  private queue(event: RecordedEvent): void {
    if (this.closed || !this.accepts(event)) return;
    this.pending.push(event);
    if (this.pending.length > this.maxPendingEvents || this.response.writableLength > this.maxBufferedBytes) {
      this.cutOff();
      return;
    }
    if (!this.pumping) void this.pump();
  }

  private async pump(): Promise<void> {
    this.pumping = true;
    try {
      while (!this.closed && this.pending.length > 0) {
        const events = this.pending;
        this.pending = [];
        await this.options.beforeSend?.(events);
        for (const event of events) this.write(frame(event));
        if (this.response.writableLength > this.maxBufferedBytes) this.cutOff();
      }
    } catch (error) {
      this.fail(error);
    } finally {
      this.pumping = false;
    }
  }

  /** Too far behind: the socket goes (a client that stopped reading would never take an end), and with it what was buffered for it. */
  private cutOff(): void {
    this.close();
    this.response.destroy();
  }

  private accepts(event: RecordedEvent): boolean {
    return this.options.accept?.(event) ?? true;
  }

  private fail(error: unknown): void {
    this.options.onError?.(error);
    this.write(`event: error\ndata: ${JSON.stringify({ message: 'the event feed failed; reconnect with Last-Event-ID' })}\n\n`);
    this.close();
  }

  private write(chunk: string): boolean {
    if (this.closed || this.response.writableEnded) return true;
    return this.response.write(chunk);
  }

  private drained(): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.add(resolve));
  }

  private wakeWriters(): void {
    for (const wake of [...this.drainWaiters]) wake();
    this.drainWaiters.clear();
  }
}

/** Frames already made: the shared tail hands every client the same event object, so it is serialised once. */
const framed = new WeakMap<RecordedEvent, string>();

/** One SSE message. JSON has no raw newlines, so `data` is one line; the type is kept to one line too. */
export function frame(event: RecordedEvent): string {
  let text = framed.get(event);
  if (text === undefined) {
    text = `id: ${event.position}\nevent: ${event.type.replace(/[\r\n]/g, ' ')}\ndata: ${JSON.stringify(event)}\n\n`;
    framed.set(event, text);
  }
  return text;
}
