/**
 * User text is data. Everything here turns text into markdown that renders as that text and nothing
 * else: no headings, lists, quotes, tables, links, HTML or emphasis the user did not get from us. Only what
 * markdown would read is escaped, with a backslash, so the raw file reads as typed: `pool exhausted -> 500s`
 * stays so, `<b>` becomes `\<b>`, `&copy;` becomes `\&copy;`; never an HTML entity.
 * Output is always one line, so it is safe wherever a template puts it, a table cell included: a line
 * break becomes ` · ` (blank lines and the spaces around a break fold into the one separator). Not `<br>`:
 * renderers and sanitizers that drop HTML ran those lines together, and the draft is edited as plain text.
 *
 * Every function here is linear in the length of its input (pinned messages reach 40,000 characters):
 * each character is looked at a bounded number of times, and no regex here can backtrack over a run.
 */
import { decodeSlackEntities, linkLabel, readSlackToken, SLACK_MARKUP } from './slack-text.js';

/** What a line break in user text becomes: a visible separator, the same with or without HTML. */
export const LINE_BREAK = ' · ';

const ENTITY_LIKE = /&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});/y;
const WORD_CHAR = /[\p{L}\p{N}]/u;
// Called for every emphasis character of every timeline entry: ASCII is decided without a regex.
function isWordAt(s: string, i: number): boolean {
  if (i < 0 || i >= s.length) return false;
  const c = s.charCodeAt(i);
  if (c < 0x80) return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
  return WORD_CHAR.test(s[i]!);
}

/** The next blank and the next `@` at or after a position; both only move forward, so a text is read once. */
interface Ahead {
  blank: number;
  at: number;
}

const isBlankAt = (s: string, i: number): boolean => {
  const c = s.charCodeAt(i);
  return c === 0x20 || c === 0x09 || c === 0x0a;
};

/**
 * Whether a `<` could start raw HTML (`<b>`, `</b>`, `<!--`, `<?`), a URI autolink (`<https:…>`, a letter
 * first) or an email autolink (`<a.b@c.example>`: an `@` before the next blank). `\uE000` is a parked Slack
 * token (a mention or link rendered later), which may begin with a letter.
 */
function opensMarkup(s: string, i: number, ahead: Ahead): boolean {
  const n = s.charCodeAt(i + 1);
  if (Number.isNaN(n) || n === 0x20 || n === 0x09 || n === 0x0a) return false;
  if ((n >= 0x41 && n <= 0x5a) || (n >= 0x61 && n <= 0x7a)) return true;
  if (n === 0x2f || n === 0x21 || n === 0x3f || n === 0xe000) return true;
  if (ahead.blank <= i) {
    ahead.blank = i + 1;
    while (ahead.blank < s.length && !isBlankAt(s, ahead.blank)) ahead.blank++;
  }
  if (ahead.at <= i) {
    const at = s.indexOf('@', i + 1);
    ahead.at = at < 0 ? s.length : at;
  }
  return ahead.at < ahead.blank;
}

/**
 * The characters escapeChars may change: markdown's, `|`, line breaks, tabs and control characters. The regex
 * engine skips the runs in between: a 40,000-character message is escaped about three times faster than by a
 * loop over every character.
 */
const SPECIAL = /[\\`*~[\]$_|<&\u0000-\u001f\u007f]/g;

/** The position of the next match of the one-character, global `re` at or after `from` in `s`, or -1. */
function nextOf(re: RegExp, s: string, from: number): number {
  re.lastIndex = from;
  return re.test(s) ? re.lastIndex - 1 : -1;
}

/** Escapes characters one by one; `cell` also escapes `|`. Line breaks must already be `\n`. */
function escapeChars(s: string, cell: boolean): string {
  let out = '';
  let last = 0;
  const ahead: Ahead = { blank: -1, at: -1 };
  for (let i = nextOf(SPECIAL, s, 0); i >= 0; i = nextOf(SPECIAL, s, i + 1)) {
    const c = s.charCodeAt(i);
    let rep: string | null = null;
    switch (c) {
      case 0x5c: // \ : else a user backslash would cancel one of our escapes
        rep = '\\\\';
        break;
      case 0x60: // `
      case 0x2a: // *
      case 0x7e: // ~
      case 0x5b: // [
      case 0x5d: // ]
      case 0x24: // $ : GitHub renders $...$ as math
        rep = `\\${s[i]}`;
        break;
      case 0x5f: // _ : harmless inside a word (snake_case), emphasis anywhere else
        if (!(isWordAt(s, i - 1) && isWordAt(s, i + 1))) rep = '\\_';
        break;
      case 0x7c: // |
        if (cell) rep = '\\|';
        break;
      case 0x3c: // < : only where it could open HTML or an autolink; `a < b` and `<-` stay as typed
        if (opensMarkup(s, i, ahead)) rep = '\\<';
        break;
      case 0x26: // & : only where it would read as an entity
        ENTITY_LIKE.lastIndex = i;
        if (ENTITY_LIKE.test(s)) rep = '\\&';
        break;
      case 0x0a:
        rep = LINE_BREAK;
        break;
      case 0x09:
        rep = ' ';
        break;
      default: // the other control characters
        rep = '';
    }
    if (rep !== null) {
      out += s.slice(last, i) + rep;
      last = i + 1;
    }
  }
  return last === 0 ? s : out + s.slice(last);
}

