/**
 * Counts the writes a server acknowledged, so a crash test kills it after N of them — not after a
 * fixed delay, which on a slow or busy machine may kill before any write landed (and prove
 * nothing) or after the load ended (and kill nothing in flight).
 */
export class Acknowledgements {
  count = 0;
  readonly reached: Promise<void>;
  private resolve!: () => void;

  constructor(readonly target: number) {
    this.reached = new Promise<void>((resolve) => (this.resolve = resolve));
  }

  acknowledge(): void {
    this.count++;
    if (this.count === this.target) this.resolve();
  }

  /**
   * Resolves once `target` writes were acknowledged while the load keeps running; rejects when the
   * load ends first (its writers stopped or failed), so the test says why instead of hanging.
   */
  async whileLoading(load: Promise<unknown>): Promise<void> {
    const ended = load.then(
      () => Promise.reject(new Error(`the load ended after ${this.count} acknowledged writes, before ${this.target}`)),
      (error) => Promise.reject(error),
    );
    ended.catch(() => undefined); // only the race below reports it
    await Promise.race([this.reached, ended]);
  }
}
