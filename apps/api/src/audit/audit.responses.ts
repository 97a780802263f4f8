import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** The answers of the audit routes (libs/audit, libs/projections' audit read models). */

const INSTANT = { type: 'string', format: 'date-time', example: '2026-11-24T02:30:00Z' } as const;
const COUNT = { type: 'integer', minimum: 0 } as const;

/** Who recorded a fact (null for events recorded before actors were kept). */
export class Recorder {
  @ApiProperty({ type: 'string', nullable: true }) userId!: string | null;
  @ApiProperty({ type: 'string', nullable: true }) role!: string | null;
}

export class AuditCorrection {
  @ApiProperty() eventId!: string;
  @ApiProperty({ type: 'integer' }) position!: number;
  @ApiProperty() correctionId!: string;
  @ApiProperty(INSTANT) recordedAt!: string;
  @ApiProperty({ type: Recorder }) recordedBy!: Recorder;
  @ApiProperty() reason!: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'object', properties: { from: { description: 'what it was (any JSON value)' }, to: { description: 'what it is now (any JSON value)' } }, required: ['from', 'to'] },
    description: 'each corrected field',
  })
  changes!: Record<string, { from: unknown; to: unknown }>;
}

export class AttemptFields {
  @ApiProperty() outcome!: string;
  @ApiProperty(INSTANT) startedAt!: string;
  @ApiProperty({ type: 'integer', nullable: true }) durationSeconds!: number | null;
  @ApiProperty({ type: 'integer', nullable: true }) satisfaction!: number | null;
  @ApiProperty({ type: 'string', nullable: true }) notes!: string | null;
  @ApiProperty({ type: 'string', nullable: true }) symptoms!: string | null;
}

export class AuditAttempt {
  @ApiProperty() eventId!: string;
  @ApiProperty({ type: 'integer' }) position!: number;
  @ApiProperty() callId!: string;
  @ApiProperty() patientId!: string;
  @ApiProperty() clinicId!: string;
  @ApiProperty() callerId!: string;
  @ApiProperty({ type: 'string', nullable: true }) followUpId!: string | null;
  @ApiProperty({ ...INSTANT, description: 'when the caller says the call started' }) startedAt!: string;
  @ApiProperty({ ...INSTANT, description: 'when the server recorded it' }) recordedAt!: string;
  @ApiProperty() outcome!: string;
  @ApiProperty({ type: 'integer', nullable: true }) durationSeconds!: number | null;
  @ApiProperty({ type: 'integer', nullable: true }) satisfaction!: number | null;
  @ApiProperty({ type: 'string', nullable: true }) notes!: string | null;
  @ApiProperty({ type: 'string', nullable: true }) symptoms!: string | null;
  @ApiProperty() complaint!: boolean;
  @ApiProperty({ type: 'string', nullable: true }) lateEntryReason!: string | null;
  @ApiProperty({ type: Recorder }) recordedBy!: Recorder;
  @ApiProperty({ type: [AuditCorrection], description: 'oldest first' }) corrections!: AuditCorrection[];
  @ApiProperty({ type: AttemptFields, description: 'the attempt with every correction applied' }) current!: AttemptFields;
}

export class AuditAttempts {
  @ApiPropertyOptional() patientId?: string;
  @ApiPropertyOptional() callerId?: string;
  @ApiPropertyOptional() clinicId?: string;
  @ApiPropertyOptional({ ...INSTANT, description: 'as asked' }) from?: string;
  @ApiPropertyOptional({ ...INSTANT, description: 'as asked' }) to?: string;
  @ApiProperty({ type: [AuditAttempt], description: 'oldest first by the claimed start' }) attempts!: AuditAttempt[];
}

export class AccessEntry {
  @ApiProperty({ type: 'integer' }) position!: number;
  @ApiProperty() eventId!: string;
  @ApiProperty(INSTANT) at!: string;
  @ApiProperty() userId!: string;
  @ApiProperty() role!: string;
  @ApiProperty() patientId!: string;
  @ApiProperty() clinicId!: string;
  @ApiProperty({ example: 'timeline', description: 'what was read: events, timeline, …' }) what!: string;
}

export class AccessLogPage {
  @ApiProperty({ type: [AccessEntry], description: 'oldest first' }) entries!: AccessEntry[];
  @ApiProperty({ description: 'more entries matched than the limit' }) truncated!: boolean;
}

/** A problem the verification found: a broken hash chain (`chain`) or what the anchor found. */
export class AuditFinding {
  @ApiProperty({ enum: ['chain', 'missing', 'added', 'replaced', 'rewritten', 'anchor-edited', 'anchor-missing', 'key-missing', 'export-mismatch', 'cut-back'] }) kind!: string;
  @ApiProperty({ type: 'integer' }) position!: number;
  @ApiProperty() eventId!: string;
  @ApiPropertyOptional() stream?: string;
  @ApiPropertyOptional({ type: 'integer' }) revision?: number;
  @ApiPropertyOptional() type?: string;
  @ApiProperty() reason!: string;
}

export class BrokenLink {
  @ApiProperty() stream!: string;
  @ApiProperty({ type: 'integer' }) revision!: number;
  @ApiProperty({ type: 'integer' }) position!: number;
  @ApiProperty() eventId!: string;
  @ApiProperty() type!: string;
  @ApiProperty() reason!: string;
}

export class AnchorExportCheck {
  @ApiProperty({ type: 'integer' }) position!: number;
  @ApiProperty() eventId!: string;
  @ApiProperty(INSTANT) anchoredAt!: string;
  @ApiProperty() ok!: boolean;
}

export class AnchorCheck {
  @ApiProperty({ description: 'whether the anchor file was there and readable' }) present!: boolean;
  @ApiProperty({ ...COUNT, description: 'the last position the anchor covers (0: none)' }) anchoredThrough!: number;
  @ApiProperty(COUNT) rows!: number;
  @ApiProperty({ ...COUNT, description: 'events past the anchor’s last row: not broken, not covered yet' }) notYetAnchored!: number;
  @ApiPropertyOptional(INSTANT) createdAt?: string;
  @ApiPropertyOptional({ type: AuditFinding }) problem?: AuditFinding;
  @ApiPropertyOptional({ type: AnchorExportCheck }) export?: AnchorExportCheck;
}

export class AuditReport {
  @ApiProperty() ok!: boolean;
  @ApiProperty(COUNT) streams!: number;
  @ApiProperty(COUNT) events!: number;
  @ApiPropertyOptional({ type: AuditFinding, description: 'the first problem in global order' }) firstBroken?: AuditFinding;
  @ApiProperty({ type: [BrokenLink], description: 'each stream’s first broken event' }) broken!: BrokenLink[];
  @ApiProperty({ type: AnchorCheck }) anchor!: AnchorCheck;
}

export class AnchorExport {
  @ApiProperty({ type: 'integer' }) position!: number;
  @ApiProperty() eventId!: string;
  @ApiProperty({ description: 'the anchor’s running head (hex)' }) head!: string;
  @ApiProperty(INSTANT) anchoredAt!: string;
  @ApiProperty({ description: 'HMAC-SHA256 under the anchor key over the four fields above (hex)' }) mac!: string;
}
