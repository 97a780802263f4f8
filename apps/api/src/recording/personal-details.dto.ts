import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';

export class PersonalDetailsDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) name?: string;

  @ApiPropertyOptional({ example: '+86 138 0013 8000' })
  @IsOptional()
  @IsString()
  @Matches(/^\+?[0-9 ()-]{3,32}$/, { message: '$property must be a phone number (digits, spaces, + ( ) -)' })
  phone?: string;
}

export class ReferredPersonDto extends PersonalDetailsDto {
  @ApiPropertyOptional({ example: 'sister' }) @IsOptional() @IsString() @MaxLength(50) relation?: string;
}
