/** Reading Web API arguments the way Slack does: form strings and JSON values alike. */
import { messageBlockProblems } from './block-kit-limits.js';
import type { SlackWorkspace } from './slack-workspace.js';
import { type MessageInput, SlackApiError } from './slack-workspace-types.js';

export type SlackArgs = Record<string, unknown>;
export type SlackResult = Record<string, unknown>;
/**
 * One Web API method: arguments in, the response body (without `ok`) out; throws SlackApiError. `token` is the
 * caller's token, for the methods that check their own (see OWN_CREDENTIAL_METHODS).
 */
export type SlackMethod = (workspace: SlackWorkspace, args: SlackArgs, token?: string) => SlackResult;

/** Fields Slack takes as JSON text in form bodies; the server parses them so calls record structured args. */
export const JSON_FIELDS = ['blocks', 'attachments', 'view', 'files', 'metadata', 'user_auth_blocks'];

/** A string argument (numbers and booleans as form text), or undefined when absent or empty. */
export function str(args: SlackArgs, key: string): string | undefined {
  const v = args[key];
  if (typeof v === 'string') return v === '' ? undefined : v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

/** A required string argument; `error` is the code Slack answers when it is missing. */
export function need(args: SlackArgs, key: string, error: string): string {
  const v = str(args, key);
  if (v === undefined) throw new SlackApiError(error);
  return v;
}

export function bool(args: SlackArgs, key: string): boolean {
  const v = args[key];
  return v === true || v === 'true' || v === '1' || v === 1;
}

/** An integer argument; a non-integer is `error`. */
export function int(args: SlackArgs, key: string, error = 'invalid_arguments'): number | undefined {
  const v = str(args, key);
  if (v === undefined) return undefined;
  if (!/^-?\d+$/.test(v)) throw new SlackApiError(error);
  return Number(v);
}

/** A JSON array argument (already parsed by the server); text that was not valid JSON is `error`. */
export function jsonArray(args: SlackArgs, key: string, error: string): unknown[] | undefined {
  const v = args[key];
  if (v === undefined || v === '') return undefined;
  if (!Array.isArray(v)) throw new SlackApiError(error);
  return v;
}

/** A JSON object argument; anything else is `error`. */
export function jsonObject(args: SlackArgs, key: string, error: string): Record<string, unknown> | undefined {
  const v = args[key];
  if (v === undefined || v === '') return undefined;
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new SlackApiError(error);
  return v as Record<string, unknown>;
}

/** text, blocks, attachments and thread of a chat.* call, with Slack's block checks. */
export function messageInput(args: SlackArgs): MessageInput {
  const blocks = jsonArray(args, 'blocks', 'invalid_blocks_format');
  if (blocks && blocks.length > 50) throw new SlackApiError('invalid_blocks');
  if (
    blocks?.some(
      (b) => typeof b !== 'object' || b === null || typeof (b as { type?: unknown }).type !== 'string',
    )
  ) {
    throw new SlackApiError('invalid_blocks');
  }
  const problems = blocks ? messageBlockProblems(blocks) : [];
  if (problems.length > 0) {
    throw new SlackApiError('invalid_blocks', {
      errors: problems,
      response_metadata: { messages: problems.map((p) => `[ERROR] ${p}`) },
    });
  }
  const attachments = jsonArray(args, 'attachments', 'invalid_attachments');
  if (attachments && attachments.length > 100) throw new SlackApiError('too_many_attachments');
  return {
    text: typeof args['text'] === 'string' ? args['text'] : str(args, 'text'),
    blocks,
    attachments,
    threadTs: str(args, 'thread_ts'),
    replyBroadcast: bool(args, 'reply_broadcast'),
    metadata: args['metadata'],
  };
}
