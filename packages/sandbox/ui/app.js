/**
 * The sandbox page: a small Slack client for the local workspace. It shows the state the server gives for the
 * person chosen in "Acting as", refreshes it when the server's event stream says something changed, and
 * sends what the person does to POST /sandbox/act, which the server turns into Slack's requests to the app.
 */
import { commandHints, renderHeader, renderPeople, renderSidebar } from './frame.js';
import { channelItems, messageElement, syncList } from './messages.js';
import { drawsColourEmoji, emojiGlyph } from './emoji-glyph.js';
import { renderIssues } from './issues.js';
import { attachMentions } from './mention-list.js';
import { createModal } from './modal.js';
import { renderBlocks } from './blocks.js';

const $ = (id) => document.getElementById(id);
const USER_KEY = 'muster-sandbox-user';

const page = {
  user: null,
  channel: null,
  thread: null,
  highlight: null,
  /** the issue whose page was opened (`acme/storefront#1`), marked in the issue list */
  issue: null,
  /** the app's Home tab is open instead of a channel */
  home: false,
  data: null,
  loading: null,
  again: false,
  seen: {},
};

/**
 * Where the address bar points: `?as=bob&channel=C…`, a permalink `/archives/C…/p1700000000000100`, or an
 * issue of the sandbox's GitHub `/sandbox/issues/acme/storefront/issues/1` (shown in the list, in the channel
 * open before).
 */
function readLocation() {
  const url = new URL(window.location.href);
  const archive = /^\/archives\/([A-Z0-9]+)(?:\/p(\d{10})(\d{6}))?/.exec(url.pathname);
  const issue = /^\/sandbox\/issues\/([^/]+)\/([^/]+)\/issues\/(\d+)$/.exec(url.pathname);
  const as = url.searchParams.get('as');
  if (as) page.user = as;
  page.issue = issue ? `${decodeURIComponent(issue[1])}/${decodeURIComponent(issue[2])}#${issue[3]}` : null;
  if (issue) return;
  page.home = !archive && url.searchParams.has('home');
  page.channel = archive ? archive[1] : url.searchParams.get('channel');
  page.highlight = archive?.[2] ? `${archive[2]}.${archive[3]}` : null;
  const thread = url.searchParams.get('thread_ts');
  page.thread = thread && archive ? thread : page.thread;
}

function writeLocation() {
  const url = new URL('/', window.location.href);
  if (page.channel) url.searchParams.set('channel', page.channel);
  if (page.home) url.searchParams.set('home', '1');
  window.history.replaceState(null, '', url);
}

const dismissedKey = () => `muster-sandbox-dismissed:${page.user}`;
const dismissed = () => new Set(JSON.parse(sessionStorage.getItem(dismissedKey()) ?? '[]'));

async function act(body) {
  const response = await fetch('/sandbox/act', {
    method: 'POST',
    // the sandbox takes an act only with this header, which another site's form cannot send
    headers: { 'content-type': 'application/json', 'x-muster-sandbox': '1' },
    body: JSON.stringify({ user: page.user, ...body }),
  });
  const result = await response.json().catch(() => ({ ok: false, error: `http_${response.status}` }));
  void refresh();
  return result;
}

/** Closes or reopens an issue of the sandbox's GitHub, as the person chosen; the route's answer. */
async function actOnIssue(issue, act) {
  const response = await fetch('/sandbox/issue', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-muster-sandbox': '1' },
    body: JSON.stringify({ act, user: page.user, repo: issue.repo, number: issue.number }),
  });
  const result = await response.json().catch(() => ({ ok: false, error: `http_${response.status}` }));
  void refresh();
  return result;
}

/** What a Slack error code means to the person in the page. */
function explain(error, channelName) {
  if (error === 'not_in_channel') return `You are not a member of #${channelName}: join it to post here.`;
  if (error === 'no_text') return 'Type a message or a command first.';
  if (error === 'already_reacted') return 'You already reacted with that.';
  if (error === 'invalid_command') return 'Only /incident is installed in this sandbox.';
  if (error?.startsWith('http_') || error === 'dispatch_failed')
    return `Muster did not answer (${error}). Is it still running?`;
  return `That did not work (${error}).`;
}

