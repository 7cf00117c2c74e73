/**
 * `${ENV_NAME}` references in catalog strings, resolved from an env object the caller passes in
 * (config.ts is the only reader of process.env). `$${X}` stays a literal `${X}`.
 */

export type YamlPath = readonly (string | number)[];

export interface UnsetReference {
  path: YamlPath;
  variable: string;
}

export interface ResolvedValue {
  value: unknown;
  unset: UnsetReference[];
  /** the values substituted, so they can be kept out of logs */
  secrets: string[];
}

const REFERENCE = /\$(\$?)\{([^}]*)\}/g;
const VARIABLE = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Copies a parsed YAML value with every `${NAME}` replaced; unset or empty variables are reported, not thrown. */
export function resolveEnvReferences(
  value: unknown,
  env: Readonly<Record<string, string | undefined>>,
): ResolvedValue {
  const unset: UnsetReference[] = [];
  const secrets: string[] = [];
  const visit = (v: unknown, path: YamlPath): unknown => {
    if (typeof v === 'string') return v.includes('${') ? substitute(v, path) : v;
    if (Array.isArray(v)) return v.map((item, i) => visit(item, [...path, i]));
    if (v !== null && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, item] of Object.entries(v)) out[k] = visit(item, [...path, k]);
      return out;
    }
    return v;
  };
  const substitute = (text: string, path: YamlPath): string =>
    text.replace(REFERENCE, (whole, escaped: string, name: string) => {
      if (escaped) return whole.slice(1);
      // A malformed reference is left as written; the field's own validation then says what it expected.
      if (!VARIABLE.test(name)) return whole;
      const found = env[name];
      if (found === undefined || found === '') {
        unset.push({ path, variable: name });
        // Kept as written, so validation of the rest goes on without a second, misleading error here.
        return whole;
      }
      secrets.push(found);
      return found;
    });
  return { value: visit(value, []), unset, secrets };
}
