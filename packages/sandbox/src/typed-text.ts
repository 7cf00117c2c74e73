/**
 * Text as a Slack client sends what a person typed: `&`, `<` and `>` escaped, `@name` turned into a user
 * mention, `#name` into a channel link and `@here`/`@channel` into special mentions. A slash command installed
 * with `should_escape` carries the name too (`<@U123|bob>`); messages carry the id alone (`<@U123>`).
 */
import type { SlackWorkspace } from './slack-workspace.js';

/** The person named `name` (user name, display name or first name, any case), if any. */
function personNamed(ws: SlackWorkspace, name: string) {
  const n = name.toLowerCase();
  return ws
    .users()
    .find(
      (u) =>
        !u.deleted && [u.name, u.displayName, u.firstName].some((x) => x !== '' && x.toLowerCase() === n),
    );
}

/** What `typed` becomes on the wire; `forCommand` uses the slash command form of mentions. */
export function slackifyText(ws: SlackWorkspace, typed: string, forCommand: boolean): string {
  const escaped = typed.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return escaped.replace(
    /(^|[\s(])([@#])([A-Za-z0-9][A-Za-z0-9._-]*)/g,
    (whole, before: string, sigil: string, name: string) => {
      // a trailing dot or comma ends the sentence, not the name
      const bare = name.replace(/[._-]+$/, '');
      const rest = name.slice(bare.length);
      if (sigil === '@') {
        if (bare === 'here' || bare === 'channel' || bare === 'everyone') return `${before}<!${bare}>${rest}`;
        const user = personNamed(ws, bare);
        if (!user) return whole;
        return `${before}<@${user.id}${forCommand ? `|${user.name}` : ''}>${rest}`;
      }
      const channel = ws.channel(bare.toLowerCase());
      if (!channel) return whole;
      return `${before}<#${channel.id}${forCommand ? `|${channel.name}` : ''}>${rest}`;
    },
  );
}
