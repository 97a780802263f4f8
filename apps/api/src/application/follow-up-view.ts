import type { FollowUpScheduled } from '@rapport/domain';

/** A follow-up a command scheduled, as its response shows it. */
export interface FollowUpView {
  followUpId: string;
  kind: NonNullable<FollowUpScheduled['data']['kind']>;
  dueAt: string;
  purpose: string;
  urgent: boolean;
  rule: { ruleId: string; stepId: string; protocolVersion: number };
  assignee?: FollowUpScheduled['data']['assignee'];
  callNumber?: number;
  follows?: string;
}

/** The FollowUpScheduled events among a command's events. */
export function scheduledFollowUps(events: readonly { type: string; data: unknown }[]): FollowUpView[] {
  return events
    .filter((e) => e.type === 'FollowUpScheduled')
    .map((e) => {
      const d = e.data as FollowUpScheduled['data'];
      return {
        followUpId: d.followUpId,
        kind: d.kind ?? 'treatment',
        dueAt: d.dueAt,
        purpose: d.purpose,
        urgent: d.urgent,
        rule: d.origin,
        ...(d.assignee ? { assignee: d.assignee } : {}),
        ...(d.callNumber !== undefined ? { callNumber: d.callNumber } : {}),
        ...(d.follows ? { follows: d.follows } : {}),
      };
    });
}
