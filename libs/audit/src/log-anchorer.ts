import { setImmediate as nextTurn } from 'node:timers/promises';
import type { EventStore } from '@rapport/event-store';
import type { AuditAnchor } from './audit-anchor';

const DEFAULT_BATCH = 1000;

export interface LogAnchorerOptions {
  /** Events read and anchored per transaction. */
  batchSize?: number;
  /** A failed pass is retried at the next nudge; this hears of it (default: a process warning). */
  onError?: (error: unknown) => void;
}

/**
 * Extends the audit anchor behind the log: tails the store as stored (sealed, chained) by
 * position, one transaction per batch. Nudged after every append (nudges in one turn share a
 * pass), at open (catch up) and flushed by close(). Events of other processes are anchored at the
 * next pass too: the anchor follows the log, not this process's appends.
 */
export class LogAnchorer {
  private readonly batchSize: number;
  private readonly onError: (error: unknown) => void;
  private position: number;
  /** The pass in progress, and whether it has started reading (a nudge before that joins it). */
  private pass: Promise<void> | undefined;
  private passReading = false;
  /** The pass that runs after the current one, for nudges that came while it was reading. */
  private queued: Promise<void> | undefined;
  private closing: Promise<void> | undefined;

  constructor(
    private readonly log: EventStore,
    private readonly anchor: AuditAnchor,
    private readonly key: Buffer,
    options: LogAnchorerOptions = {},
  ) {
    this.batchSize = options.batchSize ?? DEFAULT_BATCH;
    this.onError = options.onError ?? ((error) => process.emitWarning(`audit anchor: ${(error as Error).message ?? String(error)}`));
    this.position = anchor.last()?.position ?? 0;
  }

  /** The last position anchored, as far as this process knows. */
  anchoredPosition(): number {
    return this.position;
  }

  /** Asks for a pass; never throws (the events are committed whatever happens here). */
  nudge(): void {
    if (this.closing) return;
    this.catchUp().catch(this.onError);
  }

  /**
   * Resolves with the anchored position once everything up to `position` is anchored, or once a
   * pass found nothing more in the log (then it may be less than asked).
   */
  async anchoredThrough(position: number): Promise<number> {
    while (this.position < position && !this.closing) {
      const before = this.position;
      await this.catchUp();
      if (this.position === before) break;
    }
    return this.position;
  }

  /** Anchors what is left in the log, then closes the anchor file (even when that pass fails). */
  close(): Promise<void> {
    this.closing ??= (async () => {
      try {
        await this.catchUp();
      } finally {
        this.anchor.close();
      }
    })();
    return this.closing;
  }

  /** A pass that starts no earlier than now, and reads the log to its end. */
  private catchUp(): Promise<void> {
    if (this.pass && !this.passReading) return this.pass;
    if (!this.pass) return this.startPass();
    this.queued ??= this.pass
      .then(undefined, () => undefined)
      .then(() => {
        this.queued = undefined;
        return this.catchUp();
      });
    return this.queued;
  }

  private startPass(): Promise<void> {
    this.passReading = false;
    const pass = (async () => {
      // Off the append's own path, and every append of this turn in one pass.
      await nextTurn();
      this.passReading = true;
      await this.drain();
    })().finally(() => {
      if (this.pass === pass) this.pass = undefined;
    });
    this.pass = pass;
    return pass;
  }

  private async drain(): Promise<void> {
    for (;;) {
      const batch = await this.log.readAll({ after: this.position, limit: this.batchSize });
      if (batch.length === 0) return;
      this.position = Math.max(this.position, this.anchor.extend(this.key, batch));
      if (batch.length < this.batchSize) return;
    }
  }
}
