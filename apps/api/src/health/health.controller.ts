import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { EVENT_STORE, EventStore } from '../../../../libs/event-store/src';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  @Get()
  @ApiOkResponse({ description: 'liveness and the event log head' })
  async health(): Promise<{ status: 'ok'; eventStore: { headPosition: number } }> {
    return { status: 'ok', eventStore: { headPosition: await this.store.headPosition() } };
  }
}
