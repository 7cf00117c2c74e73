/**
 * Messages as the sandbox page shows them: author, time, text or blocks, files, reactions (toggle with a
 * click), the thread summary, ephemeral notes ("Only visible to you"), and the hover/focus toolbar to react
 * (📌 adds the message to the incident timeline) or reply in a thread. Lists update in place, keyed by ts,
 * so a screen reader hears only what is new and focus stays where it was.
 */
import { renderBlocks } from './blocks.js';
import { h } from './dom.js';
import { EMOJI } from './emoji.js';
import { emojiGlyph } from './emoji-glyph.js';
import { counted } from './plural.js';
import { mrkdwn, textObject } from './text.js';

/** Reactions offered on every message; pushpin first, since it puts the message on the timeline. */
const QUICK_REACTIONS = ['pushpin', 'eyes', 'white_check_mark', '+1'];

const tsDate = (ts) => new Date(Number(ts) * 1000);
const clock = (ts) =>
  tsDate(ts).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', hour12: false });
const dayKey = (ts) => tsDate(ts).toDateString();

function dayLabel(ts) {
  const d = tsDate(ts);
  const today = new Date();
  const yesterday = new Date(Date.now() - 86_400_000);
  if (d.toDateString() === today.toDateString()) return 'Today';
  if (d.toDateString() === yesterday.toDateString()) return 'Yesterday';
  return d.toLocaleDateString([], { weekday: 'long', month: 'long', day: 'numeric' });
}

function avatar(person) {
  const initial = (person?.displayName ?? '?').slice(0, 1).toUpperCase();
  return h(
    'div',
    {
      class: `avatar${person?.isBot ? ' bot' : ''}`,
      style: `--avatar: #${person?.color ?? '777777'}`,
      'aria-hidden': 'true',
    },
    initial,
  );
}

function fileCard(file) {
  const kb = file.size < 1024 ? `${file.size} B` : `${(file.size / 1024).toFixed(1)} KB`;
  return h(
    'div',
    { class: 'file' },
    h('span', { class: 'file-icon' }, emojiGlyph('page_facing_up', '📄', { decorative: true })),
    h(
      'div',
      { class: 'file-meta' },
      h(
        'a',
        { class: 'file-title', href: file.url, target: '_blank', rel: 'noopener' },
        file.title || file.name,
      ),
      h('span', { class: 'file-sub' }, `${file.prettyType} · ${kb} · ${file.name}`),
    ),
    h(
      'a',
      {
        class: 'file-download',
        href: file.download,
        download: file.name,
        'aria-label': `Download ${file.name}`,
      },
      'Download',
    ),
  );
}

function reactionChips(m, ctx) {
  if (m.reactions.length === 0) return null;
  return h(
    'div',
    { class: 'reactions', role: 'group', 'aria-label': 'Reactions' },
    m.reactions.map((r) => {
      const names = r.users.map((u) => ctx.person(u)?.displayName ?? u).join(', ');
      return h(
        'button',
        {
          type: 'button',
          class: `reaction${r.mine ? ' mine' : ''}`,
          'aria-pressed': r.mine ? 'true' : 'false',
          // the count first: the name holds what the button shows
          'aria-label': `${r.count} ${r.name.replace(/_/g, ' ')} reaction by ${names}${r.mine ? '; press to remove yours' : '; press to add yours'}`,
          title: `${names} reacted with :${r.name}:`,
          'data-focus-key': `${m.ts}:chip:${r.name}`,
          onclick: () => ctx.react(m.ts, r.name, !r.mine),
        },
        EMOJI[r.name]
          ? emojiGlyph(r.name, EMOJI[r.name], { decorative: true })
          : h('span', { 'aria-hidden': 'true' }, `:${r.name}:`),
        ` ${r.count}`,
      );
    }),
  );
}

