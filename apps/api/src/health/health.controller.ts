import { Controller, Get, Inject } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiRead } from '../http/openapi';
import { HealthReport } from './health.responses';
import { AuditedEventStore } from '@rapport/audit';
import { EVENT_STORE, EventStore } from '@rapport/event-store';
import type { ProjectionHealth } from '@rapport/projections';
import { Public } from '../auth/access.decorators';
import { READ_SIDE, ReadSide } from '../queries/read-side';
import { StorageHealth, StorageStatus } from './storage-status';

export interface HealthView {
  /**
   * `degraded` while a projection is stopped (the API still serves, that projection's queries go
   * stale), while storage refuses writes (commands get 503 until a write succeeds again), or once
   * personal data was found that cannot be opened.
   */
  status: 'ok' | 'degraded';
  /** Why it is degraded, one line per cause; absent when ok. */
  reasons?: string[];
  storage: StorageHealth;
  /** `unreadableRecords`: events read whose sealed personal data could not be opened (tampered, or keys restored from an older backup). */
  eventStore: { headPosition: number; unreadableRecords: number };
  readStore: { kind: 'sqlite' | 'postgres'; projector: 'in-process' | 'external' };
  /** Each projection's position, lag (head − position) and status; a stopped one names the event it stopped at and why. */
  projections: ProjectionHealth[];
}

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_SIDE) private readonly readSide: ReadSide,
    private readonly storage: StorageStatus,
  ) {}

  @Get()
  @Public()
  @ApiRead({
    operationId: 'getHealth',
    summary: 'Liveness and readiness',
    description:
      'Whether storage takes writes, the event log’s head, and each projection’s position, lag and status. `degraded` (with the reasons) while a projection is stopped or ' +
      'cannot advance, while storage refuses writes, or once personal data was read that cannot be opened. Always 200; no token.',
    response: HealthReport,
    errors: [],
    public: true,
  })
  async health(): Promise<HealthView> {
    const [headPosition, projections] = await Promise.all([this.store.headPosition(), this.readSide.status.read()]);
    const storage = this.storage.health();
    const unreadableRecords = this.store instanceof AuditedEventStore ? this.store.unreadableRecords() : 0;
    const reasons = [
      ...(storage.status === 'failing' ? [`storage: ${storage.message}`] : []),
      ...projections.filter((p) => p.status === 'stopped').map((p) => `projection ${p.name} stopped at position ${p.position}: ${p.error?.message ?? 'no error recorded'}`),
      // One failed attempt is a blip; three in a row (seconds, with the backoff) is something to look at.
      ...projections.filter((p) => (p.retrying?.attempts ?? 0) >= 3).map((p) => `projection ${p.name} cannot advance (${p.retrying!.attempts} attempts, still trying): ${p.retrying!.message}`),
      ...projections
        .filter((p) => p.rebuildingBeside?.failed)
        .map((p) => `projection ${p.name}: rebuilding version ${p.rebuildingBeside!.version} beside it failed, version ${p.version} answers, frozen at position ${p.position}: ${p.rebuildingBeside!.failed}`),
      ...(unreadableRecords > 0
        ? [`${unreadableRecords} event(s) hold personal data that cannot be opened (shown as unavailable): a changed events file, or keys.sqlite restored from an older backup`]
        : []),
    ];
    return {
      status: reasons.length > 0 ? 'degraded' : 'ok',
      ...(reasons.length > 0 ? { reasons } : {}),
      storage,
      eventStore: { headPosition, unreadableRecords },
      readStore: { kind: this.readSide.models.dialect, projector: this.readSide.projector },
      projections,
    };
  }
}
