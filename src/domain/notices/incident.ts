/** What the incident use cases tell people, as data; the notifier decides how it looks. */
import type { Incident, Severity, Status } from '../incident.js';
import type { Role } from '../roles.js';
import type { TimelineEntry } from '../timeline.js';

export type IncidentNotice =
  /**
   * The channel of a new incident is ready: the declarer hears where it is (through `responseUrl`, when given;
   * in place of the progress message the URL first answered with, when `replacesProgress`).
   */
  | { kind: 'incident_opened'; incident: Incident; responseUrl: string | null; replacesProgress?: boolean }
  /**
   * The channel could not be created: the chat refused (`code`), or every name tried was taken. The incident
   * is stored; provisioning is tried again at the next start.
   */
  | {
      kind: 'channel_not_created';
      incident: Incident;
      reason: 'refused' | 'names_taken';
      code: string;
      responseUrl: string | null;
      replacesProgress?: boolean;
    }
  /** a change was stored, but some optional follow-up steps (headline, topic, announcement...) failed */
  | { kind: 'steps_failed'; incident: Incident; steps: readonly string[] }
  /** the severity went from `before` to `incident.severity` */
  | { kind: 'severity_changed'; incident: Incident; before: Severity; by: string }
  /** the status went from `before` to `incident.status` (never to resolved: that is `incident_resolved`) */
  | { kind: 'status_changed'; incident: Incident; before: Status; by: string }
  /** resolved, with `incident.summary` when one was given */
  | { kind: 'incident_resolved'; incident: Incident; by: string }
  /** back to investigating; `reason` is Slack text as typed, or null */
  | { kind: 'incident_reopened'; incident: Incident; reason: string | null; by: string }
  /** `userId` holds `role` now, handed over from `previous` when someone held it */
  | {
      kind: 'role_assigned';
      incident: Incident;
      role: Role;
      userId: string;
      previous: string | null;
      by: string;
    }
  /** the impact start and/or detection time changed (`before` holds the old ones) */
  | { kind: 'impact_times_set'; incident: Incident; before: Incident; by: string }
  /** a status update (Slack text as typed), stored as `entry`; the message told is linked to the entry */
  | { kind: 'update_posted'; incident: Incident; entry: TimelineEntry; text: string; by: string }
  /**
   * A reminder fell due. `keys` were claimed for it in reminders_sent, so it is told once; the notifier gives
   * them back when the chat could not take it for now, and the next run tries again.
   */
  | { kind: 'reminder_due'; incident: Incident; reminder: Reminder; keys: readonly string[] };

/** What a reminder is about. */
export type Reminder =
  /** no update for `silentMs`, while one is expected every `cadenceMinutes`: `who` (comms, else commander) is reminded */
  | { kind: 'update'; who: string; silentMs: number; cadenceMinutes: number }
  /** `roles` still unfilled `minutes` after declaring: the commander is reminded */
  | { kind: 'roles'; roles: Role[]; commander: string | null; minutes: number };
