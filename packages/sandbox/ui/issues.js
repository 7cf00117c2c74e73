/**
 * The sandbox's GitHub in the sidebar: the issues Muster filed for action items, each with its state, assignee
 * and incident, and a button that closes or reopens it as a person would in GitHub (the sandbox then sends
 * Muster GitHub's webhook, and the action item follows).
 */
import { h } from './dom.js';

const $ = (id) => document.getElementById(id);

/** What the answer of POST /sandbox/issue means to the person in the page. */
function explain(result) {
  if (result.ok) {
    if (result.webhookStatus === null)
      return 'Muster could not be reached; it will see the change at its next check.';
    if (result.webhookStatus >= 300) return `Muster refused GitHub's webhook (HTTP ${result.webhookStatus}).`;
    return '';
  }
  if (result.error === 'already_closed') return 'That issue is closed already.';
  if (result.error === 'already_open') return 'That issue is open already.';
  if (result.error === 'issue_not_found') return 'That issue no longer exists.';
  return `That did not work (${result.error}).`;
}

/**
 * Lists `data.issues` in #issue-list; `highlight` (`acme/storefront#1`) is marked and scrolled to. `act(issue,
 * 'close' | 'reopen')` returns the route's answer; `openChannel(id)` opens the incident's channel.
 */
export function renderIssues(data, { highlight, act, openChannel }) {
  const list = $('issue-list');
  const sig = JSON.stringify([data.issues, highlight]);
  if (list.dataset.sig === sig) return;
  list.dataset.sig = sig;
  const item = (issue) => {
    const closed = issue.state === 'closed';
    const label = closed ? 'Reopen issue' : 'Close issue';
    const button = h(
      'button',
      {
        type: 'button',
        class: 'bk-button issue-button',
        'aria-label': `${label} ${issue.key}`,
        'data-focus-key': `issue:${issue.key}`,
        onclick: async () => {
          button.disabled = true;
          try {
            $('issue-error').textContent = explain(await act(issue, closed ? 'reopen' : 'close'));
          } finally {
            button.disabled = false;
          }
        },
      },
      label,
    );
    const incident = issue.incident
      ? h(
          'a',
          {
            href: issue.incident.channelId ? `?channel=${issue.incident.channelId}` : undefined,
            onclick: (e) => {
              if (!issue.incident.channelId) return;
              e.preventDefault();
              openChannel(issue.incident.channelId);
            },
          },
          issue.incident.ref,
        )
      : null;
    const done =
      issue.actionDone === null ? null : issue.actionDone ? 'action item done' : 'action item open';
    return h(
      'li',
      { class: `issue${issue.key === highlight ? ' highlight' : ''}`, 'data-issue': issue.key },
      h(
        'div',
        { class: 'issue-head' },
        h('span', { class: `issue-state ${closed ? 'closed' : 'open'}` }, closed ? 'Closed' : 'Open'),
        h('span', { class: 'issue-key' }, issue.key),
      ),
      h('div', { class: 'issue-title' }, issue.title),
      h(
        'div',
        { class: 'issue-meta' },
        issue.assignee
          ? `Assigned to ${issue.assignee.name ?? issue.assignee.login} (@${issue.assignee.login})`
          : 'Unassigned',
        incident ? [' · ', incident] : null,
        done ? ` · ${done}` : null,
      ),
      button,
    );
  };
  list.replaceChildren(
    ...(data.issues.length
      ? data.issues.map(item)
      : [h('li', { class: 'side-empty' }, 'None yet. An action item (/incident action …) files one.')]),
  );
  if (highlight)
    list.querySelector(`[data-issue="${CSS.escape(highlight)}"]`)?.scrollIntoView({ block: 'nearest' });
}
