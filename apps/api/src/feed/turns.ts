/**
 * Turns at work that finishes without waiting (a page of history read from SQLite and unsealed):
 * one turn per turn of the event loop, in the order asked. Between two, the loop takes the I/O
 * that came meanwhile, so a crowd of feed clients catching up at once delays a command by one
 * page, not by every client's page (a setImmediate each would run them all in one go).
 */
export class Turns {
  private readonly waiting: Array<() => void> = [];
  private scheduled = false;

  /** Resolves when it is the caller's turn; the caller's work should follow at once. */
  next(): Promise<void> {
    return new Promise<void>((resolve) => {
      this.waiting.push(resolve);
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.waiting.length === 0) return;
    this.scheduled = true;
    // An immediate queued from inside another runs in the next turn of the loop, after its I/O.
    setImmediate(() => {
      this.scheduled = false;
      this.waiting.shift()!();
      this.schedule();
    });
  }
}
