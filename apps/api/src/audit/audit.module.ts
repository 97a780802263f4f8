import { DynamicModule, Global, Module } from '@nestjs/common';
import type { KeyVault } from '@rapport/audit';
import type { EventStore } from '@rapport/event-store';
import { CLOCK, Clock } from '../clock';
import { ACCESS_LOG_STORE, AccessLog } from './access-log';
import { KEY_VAULT, RAW_EVENT_STORE } from './audit-tokens';

export interface AuditModuleOptions {
  /** The audited store (sealing, chaining): where access events are appended. */
  eventStore: EventStore;
  /** The store underneath, as stored: what verification reads. */
  rawEventStore: EventStore;
  vault: KeyVault;
  clock: Clock;
}

/** The raw store, the key vault and the access log, for every module (queries log their reads too). */
@Global()
@Module({})
export class AuditModule {
  static register(options: AuditModuleOptions): DynamicModule {
    return {
      module: AuditModule,
      providers: [
        { provide: RAW_EVENT_STORE, useValue: options.rawEventStore },
        { provide: KEY_VAULT, useValue: options.vault },
        { provide: ACCESS_LOG_STORE, useValue: options.eventStore },
        { provide: CLOCK, useValue: options.clock },
        AccessLog,
      ],
      exports: [RAW_EVENT_STORE, KEY_VAULT, AccessLog],
    };
  }
}
