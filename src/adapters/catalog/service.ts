/** A catalog service as the rest of Muster sees it: validated, `${ENV}` references resolved, camelCase. */
import type { Severity } from '../../domain/incident.js';
import type { FollowUpTarget } from '../../domain/ports/tracker.js';

/** A runbook is a link, a markdown file in the runbooks folder, or both (a file with `runbooks_url` set). */
export interface Runbook {
  readonly title: string;
  /** http(s) link; for a file runbook, `runbooks_url` + the file path, or null without `runbooks_url` */
  readonly url: string | null;
  /** the file as written in the catalog, relative to the runbooks folder; null for a link runbook */
  readonly file: string | null;
  /** absolute path of that file; null for a link runbook */
  readonly path: string | null;
}

/** Where a page goes. At least one of the two ways is set (the catalog refuses an empty target). */
export interface PagerDutyTarget {
  /** Events API v2 integration key; a secret */
  readonly routingKey: string | null;
  /** REST API: the service to open incidents on and its escalation policy (for `oncall`); both or neither */
  readonly rest: { readonly serviceId: string; readonly escalationPolicyId: string } | null;
}

/**
 * A PagerDuty target left out because a `${NAME}` reference in it was not set, when the catalog was loaded by
 * something that never pages real people (the sandbox, `muster runbook`).
 */
export interface LeftOutTarget {
  /** its fields as written in the file (`${PAGERDUTY_CHECKOUT_ROUTING_KEY}`, `P1CHKOT`) */
  readonly fields: Readonly<Partial<Record<'routing_key' | 'service_id' | 'escalation_policy_id', string>>>;
  /** the variables that were not set */
  readonly variables: string[];
}

export interface Service {
  readonly name: string;
  readonly aliases: readonly string[];
  readonly description: string | null;
  /** the owning team */
  readonly owner: string;
  /** Slack channel ID of the owning team, e.g. C0123ABCD */
  readonly teamChannel: string | null;
  readonly runbooks: readonly Runbook[];
  readonly pagerduty: PagerDutyTarget | null;
  /** severities at which declaring an incident that names this service pages it, most severe first */
  readonly autoPage: readonly Severity[];
  /** the target as written when it was left out (then `pagerduty` is null); absent otherwise */
  readonly pagingLeftOut?: LeftOutTarget;
  /** where its follow-up issues go (`follow_ups:`); null when the service names none */
  readonly followUps: FollowUpTarget | null;
}
