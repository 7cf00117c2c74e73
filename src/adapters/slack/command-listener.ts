/**
 * The `/incident` slash command: parse, find the incident of the channel, call the subcommand's handler.
 * A subcommand that needs only the incident's number (a note) takes it from the process's memory of which
 * channel is which incident's (app/timeline/incident-channels.ts); the others read the incident itself.
 * Usage mistakes and DomainErrors become an ephemeral answer saying what was wrong and the right usage.
 * The receiver calls it directly, not through Bolt: slash commands are the hot path (every note, every
 * status change), and Bolt's dispatch runs every registered listener's middleware chain for each request.
 */
import type { SlashCommand } from '@slack/bolt';
import type { Metrics } from '../http/metrics.js';
import {
  allowedWhenResolved,
  BY_NUMBER_ONLY,
  type Command,
  isGlobalCommand,
  parseCommand,
} from '../../domain/command.js';
import { isDomainError } from '../../domain/errors.js';
import { type Incident, incidentRef } from '../../domain/incident.js';
import type { Ports } from '../../app/ports.js';
import type { IncidentChannels } from '../../app/timeline/incident-channels.js';
import { lazyChild, type Logger } from '../log.js';
import type { CommandContext, Reply } from './commands/command-context.js';
import { commandHandlers } from './commands/index.js';
import { escapeMrkdwn } from './mrkdwn.js';

/** One slash command as the receiver hands it over, with the acknowledgement that answers Slack. */
export interface SlashCommandRequest {
  command: SlashCommand;
  /** answers Slack: nothing, or the message (with `response_type`) shown for the command */
  ack(response?: Record<string, unknown>): Promise<void>;
  log: Logger;
  requestId: string;
}

export type CommandListener = (request: SlashCommandRequest) => Promise<void>;

const toMessage = (r: Reply) => (typeof r === 'string' ? { text: r } : r);

/** Handles `/incident` commands; never throws (a bug is logged and answered as such). */
export function createCommandListener(
  deps: Ports,
  channels: IncidentChannels,
  metrics: Metrics,
): CommandListener {
  return async ({ command, ack, log, requestId }) => {
    const started = process.hrtime.bigint();
    let acked = false;
    let kind = 'unknown';
    let outcome = 'ok';
    const ackOnce = async (reply?: Reply) => {
      if (acked) return;
      acked = true;
      metrics.commandAckDuration.observe({ command: kind }, Number(process.hrtime.bigint() - started) / 1e9);
      if (reply === undefined) return ack();
      const m = toMessage(reply);
      const inChannel = typeof reply !== 'string' && reply.inChannel;
      return ack({
        text: m.text,
        ...(m.blocks ? { blocks: m.blocks } : {}),
        response_type: inChannel ? 'in_channel' : 'ephemeral',
      });
    };
    try {
      await handle(deps, channels, command, log, requestId, ackOnce, (k) => (kind = k));
    } catch (e) {
      if (isDomainError(e)) {
        outcome = e.code;
        const text = `:warning: ${e.message}`;
        if (!acked) await ackOnce(text);
        else await replyLater(deps, command, text, log);
      } else {
        outcome = 'error';
        log.error({ err: e, command: kind }, 'command failed');
        const text = `:x: Something went wrong on Muster's side (request ${requestId}). The team can find it in the logs.`;
        if (!acked) await ackOnce(text);
        else await replyLater(deps, command, text, log);
      }
    } finally {
      if (!acked) await ackOnce();
      metrics.commands.inc({ command: kind, outcome });
    }
  };
}

async function replyLater(deps: Ports, command: SlashCommand, reply: Reply, log: Logger): Promise<void> {
  const m = toMessage(reply);
  try {
    if (command.response_url) await deps.chat.respond(command.response_url, { ...m, ephemeral: true });
    else await deps.chat.postEphemeral(command.channel_id, command.user_id, m);
  } catch (e) {
    log.warn({ err: e }, 'could not send an ephemeral reply');
  }
}

/** Replaces the command's first ephemeral answer through its response_url (or removes it: `reply` null). */
async function replaceAnswer(
  deps: Ports,
  command: SlashCommand,
  reply: Reply | null,
  log: Logger,
): Promise<void> {
  if (!command.response_url) {
    if (reply !== null) await replyLater(deps, command, reply, log);
    return;
  }
  try {
    await deps.chat.respond(
      command.response_url,
      reply === null
        ? { text: '', deleteOriginal: true }
        : { ...toMessage(reply), ephemeral: true, replaceOriginal: true },
    );
  } catch (e) {
    log.warn({ err: e }, 'could not replace the progress message');
  }
}

async function handle(
  deps: Ports,
  channels: IncidentChannels,
  command: SlashCommand,
  log: Logger,
  requestId: string,
  ack: (r?: Reply) => Promise<void>,
  setKind: (k: string) => void,
): Promise<void> {
  const cmd: Command = parseCommand(command.text ?? '');
  setKind(cmd.kind);
  let incident: Incident | null = null;
  let incidentNumber: number | null = null;
  if (!isGlobalCommand(cmd)) {
    if (BY_NUMBER_ONLY.includes(cmd.kind)) {
      incidentNumber = (await channels.of(command.channel_id))?.number ?? null;
    } else {
      incident = await deps.store.incidents.byChannel(command.channel_id);
      incidentNumber = incident?.number ?? null;
    }
    if (incidentNumber === null) {
      await ack(
        `:warning: \`/incident ${cmd.kind}\` acts on an incident: run it in the incident's channel. ` +
          'Open incidents are in `/incident list`; `/incident declare` opens a new one.',
      );
      return;
    }
    if (incident?.status === 'resolved' && !allowedWhenResolved(cmd)) {
      await ack(
        `:warning: ${escapeMrkdwn(incidentRef(incident.number))} is resolved, so \`${cmd.kind}\` is not possible. ` +
          'Use `/incident reopen [reason]` first; notes, actions and the postmortem still work.',
      );
      return;
    }
  }
  const handler = commandHandlers[cmd.kind] as (ctx: CommandContext) => Promise<void>;
  const ilog = incidentNumber === null ? log : lazyChild(log, { incident: incidentNumber });
  const ctx: CommandContext = {
    deps,
    cmd,
    userId: command.user_id,
    userName: command.user_name,
    channelId: command.channel_id,
    teamId: command.team_id,
    triggerId: command.trigger_id ?? null,
    responseUrl: command.response_url ?? null,
    incident,
    incidentNumber,
    requestId,
    log: ilog,
    ack,
    reply: (r) => replyLater(deps, command, r, ilog),
    replace: (r) => replaceAnswer(deps, command, r, ilog),
    later: (label, fn) => deps.afterAck.run(label, fn, ilog),
  };
  await handler(ctx);
}
