import type { CheckpointTable } from '../runtime/checkpoints';
import type { ClinicsTable, StaffTable } from '../clinics/clinics.tables';
import type { QueueAttemptsTable, QueueFollowUpsTable, QueuePatientsTable, QueueTreatmentsTable } from '../call-queue/call-queue.tables';
import type { TimelineEntriesTable } from '../patient-timeline/timeline.tables';
import type { CallerFactsTable, CallerReferralsTable } from '../caller-metrics/caller-metrics.tables';
import type { ReportFollowUpsTable, ReportPatientsTable } from '../reports/follow-up-report.tables';
import type { ReportAppointmentsTable } from '../appointments/appointments.tables';
import type { ReportObjectionsTable } from '../objections/objections.tables';
import type { ReportReferralBookingsTable, ReportReferralsTable } from '../referrals/referrals.tables';
import type { ReportEffectivenessBookingsTable, ReportEffectivenessCallsTable, ReportEffectivenessTable, ReportEffectivenessTreatmentsTable } from '../effectiveness/effectiveness.tables';
import type { ReportDoctorCallbacksTable, ReportDoctorCallsTable, ReportDoctorFollowUpsTable, ReportDoctorPatientsTable, ReportDoctorTreatmentsTable } from '../doctors/doctors.tables';
import type { ReportInquiriesTable, ReportInquiryBookingsTable, ReportInquiryCallsTable, ReportInquiryFollowUpsTable } from '../prospects/prospects.tables';
import type { ReportUrgentCallsTable, ReportUrgentTable } from '../urgent/urgent.tables';
import type { DoctorFeedbackCallsTable, DoctorFeedbackFollowUpsTable, DoctorFeedbackPatientsTable, DoctorFeedbackTreatmentsTable } from '../doctor-feedback/doctor-feedback.tables';
import type { AccessReadsTable, AuditAttemptsTable, AuditCorrectionsTable } from '../audit/audit.tables';

/**
 * Every read-model table, for Kysely's types. Booleans are stored as 0/1 and instants as epoch
 * milliseconds (int8) beside their ISO text where a person reads them: the same on both dialects.
 */
export interface ReadModelDb {
  projection_checkpoints: CheckpointTable;
  clinics: ClinicsTable;
  staff: StaffTable;
  queue_follow_ups: QueueFollowUpsTable;
  queue_attempts: QueueAttemptsTable;
  queue_patients: QueuePatientsTable;
  queue_treatments: QueueTreatmentsTable;
  timeline_entries: TimelineEntriesTable;
  caller_facts: CallerFactsTable;
  caller_referrals: CallerReferralsTable;
  report_follow_ups: ReportFollowUpsTable;
  report_patients: ReportPatientsTable;
  audit_attempts: AuditAttemptsTable;
  audit_corrections: AuditCorrectionsTable;
  access_reads: AccessReadsTable;
  report_appointments: ReportAppointmentsTable;
  report_objections: ReportObjectionsTable;
  report_referrals: ReportReferralsTable;
  report_referral_bookings: ReportReferralBookingsTable;
  report_effectiveness: ReportEffectivenessTable;
  report_effectiveness_calls: ReportEffectivenessCallsTable;
  report_effectiveness_bookings: ReportEffectivenessBookingsTable;
  report_effectiveness_treatments: ReportEffectivenessTreatmentsTable;
  report_doctor_treatments: ReportDoctorTreatmentsTable;
  report_doctor_patients: ReportDoctorPatientsTable;
  report_doctor_follow_ups: ReportDoctorFollowUpsTable;
  report_doctor_calls: ReportDoctorCallsTable;
  report_doctor_callbacks: ReportDoctorCallbacksTable;
  report_inquiries: ReportInquiriesTable;
  report_inquiry_follow_ups: ReportInquiryFollowUpsTable;
  report_inquiry_calls: ReportInquiryCallsTable;
  report_inquiry_bookings: ReportInquiryBookingsTable;
  report_urgent: ReportUrgentTable;
  report_urgent_calls: ReportUrgentCallsTable;
  doctor_feedback_treatments: DoctorFeedbackTreatmentsTable;
  doctor_feedback_patients: DoctorFeedbackPatientsTable;
  doctor_feedback_follow_ups: DoctorFeedbackFollowUpsTable;
  doctor_feedback_calls: DoctorFeedbackCallsTable;
}

export type ReadModelTable = keyof ReadModelDb;
