import { callQueueProjection } from './call-queue/call-queue.projection';
import { callerMetricsProjection } from './caller-metrics/caller-metrics.projection';
import { clinicsProjection } from './clinics/clinics.projection';
import { timelineProjection } from './patient-timeline/timeline.projection';
import { followUpReportProjection } from './reports/follow-up-report.projection';
import type { Projection } from './runtime/row-projection';
import { accessLogProjection } from './audit/access-log.projection';
import { appointmentsProjection } from './appointments/appointments.projection';
import { objectionsProjection } from './objections/objections.projection';
import { referralsProjection } from './referrals/referrals.projection';
import { auditAttemptsProjection } from './audit/audit-attempts.projection';
import { effectivenessProjection } from './effectiveness/effectiveness.projection';
import { doctorsProjection } from './doctors/doctors.projection';
import { prospectsProjection } from './prospects/prospects.projection';
import { urgentProjection } from './urgent/urgent.projection';
import { doctorFeedbackProjection } from './doctor-feedback/doctor-feedback.projection';

/** Every projection the API reads; the in-process runtime and apps/projector both run this list. */
export const ALL_PROJECTIONS: readonly Projection[] = [
  clinicsProjection,
  callQueueProjection,
  timelineProjection,
  callerMetricsProjection,
  followUpReportProjection,
  auditAttemptsProjection,
  accessLogProjection,
  appointmentsProjection,
  objectionsProjection,
  referralsProjection,
  effectivenessProjection,
  doctorsProjection,
  prospectsProjection,
  urgentProjection,
  doctorFeedbackProjection,
];

/** The projections that keep names and phones in the clear, and redact them on PersonalDataErased. */
export const PERSONAL_DATA_PROJECTIONS: readonly string[] = [callQueueProjection.name, timelineProjection.name];
