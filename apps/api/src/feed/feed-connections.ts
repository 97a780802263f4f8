import { Injectable, OnApplicationShutdown, BeforeApplicationShutdown } from '@nestjs/common';
import type { SseConnection } from './sse-connection';

/**
 * The open SSE connections. An SSE response never ends by itself, so the HTTP server could not
 * close while one is open: they are ended before it closes.
 */
@Injectable()
export class FeedConnections implements BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly open = new Set<SseConnection>();

  add(connection: SseConnection): void {
    this.open.add(connection);
    void connection.finished.then(() => this.open.delete(connection));
  }

  get size(): number {
    return this.open.size;
  }

  beforeApplicationShutdown(): void {
    this.closeAll();
  }

  onApplicationShutdown(): void {
    this.closeAll();
  }

  private closeAll(): void {
    for (const connection of [...this.open]) connection.close();
  }
}
