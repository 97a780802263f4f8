import { DynamicModule, Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuthGuard, TOKEN_KEYS } from './auth.guard';
import { LocalSignInController } from './local-sign-in.controller';
import { PatientDirectory } from './patient-directory';
import type { TokenKeys } from './token-keys';

export interface AuthModuleOptions {
  keys: TokenKeys;
  /** Register POST /v1/auth/local-sign-in (local secret, loopback or demo only). */
  localSignIn: boolean;
}

/** Authentication and clinic scope for every route (a global guard), and who owns which patient. */
@Global()
@Module({})
export class AuthModule {
  static register(options: AuthModuleOptions): DynamicModule {
    return {
      module: AuthModule,
      controllers: options.localSignIn ? [LocalSignInController] : [],
      providers: [{ provide: TOKEN_KEYS, useValue: options.keys }, PatientDirectory, { provide: APP_GUARD, useClass: AuthGuard }],
      exports: [TOKEN_KEYS, PatientDirectory],
    };
  }
}

/** Local sign-in is offered only with the machine's own secret, and only to this machine (or a demo). */
export function offersLocalSignIn(keys: TokenKeys, host: string, demo: boolean): boolean {
  return keys.local && keys.sign !== undefined && (demo || isLoopback(host));
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}
