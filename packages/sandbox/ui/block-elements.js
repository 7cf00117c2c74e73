/**
 * Block Kit's interactive elements as form controls: buttons, text inputs, selects (static, people, channels),
 * multi-selects, checkboxes and radio buttons (as labelled groups), date pickers; and reading back what a
 * person entered, by block id and action id, with the field errors of a refused modal shown under each field.
 */
import { h, uid } from './dom.js';
import { plainOf, textObject } from './text.js';

function optionsOf(el) {
  const groups = Array.isArray(el.option_groups) ? el.option_groups.flatMap((g) => g.options ?? []) : [];
  return [...(el.options ?? []), ...groups];
}

function initialValues(el) {
  if (el.initial_option) return [el.initial_option.value];
  if (Array.isArray(el.initial_options)) return el.initial_options.map((o) => o.value);
  for (const key of ['initial_user', 'initial_conversation', 'initial_channel'])
    if (el[key]) return [el[key]];
  for (const key of ['initial_users', 'initial_conversations', 'initial_channels'])
    if (Array.isArray(el[key])) return el[key];
  return [];
}

/** The choices of a select-like element: its options, or the workspace's people or channels. */
function choicesOf(el, ctx) {
  const type = el.type ?? '';
  if (type.includes('users_select'))
    return ctx.people
      .filter((p) => !p.isBot)
      .concat(ctx.people.filter((p) => p.isBot))
      .map((p) => ({
        value: p.id,
        label: p.isBot ? `${p.displayName} (app)` : `${p.displayName} (${p.realName})`,
      }));
  if (type.includes('conversations_select') || type.includes('channels_select'))
    return ctx.channels.map((c) => ({ value: c.id, label: `#${c.name}` }));
  return optionsOf(el).map((o) => ({ value: o.value, label: plainOf(o.text) }));
}

/** One interactive element. `input` marks it as a modal input (its value is read at submission). */
export function element(el, ids, ctx, opts) {
  const type = el.type ?? '';
  const data = {
    'data-block-id': ids.blockId,
    'data-action-id': ids.actionId,
    'data-focus-key': `${opts.key}:${ids.blockId}:${ids.actionId}`,
  };
  const act = (entered) => ctx.onAction?.(ids.blockId, ids.actionId, entered);
  const labelled = opts.labelId
    ? { 'aria-labelledby': opts.labelId }
    : { 'aria-label': plainOf(el.placeholder) || plainOf(el.text) || type.replace(/_/g, ' ') };
  const described = opts.describedBy ? { 'aria-describedby': opts.describedBy } : {};
  if (type === 'button') {
    return h(
      'button',
      {
        type: 'button',
        class: `bk-button ${el.style ?? ''}`,
        ...data,
        onclick: () => {
          if (/^https?:/i.test(el.url ?? '')) window.open(el.url, '_blank', 'noopener');
          act(null);
        },
      },
      textObject(el.text, ctx),
    );
  }
  if (
    type === 'plain_text_input' ||
    type === 'email_text_input' ||
    type === 'url_text_input' ||
    type === 'number_input'
  ) {
    const common = {
      id: opts.id,
      ...data,
      'data-input': 'text',
      placeholder: plainOf(el.placeholder) || undefined,
      ...described,
      ...(opts.labelId ? {} : labelled),
    };
    const initial = el.initial_value ?? '';
    if (el.multiline) {
      const area = h('textarea', { ...common, rows: 4 });
      area.value = initial;
      return area;
    }
    const inputType =
      { email_text_input: 'email', url_text_input: 'url', number_input: 'number' }[type] ?? 'text';
    const input = h('input', { ...common, type: inputType, autocomplete: 'off' });
    input.value = initial;
    return input;
  }
  if (type === 'datepicker') {
    const input = h('input', {
      id: opts.id,
      type: 'date',
      ...data,
      'data-input': 'text',
      ...described,
      ...(opts.labelId ? {} : labelled),
    });
    input.value = el.initial_date ?? '';
    if (!opts.input) input.addEventListener('change', () => act(input.value || null));
    return input;
  }
  if (type === 'checkboxes' || type === 'radio_buttons' || type.startsWith('multi_')) {
    const multi = type !== 'radio_buttons';
    const chosen = new Set(initialValues(el));
    const name = uid('choice');
    const box = h(
      'div',
      {
        class: 'bk-choices',
        role: multi ? 'group' : 'radiogroup',
        ...data,
        'data-input': 'choices',
        ...labelled,
        ...described,
        tabindex: -1,
        id: opts.id,
      },
      choicesOf(el, ctx).map((c) =>
        h(
          'label',
          { class: 'bk-choice' },
          h('input', {
            type: multi ? 'checkbox' : 'radio',
            name,
            value: c.value,
            checked: chosen.has(c.value),
            onchange: () => {
              if (!opts.input) act(readChoice(box, multi));
            },
          }),
          h('span', {}, c.label),
        ),
      ),
    );
    box.dataset.multi = multi ? 'yes' : 'no';
    return box;
  }
  if (type.endsWith('select') || type === 'overflow') {
    const chosen = initialValues(el)[0] ?? '';
    const placeholder = type === 'overflow' ? 'More actions…' : plainOf(el.placeholder) || 'Choose…';
    const select = h(
      'select',
      { id: opts.id, ...data, 'data-input': 'select', ...described, ...(opts.labelId ? {} : labelled) },
      h('option', { value: '', selected: chosen === '' }, placeholder),
      choicesOf(el, ctx).map((c) => h('option', { value: c.value, selected: c.value === chosen }, c.label)),
    );
    if (!opts.input) select.addEventListener('change', () => select.value && act(select.value));
    return select;
  }
  if (type === 'image')
    return h('img', { class: 'bk-image-small', src: el.image_url, alt: el.alt_text ?? '' });
  return h('span', { class: 'bk-unknown' }, `[${type || 'element'}]`);
}

function readChoice(box, multi) {
  const checked = [...box.querySelectorAll('input:checked')].map((i) => i.value);
  return multi ? checked : (checked[0] ?? null);
}

/** What was entered in the inputs of `container`, by block id then action id. */
export function readValues(container) {
  const values = {};
  for (const el of container.querySelectorAll('[data-input]')) {
    const { blockId, actionId } = el.dataset;
    let value;
    if (el.dataset.input === 'choices') value = readChoice(el, el.dataset.multi === 'yes');
    else value = el.value === '' ? null : el.value;
    values[blockId] = { ...values[blockId], [actionId]: value };
  }
  return values;
}

export function showErrors(container, errors) {
  let first = null;
  for (const wrap of container.querySelectorAll('.bk-input')) {
    const message = errors?.[wrap.dataset.block];
    const out = wrap.querySelector('.bk-error');
    const control = wrap.querySelector('[data-input]');
    out.hidden = !message;
    out.textContent = message ? `⚠️ ${message}` : '';
    if (control) {
      if (message) control.setAttribute('aria-invalid', 'true');
      else control.removeAttribute('aria-invalid');
    }
    if (message && !first) first = control;
  }
  return first;
}
