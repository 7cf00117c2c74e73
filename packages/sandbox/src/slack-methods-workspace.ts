/** auth.test, team.info, users.info, views.* (views.publish: the Home tab) and the files upload v2 methods of the sandbox Web API. */
import { viewContentProblems } from './block-kit-limits.js';
import { int, jsonArray, jsonObject, need, type SlackMethod, str } from './slack-method-args.js';
import { wireFile, wireUser, wireView } from './slack-wire-objects.js';
import type { SlackWorkspace } from './slack-workspace.js';
import { SlackApiError, type ViewRecord } from './slack-workspace-types.js';

/** Slack's view checks that most often catch a bot's bugs; each failure reads like Slack's own message. */
function viewProblems(view: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const type = view['type'];
  if (type !== 'modal' && type !== 'home')
    problems.push('must be one of [modal, home] [json-pointer:/view/type]');
  const title = view['title'] as { type?: unknown; text?: unknown } | undefined;
  if (type === 'modal') {
    if (typeof title?.text !== 'string' || title.type !== 'plain_text') {
      problems.push('must provide an object [json-pointer:/view/title]');
    } else if (title.text.length > 24) {
      problems.push('must be less than 25 characters [json-pointer:/view/title/text]');
    }
  }
  const blocks = view['blocks'];
  if (!Array.isArray(blocks)) problems.push('must provide an array [json-pointer:/view/blocks]');
  else if (blocks.length > 100) problems.push('must be at most 100 items [json-pointer:/view/blocks]');
  else if (blocks.some((b) => typeof (b as { type?: unknown } | null)?.type !== 'string')) {
    problems.push('must provide a type [json-pointer:/view/blocks]');
  }
  const metadata = view['private_metadata'];
  if (typeof metadata === 'string' && metadata.length > 3000) {
    problems.push('must be less than 3001 characters [json-pointer:/view/private_metadata]');
  }
  return problems;
}

function requireView(args: Record<string, unknown>): Record<string, unknown> {
  const view = jsonObject(args, 'view', 'invalid_arguments');
  if (!view)
    throw new SlackApiError('invalid_arguments', {
      response_metadata: { messages: ['[ERROR] missing required field: view'] },
    });
  const problems = [...viewProblems(view), ...viewContentProblems(view)];
  if (problems.length > 0) {
    throw new SlackApiError('invalid_arguments', {
      response_metadata: { messages: problems.map((p) => `[ERROR] ${p}`) },
    });
  }
  return view;
}

function needTrigger(args: Record<string, unknown>): string {
  const trigger = str(args, 'trigger_id');
  if (!trigger) {
    throw new SlackApiError('invalid_arguments', {
      response_metadata: { messages: ['[ERROR] missing required field: trigger_id'] },
    });
  }
  return trigger;
}

const viewResult = (ws: SlackWorkspace, v: ViewRecord) => ({ view: wireView(ws, v, ws.botId) });

export const workspaceMethods: Record<string, SlackMethod> = {
  'auth.test': (ws) => ({
    url: `${ws.baseUrl}/`,
    team: ws.team().name,
    user: ws.user(ws.botUserId)?.name ?? 'muster',
    team_id: ws.teamId,
    user_id: ws.botUserId,
    bot_id: ws.botId,
    is_enterprise_install: false,
  }),

  'team.info': (ws) => {
    const team = ws.team();
    return {
      team: {
        id: team.id,
        name: team.name,
        url: `${ws.baseUrl}/`,
        domain: team.domain,
        email_domain: 'example.com',
        icon: { image_default: true },
        is_verified: false,
      },
    };
  },

  'users.info': (ws, args) => {
    const user = ws.user(need(args, 'user', 'user_not_found'));
    if (!user) throw new SlackApiError('user_not_found');
    return { user: wireUser(ws, user) };
  },

  // Needs users:read.email. Slack matches the address whatever its case; a bot has none, and an address
  // nobody in the workspace has is `users_not_found`.
  'users.lookupByEmail': (ws, args) => {
    const email = need(args, 'email', 'invalid_arguments').trim().toLowerCase();
    const user = ws.users().find((u) => u.email !== null && u.email.toLowerCase() === email);
    if (!user) throw new SlackApiError('users_not_found');
    return { user: wireUser(ws, user) };
  },

  'views.open': (ws, args) => {
    const trigger = needTrigger(args);
    return viewResult(ws, ws.openView(trigger, requireView(args)));
  },

  'views.push': (ws, args) => {
    const trigger = needTrigger(args);
    return viewResult(ws, ws.pushView(trigger, requireView(args)));
  },

  // The Home tab: one view a person, `type: home`, checked like a modal's blocks.
  'views.publish': (ws, args) => {
    const userId = str(args, 'user_id');
    if (!userId) {
      throw new SlackApiError('invalid_arguments', {
        response_metadata: { messages: ['[ERROR] missing required field: user_id'] },
      });
    }
    const view = requireView(args);
    if (view['type'] !== 'home') {
      throw new SlackApiError('invalid_arguments', {
        response_metadata: { messages: ['[ERROR] must be home [json-pointer:/view/type]'] },
      });
    }
    return viewResult(ws, ws.publishHome(userId, view, str(args, 'hash')));
  },

  'views.update': (ws, args) => {
    const viewId = str(args, 'view_id');
    const externalId = str(args, 'external_id');
    if (!viewId && !externalId) {
      throw new SlackApiError('invalid_arguments', {
        response_metadata: { messages: ['[ERROR] either view_id or external_id is required'] },
      });
    }
    const view = requireView(args);
    return viewResult(ws, ws.updateView({ viewId, externalId, hash: str(args, 'hash') }, view));
  },

  'files.getUploadURLExternal': (ws, args) => {
    const filename = need(args, 'filename', 'invalid_arguments');
    const length = int(args, 'length');
    if (length === undefined || length < 0) throw new SlackApiError('invalid_arguments');
    // Slack names it alt_txt; WebClient's filesUploadV2 sends alt_text
    const altText = str(args, 'alt_txt') ?? str(args, 'alt_text');
    if (altText && altText.length > 1000) throw new SlackApiError('alt_txt_too_large');
    const file = ws.reserveFile(
      { filename, length, snippetType: str(args, 'snippet_type'), altText },
      ws.botUserId,
    );
    return { upload_url: ws.uploadUrl(file.id), file_id: file.id };
  },

  'files.completeUploadExternal': (ws, args) => {
    const files = jsonArray(args, 'files', 'invalid_arguments');
    if (!files || files.length === 0) throw new SlackApiError('invalid_arguments');
    const entries = files.map((f) => {
      const entry = f as { id?: unknown; title?: unknown } | null;
      if (typeof entry?.id !== 'string') throw new SlackApiError('invalid_arguments');
      return { id: entry.id, title: typeof entry.title === 'string' ? entry.title : undefined };
    });
    const channel = str(args, 'channel_id') ?? str(args, 'channels');
    if (channel?.includes(',')) throw new SlackApiError('invalid_arguments');
    const share = channel
      ? {
          channel,
          initialComment: str(args, 'initial_comment'),
          threadTs: str(args, 'thread_ts'),
          blocks: jsonArray(args, 'blocks', 'invalid_blocks_format'),
        }
      : undefined;
    if (share) ws.requireChannel(share.channel);
    const done = ws.completeFiles(entries, ws.botUserId, share);
    return { files: done.map((f) => wireFile(ws, f)) };
  },
};
