/**
 * Block Kit blocks as DOM nodes for the sandbox page: section (text, fields, accessory), header, context,
 * divider, image, actions, rich_text, and the input blocks of modals (elements in block-elements.js).
 *
 * `ctx` gives names and behaviour: person(id), channel(id), openChannel(id), href(url) (a link inside the
 * sandbox stays inside), people, channels, onAction(blockId, actionId, entered) for interactive elements, and
 * headingLevel, the aria-level of header blocks (default 2, under the channel's h1).
 */
import { element } from './block-elements.js';
import { h, uid } from './dom.js';
import { mrkdwn, plainOf, textObject } from './text.js';

const blockIdOf = (block, i) => (typeof block.block_id === 'string' ? block.block_id : `b${i}`);
const actionIdOf = (el, i) => (typeof el.action_id === 'string' ? el.action_id : `a${i}`);

function richText(el, ctx) {
  const inline = (items) =>
    (items ?? []).map((e) => {
      if (e.type === 'text') {
        let node = document.createTextNode(e.text ?? '');
        if (e.style?.code) node = h('code', {}, node);
        if (e.style?.bold) node = h('strong', {}, node);
        if (e.style?.italic) node = h('em', {}, node);
        if (e.style?.strike) node = h('del', {}, node);
        return node;
      }
      if (e.type === 'link')
        return h(
          'a',
          { href: ctx.href(e.url) ?? undefined, target: '_blank', rel: 'noopener noreferrer' },
          e.text ?? e.url,
        );
      if (e.type === 'user') return mrkdwn(`<@${e.user_id}>`, ctx);
      if (e.type === 'channel') return mrkdwn(`<#${e.channel_id}>`, ctx);
      if (e.type === 'emoji') return mrkdwn(`:${e.name}:`, ctx);
      return document.createTextNode(e.text ?? '');
    });
  return (el.elements ?? []).map((part) => {
    if (part.type === 'rich_text_list')
      return h(
        part.style === 'ordered' ? 'ol' : 'ul',
        {},
        (part.elements ?? []).map((item) => h('li', {}, inline(item.elements))),
      );
    if (part.type === 'rich_text_preformatted') return h('pre', {}, inline(part.elements));
    if (part.type === 'rich_text_quote') return h('blockquote', {}, inline(part.elements));
    return h('div', {}, inline(part.elements));
  });
}

/** One block. */

function block(b, i, ctx, opts) {
  const blockId = blockIdOf(b, i);
  switch (b.type) {
    case 'header':
      // one level under the heading of the region the blocks are shown in (the channel's h1, a thread's or modal's h2)
      return h(
        'div',
        { class: 'bk-header', role: 'heading', 'aria-level': ctx.headingLevel ?? 2 },
        textObject(b.text, ctx),
      );
    case 'divider':
      return h('hr', { class: 'bk-divider' });
    case 'context':
      return h(
        'div',
        { class: 'bk-context' },
        (b.elements ?? []).map((e) =>
          e.type === 'image'
            ? h('img', { src: e.image_url, alt: e.alt_text ?? '', class: 'bk-context-image' })
            : h('span', {}, textObject(e, ctx)),
        ),
      );
    case 'image':
      return h(
        'figure',
        { class: 'bk-image' },
        h('img', { src: b.image_url, alt: b.alt_text ?? '' }),
        b.title ? h('figcaption', {}, textObject(b.title, ctx)) : null,
      );
    case 'rich_text':
      return h('div', { class: 'bk-rich' }, richText(b, ctx));
    case 'actions':
      return h(
        'div',
        { class: 'bk-actions', role: 'group', 'aria-label': 'Actions' },
        (b.elements ?? []).map((e, j) => element(e, { blockId, actionId: actionIdOf(e, j) }, ctx, opts)),
      );
    case 'section': {
      const body = h(
        'div',
        { class: 'bk-section-body' },
        b.text ? h('div', { class: 'bk-text' }, textObject(b.text, ctx)) : null,
        Array.isArray(b.fields)
          ? h(
              'div',
              { class: 'bk-fields' },
              b.fields.map((f) => h('div', { class: 'bk-field' }, textObject(f, ctx))),
            )
          : null,
      );
      const accessory = b.accessory
        ? h(
            'div',
            { class: 'bk-accessory' },
            element(b.accessory, { blockId, actionId: actionIdOf(b.accessory, 0) }, ctx, opts),
          )
        : null;
      return h('div', { class: 'bk-section' }, body, accessory);
    }
    case 'input': {
      const el = b.element ?? {};
      const id = uid('input');
      const labelId = `${id}-label`;
      const hintId = b.hint ? `${id}-hint` : null;
      const errorId = `${id}-error`;
      const grouped =
        el.type === 'checkboxes' || el.type === 'radio_buttons' || (el.type ?? '').startsWith('multi_');
      const label = h(
        grouped ? 'div' : 'label',
        { class: 'bk-label', id: labelId, ...(grouped ? {} : { for: id }) },
        plainOf(b.label),
        b.optional ? h('span', { class: 'bk-optional' }, ' (optional)') : null,
      );
      const control = element(el, { blockId, actionId: actionIdOf(el, 0) }, ctx, {
        ...opts,
        input: true,
        id,
        labelId,
        describedBy: [hintId, errorId].filter(Boolean).join(' '),
      });
      return h(
        'div',
        { class: 'bk-input', 'data-block': blockId },
        label,
        control,
        b.hint ? h('p', { class: 'bk-hint', id: hintId }, textObject(b.hint, ctx)) : null,
        h('p', { class: 'bk-error', id: errorId, hidden: true }),
      );
    }
    default:
      return b.text ? h('div', { class: 'bk-text' }, textObject(b.text, ctx)) : null;
  }
}

/** A list of blocks; `opts.key` prefixes focus keys so focus survives a re-render. */
export function renderBlocks(blocks, ctx, opts = { key: 'blocks' }) {
  return h(
    'div',
    { class: 'bk' },
    (blocks ?? []).map((b, i) => block(b, i, ctx, opts)),
  );
}

/** Shows field errors (by block id) under their inputs; returns the first invalid control. */
