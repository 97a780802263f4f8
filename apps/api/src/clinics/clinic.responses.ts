import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ProtocolDto } from './configure-clinic.dto';

/** The answers of the clinic routes (application/clinics.ts). */

export class WorkHoursView {
  @ApiProperty({ type: [Number], example: [1, 2, 3, 4, 5], description: 'ISO weekdays, 1 = Monday' }) days!: number[];
  @ApiProperty({ example: '09:00' }) from!: string;
  @ApiProperty({ example: '18:00' }) to!: string;
}

export class InquiryFirstCallMinutesView {
  @ApiProperty({ type: 'integer', example: 30 }) phone!: number;
  @ApiProperty({ type: 'integer', example: 30 }) web!: number;
  @ApiProperty({ type: 'integer', example: 30 }) wechat!: number;
}

/** A clinic as configured. */
export class ClinicConfiguration {
  @ApiProperty({ example: 'c1' }) clinicId!: string;
  @ApiPropertyOptional({ example: '微笑口腔' }) name?: string;
  @ApiProperty({ example: 'Asia/Shanghai' }) timeZone!: string;
  @ApiProperty({ type: [String], example: ['10:30', '16:00'] }) callWindows!: string[];
  @ApiProperty({ type: 'integer', example: 3 }) maxAttempts!: number;
  @ApiProperty({ type: 'integer', example: 6 }) prospectMaxAttempts!: number;
  @ApiProperty({ type: [String] }) seniorDoctorIds!: string[];
  @ApiProperty({ type: WorkHoursView }) workHours!: WorkHoursView;
  @ApiProperty({ type: InquiryFirstCallMinutesView }) inquiryFirstCallMinutes!: InquiryFirstCallMinutesView;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'array', items: { type: 'string' } }, example: { '6': ['10:30'] }, description: 'call windows by ISO weekday' })
  windowsByWeekday!: Record<string, string[]>;
  @ApiProperty({ type: [Number], example: [7] }) closedWeekdays!: number[];
  @ApiProperty({ type: [String], example: ['2027-02-17'] }) closedDates!: string[];
  @ApiProperty({ type: 'integer', example: 1, description: 'the protocol’s version; each new one counts up' }) protocolVersion!: number;
}

/** A protocol as the clinic has it: the request's shape, with its version. */
export class ProtocolView extends ProtocolDto {
  @ApiProperty({ type: 'integer', example: 1 }) version!: number;
}

/** GET /v1/clinics/:clinicId: the clinic with its protocol. */
export class ClinicWithProtocol extends ClinicConfiguration {
  @ApiProperty({ type: ProtocolView }) protocol!: ProtocolView;
}

/** A staff member as the directory has them. */
export class StaffMember {
  @ApiProperty({ example: 'nurse-zhang' }) staffId!: string;
  @ApiProperty({ example: '张护士' }) name!: string;
  @ApiProperty({ enum: ['caller', 'doctor', 'senior_doctor', 'manager', 'auditor'] }) role!: string;
  @ApiProperty({ description: 'still works here' }) active!: boolean;
}

/** PUT /v1/clinics/:clinicId/staff/:staffId. */
export class StaffMemberRecorded extends StaffMember {
  @ApiProperty({ example: 'c1' }) clinicId!: string;
}

/** GET /v1/clinics/:clinicId/staff. */
export class StaffDirectory {
  @ApiProperty({ example: 'c1' }) clinicId!: string;
  @ApiProperty({ type: [StaffMember], description: 'by name; those who left too (old calls name them)' }) staff!: StaffMember[];
}
