/** One row per objection, as corrected: what it was, how the caller answered it, whether that worked. */
export interface ReportObjectionsTable {
  objection_id: string;
  clinic_id: string;
  kind: string;
  topic: string;
  method: string;
  /** 0/1. */
  resolved: number;
  /** When it was raised (recordedAt), epoch ms. */
  at_ms: number;
}
