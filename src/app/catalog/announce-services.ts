/**
 * Telling people about the services attached to an incident, once its channel exists: their runbooks posted
 * in the channel (file runbooks uploaded) and bookmarked, each owning team's channel told where the incident
 * is, and the headline refreshed to list services and runbooks.
 */
import type { Incident } from '../../domain/incident.js';
import { type CatalogService, ChatError, type ChatMessage } from '../../domain/ports.js';
import {
  declaredRunbooksMessage,
  type RunbookLine,
  teamNotice,
} from '../../adapters/slack/blocks/runbooks.js';
import type { ProvisionedHook } from '../incident/hooks.js';
import type { Ports } from '../ports.js';
import { currentCatalog } from './find-service.js';
import { pendingRunbookFiles, type RunbookFile } from './link-runbooks.js';
import { publishRunbooks } from './share-runbooks.js';

/**
 * Announces the named services (default: every attached one) in the incident channel and to their teams.
 * Failures are logged and told once in the channel; a failed bookmark is only logged.
 */
export async function announceServices(
  deps: Ports,
  incident: Incident,
  names?: readonly string[],
): Promise<void> {
  if (!incident.channelId) return;
  const wanted = names ?? deps.store.services.attached(incident.number).map((a) => a.service);
  if (wanted.length === 0) return;
  const catalog = currentCatalog(deps);
  // A service attached before a reload that dropped it is still named; only its catalog details are gone.
  const services = wanted.map((name) => ({ name, service: catalog?.find(name) ?? null }));
  const links = deps.store.services
    .links(incident.number)
    .filter((l) => l.service !== null && wanted.includes(l.service));
  const files: RunbookFile[] = services.flatMap(({ service }) =>
    service ? pendingRunbookFiles(deps, incident.number, service) : [],
  );
  const runbooks: RunbookLine[] = [
    ...links.map((l) => ({ title: l.title, url: l.url, service: l.service })),
    ...files.map((f) => ({ title: f.title, url: null, service: f.service })),
  ];
  const withRunbooks = new Set(runbooks.map((r) => r.service));
  const message = declaredRunbooksMessage({
    services: services.map(({ name, service }) => ({ name, owner: service?.owner ?? null })),
    runbooks,
    withoutRunbooks: services.filter(({ name }) => !withRunbooks.has(name)).map(({ name }) => name),
  });
  const channelId = incident.channelId;
  await publishRunbooks(
    deps,
    incident,
    { links, files, actor: incident.declaredBy, at: deps.clock.now() },
    {
      before: [['post the runbooks', () => deps.chat.post(channelId, message)]],
      after: teamNoticeSteps(
        deps,
        incident,
        services.flatMap(({ service }) => (service ? [service] : [])),
      ),
    },
  );
}

/** One notice per owning team channel (several services of one team share it); never the incident channel itself. */
function teamNoticeSteps(
  deps: Ports,
  incident: Incident,
  services: readonly CatalogService[],
): [string, () => Promise<unknown>][] {
  const byChannel = new Map<string, { owner: string; names: string[] }>();
  for (const s of services) {
    if (!s.teamChannel || s.teamChannel === incident.channelId) continue;
    const entry = byChannel.get(s.teamChannel) ?? { owner: s.owner, names: [] };
    entry.names.push(s.name);
    byChannel.set(s.teamChannel, entry);
  }
  const commander = deps.store.incidents.holders(incident.number).ic ?? null;
  return [...byChannel].map(([channel, { owner, names }]) => [
    `tell the ${owner} channel`,
    () => postInTeamChannel(deps, channel, teamNotice(incident, names, commander)),
  ]);
}

/** Posts in a team channel, joining it first when the bot is not a member (public channels; private ones refuse). */
async function postInTeamChannel(deps: Ports, channelId: string, message: ChatMessage): Promise<void> {
  try {
    await deps.chat.post(channelId, message);
  } catch (e) {
    if (!(e instanceof ChatError && e.code === 'not_in_channel')) throw e;
    await deps.chat.join(channelId);
    await deps.chat.post(channelId, message);
  }
}

/** The provisioning hook: announces the services attached on declare. */
export const announceDeclaredServices: ProvisionedHook = (deps, incident) => announceServices(deps, incident);
