/**
 * The postmortem draft of one incident, from the database: gathers what was recorded, resolves names,
 * builds the view model and renders the template. Used by `/incident postmortem` (names from Slack,
 * cached) and by `muster export` (names from the cache alone, no Slack needed).
 */
import { existsSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import type { Config } from '../../config.js';
import { type PostmortemInput, toPostmortemData } from '../../domain/postmortem.js';
import type { PostmortemData } from '../../domain/postmortem-view.js';
import { projectRoot } from '../../adapters/project-root.js';
import {
  createPostmortemRenderer,
  type PostmortemRenderer,
} from '../../adapters/render/postmortem-renderer.js';
import { makeTimeFormatters } from '../../adapters/render/time-format.js';
import type { IncidentStore } from '../../domain/ports.js';

/** Where a template path from the config points: relative to the working folder, else to the installation. */
export function locateTemplate(path: string): string {
  if (isAbsolute(path)) return path;
  const here = resolve(path);
  return existsSync(here) ? here : join(projectRoot(), path);
}

/** Compiles the configured template (strict, checked); throws TemplateError naming the file and the problem. */
export function loadPostmortemRenderer(config: Pick<Config, 'POSTMORTEM_TEMPLATE'>): PostmortemRenderer {
  return createPostmortemRenderer({ templatePath: locateTemplate(config.POSTMORTEM_TEMPLATE) });
}

/** Every Slack user id the document mentions: actors, role holders, owners, and `<@U…>` in texts. */
function mentionedIds(input: Omit<PostmortemInput, 'names'>): Set<string> {
  const ids = new Set<string>([input.incident.declaredBy]);
  const scan = (text: string | null | undefined) => {
    // `[^<>]`, not `[^>]`: Slack sends a raw `<` only to open markup, and a run of `<@U1|` must not make
    // every match rescan the rest of a long message.
    for (const m of (text ?? '').matchAll(/<@([UW][A-Z0-9]+)(?:\|[^<>]*)?>/g)) ids.add(m[1]!);
  };
  scan(input.incident.title);
  scan(input.incident.description);
  scan(input.incident.summary);
  for (const e of input.timeline) {
    ids.add(e.actor);
    if (e.redactedBy) ids.add(e.redactedBy);
    scan(e.text);
    scan(e.originalText);
  }
  for (const r of input.roles) ids.add(r.userId);
  for (const a of input.actions) {
    if (a.ownerId) ids.add(a.ownerId);
    ids.add(a.createdBy);
    if (a.doneBy) ids.add(a.doneBy);
    scan(a.text);
  }
  for (const p of input.pages) ids.add(p.requestedBy);
  return new Set([...ids].filter((id) => /^[UW][A-Z0-9]+$/.test(id)));
}

/** What the store holds about an incident, without names; null for an unknown incident. */
export function postmortemFacts(store: IncidentStore, number: number): Omit<PostmortemInput, 'names'> | null {
  const incident = store.incidents.get(number);
  if (!incident) return null;
  return {
    incident,
    timeline: store.timeline.list(number, { includeRemoved: true }),
    roles: store.incidents.roleHistory(number),
    actions: store.actions.list(number),
    pages: store.pages.list(number),
    services: store.services.attached(number).map((s) => s.service),
    runbooks: store.services.links(number).map((l) => ({ title: l.title, url: l.url, service: l.service })),
  };
}

export interface RenderedPostmortem {
  data: PostmortemData;
  markdown: string;
  names: Record<string, string>;
}

/** Renders the draft with the given names (ids without a name are shown as the id). */
export function renderWithNames(
  facts: Omit<PostmortemInput, 'names'>,
  names: Record<string, string>,
  renderer: PostmortemRenderer,
  timeZone: string,
  now: number,
): RenderedPostmortem {
  const all: Record<string, string> = {};
  for (const id of mentionedIds(facts)) all[id] = names[id] ?? id;
  const data = toPostmortemData({ ...facts, names: all }, { now, ...makeTimeFormatters(timeZone) });
  return { data, markdown: renderer.render(data), names: all };
}

/** Names from the local cache only (for the CLI export, which needs no Slack). */
export function cachedNames(
  store: IncidentStore,
  facts: Omit<PostmortemInput, 'names'>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [id, u] of store.users.many([...mentionedIds(facts)])) out[id] = u.displayName;
  return out;
}

export { mentionedIds };
