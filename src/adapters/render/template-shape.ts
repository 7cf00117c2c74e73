/** The shape of the view model as a template sees it, taken from a complete sample. */

/** What a value looks like, as far as a template can tell. */
export type Shape =
  | { kind: 'object'; fields: Map<string, Shape> }
  | { kind: 'list'; element: Shape }
  | { kind: 'text' | 'number' | 'boolean' | 'null' }
  | { kind: 'any' };

export const ANY: Shape = { kind: 'any' };

/** The shape of a sample value; list elements are merged so optional fields filled in one element count. */
export function shapeOf(value: unknown): Shape {
  if (value === null || value === undefined) return { kind: 'null' };
  if (Array.isArray(value))
    return { kind: 'list', element: value.map(shapeOf).reduce(mergeShapes, { kind: 'null' }) };
  if (typeof value === 'object') {
    return { kind: 'object', fields: new Map(Object.entries(value).map(([k, v]) => [k, shapeOf(v)])) };
  }
  if (typeof value === 'string') return { kind: 'text' };
  if (typeof value === 'number') return { kind: 'number' };
  if (typeof value === 'boolean') return { kind: 'boolean' };
  return ANY;
}

/** Two shapes of the same value: null gives way to anything, a mismatch becomes `any`. */
export function mergeShapes(a: Shape, b: Shape): Shape {
  if (a.kind === 'null') return b;
  if (b.kind === 'null') return a;
  if (a.kind === 'object' && b.kind === 'object') {
    const fields = new Map(a.fields);
    for (const [k, v] of b.fields) fields.set(k, fields.has(k) ? mergeShapes(fields.get(k)!, v) : v);
    return { kind: 'object', fields };
  }
  if (a.kind === 'list' && b.kind === 'list')
    return { kind: 'list', element: mergeShapes(a.element, b.element) };
  return a.kind === b.kind ? a : ANY;
}
