/**
 * Every port the use cases draw on, as `buildApp` wires them. A use case names the ones it uses
 * (`Pick<Ports, 'store' | 'clock'>`), never the whole set; the adapters at the edge hold the whole set.
 */
import type { Config } from '../config.js';
import type { CatalogSource, Chat, Clock, CoreMetrics, Log, Notifier } from '../domain/ports.js';
import type { IncidentStore } from '../domain/ports.js';
import type { Pager } from '../domain/ports.js';
import type { AfterAck } from '../runtime/after-ack.js';
import type { PostmortemDrafting } from '../domain/ports.js';
import type { IncidentHooks } from './incident/hooks.js';
import type { ChannelMembership, IncidentPresenter, Trackers, UserDirectory } from '../domain/ports.js';

export interface Ports {
  /** this instance among those sharing the database: the owner of the leases it takes (runtime/instance.ts) */
  instanceId: string;
  config: Config;
  store: IncidentStore;
  chat: Chat;
  clock: Clock;
  log: Log;
  metrics: CoreMetrics;
  /** tells people what happened: the notices use cases return */
  notifier: Notifier;
  /** the words of the channel, headline, topic and announcement that provisioning posts itself */
  presenter: IncidentPresenter;
  afterAck: AfterAck;
  users: UserDirectory;
  /** who is in a channel: a private incident is shown only to the members of its channel */
  membership: ChannelMembership;
  /** the service catalog in force (`catalog.current` is null without a catalog file) and its runbook files */
  catalog: CatalogSource;
  /** the paging service (PagerDuty): triggers, resolves and escalates pages, says who is on call */
  pager: Pager;
  /** writes postmortem drafts off the event loop: the template and blameless word list checked at start-up */
  postmortem: PostmortemDrafting;
  /** the follow-up trackers Muster has credentials for (GitHub Issues, Jira Cloud, Linear) */
  trackers: Trackers;
  /** what other capabilities add to declaring, resolving and the headline, in order */
  hooks: IncidentHooks;
  /** waits tests shorten (ms) */
  tuning?: { uploadBackoffMs?: number };
}
