/** The one-screen summary `muster demo` prints: what happened to the incident, read back from the database. */
import {
  counted,
  formatDuration,
  incidentRef,
  ROLE_TITLES,
  ROLES,
  severityLabel,
} from '../../../src/index.js';
import type { Sandbox } from './sandbox.js';

/** Lines describing incident `number` as the sandbox's store and workspace hold it. */
export async function demoSummary(sandbox: Sandbox, number: number, tookMs: number): Promise<string> {
  const { store } = sandbox.app.deps;
  const ws = sandbox.workspace;
  const incident = await store.incidents.get(number);
  if (!incident) return `No incident ${number} was recorded.`;
  const name = (id: string | null | undefined) => (id ? (ws.user(id)?.realName ?? id) : 'nobody');
  const holders = await store.incidents.holders(number);
  const lasted = incident.resolvedAt
    ? formatDuration(incident.resolvedAt - incident.declaredAt)
    : 'still open';
  const pages = (await store.pages.list(number)).map((p) => {
    const ack =
      p.acknowledgedAt && p.triggeredAt
        ? `, acknowledged by ${p.acknowledgedBy ? name(p.acknowledgedBy) : 'someone'}`
        : '';
    return `${p.service} (${p.status}${ack})`;
  });
  const timeline = await store.timeline.list(number);
  const actions = await store.actions.list(number);
  const issues = new Map((await store.followUps.ofIncident(number)).map((f) => [f.actionId, f.issue?.key]));
  const actionLine = (a: (typeof actions)[number]) => {
    const issue = issues.get(a.id);
    const state = a.doneAt !== null ? 'done' : 'open';
    return `${a.priority} ${a.text} (${issue ? `${issue}, ` : ''}${state})`;
  };
  const messages = incident.channelId ? ws.messages(incident.channelId).length : 0;
  const files = incident.channelId
    ? ws.messages(incident.channelId).filter((m) => (m.files ?? []).length > 0).length
    : 0;
  const lines = [
    `Muster demo: a scripted incident in the sandbox workspace, run in ${(tookMs / 1000).toFixed(1)} s`,
    '',
    `  ${incidentRef(incident.number)}: ${incident.title}`,
    `  ${severityLabel(incident.severity)} · ${incident.status} · lasted ${lasted} · #${incident.channelName ?? '?'}`,
    ...ROLES.map((r) => `  ${ROLE_TITLES[r].padEnd(20)} ${name(holders[r])}`),
    `  Pages               ${pages.length ? pages.join('; ') : 'none'}`,
    `  Timeline            ${counted(timeline.length, 'entry', 'entries')}`,
    `  Action items        ${actions.length ? actions.map(actionLine).join('; ') : 'none'}`,
    `  Channel             ${counted(messages, 'message')}, ${files} with files`,
    '',
  ];
  if (incident.summary) lines.push(`  Resolution: ${incident.summary}`, '');
  return lines.join('\n');
}
