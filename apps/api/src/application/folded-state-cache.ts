/**
 * Folded aggregate state by stream, as of a revision, so a command reads only the events recorded
 * since (usually none) instead of the whole stream. Another process's writes are still seen: the
 * reader always asks the store for events after the cached revision. Least recently used goes first.
 */
export class FoldedStateCache {
  private readonly entries = new Map<string, { state: unknown; revision: number }>();

  constructor(private readonly capacity = 20_000) {}

  get<S>(stream: string): { state: S; revision: number } | undefined {
    const entry = this.entries.get(stream);
    if (!entry) return undefined;
    this.entries.delete(stream);
    this.entries.set(stream, entry);
    return entry as { state: S; revision: number };
  }

  set(stream: string, state: unknown, revision: number): void {
    this.entries.delete(stream);
    this.entries.set(stream, { state, revision });
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
  }

  /** Everything goes: the next command on each stream reads it whole. */
  clear(): void {
    this.entries.clear();
  }
}
