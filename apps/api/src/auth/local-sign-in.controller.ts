import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsIn, Matches } from 'class-validator';
import { CLIENT_ID, CLIENT_ID_MESSAGE } from '../http/validation';
import { Public } from './access.decorators';
import { TOKEN_KEYS } from './auth.guard';
import { ROLES, Role } from './roles';
import type { TokenKeys } from './token-keys';

export class LocalSignInDto {
  @ApiProperty({ enum: ROLES }) @IsIn(ROLES) role!: Role;
  @ApiProperty({ example: 'demo-clinic', description: "one clinic id, or '*' for every clinic" })
  @Matches(/^(\*|[A-Za-z0-9_-]{1,64})$/, { message: "clinicId must be a clinic id or '*'" })
  clinicId!: string;
  @ApiProperty({ example: 'nurse-zhang' }) @Matches(CLIENT_ID, { message: CLIENT_ID_MESSAGE }) userId!: string;
}

const TTL_SECONDS = 8 * 3600;

/**
 * The embedded default's sign-in for the console on this machine: any role, no password. It is
 * only registered when tokens are signed with the local secret file and the server listens on
 * loopback (or runs the demo); a server with AUTH_JWT_SECRET/AUTH_JWT_PUBLIC_KEY, or listening on
 * a network address, has no such route (404) and takes tokens from the identity provider.
 */
@ApiTags('auth')
@Controller('v1/auth')
export class LocalSignInController {
  constructor(@Inject(TOKEN_KEYS) private readonly keys: TokenKeys) {}

  @Post('local-sign-in')
  @Public()
  @HttpCode(201)
  @ApiCreatedResponse({ description: '{ token, expiresInSeconds }: a bearer token for this role, clinic and user (8 hours)' })
  async signIn(@Body() body: LocalSignInDto): Promise<{ token: string; expiresInSeconds: number }> {
    const token = await this.keys.sign!({ userId: body.userId, role: body.role, clinics: [body.clinicId] }, TTL_SECONDS);
    return { token, expiresInSeconds: TTL_SECONDS };
  }
}
