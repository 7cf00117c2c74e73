/**
 * `@name` completion in a message box, the pure part: the `@word` being typed at the caret, the people it may
 * name, and the text once one is chosen. The sandbox turns a typed `@bob` into Bob's mention when it sends the
 * message (typed-text.ts), so completion writes the user name: `@bob `. No DOM, so Node tests import it too.
 */

/** What may follow `@` in a name; the same as typed-text.ts reads when it turns `@name` into a mention. */
const NAME = '[A-Za-z0-9._-]*';
const MENTION_BEFORE_CARET = new RegExp(`(^|[\\s(])@(${NAME})$`);

/** The `@word` ending at `caret` in `text`, as { start (of the `@`), query }, or null when none is typed. */
export function mentionAt(text, caret) {
  const match = MENTION_BEFORE_CARET.exec(text.slice(0, caret));
  if (!match) return null;
  return { start: caret - match[2].length - 1, query: match[2] };
}

/** The names a person is found by: user name, display name and each word of the full name. */
const namesOf = (p) =>
  [p.name, p.displayName, ...String(p.realName ?? '').split(/\s+/)]
    .filter(Boolean)
    .map((n) => n.toLowerCase());

/**
 * People whose user name, display name or a word of whose full name starts with `query` (any case): people
 * before apps, an exact user name first, then by display name; at most `limit`.
 */
export function mentionMatches(people, query, limit = 8) {
  const q = query.toLowerCase();
  const rank = (p) => (p.name.toLowerCase() === q ? 0 : p.isBot ? 2 : 1);
  return people
    .filter((p) => namesOf(p).some((n) => n.startsWith(q)))
    .sort((a, b) => rank(a) - rank(b) || a.displayName.localeCompare(b.displayName))
    .slice(0, limit);
}

/** `text` with the `@word` at `at` (from mentionAt) replaced by `@name ` of `person`; returns it and the caret. */
export function insertMention(text, caret, at, person) {
  const after = text.slice(caret);
  const spaced = /^\s/.test(after) ? '' : ' ';
  const mention = `@${person.name}${spaced}`;
  return {
    text: `${text.slice(0, at.start)}${mention}${after}`,
    caret: at.start + mention.length + (spaced ? 0 : 1),
  };
}
