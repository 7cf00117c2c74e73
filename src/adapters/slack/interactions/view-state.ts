/**
 * Reading and checking a submitted modal (`view.state.values`). Slack's own limits (required, max_length) are
 * enforced in the client only, so a submission is checked again here; each problem becomes a field error
 * for `response_action: 'errors'`, keyed by block id.
 */
import { isDomainError } from '../../../domain/errors.js';
import { parseWhen, resolveWhen, wallTime, type WhenSpec, type ZoneRules } from '../../../domain/impact.js';

/** The longest `<when>` a time field takes (`2026-11-23 15:10` is 16 characters). */
const MAX_WHEN_CHARS = 40;

/** The parts of a `view_submission` payload Muster reads. */
export interface SubmittedView {
  callback_id?: string;
  private_metadata?: string;
  state?: { values?: Record<string, Record<string, StateValue | undefined> | undefined> };
}

interface StateValue {
  type?: string;
  value?: string | null;
  selected_option?: { value?: string } | null;
  selected_options?: { value?: string }[] | null;
  selected_user?: string | null;
}

/** Every input block has one element, under the action id `value`. */
export const VALUE = 'value';

const stateOf = (view: SubmittedView, block: string): StateValue | undefined =>
  view.state?.values?.[block]?.[VALUE];

/** Field errors, by block id; empty when the submission is valid. */
export type FieldErrors = Record<string, string>;

/** A text field: trimmed, null when empty; a problem is added to `errors` when missing (and required) or too long. */
export function textField(
  view: SubmittedView,
  block: string,
  opts: { label: string; max: number; required: boolean },
  errors: FieldErrors,
): string | null {
  const raw = stateOf(view, block)?.value;
  const text = typeof raw === 'string' ? raw.trim() : '';
  if (!text) {
    if (opts.required) errors[block] = `Please enter the ${opts.label}.`;
    return null;
  }
  if (text.length > opts.max) {
    errors[block] = `The ${opts.label} is ${text.length} characters; the limit is ${opts.max}.`;
    return null;
  }
  return text;
}

/** The value of a static select; a problem when missing or not one of `allowed`. */
export function selectField<T extends string>(
  view: SubmittedView,
  block: string,
  allowed: readonly T[],
  label: string,
  errors: FieldErrors,
): T | null {
  const v = stateOf(view, block)?.selected_option?.value;
  if (!v) {
    errors[block] = `Please choose the ${label}.`;
    return null;
  }
  if (!(allowed as readonly string[]).includes(v)) {
    errors[block] = `"${v.slice(0, 40)}" is not a ${label} you can choose.`;
    return null;
  }
  return v as T;
}

/** The person picked in a users_select; a problem when missing. */
export function userField(
  view: SubmittedView,
  block: string,
  label: string,
  errors: FieldErrors,
): string | null {
  const v = stateOf(view, block)?.selected_user;
  if (!v) {
    errors[block] = `Please choose the ${label}.`;
    return null;
  }
  return v;
}

/** The values of a multi static select (empty when none). */
export function multiSelectField(view: SubmittedView, block: string): string[] {
  return (stateOf(view, block)?.selected_options ?? [])
    .map((o) => o.value)
    .filter((v): v is string => typeof v === 'string');
}

/**
 * A `<when>` field of a form: null when emptied (clear the time), undefined when it still shows the time
 * recorded (left alone, keeping its seconds), else the typed time; a time that cannot be goes to `errors`.
 */
export function whenField(
  view: SubmittedView,
  block: string,
  recorded: number | null,
  ctx: { now: number; zone: ZoneRules },
  errors: FieldErrors,
): WhenSpec | null | undefined {
  const text = textField(view, block, { label: 'time', max: MAX_WHEN_CHARS, required: false }, errors);
  if (errors[block]) return undefined;
  if (text === null) return recorded === null ? undefined : null;
  if (recorded !== null && text === wallTime(recorded, ctx.zone)) return undefined;
  try {
    const when = parseWhen(text);
    resolveWhen(when, ctx.now, ctx.zone);
    return when;
  } catch (e) {
    if (!isDomainError(e)) throw e;
    // field errors are plain text: code marks would show as written
    errors[block] = e.message.replace(/`/g, '');
    return undefined;
  }
}

/** The JSON private metadata the modal was opened with, or {} when absent or unreadable. */
export function metadataOf(view: SubmittedView): Record<string, unknown> {
  try {
    const v = JSON.parse(view.private_metadata || '{}') as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** The ack body showing field errors next to their fields. */
export const errorsResponse = (errors: FieldErrors) => ({ response_action: 'errors' as const, errors });
