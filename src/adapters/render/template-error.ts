/** A postmortem template that cannot be used: names the file, the line and, when known, the field. */
export class TemplateError extends Error {
  constructor(
    readonly file: string,
    readonly line: number | null,
    readonly field: string | null,
    readonly problem: string,
  ) {
    super(`${file}${line === null ? '' : `:${line}`}: ${problem}`);
    this.name = 'TemplateError';
  }
}

/** Wraps a Handlebars parse or runtime error (which carry `lineNumber` or "on line N") as a TemplateError. */
export function toTemplateError(e: unknown, file: string): TemplateError {
  if (e instanceof TemplateError) return e;
  const err = e instanceof Error ? e : new Error(String(e));
  const withLine = err as Error & { lineNumber?: number };
  const lineFromText = /\bon line (\d+)/.exec(err.message)?.[1];
  const line = withLine.lineNumber ?? (lineFromText ? Number(lineFromText) : null);
  const field = /^"([^"]+)" not defined in/.exec(err.message)?.[1] ?? null;
  // Handlebars appends " - line:column" to located messages; the line is reported separately
  const problem = err.message.replace(/ - \d+:\d+$/, '');
  return new TemplateError(file, line, field, field ? `unknown field "${field}" (${problem})` : problem);
}
