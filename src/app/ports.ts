/**
 * Every port the use cases draw on, as `buildApp` wires them. A use case names the ones it uses
 * (`Pick<Ports, 'store' | 'clock'>`), never the whole set; the adapters at the edge hold the whole set.
 */
import type { Config } from '../config.js';
import type { Chat, Clock, CoreMetrics, Log, Notifier } from '../domain/ports.js';
import type { CatalogStore } from '../adapters/catalog/catalog-store.js';
import type { IncidentStore } from '../domain/ports.js';
import type { Pager } from '../domain/ports.js';
import type { AfterAck } from '../runtime/after-ack.js';
import type { PostmortemTools } from './postmortem/postmortem-draft.js';
import type { IncidentHooks } from './incident/hooks.js';
import type { UserDirectory } from './incident/user-directory.js';

export interface Ports {
  config: Config;
  store: IncidentStore;
  chat: Chat;
  clock: Clock;
  log: Log;
  metrics: CoreMetrics;
  /** tells people what happened: the notices use cases return */
  notifier: Notifier;
  afterAck: AfterAck;
  users: UserDirectory;
  /** the service catalog in force (`catalog.current` is null without a catalog file) */
  catalog: CatalogStore;
  /** the paging service (PagerDuty): triggers, resolves and escalates pages, says who is on call */
  pager: Pager;
  /** the postmortem template (compiled and checked at start-up), the blameless word list, the render worker */
  postmortem: PostmortemTools;
  /** what other capabilities add to declaring, resolving and the headline, in order */
  hooks: IncidentHooks;
  /** waits tests shorten (ms) */
  tuning?: { uploadBackoffMs?: number };
}