function person(id) {
  return page.data?.people.find((p) => p.id === id) ?? null;
}

/** The context the renderers use: names, links that stay in the page, and the acts. */
function context() {
  const base = page.data?.baseUrl ?? '';
  return {
    botUserId: page.data?.botUserId,
    people: page.data?.people ?? [],
    channels: page.data?.channels ?? [],
    namesVersion: page.data?.people.map((p) => p.displayName).join(),
    person,
    channel: (id) => page.data?.channels.find((c) => c.id === id) ?? null,
    openChannel: (id) => openChannel(id),
    // links into the sandbox stay in the page; elsewhere only web and mail links (null: show as text)
    href: (url) => {
      if (base && url.startsWith(base)) return url.slice(base.length) || '/';
      return /^(https?:|mailto:)/i.test(url) ? url : null;
    },
    follow: (e, href) => {
      e.preventDefault();
      window.history.pushState(null, '', href);
      readLocation();
      void refresh();
    },
    react: (ts, reaction, on) => act({ act: 'react', channel: page.channel, ts, reaction, on }).then(report),
    press: (ts, blockId, actionId, entered) =>
      act({ act: 'press', channel: page.channel, ts, blockId, actionId, entered }).then(report),
    openThread: (ts) => {
      page.thread = ts;
      void refresh().then(() => $('thread-input').focus());
    },
    dismiss: (ts) => {
      const set = dismissed();
      set.add(ts);
      sessionStorage.setItem(dismissedKey(), JSON.stringify([...set]));
      render();
      $('composer-input').focus();
    },
  };
}

function report(result) {
  $('composer-error').textContent = result.ok ? '' : explain(result.error, page.data?.channel?.name ?? '');
  return result;
}

const modal = createModal($('modal'), {
  submit: (viewId, values) => act({ act: 'submit', viewId, values }),
  close: (viewId, values) => act({ act: 'close', viewId, values }),
  press: (viewId, blockId, actionId, entered, values) =>
    act({ act: 'press', viewId, blockId, actionId, entered, values }),
});

/** Opens the app's Home tab: Slack tells the app (app_home_opened), which publishes the view shown. */
function openHome() {
  page.home = true;
  page.thread = null;
  writeLocation();
  void act({ act: 'home' })
    .then(report)
    .then(() => refresh())
    .then(() => ($('home').querySelector('button') ?? $('home-link')).focus());
}

/** The Home tab in place of the channel, its buttons pressed as the view's (a `view` container). */
function renderHome(data, ctx) {
  const main = document.querySelector('main.channel');
  main.classList.toggle('showing-home', page.home);
  const box = $('home');
  box.hidden = !page.home;
  $('home-link').classList.toggle('current', page.home);
  $('home-link').setAttribute('aria-current', page.home ? 'page' : 'false');
  if (!page.home) return;
  for (const current of document.querySelectorAll('.sidebar [aria-current="page"]:not(#home-link)')) {
    current.setAttribute('aria-current', 'false');
    current.classList.remove('current');
  }
  $('channel-name').textContent = 'Muster · Home';
  const home = data.home;
  const sig = home ? `${home.id}:${home.hash}:${ctx.namesVersion}` : 'none';
  if (box.dataset.sig === sig) return;
  box.dataset.sig = sig;
  if (!home) {
    box.replaceChildren('Muster has not published a Home for you yet.');
    return;
  }
  const homeCtx = {
    ...ctx,
    // header blocks sit under the page's h1
    headingLevel: 2,
    onAction: (blockId, actionId, entered) =>
      act({ act: 'press', viewId: home.id, blockId, actionId, entered }).then(report),
  };
  box.replaceChildren(renderBlocks(home.blocks, homeCtx, { key: home.id }));
}

