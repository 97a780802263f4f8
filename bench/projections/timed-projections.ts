import { performance } from 'node:perf_hooks';
import type { EventStore } from '@rapport/event-store';

/**
 * Where a rebuild's time goes in reading the log, without touching the store: its `readAll` is
 * wrapped with a clock (the runtime times the projections' work itself, per batch).
 */
export class RebuildClock {
  readAllMs = 0;
  readAllCalls = 0;
  eventsRead = 0;

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
