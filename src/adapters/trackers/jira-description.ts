/**
 * The description of a Jira issue as Atlassian Document Format (Jira Cloud REST v3 takes no markdown): the
 * draft's markdown as plain paragraphs, its lines kept with hard breaks, links (`[INC-42](https://…)` and bare
 * https URLs) kept as link marks so the way back to the incident stays one click. Everything else, `**`, `<`,
 * `&` included, stays literal text: ADF is JSON, so nothing in it is markup to escape.
 */

export interface AdfMark {
  type: 'link';
  attrs: { href: string };
}
export type AdfInline =
  | { type: 'text'; text: string; marks?: AdfMark[] }
  | { type: 'hardBreak' }
  | { type: 'mention'; attrs: { id: string } };
export interface AdfParagraph {
  type: 'paragraph';
  content: AdfInline[];
}
export interface AdfDocument {
  type: 'doc';
  version: 1;
  content: AdfParagraph[];
}

/** Jira refuses a rich-text field over 32,767 characters of text; the body keeps to less, leaving room for the rest. */
export const DESCRIPTION_TEXT_LIMIT = 32_000;

/** Cuts `text` to at most `max` UTF-16 units with an ellipsis, never inside a surrogate pair (an emoji). */
export function cutText(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max - 1;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return `${text.slice(0, end)}…`;
}

const LINK = /\[([^\]\n]+)\]\((https?:\/\/[^\s)]+)\)|(https?:\/\/[^\s<>"]+)/g;

/** One line of markdown as text nodes, its links as link marks. */
function inline(line: string): AdfInline[] {
  const out: AdfInline[] = [];
  const text = (t: string, href?: string) => {
    if (t)
      out.push(
        href
          ? { type: 'text', text: t, marks: [{ type: 'link', attrs: { href } }] }
          : { type: 'text', text: t },
      );
  };
  let at = 0;
  for (const m of line.matchAll(LINK)) {
    const start = m.index ?? 0;
    text(line.slice(at, start));
    if (m[1] !== undefined && m[2] !== undefined) {
      text(m[1], m[2]);
      at = start + m[0].length;
    } else {
      // a sentence's closing punctuation is not part of a bare URL
      const url = (m[3] ?? '').replace(/[.,;:!?)\]]+$/, '');
      text(url, url);
      at = start + url.length;
    }
  }
  text(line.slice(at));
  return out;
}

function paragraph(block: string): AdfParagraph | null {
  const content: AdfInline[] = [];
  for (const [i, line] of block.split(/\r?\n/).entries()) {
    if (i > 0) content.push({ type: 'hardBreak' });
    content.push(...inline(line));
  }
  while (content[content.length - 1]?.type === 'hardBreak') content.pop();
  return content.some((n) => n.type !== 'hardBreak') ? { type: 'paragraph', content } : null;
}

/**
 * The issue description: the markdown body (cut to DESCRIPTION_TEXT_LIMIT); the link to the incident when the
 * body lacks it (or lost it to the cut); and, when the project's create screen refused those fields, a `Due:`
 * line and an `Assignee:` mention in their place.
 */
export function jiraDescription(
  body: string,
  incident: { ref: string; url: string | null },
  instead: { due?: string | null; assigneeAccountId?: string | null } = {},
): AdfDocument {
  const text = cutText(body, DESCRIPTION_TEXT_LIMIT);
  const content = text
    .split(/\r?\n[ \t]*\r?\n/)
    .map(paragraph)
    .filter((p): p is AdfParagraph => p !== null);
  if (incident.url && /^https?:\/\//.test(incident.url) && !text.includes(incident.url)) {
    content.push({
      type: 'paragraph',
      content: [
        { type: 'text', text: 'Incident: ' },
        {
          type: 'text',
          text: incident.ref || incident.url,
          marks: [{ type: 'link', attrs: { href: incident.url } }],
        },
      ],
    });
  }
  if (instead.due)
    content.push({ type: 'paragraph', content: [{ type: 'text', text: `Due: ${instead.due}` }] });
  if (instead.assigneeAccountId) {
    content.push({
      type: 'paragraph',
      content: [
        { type: 'text', text: 'Assignee: ' },
        { type: 'mention', attrs: { id: instead.assigneeAccountId } },
      ],
    });
  }
  return { type: 'doc', version: 1, content };
}
