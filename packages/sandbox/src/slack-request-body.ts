/** Parses the bodies Slack's Web API accepts: form-urlencoded, JSON, multipart, or raw bytes (read with the HTTP server's limit). */
import { JSON_FIELDS, type SlackArgs } from './slack-method-args.js';
import { SlackApiError } from './slack-workspace-types.js';

export interface RequestBody {
  /** form fields or JSON members, JSON-text fields (blocks, view, files, ...) parsed */
  args: SlackArgs;
  /** file parts of a multipart body */
  files: { field: string; filename: string; data: Buffer }[];
  raw: Buffer;
  isJson: boolean;
}

/** Parses JSON text in the fields Slack takes as JSON; text that is not JSON stays a string (the method rejects it). */
export function parseJsonFields(args: SlackArgs): SlackArgs {
  const out: SlackArgs = { ...args };
  for (const key of JSON_FIELDS) {
    const v = out[key];
    if (typeof v !== 'string' || v === '') continue;
    try {
      out[key] = JSON.parse(v);
    } catch {
      // left as text: the method answers with its own format error
    }
  }
  return out;
}

/** Parses a body by content type; malformed JSON is `invalid_json`, a non-object `json_not_object`. */
export async function parseBody(
  raw: Buffer,
  contentType: string | undefined,
  query: URLSearchParams,
): Promise<RequestBody> {
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  const args: SlackArgs = Object.fromEntries(query);
  const files: RequestBody['files'] = [];
  if (type === 'application/json') {
    let parsed: unknown;
    try {
      parsed = raw.length === 0 ? {} : JSON.parse(raw.toString('utf8'));
    } catch {
      throw new SlackApiError('invalid_json');
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      throw new SlackApiError('json_not_object');
    return { args: parseJsonFields({ ...args, ...(parsed as SlackArgs) }), files, raw, isJson: true };
  }
  if (type === 'multipart/form-data') {
    let form: FormData;
    try {
      form = await new Response(raw, { headers: { 'content-type': contentType ?? '' } }).formData();
    } catch {
      throw new SlackApiError('invalid_form_data');
    }
    for (const [field, value] of form) {
      if (typeof value === 'string') args[field] = value;
      else files.push({ field, filename: value.name, data: Buffer.from(await value.arrayBuffer()) });
    }
  } else if (type === 'application/x-www-form-urlencoded') {
    Object.assign(args, Object.fromEntries(new URLSearchParams(raw.toString('utf8'))));
  }
  return { args: parseJsonFields(args), files, raw, isJson: false };
}
