/** `/incident note <text>`: stored before the ack; the ack itself is the confirmation in the channel. */
import { addNote } from '../../../app/timeline/add-note.js';
import { noteConfirmation } from '../blocks/timeline.js';
import { type CommandHandler, requireIncidentNumber } from './command-context.js';

const MENTIONED_USER = /<@([UW][A-Z0-9]+)(?:\|[^>]*)?>/g;

export const noteCommand: CommandHandler<'note'> = async (ctx) => {
  const number = requireIncidentNumber(ctx);
  const { notices } = await addNote(ctx.deps, {
    incident: { number },
    userId: ctx.userId,
    text: ctx.cmd.text,
    requestKey: ctx.triggerId,
  });
  // Only names already cached: the ack must not wait on Slack (a mention without one shows its label or id).
  const ids = [...ctx.cmd.text.matchAll(MENTIONED_USER)].map((m) => m[1]!);
  const names: Record<string, string> = {};
  for (const [id, u] of await ctx.deps.store.users.many(ids)) names[id] = u.displayName;
  // An in-channel answer to the command is the confirmation everyone sees, without a rate-limited post.
  await ctx.ack({ ...noteConfirmation(number, ctx.userId, ctx.cmd.text, names), inChannel: true });
  ctx.later('tell the note', () => ctx.deps.notifier.notify(notices));
};
