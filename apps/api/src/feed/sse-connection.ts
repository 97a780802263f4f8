import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Subscription } from 'rxjs';
import type { EventStore, RecordedEvent } from '@rapport/event-store';

export interface SseConnectionOptions {
  store: EventStore;
  /** Deliver events with position > after. */
  after: number;
  heartbeatMs: number;
  /** The events this client may see; the others are passed over (default: all). */
  accept?: (event: RecordedEvent) => boolean;
  /** History is read in pages of this many events, each written before the next is read. */
  pageSize?: number;
  /** A client this far behind on live events is cut off; it resumes with Last-Event-ID. */
  maxBufferedBytes?: number;
  onError?: (error: unknown) => void;
  /** Runs before events are written (the access log records who received names and phones); a failure ends the stream unsent. */
  beforeSend?: (events: RecordedEvent[]) => Promise<void>;
}

/**
 * One client of GET /v1/events/stream: the history after its position, page by page and only as
 * fast as the client reads, then live events from the store's subscription — each event exactly
 * once, in position order, framed as `id: <position>` / `event: <type>` / `data: <JSON>`.
 * Heartbeat comments keep idle proxies from closing the connection.
 */
export class SseConnection {
  private closed = false;
  private heartbeat: NodeJS.Timeout | undefined;
  private live: Subscription | undefined;
  private sending: Promise<void> = Promise.resolve();
  private readonly drainWaiters = new Set<() => void>();
  private readonly pageSize: number;
  private readonly maxBufferedBytes: number;
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
    this.live?.unsubscribe();
    this.wakeWriters();
    if (!this.response.writableEnded) this.response.end();
    this.finish();
  }

  private async run(): Promise<void> {
    let cursor = this.options.after;
    // History, pulled page by page: a slow reader slows the reads instead of filling memory.
    for (;;) {
      if (this.closed) return;
      const page = await this.options.store.readAll({ after: cursor, limit: this.pageSize });
      await this.options.beforeSend?.(page.filter((event) => this.accepts(event)));
      for (const event of page) {
        if (this.closed) return;
        if (this.accepts(event) && !this.write(frame(event))) await this.drained();
        cursor = event.position;
      }
      if (page.length < this.pageSize) break;
    }
    if (this.closed) return;
    // Live: the subscription starts after the last event written, so nothing repeats.
    this.live = this.options.store.subscribeToAll({ after: cursor }).subscribe({
      next: (event) => {
        if (!this.accepts(event)) return;
        // In order, each after its access record: a chain, since recording is asynchronous.
        this.sending = this.sending
          .then(async () => {
            await this.options.beforeSend?.([event]);
            this.write(frame(event));
            if (this.response.writableLength > this.maxBufferedBytes) this.close();
          })
          .catch((error: unknown) => this.fail(error));
      },
      error: (error: unknown) => this.fail(error),
      complete: () => this.close(),
    });
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

/** One SSE message. JSON has no raw newlines, so `data` is one line; the type is kept to one line too. */
export function frame(event: RecordedEvent): string {
  return `id: ${event.position}\nevent: ${event.type.replace(/[\r\n]/g, ' ')}\ndata: ${JSON.stringify(event)}\n\n`;
}
