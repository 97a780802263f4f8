import { CanActivate, ExecutionContext, ForbiddenException, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { patientIdOf } from '@rapport/domain';
import { ALLOWED_ROLES, PUBLIC_ROUTE, SELF_PARAM } from './access.decorators';
import { PatientDirectory } from './patient-directory';
import { canActFor, Principal, Role, SELF_RECORDING } from '@rapport/access';
import type { TokenKeys } from '@rapport/access';

export const TOKEN_KEYS = Symbol('TokenKeys');

export type AuthenticatedRequest = FastifyRequest & { principal?: Principal };

/**
 * Every route needs a valid bearer token unless marked @Public. The token's role must be one the
 * route allows, and every clinic the request names — a clinicId, or the clinic of a patientId or
 * of a server-made id — must be one of the token's clinics. A route without @Allow is refused:
 * forgetting to declare access must not open it. A caller or doctor records only as themselves:
 * a body naming another callerId is refused (the actor of every event is the token's user anyway).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(TOKEN_KEYS) private readonly keys: TokenKeys,
    private readonly patients: PatientDirectory,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const principal = await this.authenticate(request);
    request.principal = principal;
    const roles = this.reflector.getAllAndOverride<Role[]>(ALLOWED_ROLES, targets) ?? [];
    const selfParam = this.reflector.getAllAndOverride<string>(SELF_PARAM, targets);
    const params = (request.params ?? {}) as Record<string, string>;
    // "Your own" is for people: an integration token whose subject happens to be a doctor's id reads no queue.
    const isSelf = selfParam !== undefined && SELF_RECORDING.includes(principal.role) && params[selfParam] === principal.userId;
    if (!roles.includes(principal.role) && !isSelf) {
      throw new ForbiddenException(`role ${principal.role} may not ${request.method} ${request.routeOptions?.url ?? request.url}`);
    }
    for (const clinicId of await this.clinicsNamed(request)) {
      if (!canActFor(principal, clinicId)) throw new ForbiddenException(`this token does not cover clinic ${clinicId}`);
    }
    const body = request.body as { callerId?: unknown } | undefined;
    if (SELF_RECORDING.includes(principal.role) && body && typeof body === 'object' && body.callerId !== undefined && body.callerId !== principal.userId) {
      throw new ForbiddenException(`a ${principal.role} records as themselves: callerId must be ${principal.userId}, the token's user`);
    }
    return true;
  }

  private async authenticate(request: FastifyRequest): Promise<Principal> {
    const header = request.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    if (!match) throw new UnauthorizedException('a bearer token is required (Authorization: Bearer <token>)');
    try {
      return await this.keys.verify(match[1]!);
    } catch (error) {
      throw new UnauthorizedException(`the token was refused: ${(error as Error).message}`);
    }
  }

  /** Every clinic the request names, directly or through a patient. */
  private async clinicsNamed(request: FastifyRequest): Promise<string[]> {
    const sources = [request.params, request.query, request.body].filter((s): s is Record<string, unknown> => typeof s === 'object' && s !== null && !Array.isArray(s));
    const clinics = new Set<string>();
    const patients = new Set<string>();
    for (const source of sources) {
      if (typeof source.clinicId === 'string') clinics.add(source.clinicId);
      if (typeof source.patientId === 'string') patients.add(source.patientId);
      for (const key of ['appointmentId', 'followUpId', 'referralId', 'callId']) {
        const owner = typeof source[key] === 'string' ? patientIdOf(source[key] as string) : undefined;
        if (owner) patients.add(owner);
      }
    }
    for (const patientId of patients) {
      const clinicId = await this.patients.clinicOf(patientId);
      if (clinicId) clinics.add(clinicId);
    }
    return [...clinics];
  }
}
