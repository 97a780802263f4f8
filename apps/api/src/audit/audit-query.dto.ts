import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { CLIENT_ID, CLIENT_ID_MESSAGE } from '../http/validation';
import { RangeQueryDto } from '../queries/query-params';

/** GET /v1/audit/attempts: who tried whom, when, with what outcome; any filter may be left out. */
export class AuditAttemptsQueryDto extends RangeQueryDto {
  @ApiPropertyOptional({ pattern: CLIENT_ID.source }) @IsOptional() @Matches(CLIENT_ID, { message: CLIENT_ID_MESSAGE }) patientId?: string;
  @ApiPropertyOptional({ pattern: CLIENT_ID.source }) @IsOptional() @Matches(CLIENT_ID, { message: CLIENT_ID_MESSAGE }) callerId?: string;
  @ApiPropertyOptional({ pattern: CLIENT_ID.source }) @IsOptional() @Matches(CLIENT_ID, { message: CLIENT_ID_MESSAGE }) clinicId?: string;
  @ApiPropertyOptional({ enum: ['json', 'csv'], description: 'json (default) or csv' }) @IsOptional() @IsIn(['json', 'csv']) format?: 'json' | 'csv';
}

/** GET /v1/audit/access: who read which patient's record, when. */
export class AuditAccessQueryDto extends RangeQueryDto {
  @ApiPropertyOptional({ pattern: CLIENT_ID.source }) @IsOptional() @Matches(CLIENT_ID, { message: CLIENT_ID_MESSAGE }) patientId?: string;
  @ApiPropertyOptional({ pattern: CLIENT_ID.source }) @IsOptional() @Matches(CLIENT_ID, { message: CLIENT_ID_MESSAGE }) userId?: string;
  @ApiPropertyOptional({ pattern: CLIENT_ID.source }) @IsOptional() @Matches(CLIENT_ID, { message: CLIENT_ID_MESSAGE }) clinicId?: string;
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 10000, description: 'at most this many entries (default 1000)' })
  @IsOptional()
  @Matches(/^\d{1,5}$/, { message: 'limit must be a whole number from 1 to 10000' })
  limit?: string;
}
