import { DynamicModule, Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuthGuard, TOKEN_KEYS } from './auth.guard';
import { LOCAL_SIGN_IN, LocalSignIn, LocalSignInController } from './local-sign-in.controller';
import { isLoopback } from './loopback';
import { PatientDirectory } from './patient-directory';
import type { TokenKeys } from '@rapport/access';

export interface AuthModuleOptions {
  keys: TokenKeys;
  /** Register POST /v1/auth/local-sign-in (local secret, loopback or demo only), and to whom it answers. */
  localSignIn: LocalSignIn;
}

/** Authentication and clinic scope for every route (a global guard), and who owns which patient. */
@Global()
@Module({})
export class AuthModule {
  static register(options: AuthModuleOptions): DynamicModule {
    return {
      module: AuthModule,
      controllers: options.localSignIn !== 'off' ? [LocalSignInController] : [],
      providers: [
        { provide: TOKEN_KEYS, useValue: options.keys },
        { provide: LOCAL_SIGN_IN, useValue: options.localSignIn },
        PatientDirectory,
        { provide: APP_GUARD, useClass: AuthGuard },
      ],
      exports: [TOKEN_KEYS, PatientDirectory],
    };
  }
}

/**
 * Local sign-in is offered only with the machine's own secret: on a loopback address to pages of
 * this machine alone (`loopback`), or to anyone for a demo on a network address (`anyone`).
 */
export function offersLocalSignIn(keys: TokenKeys, host: string, demo: boolean): LocalSignIn {
  if (!keys.local || keys.sign === undefined) return 'off';
  if (isLoopback(host)) return 'loopback';
  return demo ? 'anyone' : 'off';
}
