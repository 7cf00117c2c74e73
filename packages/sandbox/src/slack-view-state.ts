/**
 * Block Kit state as Slack reports it: `state.values` of a modal or message (every input element, null when
 * nothing was entered) and the action object of a pressed button or changed select. Built from the blocks the
 * app sent and what a person entered, so a payload never carries an option the app did not offer.
 */

/** What a person entered in one element: text, one chosen value, several, or nothing. */
export type Entered = string | string[] | null;

/** Entered values by block id, then action id. */
export type EnteredValues = Record<string, Record<string, Entered>>;

type Json = Record<string, unknown>;

export interface FoundElement {
  blockId: string;
  actionId: string;
  element: Json;
}

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Slack gives blocks without a block_id one; the sandbox uses the position, the same in page and payload. */
export const blockIdOf = (block: Json, index: number): string =>
  typeof block['block_id'] === 'string' ? block['block_id'] : `b${index}`;

export const actionIdOf = (element: Json, index: number): string =>
  typeof element['action_id'] === 'string' ? element['action_id'] : `a${index}`;

/** Every interactive element of `blocks`: actions blocks' elements, input blocks' element, sections' accessory. */
export function elementsOf(blocks: unknown): FoundElement[] {
  if (!Array.isArray(blocks)) return [];
  const found: FoundElement[] = [];
  blocks.forEach((block, i) => {
    if (!isObject(block)) return;
    const blockId = blockIdOf(block, i);
    const inner = Array.isArray(block['elements']) && block['type'] === 'actions' ? block['elements'] : [];
    const single = [block['element'], block['accessory']].filter(isObject);
    [...inner.filter(isObject), ...single].forEach((element, j) => {
      found.push({ blockId, actionId: actionIdOf(element, j), element });
    });
  });
  return found;
}

/** The element with this block and action id, or undefined. */
export function findElement(blocks: unknown, blockId: string, actionId: string): FoundElement | undefined {
  return elementsOf(blocks).find((e) => e.blockId === blockId && e.actionId === actionId);
}

/** The options of a select, checkboxes or radio group (option groups flattened). */
export function optionsOf(element: Json): Json[] {
  const direct = Array.isArray(element['options']) ? element['options'].filter(isObject) : [];
  const groups = Array.isArray(element['option_groups']) ? element['option_groups'].filter(isObject) : [];
  return [
    ...direct,
    ...groups.flatMap((g) => (Array.isArray(g['options']) ? g['options'].filter(isObject) : [])),
  ];
}

const pick = (element: Json, values: string[]): Json[] =>
  values.flatMap((v) => optionsOf(element).filter((o) => o['value'] === v));

const first = (e: Entered): string | null => (Array.isArray(e) ? (e[0] ?? null) : e);
const all = (e: Entered): string[] => (e === null ? [] : Array.isArray(e) ? e : [e]);

/** One element's state value, as in `state.values[block][action]`; null for elements that hold no state. */
export function stateValue(element: Json, entered: Entered): Json | null {
  const type = String(element['type'] ?? '');
  const one = first(entered);
  switch (type) {
    case 'plain_text_input':
    case 'email_text_input':
    case 'url_text_input':
    case 'number_input':
      return { type, value: one === '' ? null : one };
    case 'static_select':
    case 'radio_buttons':
      return { type, selected_option: one === null ? null : (pick(element, [one])[0] ?? null) };
    case 'multi_static_select':
    case 'checkboxes':
      return { type, selected_options: pick(element, all(entered)) };
    case 'users_select':
      return { type, selected_user: one || null };
    case 'multi_users_select':
      return { type, selected_users: all(entered) };
    case 'conversations_select':
      return { type, selected_conversation: one || null };
    case 'channels_select':
      return { type, selected_channel: one || null };
    case 'datepicker':
      return { type, selected_date: one || null };
    default:
      return null;
  }
}

/** `state.values` for `blocks`: every stateful element, with what was entered (or its initial value). */
export function stateValues(blocks: unknown, entered: EnteredValues): Record<string, Record<string, Json>> {
  const values: Record<string, Record<string, Json>> = {};
  for (const { blockId, actionId, element } of elementsOf(blocks)) {
    const given = entered[blockId]?.[actionId];
    const value = stateValue(element, given === undefined ? initialOf(element) : given);
    if (!value) continue;
    values[blockId] = { ...values[blockId], [actionId]: value };
  }
  return values;
}

/** What an element shows before a person touches it. */
export function initialOf(element: Json): Entered {
  if (typeof element['initial_value'] === 'string') return element['initial_value'];
  const option = element['initial_option'];
  if (isObject(option) && typeof option['value'] === 'string') return option['value'];
  const options = element['initial_options'];
  if (Array.isArray(options)) return options.filter(isObject).map((o) => String(o['value']));
  for (const key of ['initial_user', 'initial_conversation', 'initial_channel', 'initial_date']) {
    if (typeof element[key] === 'string') return element[key] as string;
  }
  for (const key of ['initial_users', 'initial_conversations', 'initial_channels']) {
    if (Array.isArray(element[key])) return (element[key] as unknown[]).map(String);
  }
  return null;
}

/** The `actions[0]` of a block_actions payload for a press or a selection. */
export function actionOf(found: FoundElement, entered: Entered, actionTs: string): Json {
  const { element, blockId, actionId } = found;
  const type = String(element['type'] ?? 'button');
  const base: Json = { action_id: actionId, block_id: blockId, type, action_ts: actionTs };
  if (type === 'button') {
    return {
      ...base,
      text: element['text'],
      ...(element['value'] !== undefined ? { value: element['value'] } : {}),
      ...(element['style'] !== undefined ? { style: element['style'] } : {}),
    };
  }
  if (type === 'overflow') return { ...base, selected_option: pick(element, all(entered))[0] ?? null };
  const { type: _type, ...state } = stateValue(element, entered) ?? {};
  return { ...base, ...state, ...(element['placeholder'] ? { placeholder: element['placeholder'] } : {}) };
}
