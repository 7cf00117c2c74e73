/**
 * What a postmortem is written from: the incident's record as the store holds it, and the people it
 * mentions (whose names the document shows). Rendering is the PostmortemRenderer's and PostmortemDrafting's
 * (adapters/render): `/incident postmortem` names people through Slack, `muster export` from the cache alone.
 */
import type { IncidentStore, PostmortemFacts } from '../../domain/ports.js';
import { tsToMillis } from '../../domain/timeline.js';

/** Every Slack user id the document mentions: actors, responders, role holders, owners, and `<@U…>` in texts. */
export function mentionedIds(input: PostmortemFacts): Set<string> {
  const ids = new Set<string>([input.incident.declaredBy]);
  const scan = (text: string | null | undefined) => {
    // `[^<>]`, not `[^>]`: Slack sends a raw `<` only to open markup, and a run of `<@U1|` must not make
    // every match rescan the rest of a long message.
    for (const m of (text ?? '').matchAll(/<@([UW][A-Z0-9]+)(?:\|[^<>]*)?>/g)) ids.add(m[1]!);
  };
  scan(input.incident.title);
  scan(input.incident.description);
  scan(input.incident.summary);
  for (const e of input.timeline) {
    ids.add(e.actor);
    if (typeof e.meta.addedBy === 'string') ids.add(e.meta.addedBy);
    if (e.redactedBy) ids.add(e.redactedBy);
    scan(e.text);
    scan(e.originalText);
  }
  for (const r of input.roles) ids.add(r.userId);
  for (const a of input.actions) {
    if (a.ownerId) ids.add(a.ownerId);
    ids.add(a.createdBy);
    if (a.doneBy) ids.add(a.doneBy);
    scan(a.text);
  }
  for (const p of input.pages) {
    ids.add(p.requestedBy);
    if (p.acknowledgedBy) ids.add(p.acknowledgedBy);
  }
  for (const a of input.authors) ids.add(a.userId);
  return new Set([...ids].filter((id) => /^[UW][A-Z0-9]+$/.test(id)));
}

/** What the store holds about an incident, without names; null for an unknown incident. */
export async function postmortemFacts(store: IncidentStore, number: number): Promise<PostmortemFacts | null> {
  const incident = await store.incidents.get(number);
  if (!incident) return null;
  return {
    incident,
    timeline: await store.timeline.list(number, { includeRemoved: true }),
    roles: await store.incidents.roleHistory(number),
    actions: await store.actions.list(number),
    issues: Object.fromEntries(
      (await store.followUps.ofIncident(number)).flatMap((f) =>
        f.issue ? [[f.actionId, { key: f.issue.key, url: f.issue.url }]] : [],
      ),
    ),
    pages: await store.pages.list(number),
    services: (await store.services.attached(number)).map((s) => s.service),
    runbooks: (await store.services.links(number)).map((l) => ({
      title: l.title,
      url: l.url,
      service: l.service,
    })),
    authors: incident.channelId ? await peopleWhoWrote(store, incident.channelId) : [],
  };
}

/** Who wrote in the channel, without the bots the profile cache knows (Muster itself among them). */
async function peopleWhoWrote(store: IncidentStore, channelId: string): Promise<PostmortemFacts['authors']> {
  const authors = await store.messages.authors(channelId);
  const profiles = await store.users.many(authors.map((a) => a.userId));
  return authors
    .filter((a) => !profiles.get(a.userId)?.isBot)
    .map((a) => ({ userId: a.userId, messages: a.messages, firstAt: tsToMillis(a.firstTs) }));
}

/** Names from the local cache only (for the CLI export, which needs no Slack). */
export async function cachedNames(
  store: IncidentStore,
  facts: PostmortemFacts,
): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const [id, u] of await store.users.many([...mentionedIds(facts)])) out[id] = u.displayName;
  return out;
}
