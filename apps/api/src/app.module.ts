import { DynamicModule, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import type { KeyVault } from '@rapport/audit';
import { EVENT_STORE, EventStore } from '@rapport/event-store';
import { patientOfEvent } from '@rapport/projections';
import { AuditController } from './audit/audit.controller';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import type { LocalSignIn } from './auth/local-sign-in.controller';
import type { TokenKeys } from '@rapport/access';
import { CorrectRecordHandler } from './corrections/correct-record.command';
import { CorrectionsController } from './corrections/corrections.controller';
import { ErasePersonalDataHandler } from './patients/erasure';
import { ErasureController } from './patients/erasure.controller';
import { PersonalDetailsController } from './patients/personal-details.controller';
import { CorrectPersonalDetailsHandler } from './patients/personal-details';
import { ClaimsController } from './follow-ups/claims.controller';
import { ClaimFollowUpHandler } from './follow-ups/claims';
import { RegisterStaffMemberHandler } from './clinics/staff';
import { ClinicsController } from './clinics/clinics.controller';
import { ConfigureClinicHandler } from './clinics/configure-clinic.command';
import { CLOCK, Clock } from './clock';
import { COMMAND_PORTS, commandPorts, type CommandPorts } from './application/command-ports';
import { SqlResponseStore } from './application/responses';
import { RAPPORT_CONFIG, RapportConfig } from '@rapport/config';
import { PatientEventsController } from './events/patient-events.controller';
import { PatientHistory } from './events/patient-history';
import { EventsFeedController } from './feed/events-feed.controller';
import { FeedConnections } from './feed/feed-connections';
import { LiveLog } from './feed/live-log';
import { HealthController } from './health/health.controller';
import { HttpMetrics } from './health/http-metrics';
import { MetricsController } from './health/metrics.controller';
import { StorageStatus } from './health/storage-status';
import { QueriesModule } from './queries/queries.module';
import { afterErasure, ReadSide } from './queries/read-side';
import { BookAppointmentHandler } from './recording/appointment';
import { RecordCallHandler } from './recording/call';
import { ReceiveInquiryHandler } from './recording/inquiry';
import { AttendAppointmentHandler, MissAppointmentHandler } from './recording/missed-appointment';
import { RaiseObjectionHandler } from './recording/objection';
import { UrgentExpiry } from './follow-ups/urgent-expiry';
import { AddFollowUpHandler, CancelFollowUpHandler, MoveFollowUpHandler } from './recording/steering';
import { ChangeContactPreferencesHandler, SetContactPreferencesHandler } from './recording/preferences';
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
  /** The store under eventStore, as stored (sealed, chained): what verification reads. */
  rawEventStore: EventStore;
  /** The patients' keys (erasure destroys one). */
  vault: KeyVault;
  /** How bearer tokens are checked (and, with a local secret, signed). */
  tokenKeys: TokenKeys;
  /** Offer POST /v1/auth/local-sign-in (local secret on loopback, or the demo). */
  localSignIn: LocalSignIn;
}

/** The wiring: adapters chosen by the caller from configuration, handlers and controllers. */
@Module({})
export class AppModule {
  static register(options: AppModuleOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CqrsModule.forRoot(),
        AuthModule.register({ keys: options.tokenKeys, localSignIn: options.localSignIn }),
        AuditModule.register({ eventStore: options.eventStore, rawEventStore: options.rawEventStore, vault: options.vault, clock: options.clock }),
        QueriesModule.register({ readSide: options.readSide, clock: options.clock }),
      ],
      controllers: [HealthController, MetricsController, ClinicsController, RecordingController, PatientEventsController, EventsFeedController, CorrectionsController, ErasureController, PersonalDetailsController, ClaimsController, AuditController],
      providers: [
        { provide: RAPPORT_CONFIG, useValue: options.config },
        { provide: EVENT_STORE, useValue: options.eventStore },
        { provide: CLOCK, useValue: options.clock },
        HttpMetrics,
        StorageStatus,
        {
          provide: COMMAND_PORTS,
          useFactory: async (live: LiveLog) =>
            commandPorts({
              store: options.eventStore,
              clock: options.clock,
              vault: options.vault,
              responses: await SqlResponseStore.open(options.readSide.models.db),
              patientOfEvent: (eventId) => patientOfEvent(options.readSide.models.reader, eventId),
              afterErasure: (position) => {
                live.erased();
                return afterErasure(options.readSide, position);
              },
            }),
          inject: [LiveLog],
        },
        {
          provide: UrgentExpiry,
          useFactory: (ports: CommandPorts) => new UrgentExpiry(ports, options.readSide.models.reader, options.clock),
          inject: [COMMAND_PORTS],
        },
        FeedConnections,
        LiveLog,
        PatientHistory,
        ConfigureClinicHandler,
        RecordTreatmentHandler,
        RecordCallHandler,
        RaiseObjectionHandler,
        RequestReferralHandler,
        BookAppointmentHandler,
        MissAppointmentHandler,
        AttendAppointmentHandler,
        ReceiveInquiryHandler,
        SetContactPreferencesHandler,
        ChangeContactPreferencesHandler,
        AddFollowUpHandler,
        MoveFollowUpHandler,
        CancelFollowUpHandler,
        CorrectPersonalDetailsHandler,
        ClaimFollowUpHandler,
        RegisterStaffMemberHandler,
        CorrectRecordHandler,
        ErasePersonalDataHandler,
      ],
    };
  }
}