/**
 * What can start a block at the beginning of a line, or close an ATX heading at its end: `#`, `>`
 * (a quote), `-`, `+`, `=` (setext underline), `1.`/`1)`. `*` is already escaped everywhere; `>` only
 * matters here, since the output is one line.
 */
function guardLine(s: string): string {
  let out = s;
  const first = out.charCodeAt(0);
  if (first === 0x23 || first === 0x3e || first === 0x2d || first === 0x2b || first === 0x3d)
    out = `\\${out}`;
  else if (first >= 0x30 && first <= 0x39) {
    const m = /^(\d{1,9})([.)])/.exec(out);
    if (m) out = `${m[1]}\\${out.slice(m[1]!.length)}`;
  }
  if (out.endsWith('#')) {
    const tail = /[ \t](#+)$/.exec(out);
    if (tail) out = `${out.slice(0, out.length - tail[1]!.length)}\\${tail[1]}`;
  }
  return out;
}

const PRIVATE_USE = /[\uE000\uE001]/g;

const isBlank = (c: number): boolean => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0b || c === 0x0c;

/** Each run of blanks holding a line break becomes one `\n` (one pass; a regex would rescan long runs of spaces). */
function foldLineBreaks(s: string): string {
  let out = '';
  let last = 0;
  for (let i = 0; i < s.length; i++) {
    if (!isBlank(s.charCodeAt(i))) continue;
    let end = i;
    let breaks = false;
    while (end < s.length && isBlank(s.charCodeAt(end))) {
      if (s.charCodeAt(end) === 0x0a) breaks = true;
      end++;
    }
    if (breaks && end > i + 1) {
      out += `${s.slice(last, i)}\n`;
      last = end;
    }
    i = end - 1;
  }
  return last === 0 ? s : out + s.slice(last);
}

function normalise(text: string): string {
  let s = String(text);
  if (s.includes('\r')) s = s.replace(/\r\n?/g, '\n');
  if (PRIVATE_USE.test(s)) s = s.replace(PRIVATE_USE, '\uFFFD');
  PRIVATE_USE.lastIndex = 0;
  s = s.trim();
  return s.includes('\n') ? foldLineBreaks(s) : s;
}

/** Plain user text as one line of inline markdown (not for table cells: use escapeTableCell). */
export const escapeMarkdown = (text: string): string => guardLine(escapeChars(normalise(text), false));

/** Plain user text for a table cell: as escapeMarkdown, and `|` escaped. */
export const escapeTableCell = (text: string): string => guardLine(escapeChars(normalise(text), true));

const UNSAFE_IN_URL = /[\s"<>\\^`{|}()[\]\u0000-\u001f\u007f]/g;

/** The URL percent-encoded for a markdown link destination, or null unless it is http(s) or mailto. */
export function safeUrl(url: string): string | null {
  const u = url.trim();
  if (!/^(?:https?:\/\/[^\s/]|mailto:)/i.test(u)) return null;
  return u
    .replace(UNSAFE_IN_URL, (c) => {
      const code = c.charCodeAt(0);
      return code < 0x80 ? `%${code.toString(16).toUpperCase().padStart(2, '0')}` : encodeURIComponent(c);
    })
    .replace(/&(?=(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});)/g, '&amp;');
}

/** `[label](url)`, safe in a table cell too; an unsafe URL (javascript:, data:, ...) becomes plain text. */
export function markdownLink(label: string, url: string): string {
  const shown = normalise(label).replace(/\n/g, ' ') || url;
  const dest = safeUrl(url);
  if (dest === null)
    return escapeChars(normalise(shown === url ? url : `${shown} (${url})`).replace(/\n/g, ' '), true);
  return `[${escapeChars(shown, true)}](${dest})`;
}

