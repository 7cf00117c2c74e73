/** What a subcommand handler gets: the parsed command, who and where, the incident, and how to answer. */
import type { Command, CommandKind } from '../../../domain/command.js';
import type { Incident } from '../../../domain/incident.js';
import type { ChatMessage } from '../../../domain/ports.js';
import type { Ports } from '../../../app/ports.js';
import type { Logger } from '../../log.js';

/** A reply: plain text or a message with blocks; ephemeral unless `inChannel`. */
export type Reply = string | (ChatMessage & { inChannel?: boolean });

export interface CommandContext<K extends CommandKind = CommandKind> {
  deps: Ports;
  cmd: Extract<Command, { kind: K }>;
  userId: string;
  userName: string;
  channelId: string;
  teamId: string;
  triggerId: string | null;
  responseUrl: string | null;
  /**
   * the incident of the channel, read for every subcommand that acts on one except those that need only its
   * number (BY_NUMBER_ONLY in domain/command.ts)
   */
  incident: Incident | null;
  /** the number of the channel's incident, set for every subcommand that acts on one */
  incidentNumber: number | null;
  requestId: string;
  log: Logger;
  /** Answers Slack (within its 3 s limit). Call once, after anything that must be stored is stored. */
  ack(reply?: Reply): Promise<void>;
  /** An ephemeral message to the person after the ack (via response_url, else chat.postEphemeral). */
  reply(reply: Reply): Promise<void>;
  /**
   * Puts `reply` in place of the ack's ephemeral answer (a progress message such as "Asking PagerDuty…"), or
   * removes that answer when `reply` is null. Without a response_url, a reply is sent as a new message.
   */
  replace(reply: Reply | null): Promise<void>;
  /** Slow work after the ack (Slack calls); tracked for shutdown and tests. */
  later(label: string, fn: () => Promise<unknown>): void;
}

export type CommandHandler<K extends CommandKind = CommandKind> = (ctx: CommandContext<K>) => Promise<void>;

/** The incident of the context, for handlers registered on incident-scoped subcommands. */
export function requireIncident<K extends CommandKind>(ctx: CommandContext<K>): Incident {
  if (!ctx.incident) throw new Error(`${ctx.cmd.kind} needs an incident`);
  return ctx.incident;
}

/** The incident's number, for handlers of the subcommands that need nothing else of it (BY_NUMBER_ONLY). */
export function requireIncidentNumber<K extends CommandKind>(ctx: CommandContext<K>): number {
  if (ctx.incidentNumber === null) throw new Error(`${ctx.cmd.kind} needs an incident`);
  return ctx.incidentNumber;
}
