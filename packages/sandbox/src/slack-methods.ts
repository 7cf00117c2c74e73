/** The sandbox Web API method table and its dispatcher: Slack's response body for a method and its arguments. */
import type { SlackArgs, SlackMethod, SlackResult } from './slack-method-args.js';
import { chatMethods } from './slack-methods-chat.js';
import { conversationMethods } from './slack-methods-conversations.js';
import { openIdMethods } from './slack-methods-openid.js';
import { workspaceMethods } from './slack-methods-workspace.js';
import type { SlackWorkspace } from './slack-workspace.js';
import { SlackApiError } from './slack-workspace-types.js';

export const slackMethods: Readonly<Record<string, SlackMethod>> = {
  ...conversationMethods,
  ...chatMethods,
  ...workspaceMethods,
  ...openIdMethods,
};

export const isSlackMethod = (method: string): boolean => Object.hasOwn(slackMethods, method);

/** Runs one Web API method; Slack errors become `{ ok: false, error }`, anything else is a bug and throws. */
export function callSlackMethod(
  workspace: SlackWorkspace,
  method: string,
  args: SlackArgs,
  token?: string,
): SlackResult {
  const run = slackMethods[method];
  if (!run) return { ok: false, error: 'unknown_method', req_method: method };
  try {
    return { ok: true, ...run(workspace, args, token) };
  } catch (error) {
    if (error instanceof SlackApiError) return { ok: false, error: error.code, ...error.extra };
    throw error;
  }
}
