import { DynamicModule, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { EVENT_STORE, EventStore } from '../../../libs/event-store/src';
import { ClinicsController } from './clinics/clinics.controller';
import { ConfigureClinicHandler } from './clinics/configure-clinic.command';
import { CLOCK, Clock } from './clock';
import { CommandRunner } from './commands/command-runner';
import { RAPPORT_CONFIG, RapportConfig } from './config';
import { PatientEventsController } from './events/patient-events.controller';
import { HealthController } from './health/health.controller';
import { QueriesModule } from './queries/queries.module';
import type { ReadSide } from './queries/read-side';
import { BookAppointmentHandler } from './recording/appointment';
import { RecordCallHandler } from './recording/call';
import { ReceiveInquiryHandler } from './recording/inquiry';
import { MissAppointmentHandler } from './recording/missed-appointment';
import { RaiseObjectionHandler } from './recording/objection';
import { SetContactPreferencesHandler } from './recording/preferences';
import { RecordingController } from './recording/recording.controller';
import { RequestReferralHandler } from './recording/referral';
import { RecordTreatmentHandler } from './recording/treatment';

export interface AppModuleOptions {
  config: RapportConfig;
  /** The opened event store; the caller owns its lifetime. */
  eventStore: EventStore;
  clock: Clock;
  /** The opened read models (and the in-process projector); the caller owns their lifetime. */
  readSide: ReadSide;
}

/** The wiring: adapters chosen by the caller from configuration, handlers and controllers. */
@Module({})
export class AppModule {
  static register(options: AppModuleOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [CqrsModule.forRoot(), QueriesModule.register({ readSide: options.readSide, clock: options.clock })],
      controllers: [HealthController, ClinicsController, RecordingController, PatientEventsController],
      providers: [
        { provide: RAPPORT_CONFIG, useValue: options.config },
        { provide: EVENT_STORE, useValue: options.eventStore },
        { provide: CLOCK, useValue: options.clock },
        CommandRunner,
        ConfigureClinicHandler,
        RecordTreatmentHandler,
        RecordCallHandler,
        RaiseObjectionHandler,
        RequestReferralHandler,
        BookAppointmentHandler,
        MissAppointmentHandler,
        ReceiveInquiryHandler,
        SetContactPreferencesHandler,
      ],
    };
  }
}