function toolbar(m, ctx, inThread) {
  const mine = new Set(m.reactions.filter((r) => r.mine).map((r) => r.name));
  return h(
    'div',
    { class: 'msg-tools', role: 'group', 'aria-label': 'Message actions' },
    QUICK_REACTIONS.map((name) =>
      h(
        'button',
        {
          type: 'button',
          class: 'tool',
          'aria-label': mine.has(name)
            ? `Remove your ${name.replace(/_/g, ' ')} reaction`
            : `React with ${name.replace(/_/g, ' ')}${name === 'pushpin' ? ' (adds it to the incident timeline)' : ''}`,
          'aria-pressed': mine.has(name) ? 'true' : 'false',
          title: name === 'pushpin' ? 'Pin to the incident timeline (:pushpin:)' : `:${name}:`,
          'data-focus-key': `${m.ts}:tool:${name}`,
          onclick: () => ctx.react(m.ts, name, !mine.has(name)),
        },
        emojiGlyph(name, EMOJI[name], { decorative: true }),
      ),
    ),
    inThread
      ? null
      : h(
          'button',
          {
            type: 'button',
            class: 'tool tool-text',
            'data-focus-key': `${m.ts}:reply`,
            onclick: () => ctx.openThread(m.ts),
          },
          'Reply',
        ),
  );
}

const SYSTEM = new Set([
  'channel_join',
  'channel_leave',
  'channel_topic',
  'channel_purpose',
  'channel_name',
  'tombstone',
]);

/** One message (or ephemeral note) as an element. */
export function messageElement(m, ctx, opts = {}) {
  const person = ctx.person(m.user);
  const name = person?.displayName ?? m.user;
  if (SYSTEM.has(m.subtype)) {
    return h(
      'div',
      { class: 'msg system', 'data-ts': m.ts },
      h('span', { class: 'msg-time' }, clock(m.ts)),
      h(
        'span',
        { class: 'system-text' },
        m.subtype === 'tombstone' ? 'This message was deleted.' : mrkdwn(m.text, ctx),
      ),
    );
  }
  if (opts.ephemeral) {
    return h(
      'article',
      {
        class: 'msg ephemeral',
        'data-ts': m.ts,
        'aria-label': `Only visible to you, from Muster at ${clock(m.ts)}`,
      },
      avatar(ctx.person(ctx.botUserId)),
      h(
        'div',
        { class: 'msg-main' },
        h(
          'div',
          { class: 'msg-head' },
          h('span', { class: 'msg-author' }, 'Muster'),
          h('span', { class: 'badge' }, 'APP'),
          h('time', { class: 'msg-time', datetime: tsDate(m.ts).toISOString() }, clock(m.ts)),
          h(
            'span',
            { class: 'only-you' },
            emojiGlyph('eye', '👁', { decorative: true }),
            ' Only visible to you',
          ),
        ),
        h(
          'div',
          { class: 'msg-body' },
          m.blocks
            ? renderBlocks(
                m.blocks,
                { ...ctx, onAction: (b, a, v) => ctx.press(m.ts, b, a, v) },
                { key: m.ts },
              )
            : mrkdwn(m.text, ctx),
        ),
        h(
          'button',
          {
            type: 'button',
            class: 'link-button',
            'data-focus-key': `${m.ts}:dismiss`,
            onclick: () => ctx.dismiss(m.ts),
          },
          'Dismiss message',
        ),
      ),
    );
  }
  const body = m.blocks
    ? renderBlocks(m.blocks, { ...ctx, onAction: (b, a, v) => ctx.press(m.ts, b, a, v) }, { key: m.ts })
    : m.text
      ? mrkdwn(m.text, ctx)
      : null;
  const attachments = (m.attachments ?? []).map((a) =>
    h(
      'div',
      {
        class: 'attachment',
        style: a.color ? `--bar: ${a.color.startsWith('#') ? a.color : `#${a.color}`}` : '',
      },
      a.pretext ? h('div', {}, mrkdwn(a.pretext, ctx)) : null,
      a.title ? h('strong', {}, a.title) : null,
      a.text ? h('div', {}, mrkdwn(a.text, ctx)) : null,
      Array.isArray(a.fields)
        ? h(
            'div',
            { class: 'bk-fields' },
            a.fields.map((f) =>
              h(
                'div',
                { class: 'bk-field' },
                h('strong', {}, f.title ?? ''),
                h('div', {}, mrkdwn(f.value ?? '', ctx)),
              ),
            ),
          )
        : null,
      a.blocks ? renderBlocks(a.blocks, ctx, { key: `${m.ts}:att` }) : null,
      a.footer
        ? h('div', { class: 'bk-context' }, textObject({ type: 'mrkdwn', text: a.footer }, ctx))
        : null,
    ),
  );
  const replies =
    !opts.inThread && m.replyCount > 0
      ? h(
          'button',
          {
            type: 'button',
            class: 'thread-link',
            'data-focus-key': `${m.ts}:thread`,
            onclick: () => ctx.openThread(m.ts),
          },
          h(
            'span',
            { class: 'reply-faces', 'aria-hidden': 'true' },
            m.replyUsers.slice(0, 3).map((u) => avatar(ctx.person(u))),
          ),
          counted(m.replyCount, 'reply', 'replies'),
          h('span', { class: 'thread-last' }, `Last reply ${clock(m.latestReply)}`),
        )
      : null;
  return h(
    'article',
    {
      class: `msg${m.pinned ? ' pinned' : ''}${opts.highlight ? ' highlight' : ''}`,
      'data-ts': m.ts,
      'aria-label': `${name}${person?.isBot ? ' (app)' : ''} at ${clock(m.ts)}${m.pinned ? ', pinned' : ''}`,
    },
    avatar(person),
    h(
      'div',
      { class: 'msg-main' },
      h(
        'div',
        { class: 'msg-head' },
        h('span', { class: 'msg-author' }, name),
        person?.isBot ? h('span', { class: 'badge' }, 'APP') : null,
        h('time', { class: 'msg-time', datetime: tsDate(m.ts).toISOString() }, clock(m.ts)),
        m.pinned
          ? h('span', { class: 'pinned-mark' }, emojiGlyph('pushpin', '📌', { decorative: true }), ' Pinned')
          : null,
        m.edited ? h('span', { class: 'edited' }, '(edited)') : null,
        m.subtype === 'thread_broadcast' ? h('span', { class: 'edited' }, 'replied to a thread') : null,
      ),
      h('div', { class: 'msg-body' }, body, attachments),
      m.files.length ? h('div', { class: 'files' }, m.files.map(fileCard)) : null,
      reactionChips(m, ctx),
      replies,
    ),
    toolbar(m, ctx, opts.inThread),
  );
}

