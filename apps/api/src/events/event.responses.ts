import { ApiProperty } from '@nestjs/swagger';

/** An event as recorded (libs/event-store's RecordedEvent); its `data` per type: docs/EVENTS.md. */
export class RecordedEventView {
  @ApiProperty() eventId!: string;
  @ApiProperty({ example: 'CallAttempted' }) type!: string;
  @ApiProperty({ example: 'patient-p1' }) stream!: string;
  @ApiProperty({ type: 'integer', minimum: 0, description: '0-based position within its stream' }) revision!: number;
  @ApiProperty({ type: 'integer', minimum: 1, description: 'position in the global log' }) position!: number;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'the event’s fields (docs/EVENTS.md); names and phones opened, or `{ erased: true }`' }) data!: Record<string, unknown>;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'eventId, correlationId, causationId, actor, recordedAt, schemaVersion, …' }) metadata!: Record<string, unknown>;
  @ApiProperty({ type: 'string', format: 'date-time', description: 'when the store committed it' }) storedAt!: string;
}

export class PatientEvents {
  @ApiProperty({ example: 'p1' }) patientId!: string;
  @ApiProperty({ example: 'patient-p1' }) stream!: string;
  @ApiProperty({ type: [RecordedEventView] }) events!: RecordedEventView[];
}

export class EventsPage {
  @ApiProperty({ type: [RecordedEventView], description: 'position > after, oldest first' }) events!: RecordedEventView[];
  @ApiProperty({ type: 'integer', minimum: 0, description: 'ask again with after=next (at the head when it stops moving)' }) next!: number;
}
