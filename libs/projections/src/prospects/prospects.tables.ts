/** One row per inquiry (seed 002's prospect): how soon it was called, and whether it came to a visit. */
export interface ReportInquiriesTable {
  inquiry_id: string;
  clinic_id: string;
  patient_id: string;
  /** phone, web, wechat; `unspecified` when the inquiry did not say. */
  channel: string;
  received_ms: number;
  first_attempt_ms: number | null;
  reached: number;
  /** The first booking the prospect made after the inquiry. */
  appointment_id: string | null;
  booked_ms: number | null;
  attended: number;
}

/** The prospect calls an inquiry started (FollowUpScheduled.inquiryId). */
export interface ReportInquiryFollowUpsTable {
  follow_up_id: string;
  inquiry_id: string;
}

/** Each call on an inquiry's follow-ups, as corrected. */
export interface ReportInquiryCallsTable {
  call_id: string;
  inquiry_id: string;
  started_ms: number;
  outcome: string;
}

/** A booking an inquiry brought, to find the inquiry when the visit is attended. */
export interface ReportInquiryBookingsTable {
  appointment_id: string;
  inquiry_id: string;
}
