/**
 * Slack's Block Kit limits, checked as Slack checks them: a message or view with one text over its limit is
 * refused whole (`invalid_blocks` for messages, `invalid_arguments` for views), each problem named with a
 * JSON pointer the way Slack words it. The sandbox workspace (and so the tests' fake Slack) refuses what real
 * Slack would, so a builder that outgrows a limit fails in the tests, not in production. Lengths are UTF-16
 * code units, never fewer than the characters Slack counts.
 */

type Json = Record<string, unknown>;

/** Slack's documented limits (Block Kit reference: blocks, block elements, composition objects, views). */
const LIMITS = {
  messageBlocks: 50,
  sectionText: 3000,
  sectionFields: 10,
  sectionField: 2000,
  headerText: 150,
  contextElements: 10,
  actionsElements: 25,
  text: 3000,
  blockId: 255,
  actionId: 255,
  buttonText: 75,
  buttonValue: 2000,
  url: 3000,
  optionText: 75,
  optionValue: 150,
  optionDescription: 75,
  options: 100,
  optionGroups: 100,
  placeholder: 150,
  inputLabel: 2000,
  inputHint: 2000,
  textInputMax: 3000,
  viewButton: 24,
  callbackId: 255,
} as const;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

class Problems {
  readonly list: string[] = [];
  add(message: string, pointer: string): void {
    this.list.push(`${message} [json-pointer:${pointer}]`);
  }
  /** A string of at most `max` units (when present; `required` when it must be). */
  string(value: unknown, max: number, pointer: string, required = false): void {
    if (value === undefined) {
      if (required) this.add('missing required field', pointer);
      return;
    }
    if (typeof value !== 'string') this.add('must be a string', pointer);
    else if (value.length > max) this.add(`must be less than ${max + 1} characters`, pointer);
  }
  /** A text object: plain_text (or mrkdwn when allowed) with 1 to `max` units. */
  text(
    value: unknown,
    max: number,
    pointer: string,
    opts: { plainOnly?: boolean; required?: boolean } = {},
  ): void {
    if (value === undefined) {
      if (opts.required) this.add('missing required field', pointer);
      return;
    }
    if (!isObject(value)) {
      this.add('must provide an object', pointer);
      return;
    }
    const allowed = opts.plainOnly ? ['plain_text'] : ['plain_text', 'mrkdwn'];
    if (!allowed.includes(value['type'] as string))
      this.add(`must be one of [${allowed.join(', ')}]`, `${pointer}/type`);
    if (typeof value['text'] !== 'string' || value['text'].length === 0) {
      this.add('must be more than 0 characters', `${pointer}/text`);
    } else if (value['text'].length > max) {
      this.add(`must be less than ${max + 1} characters`, `${pointer}/text`);
    }
  }
  /** An array of at most `max` items; returns it (or [] when it is not one). */
  array(value: unknown, max: number, pointer: string, required = false): unknown[] {
    if (value === undefined) {
      if (required) this.add('missing required field', pointer);
      return [];
    }
    if (!Array.isArray(value)) {
      this.add('must provide an array', pointer);
      return [];
    }
    if (value.length > max) this.add(`must be at most ${max} items`, pointer);
    return value;
  }
}

function option(p: Problems, o: unknown, at: string): void {
  if (!isObject(o)) {
    p.add('must provide an object', at);
    return;
  }
  p.text(o['text'], LIMITS.optionText, `${at}/text`, { required: true });
  p.string(o['value'], LIMITS.optionValue, `${at}/value`, true);
  p.text(o['description'], LIMITS.optionDescription, `${at}/description`, { plainOnly: true });
}

