/** `muster runbook <service> [--out FILE] [--force]`: writes a runbook skeleton for a catalog service. */
import { existsSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { projectRoot } from '../project-root.js';
import { loadCatalog } from './load-catalog.js';
import { DEFAULT_RUNBOOK_TEMPLATE, defaultRunbookPath, writeRunbookSkeleton } from './runbook-skeleton.js';

export const RUNBOOK_USAGE = 'usage: muster runbook <service> [--out FILE] [--force]';

export interface RunbookCommandInput {
  args: readonly string[];
  catalogPath: string;
  env: Readonly<Record<string, string | undefined>>;
  /** PAGE_ESCALATION_MINUTES, which the skeleton states */
  escalationMinutes: number;
  /** catalog warnings (unknown fields...), one line each */
  warn(line: string): void;
}

interface RunbookArgs {
  service: string;
  out: string | null;
  force: boolean;
}

/** Reads the arguments; throws an Error with one line (and the usage) when they are wrong. */
export function parseRunbookArgs(args: readonly string[]): RunbookArgs {
  const words: string[] = [];
  let out: string | null = null;
  let force = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--force' || a === '-f') force = true;
    else if (a === '--out' || a === '-o') {
      const next = args[++i];
      if (!next || next.startsWith('-')) throw new Error(`--out needs a file name; ${RUNBOOK_USAGE}`);
      out = next;
    } else if (a.startsWith('--out=')) out = a.slice('--out='.length);
    else if (a.startsWith('-')) throw new Error(`unknown option ${a}; ${RUNBOOK_USAGE}`);
    else words.push(a);
  }
  // An alias may be several words ("payment gateway"), typed with or without quotes.
  const service = words.join(' ').trim();
  if (!service) throw new Error(`missing the service name; ${RUNBOOK_USAGE}`);
  if (out === '') throw new Error(`--out needs a file name; ${RUNBOOK_USAGE}`);
  return { service, out, force };
}

/**
 * Writes the skeleton and returns what to tell the user. Throws an Error with one clear line when there is no
 * catalog, the catalog is broken, the service is unknown (nearest names suggested) or the file exists.
 */
export function runRunbookCommand(input: RunbookCommandInput): string {
  const args = parseRunbookArgs(input.args);
  // Writing a runbook pages nobody: a routing key kept in an unset variable only costs a warning.
  const loaded = loadCatalog(input.catalogPath, input.env, { unsetPaging: 'leave-out' });
  const catalog = loaded.catalog;
  if (!catalog) {
    throw new Error(
      `no service catalog at ${input.catalogPath}: set CATALOG_PATH, or copy catalog.example.yaml there and add the service`,
    );
  }
  for (const w of loaded.warnings) input.warn(`catalog: ${w}`);
  const service = catalog.find(args.service);
  if (!service) {
    const near = catalog.suggest(args.service);
    const names = catalog.services.map((s) => s.name);
    const hint = near.length
      ? `did you mean ${near.join(', ')}?`
      : names.length
        ? `the catalog has ${names.slice(0, 10).join(', ')}${names.length > 10 ? ` and ${names.length - 10} more` : ''}`
        : 'the catalog lists no services';
    throw new Error(`unknown service "${args.service}" in ${input.catalogPath}: ${hint}`);
  }
  const out = resolve(args.out ?? defaultRunbookPath(service, catalog));
  writeRunbookSkeleton(service, catalog, out, {
    templatePath: runbookTemplate(),
    force: args.force,
    escalationMinutes: input.escalationMinutes,
  });
  const rel = relative(resolve(catalog.runbooksDir), out);
  const inRunbooks = !rel.startsWith('..') && !isAbsolute(rel) && rel !== '';
  const next = inRunbooks
    ? `add it to ${service.name} in ${input.catalogPath}: runbooks: [{ title: "${service.name} runbook", file: ${rel.split(sep).join('/')} }]`
    : `it is outside ${catalog.runbooksDir}: move it there to list it as a file runbook, or publish it and list its url`;
  const shown = relative(process.cwd(), out);
  return `wrote ${shown.startsWith('..') ? out : shown}, a runbook skeleton for ${service.name}\n${next}`;
}

/** The template in the working folder (a team may replace it), else the one Muster ships. */
function runbookTemplate(): string {
  return existsSync(resolve(DEFAULT_RUNBOOK_TEMPLATE))
    ? DEFAULT_RUNBOOK_TEMPLATE
    : join(projectRoot(), DEFAULT_RUNBOOK_TEMPLATE);
}
