import type { Subscription } from 'rxjs';
import type { EventStore } from '@rapport/event-store';

/**
 * Wakes idle projection loops when the log grows. One live subscription from the head serves as
 * the doorbell; the loops read the events themselves, in batches, from their own checkpoints.
 * A fallback timer wakes them anyway, so a missed ring only delays, never stalls.
 */
export class LogTail {
  private subscription?: Subscription;
  private waiters: Array<() => void> = [];
  private closed = false;

  constructor(
    private readonly store: EventStore,
    private readonly fallbackMs: number,
  ) {}

  async open(): Promise<void> {
    const head = await this.store.headPosition();
    if (this.closed) return;
    this.subscription = this.store.subscribeToAll({ after: head }).subscribe({
      next: () => this.ring(),
      // The store closing ends the subscription; the fallback timer keeps loops polling until stopped.
      error: () => this.ring(),
    });
  }

  /** Resolves at the next append, after the fallback interval, or when the tail closes. */
  next(): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, this.fallbackMs);
      timer.unref();
      const waiter = (): void => done();
      this.waiters.push(waiter);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
    });
  }

  close(): void {
    this.closed = true;
    this.subscription?.unsubscribe();
    this.ring();
  }

  private ring(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}
