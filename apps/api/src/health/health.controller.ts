import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { EVENT_STORE, EventStore } from '@rapport/event-store';
import type { ProjectionHealth } from '@rapport/projections';
import { Public } from '../auth/access.decorators';
import { READ_SIDE, ReadSide } from '../queries/read-side';
import { StorageHealth, StorageStatus } from './storage-status';

export interface HealthView {
  /**
   * `degraded` while a projection is stopped (the API still serves, that projection's queries go
   * stale) or while storage refuses writes (commands get 503 until a write succeeds again).
   */
  status: 'ok' | 'degraded';
  /** Why it is degraded, one line per cause; absent when ok. */
  reasons?: string[];
  storage: StorageHealth;
  eventStore: { headPosition: number };
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
  @ApiOkResponse({ description: 'liveness, whether storage takes writes, the event log head, and each projection’s position, lag and status' })
  async health(): Promise<HealthView> {
    const [headPosition, projections] = await Promise.all([this.store.headPosition(), this.readSide.status.read()]);
    const storage = this.storage.health();
    const reasons = [
      ...(storage.status === 'failing' ? [`storage: ${storage.message}`] : []),
      ...projections.filter((p) => p.status === 'stopped').map((p) => `projection ${p.name} stopped at position ${p.position}`),
    ];
    return {
      status: reasons.length > 0 ? 'degraded' : 'ok',
      ...(reasons.length > 0 ? { reasons } : {}),
      storage,
      eventStore: { headPosition },
      readStore: { kind: this.readSide.models.dialect, projector: this.readSide.projector },
      projections,
    };
  }
}