function openChannel(id) {
  page.home = false;
  page.channel = id;
  page.thread = null;
  page.highlight = null;
  writeLocation();
  void refresh().then(() => {
    scrollToEnd($('messages'));
    $('composer-input').focus();
  });
}

const nearEnd = (el) => el.scrollHeight - el.scrollTop - el.clientHeight < 120;
const scrollToEnd = (el) => {
  el.scrollTop = el.scrollHeight;
};

/**
 * The pinned messages, in a panel above the conversation that is collapsed until opened (as Slack keeps pins
 * behind the channel header): open, it would show the headline a second time in a short channel and take the
 * conversation's room on a laptop screen.
 */
function renderPins(data, ctx) {
  const pinned = data.messages.filter((m) => m.pinned);
  const box = $('pins');
  box.hidden = pinned.length === 0;
  const count = `Pinned (${pinned.length})`;
  if ($('pins-count').dataset.count !== count) {
    $('pins-count').dataset.count = count;
    $('pins-count').replaceChildren(emojiGlyph('pushpin', '📌', { decorative: true }), ` ${count}`);
  }
  syncList(
    $('pins-list'),
    pinned.map((m) => ({
      key: `pin:${m.ts}`,
      sig: JSON.stringify([m, ctx.namesVersion]),
      build: () => messageElement(m, ctx, { inThread: true }),
    })),
  );
}

function renderThread(data, ctx) {
  const pane = $('thread');
  pane.hidden = !data.thread;
  if (!data.thread) return;
  const hidden = dismissed();
  const ephemerals = data.ephemerals.filter((e) => e.threadTs === data.thread.parent.ts && !hidden.has(e.ts));
  const list = $('thread-messages');
  const stick = nearEnd(list);
  // header blocks in the thread sit under its "Thread" h2
  const threadCtx = { ...ctx, headingLevel: 3 };
  syncList(
    list,
    channelItems([data.thread.parent, ...data.thread.replies], ephemerals, threadCtx, { inThread: true }),
  );
  if (stick) scrollToEnd(list);
}

function render() {
  const data = page.data;
  if (!data) return;
  const ctx = context();
  const focused = document.activeElement?.dataset?.focusKey;
  renderPeople(data.people, page.user);
  // what exists when the page opens counts as read; anything newer is shown as unread
  page.seen[page.user] ??= Object.fromEntries(data.channels.map((c) => [c.id, c.latest]));
  renderSidebar(data, page.seen[page.user], openChannel);
  renderIssues(data, { highlight: page.issue, act: actOnIssue, openChannel });
  renderHeader(data, ctx);
  renderPins(data, ctx);
  const list = $('messages');
  const stick = nearEnd(list);
  const hidden = dismissed();
  const ephemerals = data.ephemerals.filter((e) => !e.threadTs && !hidden.has(e.ts));
  syncList(list, channelItems(data.messages, ephemerals, ctx, { highlight: page.highlight }));
  renderThread(data, ctx);
  if (page.highlight) {
    list.querySelector(`[data-ts="${page.highlight}"]`)?.scrollIntoView({ block: 'center' });
  } else if (stick) scrollToEnd(list);
  renderHome(data, ctx);
  modal.sync(data.modal, ctx);
  // a re-rendered message keeps the focus it had (a reaction button pressed, say)
  if (focused && (document.activeElement === document.body || !document.activeElement?.isConnected)) {
    document.querySelector(`[data-focus-key="${CSS.escape(focused)}"]`)?.focus();
  }
}

/** Fetches the state for the current person and channel; calls made meanwhile fetch once more after. */
async function refresh() {
  if (page.loading) {
    page.again = true;
    return page.loading;
  }
  page.loading = (async () => {
    do {
      page.again = false;
      const asked = { user: page.user, channel: page.channel, thread: page.thread };
      const q = new URLSearchParams({ user: page.user ?? '' });
      if (page.channel) q.set('channel', page.channel);
      if (page.thread) q.set('thread', page.thread);
      try {
        const response = await fetch(`/sandbox/state?${q}`, { cache: 'no-store' });
        const data = await response.json();
        // A channel, thread or person chosen while this answer was on its way wins: the answer is for what
        // was shown before, and applying it would take the view back there. Ask again for the new choice.
        if (page.user !== asked.user || page.channel !== asked.channel || page.thread !== asked.thread) {
          page.again = true;
          continue;
        }
        page.data = data;
        page.channel = page.data.channel?.id ?? null;
        page.user = page.data.me;
        if (page.thread && !page.data.thread) page.thread = null;
        $('offline').hidden = true;
        render();
      } catch {
        $('offline').hidden = false;
      }
    } while (page.again);
  })();
  try {
    await page.loading;
  } finally {
    page.loading = null;
  }
}

