import { Injectable, Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { StorageFailure, whatFailed } from '@rapport/event-store';

/** What /health says of storage. */
export type StorageHealth =
  | { status: 'ok' }
  | { status: 'failing'; kind: StorageFailure['kind']; code: string; message: string; since: string; refusedRequests: number };

/** At most one storage line per this long, however many requests fail or however often it flaps. */
const LOG_EVERY_MS = 60_000;

interface Failing {
  latest: StorageFailure;
  since: string;
  refused: number;
  /** The highest command position answered before the failure: a write succeeded once one passes it. */
  after: number;
  /** Whether its start was logged (else its end is not either: it fell inside a quiet minute). */
  logged: boolean;
}

/**
 * Whether storage takes writes. The ErrorFilter reports each request refused for a storage failure;
 * a command answered with a new log position reports that writes work again. The log says it once
 * when it starts, then a count at most once a minute (no stack), and once when it ends.
 */
@Injectable()
export class StorageStatus {
  private readonly logger = new Logger('Storage');
  private failing: Failing | undefined;
  private highestPosition = 0;
  private lastLineAt = -Infinity;
  /** Refusals no line has reported yet, by code (flapping carries them over to the next line). */
  private readonly unlogged = new Map<string, number>();

  failed(failure: StorageFailure): void {
    const now = Date.now();
    this.failing ??= { latest: failure, since: new Date(now).toISOString(), refused: 0, after: this.highestPosition, logged: false };
    const f = this.failing;
    f.latest = failure;
    f.refused += 1;
    this.unlogged.set(failure.code, (this.unlogged.get(failure.code) ?? 0) + 1);
    if (now - this.lastLineAt < LOG_EVERY_MS) return;
    const counts = [...this.unlogged].map(([code, n]) => `${code} ×${n}`).join(', ');
    const total = [...this.unlogged.values()].reduce((a, b) => a + b, 0);
    this.logger.error(
      f.logged || total > 1
        ? `storage still failing since ${f.since}: ${counts} refused since the last line (latest: ${failure.detail})`
        : `storage failing: ${failure.code} ${failure.detail}. Requests get 503 with Retry-After until a write succeeds; said again at most once a minute.`,
    );
    f.logged = true;
    this.lastLineAt = now;
    this.unlogged.clear();
  }

  /** A command answered at `position` of the log. */
  answered(position: number): void {
    const f = this.failing;
    if (f && position > f.after) {
      this.failing = undefined;
      if (f.logged) {
        this.logger.log(`storage takes writes again (failing since ${f.since}; ${f.refused} requests refused)`);
        this.lastLineAt = Date.now();
        this.unlogged.clear();
      }
    }
    this.highestPosition = Math.max(this.highestPosition, position);
  }

  health(): StorageHealth {
    const f = this.failing;
    if (!f) return { status: 'ok' };
    const message = `${whatFailed(f.latest)}: commands get 503 until a write succeeds`;
    return { status: 'failing', kind: f.latest.kind, code: f.latest.code, message, since: f.since, refusedRequests: f.refused };
  }

  /** Watches command answers: their X-Rapport-Position says a write went through. */
  attach(app: NestFastifyApplication): void {
    app.getHttpAdapter().getInstance().addHook('onResponse', async (_request, reply) => {
      if (reply.statusCode >= 300 || reply.getHeader('idempotent-replayed')) return;
      const position = Number(reply.getHeader('x-rapport-position'));
      if (Number.isInteger(position)) this.answered(position);
    });
  }
}
