import { DynamicModule, Module } from '@nestjs/common';
import { CLOCK, Clock } from '../clock';
import { FollowUpsController } from '../follow-ups/follow-ups.controller';
import { StaffController } from '../clinics/staff.controller';
import { CallerMetricsController } from './caller-metrics.controller';
import { QueueController } from './queue.controller';
import { READ_SIDE, ReadSide } from './read-side';
import { QueryRunner } from './query-runner';
import { ReportsController } from './reports.controller';
import { TimelineController } from './timeline.controller';

/** The read side of API.md: queue, timeline, caller metrics and reports over the projections. */
@Module({})
export class QueriesModule {
  static register(options: { readSide: ReadSide; clock: Clock }): DynamicModule {
    return {
      module: QueriesModule,
      controllers: [QueueController, TimelineController, CallerMetricsController, ReportsController, FollowUpsController, StaffController],
      providers: [{ provide: READ_SIDE, useValue: options.readSide }, { provide: CLOCK, useValue: options.clock }, QueryRunner],
      // /health (in AppModule) reports the projections.
      exports: [READ_SIDE, QueryRunner],
    };
  }
}
