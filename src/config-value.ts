/**
 * How a configuration error shows the value it refused: enough to spot a typo, never a credential. A
 * variable whose name says it holds a secret is not shown at all, not even its first characters; in any
 * other value, the password of a URL (`user:password@`) and parameters named like secrets
 * (`password=`, `sslpassword=`, `token=`, `key=`…) are masked before the value is shortened to one line.
 */

/** Names of variables that hold a secret: tokens, signing secrets, passwords, API and routing keys. */
const SECRET_NAME = /TOKEN|SECRET|PASSWORD|PASSWD|KEY|CREDENTIAL/i;

/** Parameter names (in a URL query or a `key=value` connection string) whose value is masked. */
const SECRET_PARAM = /^[\w.-]*(pass|pwd|token|secret|key|auth|sig|credential)[\w.-]*$/i;

/** A user name kept in front of `@` when no password follows it; anything else there is masked. */
const PLAIN_USER = /^[A-Za-z0-9._-]{1,32}$/;

const MASK = '***';
const MAX_SHOWN = 60;

/** True when the variable `name` holds a secret, whose value is never shown. */
export const isSecretName = (name: string): boolean => SECRET_NAME.test(name);

/** Masks credentials in a value: the userinfo of URLs and parameters named like secrets. */
export function maskCredentials(value: string): string {
  return (
    value
      // scheme://user:password@host → scheme://user:***@host (a lone user name stays unless it looks like a token)
      .replace(/([a-z][a-z0-9+.-]*:\/\/)([^/?#@\s]*)@/gi, (_m, scheme: string, info: string) => {
        const colon = info.indexOf(':');
        if (colon >= 0) return `${scheme}${info.slice(0, colon)}:${MASK}@`;
        return `${scheme}${PLAIN_USER.test(info) ? info : MASK}@`;
      })
      // ?password=…&sslpassword=… and libpq's `password=… host=…`, quoted or not
      .replace(/([\w.-]+)(\s*=\s*)('(?:[^'\\]|\\.)*'|"[^"]*"|[^\s&;#]*)/g, (m, key: string, eq: string) =>
        SECRET_PARAM.test(key) ? `${key}${eq}${MASK}` : m,
      )
  );
}

/** The words after a variable's name in a configuration error: `is "…"`, or why the value is not shown. */
export function describeValue(name: string, value: string | undefined): string {
  if (value === undefined) return 'is not set';
  if (isSecretName(name)) return 'is set (its value is not shown)';
  const masked = maskCredentials(value);
  const chars = [...masked];
  const short = chars.length > MAX_SHOWN ? `${chars.slice(0, MAX_SHOWN).join('')}…` : masked;
  // JSON quoting keeps the message on one line whatever the value holds (a newline, a quote).
  return `is ${JSON.stringify(short)}`;
}