// Slack `_italic_` is written `_italic_` too: the templates' prompts are `_…_`, so one file uses one style.
const EMPHASIS: Record<string, string> = { '*': '**', _: '_', '~': '~~' };
const isSpaceCode = (c: number): boolean =>
  Number.isNaN(c) ||
  c === 0x20 ||
  c === 0x0a ||
  c === 0x09 ||
  (c > 0x7f && /\s/.test(String.fromCharCode(c)));

/** Where the last search for a mark's closer started, and where it stopped (a closer, a line break or the end). */
interface CloserSearch {
  from: number;
  stop: number;
}

/**
 * The nearest position at or after `q` that closes `mark`, or -1 when a line break or the end comes first.
 * Slack closes a mark before a non-word character, after a non-space, on the same line: whether a mark can
 * close depends on its neighbours alone. Openers are met left to right (an enclosing pair's inside before
 * what follows it), so each search starts where the last one stopped or later, and reuses its stop when
 * `q` has not passed it: every character is read at most once per mark (a scan per opener was quadratic
 * on `*a *a *a …`).
 */
function closerAt(s: string, mark: number, q: number, search: CloserSearch): number {
  if (q < search.from || q > search.stop) {
    let j = q;
    for (; j < s.length; j++) {
      const c = s.charCodeAt(j);
      if (c === 0x0a) break;
      if (
        c === mark &&
        j >= 1 &&
        !isSpaceCode(s.charCodeAt(j - 1)) &&
        s.charCodeAt(j - 1) !== mark &&
        !isWordAt(s, j + 1) &&
        s.charCodeAt(j + 1) !== mark
      )
        break;
    }
    search.from = q;
    search.stop = j;
  }
  return search.stop < s.length && s.charCodeAt(search.stop) === mark ? search.stop : -1;
}

/** Slack's emphasis marks: the regex skips the text between them. */
const MARKS = /[*_~]/g;

/**
 * Slack emphasis to markdown; everything between the markers is escaped, so only our markers act. Works on
 * `s[start, end)`, the inside of an enclosing pair: a mark's closer is the first one after it, so the same
 * mark never nests and the recursion is at most three deep.
 */
function convertEmphasis(s: string, cell: boolean): string {
  const searches: Record<number, CloserSearch> = {};
  const convert = (start: number, end: number): string => {
    let out = '';
    let last = start;
    // an inner call's `end` is its closer, a mark: the search for the next one never passes it
    for (let i = nextOf(MARKS, s, start); i >= 0 && i < end - 1; i = nextOf(MARKS, s, i + 1)) {
      const c = s.charCodeAt(i);
      const next = s.charCodeAt(i + 1);
      if (isWordAt(s, i - 1) || s.charCodeAt(i - 1) === c || isSpaceCode(next) || next === c) continue;
      searches[c] ??= { from: 0, stop: -1 };
      const close = closerAt(s, c, i + 2, searches[c]);
      if (close < 0 || close >= end) continue;
      const md = EMPHASIS[s[i]!]!;
      out += escapeChars(s.slice(last, i), cell) + md + convert(i + 1, close) + md;
      last = close + 1;
      i = close;
    }
    return out + escapeChars(s.slice(last, end), cell);
  };
  return convert(0, s.length);
}

const PLACEHOLDER = /\uE000(\d+)\uE001/g;
const NEEDS_SLACK_PARSE = /[<&*_~]/;

/**
 * Slack markup as one line of safe markdown: `<@U1>` -> `@Ada` (names: id -> display name),
 * `<#C1|x>` -> `#x`, `<url|label>` -> `[label](url)`, `*b*` -> `**b**`, `_i_` -> `*i*`, `~s~` -> `~~s~~`.
 * `cell` also escapes `|` for a table cell.
 */
export function slackToMarkdown(text: string, names: Readonly<Record<string, string>>, cell = false): string {
  const src = normalise(text);
  if (!NEEDS_SLACK_PARSE.test(src)) return guardLine(escapeChars(src, cell));
  // Markup is rendered first and parked behind private-use placeholders (stripped from the input
  // above), so emphasis may wrap a mention and no user text is ever read as markup twice.
  const rendered: string[] = [];
  const parked = src.replace(SLACK_MARKUP, (_m, inner: string) => {
    const token = readSlackToken(inner, names);
    rendered.push(
      token.kind === 'link'
        ? markdownLink(linkLabel(token.url, token.label), token.url)
        : escapeChars(token.text.replace(/\n/g, ' '), cell),
    );
    return `\uE000${rendered.length - 1}\uE001`;
  });
  const body = convertEmphasis(decodeSlackEntities(parked), cell);
  return guardLine(
    rendered.length ? body.replace(PLACEHOLDER, (_m, n: string) => rendered[Number(n)]!) : body,
  );
}
