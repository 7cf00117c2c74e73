/** What the follow-up use cases tell people (issues in the team's tracker), as data; the notifier decides how it looks. */
import type { ActionItem } from '../action-item.js';
import type { Incident } from '../incident.js';
import type { TrackerIssueRef, TrackerKind } from '../ports/tracker.js';

/** One overdue item of an owner's weekly reminder, with its incident and issue. */
export interface OverdueFollowUp {
  item: ActionItem;
  incident: Incident;
  issue: TrackerIssueRef | null;
}

export type FollowUpNotice =
  /** the tracker created the action item's issue (or an earlier attempt's was found) */
  | { kind: 'follow_up_created'; incident: Incident; item: ActionItem; issue: TrackerIssueRef }
  /**
   * the tracker refused the issue (401, an unknown project, a validation error): told once per failure, with a
   * retry button; the action item stays
   */
  | { kind: 'follow_up_failed'; incident: Incident; item: ActionItem; tracker: TrackerKind; reason: string }
  /**
   * the issue was closed, reopened or reassigned in the tracker (a webhook or the poll), and the action item
   * followed (with its timeline entry); `ownerId` is the item's owner now
   */
  | {
      kind: 'follow_up_synced';
      incident: Incident;
      item: ActionItem;
      issue: TrackerIssueRef;
      change: 'closed' | 'reopened' | 'reassigned';
      actorName: string | null;
    }
  /**
   * the weekly DM to an owner: their open action items past due; `week` (e.g. `2026-W49`) names the claim the
   * notifier gives back when the DM cannot be delivered for now
   */
  | { kind: 'follow_ups_overdue'; ownerId: string; week: string; items: OverdueFollowUp[] };
