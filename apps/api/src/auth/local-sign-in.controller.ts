import { Body, Controller, ForbiddenException, HttpCode, Inject, Post, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { ApiOperation, ApiProperty, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../http/openapi';
import { IsIn, Matches } from 'class-validator';
import { CLIENT_ID, CLIENT_ID_MESSAGE } from '../http/validation';
import { Public } from './access.decorators';
import { isLoopbackRequest } from './loopback';
import { TOKEN_KEYS } from './auth.guard';
import { ROLES, Role } from '@rapport/access';
import type { TokenKeys } from '@rapport/access';

export class LocalSignInDto {
  @ApiProperty({ enum: ROLES }) @IsIn(ROLES) role!: Role;
  @ApiProperty({ example: 'demo-clinic', description: "one clinic id, or '*' for every clinic" })
  @Matches(/^(\*|[A-Za-z0-9_-]{1,64})$/, { message: "clinicId must be a clinic id or '*'" })
  clinicId!: string;
  @ApiProperty({ example: 'nurse-zhang' }) @Matches(CLIENT_ID, { message: CLIENT_ID_MESSAGE }) userId!: string;
}

const TTL_SECONDS = 8 * 3600;

export class SignedIn {
  @ApiProperty({ description: 'a bearer token (JWT) for this role, clinic and user' }) token!: string;
  @ApiProperty({ type: 'integer', example: TTL_SECONDS }) expiresInSeconds!: number;
}

/** Who may use local sign-in: nobody (no route), pages of this machine, or anyone (a demo on the network). */
export type LocalSignIn = 'off' | 'loopback' | 'anyone';
export const LOCAL_SIGN_IN = Symbol('LocalSignIn');

/**
 * The embedded default's sign-in for the console on this machine: any role, no password. It is
 * only registered when tokens are signed with the local secret file and the server listens on
 * loopback (or runs the demo); a server with AUTH_JWT_SECRET/AUTH_JWT_PUBLIC_KEY, or listening on
 * a network address, has no such route (404) and takes tokens from the identity provider.
 */
export const NOT_THIS_MACHINE = 'local sign-in answers only pages of this machine (Host and Origin must be localhost or a loopback address)';

@ApiTags('auth')
@Controller('v1/auth')
export class LocalSignInController {
  constructor(
    @Inject(TOKEN_KEYS) private readonly keys: TokenKeys,
    @Inject(LOCAL_SIGN_IN) private readonly scope: LocalSignIn,
  ) {}

  @Post('local-sign-in')
  @Public()
  @HttpCode(201)
  @ApiOperation({
    operationId: 'signInLocally',
    summary: 'Sign in on this machine',
    description:
      'A bearer token for any role, no password: served only when tokens are signed with the machine’s own secret and the server listens on loopback (or runs `--demo`), ' +
      'otherwise 404. On loopback it answers only requests whose Host (and Origin) are loopback names.',
    security: [],
  })
  @ApiResponse({ status: 201, description: 'A bearer token for 8 hours.', type: SignedIn })
  @ApiErrors(400, [403, 'The request did not come from a page of this machine (Host or Origin is not a loopback name).'], [404, 'Local sign-in is not offered by this server.'], 413)
  async signIn(@Body() body: LocalSignInDto, @Req() request: FastifyRequest): Promise<SignedIn> {
    if (this.scope === 'loopback' && !isLoopbackRequest(request.headers)) throw new ForbiddenException(NOT_THIS_MACHINE);
    const token = await this.keys.sign!({ userId: body.userId, role: body.role, clinics: [body.clinicId] }, TTL_SECONDS);
    return { token, expiresInSeconds: TTL_SECONDS };
  }
}
