/** `/incident private`: an ephemeral answer on how to make the incident private. */
import { makePrivate } from '../../../app/incident/make-private.js';
import { privateAnswerMessage } from '../blocks/private-incident.js';
import { requireIncident, type CommandHandler } from './command-context.js';

export const privateCommand: CommandHandler<'private'> = async (ctx) => {
  await ctx.ack(privateAnswerMessage(makePrivate(requireIncident(ctx))));
};
