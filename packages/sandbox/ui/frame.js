/** The frame around the messages: channel list, channel header, the person chooser and command hints. */
import { h } from './dom.js';
import { counted } from './plural.js';

const $ = (id) => document.getElementById(id);

/**
 * The channel list: channels, then incident channels; unread ones (newer than `seen`, which it updates for
 * the channel shown) in bold.
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
          class: `side-channel${current ? ' current' : ''}${unread ? ' unread' : ''}${c.isMember ? '' : ' not-member'}`,
          title: c.topic || c.name,
          'aria-current': current ? 'page' : null,
          onclick: (e) => {
            e.preventDefault();
            openChannel(c.id);
          },
        },
        h('span', { 'aria-hidden': 'true', class: 'hash' }, c.isPrivate ? '🔒' : c.incident ? '🚨' : '#'),
        h('span', { class: 'side-name' }, c.name),
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
        '🔖 ',
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
