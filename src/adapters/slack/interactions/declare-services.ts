/**
 * The "Affected services" field of the declare modal. Slack's multi-select holds at most 100 options, so a
 * larger catalog gets a text field for names or aliases, comma-separated, checked against the catalog on submit.
 */
import type { ServiceCatalog } from '../../../domain/ports.js';
import { fitPlain, SLACK_LIMITS } from '../text-fit.js';
import { type FieldErrors, multiSelectField, type SubmittedView, textField } from './view-state.js';

export const SERVICES_BLOCK = 'services';
/** Slack's limit on the options of a static select. */
export const MAX_SELECT_OPTIONS = 100;
const MAX_TYPED = 1000;

/** The input block offering the services; null without any. */
export function servicesInput(services: readonly string[]): Record<string, unknown> | null {
  if (services.length === 0) return null;
  const label = { type: 'plain_text', text: 'Affected services' };
  if (services.length <= MAX_SELECT_OPTIONS) {
    return {
      type: 'input',
      block_id: SERVICES_BLOCK,
      optional: true,
      label,
      element: {
        type: 'multi_static_select',
        action_id: 'value',
        options: services.map((s) => ({
          text: { type: 'plain_text', text: fitPlain(s, SLACK_LIMITS.optionText) },
          value: s.slice(0, 150),
        })),
      },
    };
  }
  return {
    type: 'input',
    block_id: SERVICES_BLOCK,
    optional: true,
    label,
    hint: {
      type: 'plain_text',
      text: `Names or aliases, separated by commas. /incident services lists all ${services.length}.`,
    },
    element: {
      type: 'plain_text_input',
      action_id: 'value',
      max_length: MAX_TYPED,
      placeholder: { type: 'plain_text', text: 'checkout, payments' },
    },
  };
}

/**
 * The services chosen, as catalog names. Typed names the catalog does not know become a field error with
 * the nearest names; a chosen option the catalog no longer has is dropped by the declare hook (logged there).
 */
export function declaredServices(
  view: SubmittedView,
  catalog: ServiceCatalog | null,
  errors: FieldErrors,
): string[] {
  const chosen = multiSelectField(view, SERVICES_BLOCK);
  if (chosen.length) return chosen;
  const typed = textField(
    view,
    SERVICES_BLOCK,
    { label: 'services', max: MAX_TYPED, required: false },
    errors,
  );
  if (!typed) return [];
  const names: string[] = [];
  const problems: string[] = [];
  for (const word of typed
    .split(',')
    .map((w) => w.trim())
    .filter(Boolean)) {
    const service = catalog?.find(word) ?? null;
    if (service) {
      if (!names.includes(service.name)) names.push(service.name);
      continue;
    }
    const near = catalog?.suggest(word) ?? [];
    problems.push(
      `"${fitPlain(word, 40)}" is not in the catalog${near.length ? ` (did you mean ${near.join(', ')}?)` : ''}`,
    );
  }
  if (problems.length) errors[SERVICES_BLOCK] = fitPlain(`${problems.join('; ')}.`, 2000);
  return names;
}
