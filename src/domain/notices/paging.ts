/** What the paging use cases tell people, as data; the notifier decides how it looks. */
import type { Incident } from '../incident.js';
import type { Page, PageAction, PageVia } from '../page.js';
import type { PagerErrorCode, PagerIncident } from '../ports/pager.js';
import type { NewEntry } from '../timeline.js';

/** `entry` is the timeline entry recorded with the change, when it records one. */
export type PagingNotice =
  /** a page (`page <service>`) is stored and waits in the outbox */
  | { kind: 'page_requested'; page: Page }
  /** the incident was resolved: the resolve of this open page waits in the outbox */
  | { kind: 'page_resolve_requested'; page: Page }
  /**
   * someone pressed Escalate: the escalation (REST, `page` at its new level) or the new trigger marked as an
   * escalation (Events v2, `page` is the new one) waits in the outbox
   */
  | { kind: 'escalation_requested'; page: Page; by: string; via: PageVia }
  /** PagerDuty took a page; `delayedMs` is how long PagerDuty trouble held it, when the channel heard of it */
  | { kind: 'page_delivered'; page: Page; pagerIncident: PagerIncident | null; delayedMs: number | null }
  /** PagerDuty cannot take a page or an escalation yet; told once per delivery */
  | { kind: 'page_delayed'; page: Page; reason: string }
  /** PagerDuty refused a delivery for good; `code` says why, for the advice */
  | { kind: 'page_failed'; page: Page; action: PageAction; reason: string; code: PagerErrorCode }
  /** an escalation reached PagerDuty; `afterDelay` when the channel had heard it was held up */
  | { kind: 'escalation_delivered'; page: Page; level: number; afterDelay: boolean }
  /** PagerDuty opened its incident for a page (the delivery was told already) */
  | { kind: 'page_opened'; page: Page; entry: NewEntry | null }
  /**
   * Declaring at a severity that pages reached nobody for some attached services: the catalog gives them no
   * PagerDuty target (`no_target`), or a REST target without PAGERDUTY_API_TOKEN and PAGERDUTY_FROM
   * (`not_configured`). `pageable` names the catalog services `page` can reach, for the advice.
   */
  | {
      kind: 'nobody_paged';
      incident: Incident;
      services: { name: string; reason: 'no_target' | 'not_configured' }[];
      pageable: string[];
    }
  /**
   * someone acknowledged a page in PagerDuty; `user` is their chat user id when they were found there by email
   * (they are brought into the incident channel)
   */
  | { kind: 'page_acknowledged'; page: Page; by: string; entry: NewEntry | null; user?: string | null }
  /** PagerDuty escalated a page by its own policy */
  | { kind: 'page_escalated'; page: Page; entry: NewEntry | null }
  /** PagerDuty reassigned a page */
  | { kind: 'page_reassigned'; page: Page; entry: NewEntry | null }
  /** someone added a note to a page's incident in PagerDuty */
  | { kind: 'page_annotated'; page: Page; entry: NewEntry | null }
  /**
   * a page is resolved: `in: 'muster'` when our resolve reached PagerDuty, `'pagerduty'` when someone resolved
   * it there; `entry` is null when it was resolved already
   */
  | { kind: 'page_resolved'; page: Page; in: 'muster' | 'pagerduty'; entry: NewEntry | null }
  /** a sev1/sev2 page is unacknowledged for `minutes`: ask the channel whether to escalate */
  | {
      kind: 'escalation_prompt';
      page: Page;
      incident: Incident;
      minutes: number;
      previousPromptAt: number | null;
    };

/** The notices that put a delivery in the outbox: the worker should run now rather than at its next tick. */
export const DELIVERY_DUE: ReadonlySet<PagingNotice['kind']> = new Set([
  'page_requested',
  'page_resolve_requested',
  'escalation_requested',
]);

/** Whether a notice says a page, resolve or escalation waits in the outbox. */
export const isDeliveryDue = (notice: { kind: string }): boolean =>
  DELIVERY_DUE.has(notice.kind as PagingNotice['kind']);