/** One interactive element (button, selects, inputs, ...). */
function element(p: Problems, e: unknown, at: string): void {
  if (!isObject(e)) {
    p.add('must provide an object', at);
    return;
  }
  if (typeof e['type'] !== 'string') {
    p.add('must provide a type', `${at}/type`);
    return;
  }
  p.string(e['action_id'], LIMITS.actionId, `${at}/action_id`);
  p.text(e['placeholder'], LIMITS.placeholder, `${at}/placeholder`, { plainOnly: true });
  switch (e['type']) {
    case 'button':
      p.text(e['text'], LIMITS.buttonText, `${at}/text`, { plainOnly: true, required: true });
      p.string(e['value'], LIMITS.buttonValue, `${at}/value`);
      p.string(e['url'], LIMITS.url, `${at}/url`);
      break;
    case 'static_select':
    case 'multi_static_select':
    case 'overflow':
    case 'radio_buttons':
    case 'checkboxes': {
      for (const [i, o] of p.array(e['options'], LIMITS.options, `${at}/options`).entries())
        option(p, o, `${at}/options/${i}`);
      for (const [g, group] of p
        .array(e['option_groups'], LIMITS.optionGroups, `${at}/option_groups`)
        .entries()) {
        const gAt = `${at}/option_groups/${g}`;
        if (!isObject(group)) continue;
        p.text(group['label'], LIMITS.optionText, `${gAt}/label`, { plainOnly: true, required: true });
        for (const [i, o] of p.array(group['options'], LIMITS.options, `${gAt}/options`).entries())
          option(p, o, `${gAt}/options/${i}`);
      }
      break;
    }
    case 'plain_text_input': {
      const max = e['max_length'];
      if (max !== undefined && (typeof max !== 'number' || max < 1 || max > LIMITS.textInputMax)) {
        p.add(`must be at most ${LIMITS.textInputMax}`, `${at}/max_length`);
      }
      p.string(
        e['initial_value'],
        typeof max === 'number' ? max : LIMITS.textInputMax,
        `${at}/initial_value`,
      );
      break;
    }
    default:
      break;
  }
}

function block(p: Problems, b: unknown, at: string): void {
  if (!isObject(b) || typeof b['type'] !== 'string') {
    p.add('must provide a type', `${at}/type`);
    return;
  }
  p.string(b['block_id'], LIMITS.blockId, `${at}/block_id`);
  switch (b['type']) {
    case 'section': {
      if (b['text'] === undefined && b['fields'] === undefined) p.add('must provide text or fields', at);
      p.text(b['text'], LIMITS.sectionText, `${at}/text`);
      for (const [i, f] of p.array(b['fields'], LIMITS.sectionFields, `${at}/fields`).entries()) {
        p.text(f, LIMITS.sectionField, `${at}/fields/${i}`, { required: true });
      }
      if (b['accessory'] !== undefined) element(p, b['accessory'], `${at}/accessory`);
      break;
    }
    case 'header':
      p.text(b['text'], LIMITS.headerText, `${at}/text`, { plainOnly: true, required: true });
      break;
    case 'context':
      for (const [i, e] of p.array(b['elements'], LIMITS.contextElements, `${at}/elements`, true).entries()) {
        if (isObject(e) && (e['type'] === 'mrkdwn' || e['type'] === 'plain_text'))
          p.text(e, LIMITS.text, `${at}/elements/${i}`);
      }
      break;
    case 'actions':
      for (const [i, e] of p.array(b['elements'], LIMITS.actionsElements, `${at}/elements`, true).entries()) {
        element(p, e, `${at}/elements/${i}`);
      }
      break;
    case 'input':
      p.text(b['label'], LIMITS.inputLabel, `${at}/label`, { plainOnly: true, required: true });
      p.text(b['hint'], LIMITS.inputHint, `${at}/hint`, { plainOnly: true });
      element(p, b['element'], `${at}/element`);
      break;
    default:
      break;
  }
}

/** The problems Slack would name in a message's blocks; empty when it would take them. */
export function messageBlockProblems(blocks: readonly unknown[]): string[] {
  const p = new Problems();
  if (blocks.length > LIMITS.messageBlocks) p.add(`must be at most ${LIMITS.messageBlocks} items`, '/blocks');
  for (const [i, b] of blocks.entries()) block(p, b, `/blocks/${i}`);
  return p.list;
}

/**
 * The problems Slack would name in a modal or Home tab view, besides its type, title, block count and
 * metadata (which `views.*` checks first): its buttons, callback id and the contents of its blocks.
 */
export function viewContentProblems(view: Record<string, unknown>): string[] {
  const p = new Problems();
  if (view['type'] === 'modal') {
    p.text(view['submit'], LIMITS.viewButton, '/view/submit', { plainOnly: true });
    p.text(view['close'], LIMITS.viewButton, '/view/close', { plainOnly: true });
  }
  p.string(view['callback_id'], LIMITS.callbackId, '/view/callback_id');
  const blocks = Array.isArray(view['blocks']) ? view['blocks'] : [];
  for (const [i, b] of blocks.entries()) block(p, b, `/view/blocks/${i}`);
  return p.list;
}