async function send(input, threadTs) {
  const text = input.value;
  if (!text.trim()) return;
  input.disabled = true;
  try {
    const result = await act({ act: 'type', channel: page.channel, text, ...(threadTs ? { threadTs } : {}) });
    if (result.ok) {
      input.value = '';
      commandHints('', page.data?.commands);
      scrollToEnd($('messages'));
    }
    report(result);
  } finally {
    input.disabled = false;
    input.focus();
  }
}

function composer(input, form, threadTs) {
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && input.id === 'thread-input') $('thread-close').click();
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      void send(input, threadTs());
    }
    if (e.key === 'Tab' && !e.shiftKey && input === $('composer-input')) {
      const [first] = commandHints(input.value, page.data?.commands);
      const parts = input.value.trim().split(/\s+/);
      if (first && parts.length <= 2 && `/incident ${first.kind}` !== input.value.trim()) {
        e.preventDefault();
        input.value = `/incident ${first.kind} `;
        commandHints(input.value, page.data?.commands);
      }
    }
  });
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    void send(input, threadTs());
  });
}

function start() {
  // a machine without a colour emoji font shows each emoji's :name: (emoji-glyph.js)
  if (!drawsColourEmoji()) document.documentElement.classList.add('no-colour-emoji');
  readLocation();
  page.user = page.user ?? localStorage.getItem(USER_KEY) ?? 'U0ALICE';
  // @name completion first: a key it uses (Enter, Tab, Escape, Up, Down) does not send or close
  const mentions = {
    people: () => page.data?.people ?? [],
    announce: (text) => $('announcer').replaceChildren(text),
  };
  attachMentions($('composer-input'), mentions);
  attachMentions($('thread-input'), mentions);
  composer($('composer-input'), $('composer'), () => undefined);
  composer($('thread-input'), $('thread-composer'), () => page.thread);
  $('composer-input').addEventListener('input', (e) => commandHints(e.target.value, page.data?.commands));
  $('thread-close').addEventListener('click', () => {
    const ts = page.thread;
    page.thread = null;
    void refresh().then(() => document.querySelector(`#messages [data-focus-key="${ts}:thread"]`)?.focus());
  });
  $('home-link').addEventListener('click', (e) => {
    e.preventDefault();
    openHome();
  });
  $('join').addEventListener('click', () =>
    act({ act: 'join', channel: page.channel })
      .then(report)
      .then(() => $('composer-input').focus()),
  );
  $('as').addEventListener('change', (e) => {
    const name = (page.data?.people ?? []).find((p) => p.id === e.target.value)?.name;
    page.user = e.target.value;
    localStorage.setItem(USER_KEY, page.user);
    const url = new URL(window.location.href);
    if (name) url.searchParams.set('as', name);
    window.history.replaceState(null, '', url);
    page.thread = null;
    void refresh().then(() =>
      $('announcer').replaceChildren(`You are now ${person(page.user)?.realName ?? page.user}.`),
    );
  });
  window.addEventListener('popstate', () => {
    readLocation();
    void refresh();
  });
  const events = new EventSource('/sandbox/events');
  events.onmessage = () => void refresh();
  events.onerror = () => {
    $('offline').hidden = false;
  };
  void refresh().then(() => {
    scrollToEnd($('messages'));
    // a page opened on ?home=1 opens the Home tab, as a click on it does
    if (page.home) openHome();
  });
}

start();
