/**
 * Every failure a user can cause, by a stable code (as bolt-js's `ErrorCode`): a literal union, so a typo in a
 * code is a type error and the edge can switch over them.
 */
export type ErrorCode =
  // action
  | 'action.bot_owner'
  | 'action.unknown'
  | 'action.unknown_owner'
  | 'follow_up.no_tracker'
  // catalog
  | 'catalog.none'
  | 'catalog.unknown_service'
  // command
  | 'command.unknown'
  | 'command.usage'
  // export
  | 'export.unknown_incident'
  // impact and detection times
  | 'impact.future'
  | 'impact.invalid_time'
  | 'impact.order'
  // incident
  | 'incident.invalid_severity'
  | 'incident.invalid_transition'
  | 'incident.not_found'
  | 'incident.not_resolved'
  | 'incident.resolved'
  | 'incident.unchanged'
  | 'incident.unknown_status'
  // oncall
  | 'oncall.no_policy'
  | 'oncall.not_configured'
  // page
  | 'page.already_escalated'
  | 'page.closed'
  | 'page.incident_resolved'
  | 'page.no_target'
  | 'page.not_configured'
  | 'page.not_found'
  // policy (INCIDENT_POLICY)
  | 'policy.not_responder'
  // redact
  | 'redact.already_redacted'
  | 'redact.message_deleted'
  | 'redact.no_such_entry'
  | 'redact.not_allowed'
  // role
  | 'role.bot'
  | 'role.deactivated'
  | 'role.unchanged'
  | 'role.unknown'
  | 'role.unknown_user'
  // runbook
  | 'runbook.bad_url'
  | 'runbook.exists'
  | 'runbook.none'
  // timeline
  | 'timeline.no_such_page';

/** A failure a user can cause. `code` is stable; the edge turns it into an ephemeral reply or an HTTP 4xx. */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const isDomainError = (e: unknown): e is DomainError => e instanceof DomainError;
