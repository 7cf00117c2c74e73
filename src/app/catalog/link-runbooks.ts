/**
 * Linking runbooks to an incident: a catalog service's runbooks (`runbook <service>`, and services attached
 * on declare) or any http(s) link (`runbook <url> [title]`). Every link is a `runbook_links` row and a
 * 'runbook' timeline entry written together; a URL already linked adds nothing.
 *
 * File runbooks of a catalog without `runbooks_url` have no link until Slack has the file: they are
 * returned as files to share, and `recordSharedRunbookFile` records their link (the file's permalink) once
 * the notifier has uploaded them.
 */
import { runbookLinkedText } from '../../domain/catalog-text.js';
import { DomainError } from '../../domain/errors.js';
import type { Incident } from '../../domain/incident.js';
import type { CatalogNotice } from '../../domain/notices.js';
import type { CatalogService, RunbookFile, RunbookLink } from '../../domain/ports.js';
import { cutTitle, normalizeRunbookUrl, titleFromUrl } from '../../domain/runbook-url.js';
import type { Ports } from '../ports.js';
import { requireService } from './find-service.js';

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

/** What `runbook <service>` did, and what to tell (nothing when every runbook was already linked). */
export interface LinkedServiceRunbooks extends ServiceRunbooks {
  notices: CatalogNotice[];
}

/** The timeline key of a shared runbook file: one share per file and incident. */
export const runbookFileKey = (f: { service: string; file: string }): string =>
  `runbook:file:${f.service}/${f.file}`;

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
export async function recordLink(ports: Pick<Ports, 'store'>, l: NewLink): Promise<RunbookLink | null> {
  const link = await ports.store.services.link({
    incidentNumber: l.incidentNumber,
    service: l.service,
    title: l.title,
    url: l.url,
    linkedBy: l.actor,
    linkedAt: l.at,
  });
  if (!link) return null;
  await ports.store.timeline.add(
    {
      incidentNumber: l.incidentNumber,
      kind: 'runbook',
      text: runbookLinkedText(l.title, l.url, l.service),
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
export async function recordServiceRunbooks(
  ports: Pick<Ports, 'store' | 'log'>,
  incidentNumber: number,
  service: CatalogService,
  actor: string,
  at: number,
): Promise<Omit<ServiceRunbooks, 'service'>> {
  const result: Omit<ServiceRunbooks, 'service'> = { linked: [], existing: [], files: [] };
  for (const r of service.runbooks) {
    if (r.url) {
      let url: string;
      try {
        url = normalizeRunbookUrl(r.url);
      } catch (e) {
        ports.log.warn({ service: service.name, runbook: r.title, err: e }, 'catalog runbook link refused');
        continue;
      }
      const title = cutTitle(r.title);
      const link = await recordLink(ports, { incidentNumber, service: service.name, title, url, actor, at });
      if (link) result.linked.push(link);
      else result.existing.push((await ports.store.services.linkOf(incidentNumber, url))!);
    }
  }
  result.files = await pendingRunbookFiles(ports, incidentNumber, service);
  return result;
}

/** The service's file runbooks without a web link that are not yet shared in the incident channel. */
export async function pendingRunbookFiles(
  ports: Pick<Ports, 'store'>,
  incidentNumber: number,
  service: CatalogService,
): Promise<RunbookFile[]> {
  const files: RunbookFile[] = [];
  for (const r of service.runbooks) {
    if (r.url || !r.file || !r.path) continue;
    const file = { service: service.name, title: cutTitle(r.title), file: r.file, path: r.path };
    if (!(await ports.store.timeline.bySourceKey(incidentNumber, runbookFileKey(file)))) files.push(file);
  }
  return files;
}

/**
 * `runbook <service>`: links that catalog service's runbooks, and tells to share its files and bookmark the
 * new links. Throws DomainError when there is no catalog, no such service (nearest names suggested), or the
 * service has no runbooks.
 */
export async function linkServiceRunbooks(
  ports: Pick<Ports, 'store' | 'catalog' | 'clock' | 'log'>,
  input: { incident: Incident; service: string; by: string },
): Promise<LinkedServiceRunbooks> {
  const { incident, by } = input;
  const service = requireService(ports, input.service);
  if (service.runbooks.length === 0) {
    throw new DomainError(
      'runbook.none',
      `\`${service.name}\` has no runbooks in the catalog yet. Start one on the Muster host with ` +
        `\`npm run muster -- runbook ${service.name}\`, or link a page with \`/incident runbook <url> [title]\`.`,
      { service: service.name },
    );
  }
  const at = ports.clock.now();
  const r = await ports.store.tx(async () => recordServiceRunbooks(ports, incident.number, service, by, at));
  const told = r.linked.length > 0 || r.files.length > 0;
  return {
    service,
    ...r,
    notices: told ? [{ kind: 'runbooks_linked', incident, links: r.linked, files: r.files, by, at }] : [],
  };
}

/**
 * `runbook <url> [title]`: links any http(s) URL, and tells to bookmark it. Throws DomainError
 * `runbook.bad_url`; `isNew` false (and nothing to tell) when it was already linked.
 */
export async function linkRunbookUrl(
  ports: Pick<Ports, 'store' | 'clock'>,
  input: { incident: Incident; url: string; title: string | null; by: string },
): Promise<{ link: RunbookLink; isNew: boolean; notices: CatalogNotice[] }> {
  const { incident, by } = input;
  const url = normalizeRunbookUrl(input.url);
  const shownTitle = cutTitle(input.title ?? '') || titleFromUrl(url);
  const at = ports.clock.now();
  const link = await ports.store.tx(async () =>
    recordLink(ports, {
      incidentNumber: incident.number,
      service: null,
      title: shownTitle,
      url,
      actor: by,
      at,
    }),
  );
  if (!link)
    return { link: (await ports.store.services.linkOf(incident.number, url))!, isNew: false, notices: [] };
  return {
    link,
    isNew: true,
    notices: [{ kind: 'runbooks_linked', incident, links: [link], files: [], by, at }],
  };
}
