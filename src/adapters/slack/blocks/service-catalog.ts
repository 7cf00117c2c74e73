/** The answer to `/incident services`: one page of the catalog, each service with owner, runbooks and paging. Pure. */
import { severityLabel } from '../../../domain/incident.js';
import type { CatalogService, ChatMessage } from '../../../domain/ports.js';
import { escapeMrkdwn } from '../mrkdwn.js';
import { fitMessageText, fitPlain } from '../text-fit.js';
import { slackLink } from './runbooks.js';

/** Services per page: what reads comfortably in an ephemeral message. */
export const SERVICES_PAGE_SIZE = 15;
/** Descriptions are cut here; the catalog file has them whole. */
const DESCRIPTION_CHARS = 200;

export interface ServiceCatalogPage {
  /** `pageable`: the service has a PagerDuty target that this configuration can reach */
  services: readonly { service: CatalogService; pageable: boolean }[];
  page: number;
  pages: number;
  total: number;
  /** the catalog file, as configured */
  file: string;
}

/** Cuts the catalog into pages; a page past the end is the last page. */
export function catalogPage<T>(
  items: readonly T[],
  page: number,
): { items: T[]; page: number; pages: number } {
  const pages = Math.max(1, Math.ceil(items.length / SERVICES_PAGE_SIZE));
  const p = Math.min(Math.max(1, page), pages);
  return { items: items.slice((p - 1) * SERVICES_PAGE_SIZE, p * SERVICES_PAGE_SIZE), page: p, pages };
}

function serviceText({ service: s, pageable }: ServiceCatalogPage['services'][number]): string {
  const aka = s.aliases.length ? ` · aka ${s.aliases.map(escapeMrkdwn).join(', ')}` : '';
  const team = s.teamChannel ? ` · <#${s.teamChannel}>` : '';
  const lines = [`*${escapeMrkdwn(s.name)}*${aka}`, `Owner: ${escapeMrkdwn(s.owner)}${team}`];
  if (s.description) {
    lines.push(`_${escapeMrkdwn(fitPlain(s.description, DESCRIPTION_CHARS))}_`);
  }
  const runbooks = s.runbooks.map((r) =>
    r.url
      ? slackLink(r.url, r.title)
      : `${escapeMrkdwn(r.title)} (file runbooks/${escapeMrkdwn(r.file ?? '')})`,
  );
  lines.push(
    runbooks.length
      ? `Runbooks: ${runbooks.join(' · ')}`
      : `Runbooks: _none yet_ (\`npm run muster -- runbook ${s.name}\` starts one)`,
  );
  if (pageable && s.pagerduty) {
    const via = [s.pagerduty.routingKey ? 'Events API v2' : '', s.pagerduty.rest ? 'REST API' : '']
      .filter(Boolean)
      .join(', ');
    const auto = s.autoPage.length
      ? `pages automatically at ${s.autoPage.map(severityLabel).join(', ')}`
      : 'never paged automatically';
    lines.push(`:pager: Can be paged (${via}) · ${auto}`);
  } else if (s.pagerduty) {
    // A REST-only target without the credentials to use it: `page` would refuse, so say why here.
    lines.push(
      ':no_bell: Cannot be paged yet: its PagerDuty target is the REST API, which needs PAGERDUTY_API_TOKEN and PAGERDUTY_FROM',
    );
  } else {
    lines.push(':no_bell: Cannot be paged: no PagerDuty target');
  }
  return lines.join('\n');
}

/** One page of the catalog with a line saying how to see the next. */
export function serviceCatalogMessage(v: ServiceCatalogPage): ChatMessage {
  const count = `${v.total} service${v.total === 1 ? '' : 's'}`;
  const head = `*Service catalog* · ${count}${v.pages > 1 ? ` · page ${v.page} of ${v.pages}` : ''}`;
  if (v.total === 0)
    return { text: `${head}\nThe catalog (\`${escapeMrkdwn(v.file)}\`) lists no services yet.` };
  const next = v.page < v.pages ? `Next: \`/incident services ${v.page + 1}\`` : '';
  return { text: fitMessageText([head, ...v.services.map(serviceText), next].filter(Boolean).join('\n\n')) };
}

/** The answer when Muster runs without a catalog. */
export function noCatalogMessage(file: string): ChatMessage {
  return {
    text:
      `Muster has no service catalog: there is no file at \`${escapeMrkdwn(file)}\` (CATALOG_PATH). ` +
      'Copy `catalog.example.yaml` there to list services, owners, runbooks and PagerDuty targets; Muster picks it up when the file appears (or on SIGHUP).',
  };
}
