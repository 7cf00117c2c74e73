/**
 * `@name` completion under a message box, as Slack offers it: typing `@` and the start of a name lists the
 * people it may name; Up and Down choose, Enter or Tab writes `@name `, Escape closes the list, and a click
 * works too. The message box keeps the focus: it points at the chosen option (`aria-activedescendant`) in a
 * `listbox` it controls, with `aria-autocomplete="list"`. A textarea keeps its textbox role (HTML allows it no
 * other, so not `combobox`); the list's state is said in the page's polite announcer.
 */
import { h, uid } from './dom.js';
import { insertMention, mentionAt, mentionMatches } from './mentions.js';

/**
 * Adds completion to `input` (a textarea); `people()` gives the workspace's people, `announce(text)` speaks.
 * Register it before the box's own key handler: a key it uses goes no further.
 */
export function attachMentions(input, { people, announce }) {
  const list = h('ul', {
    id: uid('mentions'),
    class: 'mention-list',
    role: 'listbox',
    'aria-label': 'People to mention',
    hidden: true,
  });
  input.closest('.composer-box').after(list);
  input.setAttribute('aria-autocomplete', 'list');
  input.setAttribute('aria-controls', list.id);
  let state = null; // { at, matches, active } while the list is open

  const close = () => {
    if (!state) return;
    state = null;
    list.hidden = true;
    list.replaceChildren();
    input.removeAttribute('aria-activedescendant');
  };

  const choose = (index) => {
    if (!state) return;
    state.active = (index + state.matches.length) % state.matches.length;
    for (const [i, li] of [...list.children].entries()) {
      li.setAttribute('aria-selected', i === state.active ? 'true' : 'false');
      if (i === state.active) li.scrollIntoView({ block: 'nearest' });
    }
    input.setAttribute('aria-activedescendant', list.children[state.active].id);
  };

  const insert = (person) => {
    const at = mentionAt(input.value, input.selectionStart);
    if (!at) return close();
    const next = insertMention(input.value, input.selectionStart, at, person);
    input.value = next.text;
    input.setSelectionRange(next.caret, next.caret);
    close();
    announce(`Mentioned ${person.displayName}.`);
    input.focus();
  };

  const update = () => {
    const at =
      input.selectionStart === input.selectionEnd ? mentionAt(input.value, input.selectionStart) : null;
    const matches = at ? mentionMatches(people(), at.query) : [];
    if (matches.length === 0) return close();
    const sig = matches.map((p) => p.id).join();
    if (state && list.dataset.sig === sig) {
      state.at = at;
      return;
    }
    const was = state !== null;
    state = { at, matches, active: 0 };
    list.dataset.sig = sig;
    list.replaceChildren(
      ...matches.map((p) =>
        h(
          'li',
          {
            id: uid('mention'),
            role: 'option',
            class: 'mention-option',
            'aria-selected': 'false',
            // the box keeps the focus, and a click still reaches the option
            onmousedown: (e) => e.preventDefault(),
            onclick: () => insert(p),
          },
          h('strong', {}, p.displayName),
          ' ',
          h('span', { class: 'mention-handle' }, `@${p.name}`),
          p.isBot ? h('span', { class: 'badge' }, 'APP') : null,
          p.title || p.realName ? h('span', { class: 'mention-sub' }, p.title || p.realName) : null,
        ),
      ),
    );
    list.hidden = false;
    choose(0);
    if (!was || matches.length !== state.matches.length)
      announce(
        `${matches.length === 1 ? '1 person matches' : `${matches.length} people match`}: Up and Down to choose, Enter to mention.`,
      );
  };

  input.addEventListener('keydown', (e) => {
    if (!state || e.isComposing) return;
    const used = () => {
      e.preventDefault();
      e.stopImmediatePropagation();
    };
    if (e.key === 'ArrowDown') {
      used();
      choose(state.active + 1);
    } else if (e.key === 'ArrowUp') {
      used();
      choose(state.active - 1);
    } else if ((e.key === 'Enter' && !e.shiftKey) || (e.key === 'Tab' && !e.shiftKey)) {
      used();
      insert(state.matches[state.active]);
    } else if (e.key === 'Escape') {
      used();
      close();
    }
  });
  input.addEventListener('input', update);
  input.addEventListener('click', update);
  input.addEventListener('keyup', (e) => {
    if (['ArrowLeft', 'ArrowRight', 'Home', 'End'].includes(e.key)) update();
  });
  input.addEventListener('blur', close);
  return { close };
}
