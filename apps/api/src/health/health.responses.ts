import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** GET /health (health.controller.ts's HealthView). */

export class StorageHealthView {
  @ApiProperty({ enum: ['ok', 'failing'] }) status!: 'ok' | 'failing';
  @ApiPropertyOptional({ enum: ['full', 'io', 'read_only', 'busy', 'unavailable'] }) kind?: string;
  @ApiPropertyOptional({ example: 'SQLITE_FULL' }) code?: string;
  @ApiPropertyOptional() message?: string;
  @ApiPropertyOptional({ type: 'string', format: 'date-time' }) since?: string;
  @ApiPropertyOptional({ type: 'integer', minimum: 0 }) refusedRequests?: number;
}

export class EventStoreHealth {
  @ApiProperty({ type: 'integer', minimum: 0 }) headPosition!: number;
  @ApiProperty({ type: 'integer', minimum: 0, description: 'events read whose sealed personal data could not be opened' }) unreadableRecords!: number;
}

export class ReadStoreHealth {
  @ApiProperty({ enum: ['sqlite', 'postgres'] }) kind!: 'sqlite' | 'postgres';
  @ApiProperty({ enum: ['in-process', 'external'] }) projector!: 'in-process' | 'external';
}

export class ProjectionError {
  @ApiProperty({ type: 'integer' }) position!: number;
  @ApiProperty() message!: string;
}

export class ProjectionRetrying {
  @ApiProperty({ type: 'integer', minimum: 1 }) attempts!: number;
  @ApiProperty() message!: string;
}

export class ProjectionRebuildingBeside {
  @ApiProperty({ type: 'integer' }) version!: number;
  @ApiProperty({ type: 'integer' }) position!: number;
  @ApiProperty({ type: 'integer' }) target!: number;
  @ApiPropertyOptional() failed?: string;
}

export class ProjectionHealthView {
  @ApiProperty({ example: 'call-queue' }) name!: string;
  @ApiProperty({ type: 'integer' }) version!: number;
  @ApiProperty({ type: 'integer', minimum: 0 }) position!: number;
  @ApiProperty({ type: 'integer', description: 'the log’s head minus the position' }) lag!: number;
  @ApiProperty({ enum: ['rebuilding', 'running', 'stopped'] }) status!: string;
  @ApiPropertyOptional({ type: ProjectionError, description: 'stopped: the event it could not apply, and why' }) error?: ProjectionError;
  @ApiPropertyOptional({ type: ProjectionRetrying }) retrying?: ProjectionRetrying;
  @ApiPropertyOptional({ type: ProjectionRebuildingBeside }) rebuildingBeside?: ProjectionRebuildingBeside;
  @ApiPropertyOptional({ description: 'with the projector in this process: whether this process runs it (false: another process owns it, this one stands by)' }) runHere?: boolean;
}

export class HealthReport {
  @ApiProperty({ enum: ['ok', 'degraded'] }) status!: 'ok' | 'degraded';
  @ApiPropertyOptional({ type: [String], description: 'why it is degraded, one line per cause' }) reasons?: string[];
  @ApiProperty({ type: StorageHealthView }) storage!: StorageHealthView;
  @ApiProperty({ type: EventStoreHealth }) eventStore!: EventStoreHealth;
  @ApiProperty({ type: ReadStoreHealth }) readStore!: ReadStoreHealth;
  @ApiProperty({ type: [ProjectionHealthView] }) projections!: ProjectionHealthView[];
}
