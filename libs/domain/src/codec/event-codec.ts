import { EVENT_SCHEMA_VERSIONS, type RapportEvent, type RapportEventType } from '../events';
import { envelopeAt, type EventEnvelope, type EventOrigin } from './event-envelope';

/** Turns one version of a type's data into the next (v → v + 1); it must not read anything but its input. */
export type Upcaster = (data: Readonly<Record<string, unknown>>) => Record<string, unknown>;

/** What the codec reads: an event as a store hands it back (RecordedEvent has these fields and more). */
export interface StoredEventLike {
  type: string;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
}

/** An event the codec has read: the domain event at its current schema version, plus what it was stored as. */
export type DecodedEvent<E extends { type: string } = RapportEvent> = E & {
  /** The schema version it was stored at (upcast from it when older than the current one). */
  storedVersion: number;
};

export interface EventCodecOptions {
  /** The current schema version of each type. */
  versions: Readonly<Record<string, number>>;
  /** Per type, per version v: how data at v becomes data at v + 1. */
  upcasters?: Readonly<Record<string, Readonly<Record<number, Upcaster>>>>;
}

/** An event stored by a newer version of Rapport, or of a type this one has no upcaster for. */
export class UnreadableEventVersionError extends Error {
  constructor(
    readonly eventType: string,
    readonly storedVersion: number,
    readonly currentVersion: number | undefined,
  ) {
    super(
      currentVersion === undefined
        ? `event type ${eventType} is not known to this version of Rapport`
        : storedVersion > currentVersion
          ? `${eventType} v${storedVersion} was written by a newer Rapport (this one reads up to v${currentVersion})`
          : `${eventType} v${storedVersion} has no upcaster to v${storedVersion + 1}`,
    );
    this.name = 'UnreadableEventVersionError';
  }
}

/**
 * The one way events go in and out, keyed by type and schema version. Writing stamps the current
 * version into the metadata (`encode`); reading upcasts older data step by step to the current
 * version (`decode`), so the deciders and the projections only ever see today's shapes and a
 * stored event is never rewritten. The command side and the read side both read through it.
 */
export class EventCodec {
  constructor(private readonly options: EventCodecOptions) {
    for (const [type, steps] of Object.entries(options.upcasters ?? {})) {
      const current = options.versions[type];
      for (const from of Object.keys(steps).map(Number)) {
        if (current === undefined || from < 1 || from >= current) throw new Error(`upcaster ${type} v${from} → v${from + 1} does not lead to the current v${current ?? '?'}`);
      }
    }
  }

  versionOf(type: string): number | undefined {
    return this.options.versions[type];
  }

  encode(event: RapportEvent, origin: EventOrigin): EventEnvelope {
    return envelopeAt(event, origin, this.versionOf(event.type) ?? 1);
  }

  decode<E extends { type: string; data: unknown } = RapportEvent>(stored: StoredEventLike): DecodedEvent<E> {
    const current = this.versionOf(stored.type);
    const declared = stored.metadata.schemaVersion;
    // Events from before schema versions were stamped are version 1.
    const storedVersion = typeof declared === 'number' && Number.isInteger(declared) && declared >= 1 ? declared : 1;
    if (current === undefined || storedVersion > current) throw new UnreadableEventVersionError(stored.type, storedVersion, current);
    let data: Record<string, unknown> = stored.data;
    for (let v = storedVersion; v < current; v++) {
      const step = this.options.upcasters?.[stored.type]?.[v];
      if (!step) throw new UnreadableEventVersionError(stored.type, v, current);
      data = step(data);
    }
    return { type: stored.type, data, storedVersion } as unknown as DecodedEvent<E>;
  }
}

/**
 * Upcasters of the event types in use. All types are at version 1 today, so there are none; when a
 * type's shape changes, bump it in EVENT_SCHEMA_VERSIONS and add its step here.
 */
export const UPCASTERS: Readonly<Partial<Record<RapportEventType, Readonly<Record<number, Upcaster>>>>> = {};

/** The codec of this version of Rapport. */
export const EVENT_CODEC = new EventCodec({ versions: EVENT_SCHEMA_VERSIONS, upcasters: UPCASTERS });

/** An event ready for the store, as this version of Rapport writes it. */
export function envelope(event: RapportEvent, origin: EventOrigin): EventEnvelope {
  return EVENT_CODEC.encode(event, origin);
}
