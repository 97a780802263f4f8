import type { RapportEvent } from '@rapport/domain';
import type { ReadModelTable } from '../src/read-store/read-model-db';
import { epochMs } from '../src/runtime/instants';
import type { ProjectedEvent } from '../src/runtime/projection';
import { Row, RowBatch } from '../src/runtime/row-batch';
import type { RowOf, Projection } from '../src/runtime/row-projection';

/** An event as a spec gives it: the domain event, and when the server recorded it (default: a minute apart from 2026-11-23T02:00Z). */
export type GivenEvent = RapportEvent & { recordedAt?: string; metadata?: Record<string, unknown> };

export type ExpectedRows = { [T in ReadModelTable]?: Partial<RowOf<T>>[] };

const START_MS = Date.parse('2026-11-23T02:00:00Z');

/** The events as the runtime hands them on: positions 1, 2, …, recorded a minute apart unless a time is given. */
export function projected(events: readonly GivenEvent[]): ProjectedEvent[] {
  return events.map(({ recordedAt, metadata, ...event }, i) => {
    const at = recordedAt ?? new Date(START_MS + i * 60_000).toISOString();
    const data = event.data as { patientId?: string; clinicId?: string };
    return {
      ...event,
      position: i + 1,
      eventId: `event-${i + 1}`,
      stream: data.patientId ? `patient-${data.patientId}` : `clinic-${data.clinicId}`,
      recordedAt: at,
      recordedAtMs: epochMs(at, 'recordedAt'),
      metadata: { recordedAt: at, ...(metadata ?? {}) },
    } as ProjectedEvent;
  });
}

/**
 * Given events → then rows, for a row projection, in memory (no database: the projection is a
 * pure function of the event and its rows). Every spec applies the events twice: the rows after
 * the second time must equal those after the first (a redelivered batch changes nothing).
 */
export function projectionSpec(projection: Projection) {
  return {
    given(...events: GivenEvent[]) {
      return {
        /** The tables named hold exactly these rows (in key order; a row lists only the columns that matter). */
        async then(expected: ExpectedRows): Promise<void> {
          const rows = await applyTwice(projection, projected(events));
          for (const [table, wanted] of Object.entries(expected) as [ReadModelTable, Row[]][]) {
            expect({ table, rows: rows.get(table) }).toEqual({ table, rows: wanted.map((row) => expect.objectContaining(row)) });
          }
        },
        /** The projection refuses the event at `position` (it would stop there). */
        async thenFailsAt(position: number, message: RegExp): Promise<void> {
          const batch = new RowBatch(projection.schema);
          const failure = await batch.apply(projection, projected(events));
          expect(failure && { position: failure.index + 1, message: String((failure.error as Error).message) }).toEqual({ position, message: expect.stringMatching(message) });
        },
      };
    },
  };
}

async function applyTwice(projection: Projection, events: ProjectedEvent[]): Promise<Map<ReadModelTable, Row[]>> {
  const batch = new RowBatch(projection.schema);
  const snapshot = () => new Map(projection.tables.map((table) => [table, batch.rows(table)] as const));
  const failure = await batch.apply(projection, events);
  if (failure) throw failure.error;
  batch.settle();
  const once = snapshot();
  const again = await batch.apply(projection, events);
  if (again) throw again.error;
  batch.settle();
  expect({ appliedTwice: snapshot() }).toEqual({ appliedTwice: once });
  return once;
}
