/** The frame around the messages: channel list, channel header, the person chooser and command hints. */
import { h } from './dom.js';
import { emojiGlyph } from './emoji-glyph.js';
import { counted } from './plural.js';

const $ = (id) => document.getElementById(id);

/** Severity colours of the sidebar's dots (Muster's :red_circle: and friends). */
const SEVERITY_CLASS = { 'SEV-1': 'sev-1', 'SEV-2': 'sev-2', 'SEV-3': 'sev-3', 'SEV-4': 'sev-4' };

/** The sign before a channel's name: a lock, a dot of the incident's severity colour, a tick once resolved. */
function channelSign(c) {
  if (c.isPrivate) return h('span', { class: 'hash' }, emojiGlyph('lock', '🔒', { decorative: true }));
  if (c.incident && c.status === 'resolved') return h('span', { 'aria-hidden': 'true', class: 'hash' }, '✓');
  if (c.incident)
    return h('span', { 'aria-hidden': 'true', class: `hash sev-dot ${SEVERITY_CLASS[c.severity] ?? ''}` });
  return h('span', { 'aria-hidden': 'true', class: 'hash' }, '#');
}

/**
 * What an incident channel's entry says after its name, in words (part of the link's name): its severity
 * while open, "resolved" once resolved.
 */
function incidentMark(c) {
  if (!c.incident || !c.status) return null;
  const resolved = c.status === 'resolved';
  return [
    h('span', { class: 'visually-hidden' }, ', '),
    h(
      'span',
      { class: `side-mark ${resolved ? 'resolved' : (SEVERITY_CLASS[c.severity] ?? '')}` },
      resolved ? 'resolved' : c.severity,
    ),
  ];
}

/**
 * The channel list: channels, then incident channels, open ones before resolved ones (marked so); unread ones
 * (newer than `seen`, which it updates for the channel shown) in bold.
 */
export function renderSidebar(data, seen, openChannel) {
  if (data.channel)
    seen[data.channel.id] = data.channels.find((c) => c.id === data.channel.id)?.latest ?? null;
  const item = (c) => {
    const current = c.id === data.channel?.id;
    const unread = !current && c.isMember && !!c.latest && Number(c.latest) > Number(seen[c.id] ?? 0);
    return h(
      'li',
      {},
      h(
        'a',
        {
          href: `?channel=${c.id}`,
          class: `side-channel${current ? ' current' : ''}${unread ? ' unread' : ''}${c.isMember ? '' : ' not-member'}${c.status === 'resolved' ? ' resolved' : ''}`,
          title: c.topic || c.name,
          'aria-current': current ? 'page' : null,
          onclick: (e) => {
            e.preventDefault();
            openChannel(c.id);
          },
        },
        channelSign(c),
        h('span', { class: 'side-name' }, c.name),
        incidentMark(c),
        unread ? h('span', { class: 'visually-hidden' }, ' (new messages)') : null,
      ),
    );
  };
  $('channel-list').replaceChildren(...data.channels.filter((c) => !c.incident).map(item));
  const incidents = data.channels.filter((c) => c.incident);
  $('incident-list').replaceChildren(
    ...(incidents.length
      ? incidents.map(item)
      : [h('li', { class: 'side-empty' }, 'None yet. Declare one with /incident declare')]),
  );
  $('team').textContent = data.team;
}

/** The channel's name, topic, members and bookmarks, and what the message box says. */
export function renderHeader(data, ctx) {
  const c = data.channel;
  $('channel-name').textContent = c ? `#${c.name}` : 'No channel';
  $('channel-topic').textContent = c?.topic || c?.purpose || '';
  $('member-count').textContent = c ? counted(c.members.length, 'member', 'members') : '';
  $('member-count').title = c ? c.members.map((id) => ctx.person(id)?.displayName ?? id).join(', ') : '';
  $('bookmarks').replaceChildren(
    ...(c?.bookmarks ?? []).map((b) =>
      h(
        'a',
        {
          class: 'bookmark',
          href: ctx.href(b.link) ?? undefined,
          target: '_blank',
          rel: 'noopener noreferrer',
        },
        emojiGlyph('bookmark', '🔖', { decorative: true }),
        ' ',
        b.title,
      ),
    ),
  );
  $('messages').setAttribute('aria-label', c ? `Messages in #${c.name}` : 'Messages');
  document.title = c ? `#${c.name} · Muster sandbox` : 'Muster sandbox';
  const member = !!c?.isMember;
  $('join-bar').hidden = member || !c;
  $('join-channel-name').textContent = c ? `#${c.name}` : '';
  $('composer-input').placeholder = c ? `Message #${c.name}, or type /incident help` : '';
}

/** The "Acting as" choice of person; redrawn only when it changes, so an open list stays open. */
export function renderPeople(all, me) {
  const select = $('as');
  const people = all.filter((p) => !p.isBot);
  const sig = JSON.stringify([people, me]);
  if (select.dataset.sig === sig) return;
  select.dataset.sig = sig;
  select.replaceChildren(
    ...people.map((p) =>
      h('option', { value: p.id, selected: p.id === me }, `${p.displayName} (${p.title || p.realName})`),
    ),
  );
}

/** The /incident subcommands matching what is typed, listed under the message box; returns them. */
export function commandHints(text, commands) {
  const box = $('command-hints');
  const typed = text.trimStart();
  if (!typed.startsWith('/') || typed.includes('\n') || !commands) {
    box.hidden = true;
    return [];
  }
  const [command = '', kind = ''] = typed.split(/\s+/);
  const matches =
    '/incident'.startsWith(command) && typed.split(/\s+/).length <= 2
      ? commands.filter((c) => c.kind.startsWith(kind))
      : [];
  box.hidden = matches.length === 0;
  box.replaceChildren(
    ...matches.slice(0, 8).map((c) => h('li', {}, h('code', {}, c.usage), ' ', h('span', {}, c.summary))),
  );
  return matches;
}
