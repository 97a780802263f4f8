import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { EVENT_STORE, EventStore } from '../../../../libs/event-store/src';
import type { ProjectionHealth } from '../../../../libs/projections/src';
import { Public } from '../auth/access.decorators';
import { READ_SIDE, ReadSide } from '../queries/read-side';

export interface HealthView {
  /** `degraded` while a projection is stopped: the API still serves, that projection's queries go stale. */
  status: 'ok' | 'degraded';
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
  ) {}

  @Get()
  @Public()
  @ApiOkResponse({ description: 'liveness, the event log head, and each projection’s position, lag and status' })
  async health(): Promise<HealthView> {
    const [headPosition, projections] = await Promise.all([this.store.headPosition(), this.readSide.status.read()]);
    return {
      status: projections.some((p) => p.status === 'stopped') ? 'degraded' : 'ok',
      eventStore: { headPosition },
      readStore: { kind: this.readSide.models.dialect, projector: this.readSide.projector },
      projections,
    };
  }
}
