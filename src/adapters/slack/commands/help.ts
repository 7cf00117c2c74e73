/** `/incident help`: every subcommand with its usage. */
import { type CommandKind, SUMMARY, USAGE } from '../../../domain/command.js';
import type { CommandHandler } from './command-context.js';

const ORDER: CommandKind[] = [
  'declare',
  'list',
  'status',
  'sev',
  'role',
  'update',
  'note',
  'timeline',
  'redact',
  'runbook',
  'services',
  'page',
  'oncall',
  'action',
  'actions',
  'impact',
  'detected',
  'resolve',
  'reopen',
  'postmortem',
  'private',
  'help',
];

/** The help text; with a topic, that subcommand's usage only. */
export function helpText(topic?: string): string {
  const one = ORDER.find((k) => k === topic);
  if (one) return `\`${USAGE[one]}\`: ${SUMMARY[one]}`;
  const lines = ORDER.map((k) => `• \`${USAGE[k]}\`: ${SUMMARY[k]}`);
  return [
    '*Muster: incident response in Slack*',
    'Declare, list, services, oncall and `actions --all` work anywhere; every other subcommand acts on the incident whose channel you type it in.',
    ...lines,
    'React with :pushpin: to any message in an incident channel to put it on the timeline.',
  ].join('\n');
}

export const helpCommand: CommandHandler<'help'> = async (ctx) => {
  await ctx.ack(helpText(ctx.cmd.topic));
};
