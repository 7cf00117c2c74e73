/**
 * Catalog text -> Catalog. YAML syntax, `${ENV}` references, the schema, duplicate names and runbook
 * files are checked in that order; every problem becomes one line `file:line:col: path: expected ...`.
 */
import { dirname, join } from 'node:path';
import type * as z from 'zod';
import { LineCounter, parseDocument } from 'yaml';
import { closest } from '../../domain/nearest.js';
import { Catalog } from './catalog.js';
import { CatalogError } from './catalog-error.js';
import { type CatalogFile, catalogSchema, KNOWN_FIELDS, toFollowUpTarget } from './catalog-schema.js';
import { resolveEnvReferences, type UnsetReference, type YamlPath } from './env-reference.js';
import { checkRunbookFile, runbookFileUrl } from './runbook-file.js';
import type { LeftOutTarget, Runbook, Service } from './service.js';
import { wordKey } from './title-index.js';
import { formatPath, positionOf } from './yaml-position.js';

export interface ParseOptions {
  /** the file name used in messages and to find the runbooks folder next to it */
  file: string;
  env: Readonly<Record<string, string | undefined>>;
  /** defaults to `runbooks/` next to `file` */
  runbooksDir?: string;
  /**
   * What a `${NAME}` reference that is not set does inside a service's `pagerduty` target. `refuse` (the
   * default, for the bot, which pages): it is a problem like any other. `leave-out` (for what never pages
   * real people: the sandbox, `muster runbook`): that service's target is left out, so it cannot be paged,
   * and one warning names the variables. Unset references anywhere else are problems in both.
   */
  unsetPaging?: UnsetPaging;
}

export type UnsetPaging = 'refuse' | 'leave-out';

export interface ParsedCatalog {
  catalog: Catalog;
  /** unknown fields and other things that were ignored, one line each */
  warnings: string[];
}

interface Problem {
  path: YamlPath;
  message: string;
  /** an unknown field: point at its key */
  key?: string;
}

/** Parses and validates catalog text; throws CatalogError listing every problem (first one in the message). */
export function parseCatalog(text: string, options: ParseOptions): ParsedCatalog {
  const { file } = options;
  const runbooksDir = options.runbooksDir ?? join(dirname(file), 'runbooks');
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  if (doc.errors.length > 0) {
    throw new CatalogError(
      doc.errors.map((e) => {
        const { line, col } = lines.linePos(e.pos[0]);
        return `${file}:${line}:${col}: invalid YAML: ${firstLine(e.message)}`;
      }),
    );
  }
  const locate = (p: Problem): { offset: number; text: string } => {
    const pos = positionOf(doc, lines, p.path, p.key);
    const where = formatPath(p.key === undefined ? p.path : [...p.path, p.key]);
    return {
      offset: pos.offset,
      text: `${file}:${pos.line}:${pos.col}: ${where ? `${where}: ` : ''}${p.message}`,
    };
  };
  const report = (problems: Problem[]): string[] =>
    problems
      .map(locate)
      .sort((a, b) => a.offset - b.offset)
      .map((l) => l.text);

  const warnings = doc.warnings.map((w) => {
    const { line, col } = lines.linePos(w.pos[0]);
    return `${file}:${line}:${col}: ${firstLine(w.message)}`;
  });

  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: 1000 });
  } catch (e) {
    throw new CatalogError([`${file}: invalid YAML: ${firstLine((e as Error).message)}`]);
  }
  const resolved = resolveEnvReferences(raw, options.env);
  const leaveOut = options.unsetPaging === 'leave-out';
  const problems: Problem[] = resolved.unset
    .filter((u) => !(leaveOut && targetOf(u.path) !== null))
    .map((u) => ({
      path: u.path,
      message: `\${${u.variable}} is not set: set the environment variable ${u.variable} or write the value`,
    }));

  // Pass one finds unknown fields; they are dropped and reported as warnings, and pass two validates
  // what is left (zod skips an object's cross-field checks while it has unknown keys).
  const unknown = unknownFields(catalogSchema.safeParse(resolved.value));
  const value = withoutFields(resolved.value, unknown);
  warnings.push(...report(unknown));
  const leftOut = leaveOut ? leaveOutTargets(value, raw, resolved.unset) : new Map<number, LeftOutTarget>();
  if (leftOut.size > 0) warnings.push(leftOutWarning(file, value, leftOut));
  const parsed = catalogSchema.safeParse(value);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      if (issue.code !== 'unrecognized_keys')
        problems.push({ path: issue.path as YamlPath, message: issue.message });
    }
  }
  if (!parsed.success || problems.length > 0) throw new CatalogError(report(problems));

  const services = parsed.data.services.map((entry, i) =>
    toService(entry, i, parsed.data, runbooksDir, problems, leftOut.get(i)),
  );
  problems.push(...duplicates(parsed.data, warnings, report));
  if (problems.length > 0) throw new CatalogError(report(problems));
  return {
    catalog: new Catalog(services, {
      file,
      runbooksDir,
      secrets: resolved.secrets,
      followUps: toFollowUpTarget(parsed.data.follow_ups),
    }),
    warnings,
  };
}

