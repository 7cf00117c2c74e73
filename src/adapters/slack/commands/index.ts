/**
 * Every `/incident` subcommand and its handler, in one typed record: a subcommand without a handler is a type
 * error. The command listener looks handlers up here; nothing registers itself on import.
 */
import type { CommandKind } from '../../../domain/command.js';
import type { CommandHandler } from './command-context.js';
import { actionCommand, actionsCommand } from './action.js';
import { declareCommand } from './declare.js';
import { helpCommand } from './help.js';
import { detectedCommand, impactCommand } from './impact.js';
import { listCommand } from './list.js';
import { noteCommand } from './note.js';
import { oncallCommand } from './oncall.js';
import { pageCommand } from './page.js';
import { postmortemCommand } from './postmortem.js';
import { privateCommand } from './private.js';
import { redactCommand } from './redact.js';
import { reopenCommand } from './reopen.js';
import { resolveCommand } from './resolve.js';
import { roleCommand } from './role.js';
import { runbookCommand } from './runbook.js';
import { servicesCommand } from './services.js';
import { sevCommand } from './sev.js';
import { statusCommand } from './status.js';
import { timelineCommand } from './timeline.js';
import { updateCommand } from './update.js';

export const commandHandlers: { [K in CommandKind]: CommandHandler<K> } = {
  action: actionCommand,
  actions: actionsCommand,
  declare: declareCommand,
  detected: detectedCommand,
  help: helpCommand,
  impact: impactCommand,
  list: listCommand,
  note: noteCommand,
  oncall: oncallCommand,
  page: pageCommand,
  postmortem: postmortemCommand,
  private: privateCommand,
  redact: redactCommand,
  reopen: reopenCommand,
  resolve: resolveCommand,
  role: roleCommand,
  runbook: runbookCommand,
  services: servicesCommand,
  sev: sevCommand,
  status: statusCommand,
  timeline: timelineCommand,
  update: updateCommand,
};
