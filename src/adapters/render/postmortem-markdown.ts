/**
 * The postmortem as markdown: the recorded facts and the names become the view model (dates and times in
 * INCIDENT_TIMEZONE), and the team's template renders it. The render worker and `muster export` both write
 * through here, so a draft in Slack and an export of the same record are the same document.
 */
import { existsSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { mentionedIds } from '../../app/postmortem/postmortem-document.js';
import type { Config } from '../../config.js';
import type { PostmortemFacts, PostmortemRenderer } from '../../domain/ports.js';
import { toPostmortemData } from '../../domain/postmortem.js';
import type { PostmortemData } from '../../domain/postmortem-view.js';
import { projectRoot } from '../project-root.js';
import type { PostmortemTemplate } from './postmortem-renderer.js';
import { loadPrecompiledTemplate } from './precompiled-template.js';
import { makeTimeFormatters } from './time-format.js';

/** Where a template path from the config points: relative to the working folder, else to the installation. */
export function locateTemplate(path: string): string {
  if (isAbsolute(path)) return path;
  const here = resolve(path);
  return existsSync(here) ? here : join(projectRoot(), path);
}

export interface RenderedPostmortem {
  data: PostmortemData;
  markdown: string;
  names: Record<string, string>;
}

/** Renders the draft with the given names (ids without a name are shown as the id). */
export function renderWithNames(
  facts: PostmortemFacts,
  names: Record<string, string>,
  template: PostmortemTemplate,
  timeZone: string,
  now: number,
): RenderedPostmortem {
  const all: Record<string, string> = {};
  for (const id of mentionedIds(facts)) all[id] = names[id] ?? id;
  const data = toPostmortemData({ ...facts, names: all }, { now, ...makeTimeFormatters(timeZone) });
  return { data, markdown: template.render(data), names: all };
}

/**
 * The PostmortemRenderer port over the configured template, in INCIDENT_TIMEZONE: the template only (the
 * blameless word list and the render worker are for `/incident postmortem`). The shipped template comes
 * precompiled from the build; any other is loaded by the compiler, imported only then, and checked.
 * Throws TemplateError.
 */
export async function loadPostmortemRenderer(
  config: Pick<Config, 'POSTMORTEM_TEMPLATE' | 'INCIDENT_TIMEZONE'>,
): Promise<PostmortemRenderer> {
  const template =
    (await loadPrecompiledTemplate(locateTemplate(config.POSTMORTEM_TEMPLATE))) ??
    (await import('./postmortem-renderer.js')).loadPostmortemTemplate(config);
  return {
    render: (facts, names, now) =>
      renderWithNames(facts, names, template, config.INCIDENT_TIMEZONE, now).markdown,
  };
}