function toService(
  entry: CatalogFile['services'][number],
  i: number,
  data: CatalogFile,
  runbooksDir: string,
  problems: Problem[],
  leftOut: LeftOutTarget | undefined,
): Service {
  const runbooks: Runbook[] = (entry.runbooks ?? []).map((r, j) => {
    if (r.url !== undefined) return { title: r.title, url: r.url, file: null, path: null };
    const file = r.file!;
    const checked = checkRunbookFile(runbooksDir, file);
    if (!checked.ok)
      problems.push({ path: ['services', i, 'runbooks', j, 'file'], message: checked.message });
    const url = data.runbooks_url ? runbookFileUrl(data.runbooks_url, file) : null;
    return { title: r.title, url, file, path: checked.ok ? checked.path : null };
  });
  const pd = entry.pagerduty;
  return {
    name: entry.name,
    aliases: distinctAliases(entry.name, entry.aliases ?? []),
    description: entry.description || null,
    owner: entry.owner,
    teamChannel: entry.team_channel ?? null,
    runbooks,
    pagerduty: pd
      ? {
          routingKey: pd.routing_key ?? null,
          rest:
            pd.service_id && pd.escalation_policy_id
              ? { serviceId: pd.service_id, escalationPolicyId: pd.escalation_policy_id }
              : null,
        }
      : null,
    // Without a paging policy, the practice's default: SEV-1 and SEV-2 page the affected services.
    autoPage: entry.paging ? [...new Set(entry.paging.auto_page)].sort() : pd || leftOut ? [1, 2] : [],
    ...(leftOut ? { pagingLeftOut: leftOut } : {}),
    followUps: toFollowUpTarget(entry.follow_ups),
  };
}

/** The catalog as parsed YAML, where an unset reference in a target was found (so `services` is a list). */
type Services = { services: Record<string, unknown>[] };

const TARGET_FIELDS = ['routing_key', 'service_id', 'escalation_policy_id'] as const;

/** The service index when `path` is a field of a service's `pagerduty` target, else null. */
function targetOf(path: YamlPath): number | null {
  const [services, i, pagerduty, field] = path;
  return path.length === 4 &&
    services === 'services' &&
    typeof i === 'number' &&
    pagerduty === 'pagerduty' &&
    (TARGET_FIELDS as readonly unknown[]).includes(field)
    ? i
    : null;
}

/**
 * Removes the `pagerduty` target of each service that has an unset reference in it, and returns what was
 * removed, as written in the file. The whole target goes, not only the field: a target with its routing key
 * left out would otherwise page through the REST API, a way its owners did not choose.
 */
function leaveOutTargets(
  value: unknown,
  raw: unknown,
  unset: readonly UnsetReference[],
): Map<number, LeftOutTarget> {
  const out = new Map<number, LeftOutTarget>();
  for (const u of unset) {
    const i = targetOf(u.path);
    if (i === null) continue;
    const found = out.get(i);
    if (found) {
      if (!found.variables.includes(u.variable)) found.variables.push(u.variable);
      continue;
    }
    const written = (raw as Services).services[i]!['pagerduty'] as Record<string, unknown>;
    const fields: Partial<Record<(typeof TARGET_FIELDS)[number], string>> = {};
    for (const f of TARGET_FIELDS) if (typeof written[f] === 'string') fields[f] = written[f];
    out.set(i, { fields, variables: [u.variable] });
    delete (value as Services).services[i]!['pagerduty'];
  }
  return out;
}

