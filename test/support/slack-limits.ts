/**
 * Checks what Muster sends Slack against Slack's own rules: Block Kit limits of messages and views (the same
 * checks the sandbox workspace answers `invalid_blocks` with), the 40,000-character message text, and, for
 * Web API calls the fake Slack received, the parameters Slack's OpenAPI spec lists for the method.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  messageBlockProblems,
  type SlackApiCall,
  viewContentProblems,
} from '../../packages/sandbox/src/emulators.js';
import { SLACK_LIMITS } from '../../src/adapters/slack/text-fit.js';

/** Whether `s` has a lone surrogate (half an emoji): what a cut by UTF-16 units leaves. */
export const hasLoneSurrogate = (s: string): boolean =>
  /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);

/** Whether any string inside `v` has a lone surrogate (JSON.stringify would hide it as `\ud83d`). */
export function anyLoneSurrogate(v: unknown): boolean {
  if (typeof v === 'string') return hasLoneSurrogate(v);
  if (Array.isArray(v)) return v.some(anyLoneSurrogate);
  if (typeof v === 'object' && v !== null) return Object.values(v).some(anyLoneSurrogate);
  return false;
}

/** A message as builders return it (ChatMessage) or as a response body. */
interface MessageLike {
  text?: string;
  blocks?: unknown[];
}

/** Every problem Slack would have with a message: its blocks, its text's length, a lone surrogate anywhere. */
export function messageProblems(m: MessageLike): string[] {
  const problems = m.blocks ? messageBlockProblems(m.blocks) : [];
  if ((m.text?.length ?? 0) > SLACK_LIMITS.messageText) problems.push(`text is ${m.text!.length} characters`);
  if (m.text !== undefined && hasLoneSurrogate(m.text)) problems.push('text has a lone surrogate');
  if (m.blocks && anyLoneSurrogate(m.blocks)) problems.push('blocks have a lone surrogate');
  return problems;
}

/** Every problem Slack would have with a modal: title, buttons, block count, metadata, block contents. */
export function modalProblems(view: Record<string, unknown>): string[] {
  const problems = viewContentProblems(view);
  const title = (view['title'] as { text?: string } | undefined)?.text ?? '';
  if (title.length > SLACK_LIMITS.modalTitle) problems.push(`title is ${title.length} characters`);
  const blocks = (view['blocks'] as unknown[] | undefined) ?? [];
  if (blocks.length > SLACK_LIMITS.viewBlocks) problems.push(`${blocks.length} blocks`);
  const metadata = view['private_metadata'];
  if (typeof metadata === 'string' && metadata.length > SLACK_LIMITS.privateMetadata)
    problems.push('private_metadata too long');
  if (anyLoneSurrogate(view)) problems.push('view has a lone surrogate');
  return problems;
}

/** Parameter names per method, from Slack's OpenAPI spec (see test/fixtures/slack/README.md). */
const PARAMETERS = JSON.parse(
  readFileSync(fileURLToPath(new URL('../fixtures/slack/web-api-parameters.json', import.meta.url)), 'utf8'),
) as Record<string, string[]>;

/** The parameters a method takes according to the spec, or null when the spec does not describe it. */
export function specParameters(method: string): Set<string> | null {
  const names = PARAMETERS[method];
  return names ? new Set(names) : null;
}

/** Arguments of recorded Web API calls that their method does not take, as `method: name`. */
export function unknownArguments(calls: readonly SlackApiCall[]): string[] {
  const found = new Set<string>();
  for (const call of calls) {
    const params = specParameters(call.method);
    if (!params) continue;
    for (const name of Object.keys(call.args)) if (!params.has(name)) found.add(`${call.method}: ${name}`);
  }
  return [...found].sort();
}
