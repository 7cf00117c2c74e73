/**
 * Slack message markup: `<@U1>`, `<#C1|name>`, `<!here>`, `<https://x|label>`, with `&`, `<` and `>`
 * in the text itself sent as `&amp;`, `&lt;`, `&gt;` (so a raw `<` always starts markup).
 */

/** One `<...>` span of Slack markup, read. */
export type SlackToken =
  | { kind: 'mention'; text: string }
  | { kind: 'link'; url: string; label: string | null }
  | { kind: 'text'; text: string };

/** Matches a whole `<...>` markup span; the capture is what is inside. */
export const SLACK_MARKUP = /<([^<>]*)>/g;

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>' };

/** Decodes the three entities Slack encodes, in one pass (so `&amp;lt;` stays the text `&lt;`). */
export const decodeSlackEntities = (s: string): string => s.replace(/&(?:amp|lt|gt);/g, (m) => ENTITIES[m]!);

/** Reads the inside of one `<...>` span; people and channels become `@Name` and `#name` (names: id -> display name). */
export function readSlackToken(inner: string, names: Readonly<Record<string, string>>): SlackToken {
  // user text picks the key, so only the map's own entries count (not `constructor` and friends)
  const known = (id: string): string | undefined => (Object.hasOwn(names, id) ? names[id] : undefined);
  const bar = inner.indexOf('|');
  const head = bar < 0 ? inner : inner.slice(0, bar);
  const label = bar < 0 ? null : decodeSlackEntities(inner.slice(bar + 1));
  switch (head.charAt(0)) {
    case '@': {
      const id = head.slice(1);
      return { kind: 'mention', text: `@${known(id) ?? (label || id)}` };
    }
    case '#': {
      const id = head.slice(1);
      return { kind: 'mention', text: `#${label || known(id) || id}` };
    }
    case '!': {
      const [what = '', arg = ''] = head.slice(1).split('^');
      if (what === 'date') return { kind: 'text', text: label ?? 'a date' };
      if (what === 'subteam') return { kind: 'mention', text: label || `@${arg}` };
      return { kind: 'mention', text: label || `@${what}` };
    }
    default: {
      const url = decodeSlackEntities(head);
      // not markup Slack writes: keep it as the text it is
      if (!/^[a-z][a-z0-9+.-]*:/i.test(url)) return { kind: 'text', text: `<${decodeSlackEntities(inner)}>` };
      return { kind: 'link', url, label: label || null };
    }
  }
}

/** The address a `mailto:` link shows when it has no label. */
export const linkLabel = (url: string, label: string | null): string =>
  label ?? (/^mailto:/i.test(url) ? url.slice('mailto:'.length) : url);

/**
 * Slack markup rendered piece by piece: `text` gets the text between markup spans (entities decoded, line ends
 * as `\n`), `token` each span as read with `names`; the results are joined in order.
 */
export function renderSlackMarkup(
  text: string,
  names: Readonly<Record<string, string>>,
  render: { text: (plain: string) => string; token: (token: SlackToken) => string },
): string {
  const src = text.replace(/\r\n?/g, '\n');
  let out = '';
  let last = 0;
  for (const m of src.matchAll(SLACK_MARKUP)) {
    out += render.text(decodeSlackEntities(src.slice(last, m.index)));
    out += render.token(readSlackToken(m[1]!, names));
    last = m.index + m[0].length;
  }
  return out + render.text(decodeSlackEntities(src.slice(last)));
}

/** Slack markup as readable plain text (`<@U1>` -> `@Ada`, links -> `label (url)`); formatting characters are kept. */
export function slackToPlain(text: string, names: Readonly<Record<string, string>>): string {
  return renderSlackMarkup(text, names, {
    text: (plain) => plain,
    token: (token) => {
      if (token.kind !== 'link') return token.text;
      const shown = linkLabel(token.url, token.label);
      return shown === token.url || `mailto:${shown}` === token.url ? shown : `${shown} (${token.url})`;
    },
  });
}
