/** Reading a tracker delivery's headers, which arrive as Node gives them (lower case) or as a test wrote them. */

/** The header `name`, whatever its case; undefined when absent. */
export function header(headers: Record<string, string | undefined>, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === wanted) return v;
  return undefined;
}