/** One line: which variables are not set and which services therefore cannot be paged. */
function leftOutWarning(file: string, value: unknown, leftOut: ReadonlyMap<number, LeftOutTarget>): string {
  const variables = [...new Set([...leftOut.values()].flatMap((t) => t.variables))];
  const services = [...leftOut.keys()].map((i) => {
    const name = (value as Services).services[i]?.['name'];
    return typeof name === 'string' ? name : `services[${i}]`;
  });
  const many = variables.length > 1;
  const several = services.length > 1;
  return (
    `${file}: ${listed(variables)} ${many ? 'are' : 'is'} not set, so the PagerDuty ${several ? 'targets' : 'target'} of ` +
    `${listed(services)} ${several ? 'are' : 'is'} left out and cannot be paged here; set ${many ? 'them' : 'it'} ` +
    `before running the bot, which refuses to start without ${many ? 'them' : 'it'}`
  );
}

const listed = (items: readonly string[]): string =>
  items.length > 1 ? `${items.slice(0, -1).join(', ')} and ${items.at(-1)}` : (items[0] ?? '');

/** Aliases that add words to match: a repeat of the name or of an earlier alias is dropped (and warned about). */
function distinctAliases(name: string, aliases: readonly string[]): string[] {
  const keys = new Set([wordKey(name)]);
  return aliases.filter((a) => {
    const key = wordKey(a);
    if (keys.has(key)) return false;
    keys.add(key);
    return true;
  });
}

/** Names and aliases are unique across services by their words (case and punctuation ignored). */
function duplicates(data: CatalogFile, warnings: string[], report: (p: Problem[]) => string[]): Problem[] {
  const problems: Problem[] = [];
  const seen = new Map<string, { service: number; label: string; path: YamlPath }>();
  for (const [i, s] of data.services.entries()) {
    const labels: [string, YamlPath][] = [
      [s.name, ['services', i, 'name']],
      ...(s.aliases ?? []).map((a, j): [string, YamlPath] => [a, ['services', i, 'aliases', j]]),
    ];
    for (const [label, path] of labels) {
      const key = wordKey(label);
      const first = seen.get(key);
      if (!first) {
        seen.set(key, { service: i, label, path });
        continue;
      }
      if (first.service === i) {
        warnings.push(
          ...report([
            { path, message: `"${label}" repeats ${formatPath(first.path)} of this service; ignored` },
          ]),
        );
        continue;
      }
      const owner = data.services[first.service]!.name;
      problems.push({
        path,
        message: `duplicate: "${label}" is already ${formatPath(first.path)} ("${first.label}" of service ${owner}); names and aliases must be unique, ignoring case and punctuation`,
      });
    }
  }
  return problems;
}

interface UnknownField {
  path: YamlPath;
  key: string;
  message: string;
}

function unknownFields(result: z.ZodSafeParseResult<unknown>): UnknownField[] {
  if (result.success) return [];
  const out: UnknownField[] = [];
  for (const issue of result.error.issues) {
    if (issue.code !== 'unrecognized_keys') continue;
    const known = knownKeysAt(issue.path as YamlPath);
    for (const key of issue.keys) {
      const near = closest(key, known);
      out.push({
        path: issue.path as YamlPath,
        key,
        message: `unknown field, ignored${near ? ` (did you mean ${near}?)` : ''}; expected one of ${known.join(', ')}`,
      });
    }
  }
  return out;
}

function knownKeysAt(path: YamlPath): readonly string[] {
  if (path.length === 0) return KNOWN_FIELDS.catalog;
  if (path.length === 2) return KNOWN_FIELDS.service;
  // services[i].runbooks[j], services[i].pagerduty, services[i].paging
  const field = path.length === 4 ? path[2] : path[path.length - 1];
  return field === 'runbooks' || field === 'pagerduty' || field === 'paging' ? KNOWN_FIELDS[field] : [];
}

function withoutFields(value: unknown, fields: UnknownField[]): unknown {
  for (const f of fields) {
    let node: unknown = value;
    for (const segment of f.path) node = (node as Record<string | number, unknown>)[segment];
    delete (node as Record<string, unknown>)[f.key];
  }
  return value;
}

const firstLine = (s: string): string => s.split('\n')[0]!.trim();