/** Updates `container` to show `items` ({ key, sig, build }) in order, touching only what changed. */
export function syncList(container, items) {
  const existing = new Map([...container.children].map((el) => [el.dataset.key, el]));
  const keep = new Set();
  let cursor = container.firstElementChild;
  for (const item of items) {
    let el = existing.get(item.key);
    if (!el || el.dataset.sig !== item.sig) {
      const fresh = item.build();
      fresh.dataset.key = item.key;
      fresh.dataset.sig = item.sig;
      if (el) {
        if (cursor === el) cursor = fresh;
        el.replaceWith(fresh);
      }
      el = fresh;
    }
    keep.add(el);
    if (el === cursor) cursor = cursor.nextElementSibling;
    else container.insertBefore(el, cursor);
  }
  for (const child of [...container.children]) if (!keep.has(child)) child.remove();
}

/** The list items of a channel: messages and my ephemeral notes in time order, with day separators. */
export function channelItems(messages, ephemerals, ctx, opts = {}) {
  const all = [
    ...messages.map((m) => ({ ts: m.ts, m, ephemeral: false })),
    ...ephemerals.map((e) => ({ ts: e.ts, m: e, ephemeral: true })),
  ].sort((a, b) => Number(a.ts) - Number(b.ts));
  const items = [];
  let day = null;
  for (const entry of all) {
    if (!opts.inThread && dayKey(entry.ts) !== day) {
      day = dayKey(entry.ts);
      const label = dayLabel(entry.ts);
      items.push({
        key: `day:${day}`,
        sig: label,
        build: () => h('div', { class: 'day', role: 'separator' }, h('span', {}, label)),
      });
    }
    const highlight = entry.ts === opts.highlight;
    items.push({
      key: `${entry.ephemeral ? 'e' : 'm'}:${entry.ts}`,
      sig: JSON.stringify([entry.m, highlight, ctx.namesVersion]),
      build: () =>
        messageElement(entry.m, ctx, { ephemeral: entry.ephemeral, inThread: opts.inThread, highlight }),
    });
  }
  return items;
}
