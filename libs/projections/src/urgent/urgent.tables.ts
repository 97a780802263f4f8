/** One row per urgent (⚡) follow-up: its rule, when it fell due, its deadline, and its first call (as corrected). */
export interface ReportUrgentTable {
  follow_up_id: string;
  clinic_id: string;
  rule_id: string;
  due_ms: number;
  deadline_ms: number;
  first_attempt_ms: number | null;
}

export interface ReportUrgentCallsTable {
  call_id: string;
  follow_up_id: string;
  started_ms: number;
}
