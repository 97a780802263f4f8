import { performance } from 'node:perf_hooks';
import type { EventStore } from '@rapport/event-store';
import type { Projection } from '@rapport/projections';

/**
 * Where a rebuild's time goes, without touching the runtime: each projection's `project` and the
 * store's `readAll` are wrapped with a clock. On SQLite one connection runs one batch transaction
 * at a time, so a projection's apply time is its own (no other projection runs meanwhile).
 */
export class RebuildClock {
  readonly applyMs = new Map<string, number>();
  readAllMs = 0;
  readAllCalls = 0;
  eventsRead = 0;

  projections(projections: readonly Projection[]): Projection[] {
    return projections.map((p) => {
      this.applyMs.set(p.name, 0);
      const timed = <T>(work: () => T): T => {
        const t0 = performance.now();
        try {
          return work();
        } finally {
          this.applyMs.set(p.name, this.applyMs.get(p.name)! + performance.now() - t0);
        }
      };
      // Working out a projection's changes; loading and writing its rows fall under commits.
      return { ...p, project: (event, rows) => timed(() => p.project(event, rows)) };
    });
  }

  store(store: EventStore): EventStore {
    return new Proxy(store, {
      get: (target, key, receiver) => {
        if (key !== 'readAll') {
          const value = Reflect.get(target, key, receiver) as unknown;
          return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
        }
        return async (options?: Parameters<EventStore['readAll']>[0]) => {
          const t0 = performance.now();
          const events = await target.readAll(options);
          this.readAllMs += performance.now() - t0;
          this.readAllCalls++;
          this.eventsRead += events.length;
          return events;
        };
      },
    });
  }
}
