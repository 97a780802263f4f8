import { Controller, Get, Inject, NotFoundException, Param } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { EVENT_STORE, EventStore, RecordedEvent } from '../../../../libs/event-store/src';
import { patientStream } from '../commands/streams';
import { ClientIdPipe } from '../http/client-id.pipe';

/** The audit view: a patient's stream exactly as stored. */
@ApiTags('patients')
@Controller('v1/patients')
export class PatientEventsController {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  @Get(':patientId/events')
  @ApiOkResponse({ description: "every event of the patient's stream with type, data, metadata, revision and global position" })
  async events(@Param('patientId', ClientIdPipe) patientId: string): Promise<{ patientId: string; stream: string; events: RecordedEvent[] }> {
    const stream = patientStream(patientId);
    const events = await this.store.readStream(stream);
    if (events.length === 0) throw new NotFoundException(`patient ${patientId} has no record`);
    return { patientId, stream, events };
  }
}
