/** A new runbook for a catalog service, from `templates/runbook.md.hbs`, filled with what the catalog knows. */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import Handlebars from 'handlebars';
import { DomainError } from '../../domain/errors.js';
import { severityLabel } from '../../domain/incident.js';
import { type Clock, systemClock } from '../../domain/ports.js';
import { escapeMarkdown, escapeTableCell, markdownLink } from '../render/markdown-escape.js';
import type { Catalog } from './catalog.js';
import type { Service } from './service.js';

export const DEFAULT_RUNBOOK_TEMPLATE = 'templates/runbook.md.hbs';

export interface RunbookSkeletonOptions {
  /** Handlebars template; defaults to templates/runbook.md.hbs under the working directory */
  templatePath?: string;
  /** where the skeleton will be written: links to file runbooks are made relative to it */
  outPath?: string;
  clock?: Clock;
  /** PAGE_ESCALATION_MINUTES: how long a SEV-1/SEV-2 page waits unacknowledged before Muster offers to escalate */
  escalationMinutes?: number;
}

/** Where `runbook <service>` writes by default: `<service>.md` in the runbooks folder next to the catalog. */
export function defaultRunbookPath(service: Service, catalog: Catalog): string {
  return join(catalog.runbooksDir, `${service.name}.md`);
}

/** Renders the skeleton; throws when the template is missing or uses a value the view does not have. */
export function renderRunbookSkeleton(
  service: Service,
  catalog: Catalog,
  options: RunbookSkeletonOptions = {},
): string {
  const outPath = resolve(options.outPath ?? defaultRunbookPath(service, catalog));
  const source = readFileSync(resolve(options.templatePath ?? DEFAULT_RUNBOOK_TEMPLATE), 'utf8');
  const template = runbookHandlebars().compile(source, { strict: true, noEscape: true });
  const now = (options.clock ?? systemClock).now();
  return template({
    name: service.name,
    aliases: service.aliases,
    description: service.description,
    owner: service.owner,
    teamChannel: service.teamChannel,
    runbooks: service.runbooks.map((r) => ({
      title: r.title,
      // A file runbook is linked relative to the new file, so the link works in the repository too.
      target: r.path ? relative(dirname(outPath), r.path).split(sep).join('/') : r.url,
    })),
    pagerduty: pagerdutyView(service),
    escalationMinutes: options.escalationMinutes ?? 10,
    autoPage: service.autoPage.map(severityLabel),
    sameTeam: catalog.services.filter((s) => s.owner === service.owner && s !== service).map((s) => s.name),
    generatedOn: new Date(now).toISOString().slice(0, 10),
    file: insideRunbooks(catalog.runbooksDir, outPath),
  });
}

/**
 * Renders and writes the skeleton, creating its folder. Refuses to replace an existing file unless
 * `force` (DomainError `runbook.exists`); the check and the write are one step, so nothing is lost to a race.
 */
export function writeRunbookSkeleton(
  service: Service,
  catalog: Catalog,
  outPath: string,
  options: Omit<RunbookSkeletonOptions, 'outPath'> & { force?: boolean } = {},
): string {
  const text = renderRunbookSkeleton(service, catalog, { ...options, outPath });
  mkdirSync(dirname(resolve(outPath)), { recursive: true });
  try {
    writeFileSync(outPath, text, { flag: options.force ? 'w' : 'wx' });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    throw new DomainError(
      'runbook.exists',
      `${outPath} already exists and was left as it is: use --force to replace it.`,
      {
        path: outPath,
      },
    );
  }
  return text;
}

/**
 * The service's PagerDuty target as the catalog declares it. A target left out because its routing key is not
 * set in this shell is still described: the runbook is for the bot, where it is set. The routing key is a
 * secret: the skeleton says an integration exists, never its key.
 */
function pagerdutyView(service: Service): {
  events: boolean;
  rest: { serviceId: string; escalationPolicyId: string } | null;
} | null {
  const pd = service.pagerduty;
  if (pd) return { events: pd.routingKey !== null, rest: pd.rest };
  const left = service.pagingLeftOut?.fields;
  if (!left) return null;
  return {
    events: left.routing_key !== undefined,
    rest:
      left.service_id !== undefined && left.escalation_policy_id !== undefined
        ? { serviceId: left.service_id, escalationPolicyId: left.escalation_policy_id }
        : null,
  };
}

/** The path to write under `file:` in the catalog, or null when the skeleton is not in the runbooks folder. */
function insideRunbooks(runbooksDir: string, outPath: string): string | null {
  const rel = relative(resolve(runbooksDir), outPath);
  return rel.startsWith('..') || isAbsolute(rel) ? null : rel.split(sep).join('/');
}

/**
 * An isolated Handlebars with the markdown helpers, so a team's template cannot see other helpers.
 * Strict mode does not check helper arguments, so the helpers refuse an undefined value themselves.
 */
function runbookHandlebars(): typeof Handlebars {
  const hb = Handlebars.create();
  hb.registerHelper('md', (text: unknown, options: Handlebars.HelperOptions) =>
    escapeMarkdown(String(defined(text, 'md', options) ?? '')),
  );
  hb.registerHelper('link', (title: unknown, target: unknown, options: Handlebars.HelperOptions) => {
    const t = defined(target, 'link', options);
    return runbookLink(String(defined(title, 'link', options)), t ? String(t) : null);
  });
  return hb;
}

function defined(value: unknown, helper: string, options: Handlebars.HelperOptions): unknown {
  if (value !== undefined) return value;
  const loc = (options as { loc?: { start: { line: number; column: number } } }).loc;
  const where = loc ? ` at ${loc.start.line}:${loc.start.column + 1}` : '';
  throw new Error(
    `runbook template${where}: "${helper}" was given a value the runbook view does not have (misspelt?)`,
  );
}

/** `[title](target)`: a URL through the shared link builder, a relative file path percent-encoded here. */
function runbookLink(title: string, target: string | null): string {
  if (!target) return escapeMarkdown(title);
  if (/^https?:/i.test(target)) return markdownLink(title, target);
  const dest = target
    .split('/')
    .map((part) => encodeURIComponent(part))
    .join('/');
  return `[${escapeTableCell(title)}](${dest})`;
}
