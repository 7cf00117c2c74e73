/**
 * The checklist a new role holder receives, from an editable template: `templates/roles/<role>.md` in the
 * folder Muster runs in, else the one shipped with Muster. Read at each assignment, so edits apply at once.
 * Placeholders: {{incident}} (INC-n), {{title}}, {{role}}, {{channel}}, {{severity}}. The text is Slack's: the
 * template is mrkdwn and the title is filled in as Slack text.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { incidentRef, type Incident, severityLabel } from '../../domain/incident.js';
import { ROLE_TITLES, type Role } from '../../domain/roles.js';
import { projectRoot } from '../project-root.js';
import { slackText } from './mrkdwn.js';

/** The template file used for `role`, or null when neither the local nor the shipped one exists. */
export function checklistFile(role: Role, cwd = process.cwd()): string | null {
  for (const dir of [join(cwd, 'templates/roles'), join(projectRoot(), 'templates/roles')]) {
    const file = join(dir, `${role}.md`);
    if (existsSync(file)) return file;
  }
  return null;
}

/** Fills the placeholders of a checklist template; unknown ones are left as written. */
export function fillChecklist(template: string, role: Role, incident: Incident): string {
  const values: Record<string, string> = {
    incident: incidentRef(incident.number),
    title: slackText(incident.title),
    role: ROLE_TITLES[role],
    channel: incident.channelId ? `<#${incident.channelId}>` : 'the incident channel',
    severity: severityLabel(incident.severity),
  };
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, name: string) => values[name] ?? whole).trim();
}

/** The checklist text for the new holder of `role`; a missing or unreadable template gives a one-line fallback. */
export function roleChecklist(role: Role, incident: Incident, cwd = process.cwd()): string {
  const file = checklistFile(role, cwd);
  if (file) {
    try {
      return fillChecklist(readFileSync(file, 'utf8'), role, incident);
    } catch {
      // an unreadable file falls through to the fallback: the assignment itself must not fail
    }
  }
  return `You hold the ${ROLE_TITLES[role]} role until you hand it over with \`/incident role ${role} @person\`.`;
}
