/**
 * `/incident runbook` lists the linked runbooks; `runbook <service>` links a catalog service's runbooks;
 * `runbook <url> [title]` links any http(s) link. Links are stored before the ack; the in-channel answer
 * shows them, and uploads, bookmarks and the headline follow after it (the `runbooks_linked` notice).
 */
import { linkRunbookUrl, linkServiceRunbooks } from '../../../app/catalog/link-runbooks.js';
import { decodeSlackEntities } from '../../render/slack-text.js';
import {
  runbookListMessage,
  serviceRunbooksLinked,
  slackLink,
  urlRunbookLinked,
} from '../blocks/runbooks.js';
import { requireIncident, type CommandHandler } from './command-context.js';

export const runbookCommand: CommandHandler<'runbook'> = async (ctx) => {
  const incident = requireIncident(ctx);
  const { deps, cmd } = ctx;
  const target = cmd.target;
  if (target === null) {
    const services = (await deps.store.services.attached(incident.number)).map((a) => a.service);
    await ctx.ack(
      runbookListMessage(incident.number, await deps.store.services.links(incident.number), services),
    );
    return;
  }
  if ('url' in target) {
    // Slack sends typed text with &, < and > as entities; the link and title are stored as people typed them.
    const title = target.title ? decodeSlackEntities(target.title) : null;
    const r = await linkRunbookUrl(deps, {
      incident,
      url: decodeSlackEntities(target.url),
      title,
      by: ctx.userId,
    });
    if (!r.isNew) {
      await ctx.ack(`${slackLink(r.link.url, r.link.title)} is already linked to this incident.`);
      return;
    }
    await ctx.ack({ ...urlRunbookLinked(ctx.userId, r.link.title, r.link.url), inChannel: true });
    ctx.later('publish runbook', () => deps.notifier.notify(r.notices));
    return;
  }
  const r = await linkServiceRunbooks(deps, {
    incident,
    service: decodeSlackEntities(target.service),
    by: ctx.userId,
  });
  if (r.linked.length === 0 && r.files.length === 0) {
    const all = r.existing.map((l) => slackLink(l.url, l.title)).join(', ');
    await ctx.ack(`The runbooks of \`${r.service.name}\` are already linked${all ? `: ${all}` : ''}.`);
    return;
  }
  const lines = [
    ...r.linked.map((l) => ({ title: l.title, url: l.url, service: l.service })),
    ...r.files.map((f) => ({ title: f.title, url: null, service: f.service })),
  ];
  await ctx.ack({ ...serviceRunbooksLinked(ctx.userId, r.service.name, lines), inChannel: true });
  ctx.later('publish runbooks', () => deps.notifier.notify(r.notices));
};
