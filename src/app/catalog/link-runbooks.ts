/**
 * Linking runbooks to an incident: a catalog service's runbooks (`runbook <service>`, and services attached
 * on declare) or any http(s) link (`runbook <url> [title]`). Every link is a `runbook_links` row and a
 * 'runbook' timeline entry written together; a URL already linked adds nothing.
 *
 * File runbooks of a catalog without `runbooks_url` have no link until Slack has the file: they are
 * returned as files to share, and `shareRunbookFiles` records their link (the file's permalink) once uploaded.
 */
import { DomainError } from '../../domain/errors.js';
import type { Incident } from '../../domain/incident.js';
import type { CatalogService } from '../../domain/ports.js';
import { cutTitle, normalizeRunbookUrl, titleFromUrl } from '../../domain/runbook-url.js';
import { escapeMrkdwn } from '../../adapters/slack/mrkdwn.js';
import type { RunbookLink } from '../../domain/ports.js';
import type { Ports } from '../ports.js';
import { requireService } from './find-service.js';

/** A markdown runbook to upload to the incident channel (no web link for it exists). */
export interface RunbookFile {
  service: string;
  title: string;
  /** as written in the catalog, relative to the runbooks folder */
  file: string;
  /** absolute path */
  path: string;
}

/** What linking a service's runbooks did. */
export interface ServiceRunbooks {
  service: CatalogService;
  /** links added now */
  linked: RunbookLink[];
  /** links that were already there */
  existing: RunbookLink[];
  /** file runbooks not yet shared in the channel */
  files: RunbookFile[];
}

/** The timeline key of a shared runbook file: one share per file and incident. */
export const runbookFileKey = (f: { service: string; file: string }): string =>
  `runbook:file:${f.service}/${f.file}`;

/** The timeline text of a link: Slack markup, so the timeline view and the postmortem show a real link. */
export function runbookEntryText(title: string, url: string, service: string | null): string {
  return `Runbook linked: <${url}|${escapeMrkdwn(title)}>${service ? ` (${escapeMrkdwn(service)})` : ''}`;
}

export interface NewLink {
  incidentNumber: number;
  service: string | null;
  title: string;
  /** already normalised (normalizeRunbookUrl) */
  url: string;
  actor: string;
  at: number;
  /** the timeline key; default `runbook:<url>` */
  sourceKey?: string;
  /** extra timeline meta (the file of a shared runbook file) */
  meta?: Record<string, unknown>;
}

/** Stores a link and its timeline entry; null when the URL is already linked. Call inside a transaction. */
export function recordLink(deps: Ports, l: NewLink): RunbookLink | null {
  const link = deps.store.services.link({
    incidentNumber: l.incidentNumber,
    service: l.service,
    title: l.title,
    url: l.url,
    linkedBy: l.actor,
    linkedAt: l.at,
  });
  if (!link) return null;
  deps.store.timeline.add(
    {
      incidentNumber: l.incidentNumber,
      kind: 'runbook',
      text: runbookEntryText(l.title, l.url, l.service),
      actor: l.actor,
      occurredAt: l.at,
      sourceKey: l.sourceKey ?? `runbook:${l.url}`,
      meta: { url: l.url, title: l.title, service: l.service, ...l.meta },
    },
    l.at,
  );
  return link;
}

/**
 * Links the service's web runbooks and lists its file runbooks still to share. Call inside a transaction.
 * A catalog link that is not a valid http(s) URL (the catalog checks, so only by a bug) is skipped and logged.
 */
export function recordServiceRunbooks(
  deps: Ports,
  incidentNumber: number,
  service: CatalogService,
  actor: string,
  at: number,
): Omit<ServiceRunbooks, 'service'> {
  const result: Omit<ServiceRunbooks, 'service'> = { linked: [], existing: [], files: [] };
  for (const r of service.runbooks) {
    if (r.url) {
      let url: string;
      try {
        url = normalizeRunbookUrl(r.url);
      } catch (e) {
        deps.log.warn({ service: service.name, runbook: r.title, err: e }, 'catalog runbook link refused');
        continue;
      }
      const title = cutTitle(r.title);
      const link = recordLink(deps, { incidentNumber, service: service.name, title, url, actor, at });
      if (link) result.linked.push(link);
      else result.existing.push(deps.store.services.linkOf(incidentNumber, url)!);
    }
  }
  result.files = pendingRunbookFiles(deps, incidentNumber, service);
  return result;
}

/** The service's file runbooks without a web link that are not yet shared in the incident channel. */
export function pendingRunbookFiles(
  deps: Ports,
  incidentNumber: number,
  service: CatalogService,
): RunbookFile[] {
  const files: RunbookFile[] = [];
  for (const r of service.runbooks) {
    if (r.url || !r.file || !r.path) continue;
    const file = { service: service.name, title: cutTitle(r.title), file: r.file, path: r.path };
    if (!deps.store.timeline.bySourceKey(incidentNumber, runbookFileKey(file))) files.push(file);
  }
  return files;
}

/**
 * `runbook <service>`: links that catalog service's runbooks. Throws DomainError when there is no catalog,
 * no such service (nearest names suggested), or the service has no runbooks.
 */
export function linkServiceRunbooks(
  deps: Ports,
  incident: Incident,
  nameOrAlias: string,
  actor: string,
): ServiceRunbooks {
  const service = requireService(deps, nameOrAlias);
  if (service.runbooks.length === 0) {
    throw new DomainError(
      'runbook.none',
      `\`${service.name}\` has no runbooks in the catalog yet. Start one on the Muster host with ` +
        `\`npm run muster -- runbook ${service.name}\`, or link a page with \`/incident runbook <url> [title]\`.`,
      { service: service.name },
    );
  }
  const now = deps.clock.now();
  return deps.store.tx(() => ({
    service,
    ...recordServiceRunbooks(deps, incident.number, service, actor, now),
  }));
}

/** `runbook <url> [title]`: links any http(s) URL. Throws DomainError `runbook.bad_url`; `isNew` false when already linked. */
export function linkRunbookUrl(
  deps: Ports,
  incident: Incident,
  rawUrl: string,
  title: string | null,
  actor: string,
): { link: RunbookLink; isNew: boolean } {
  const url = normalizeRunbookUrl(rawUrl);
  const shownTitle = cutTitle(title ?? '') || titleFromUrl(url);
  const now = deps.clock.now();
  return deps.store.tx(() => {
    const link = recordLink(deps, {
      incidentNumber: incident.number,
      service: null,
      title: shownTitle,
      url,
      actor,
      at: now,
    });
    return link
      ? { link, isNew: true }
      : { link: deps.store.services.linkOf(incident.number, url)!, isNew: false };
  });
}
