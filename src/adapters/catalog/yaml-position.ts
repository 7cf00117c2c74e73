/** Where a value sits in the YAML source, so errors can say `catalog.yaml:14:12`. */
import { type Document, isAlias, isMap, isNode, isScalar, isSeq, type LineCounter } from 'yaml';
import type { YamlPath } from './env-reference.js';

export interface SourcePosition {
  line: number;
  col: number;
  /** offset in the source, for ordering problems */
  offset: number;
}

/**
 * The position of the value at `path`, or of the key `key` under it (unknown fields). When the path
 * leads to something absent (a missing field), the nearest enclosing node that exists.
 */
export function positionOf(doc: Document, lines: LineCounter, path: YamlPath, key?: string): SourcePosition {
  let node: unknown = doc.contents;
  let at: number = rangeStart(node) ?? 0;
  const segments = key === undefined ? path : [...path, key];
  for (const [i, segment] of segments.entries()) {
    if (isAlias(node)) node = node.resolve(doc);
    let next: unknown;
    if (isMap(node)) {
      const pair = node.items.find(
        (p) => (isScalar(p.key) ? String(p.key.value) : String(p.key)) === String(segment),
      );
      if (!pair) break;
      // For an unknown field, point at its key: its value may be anything, or nothing.
      if (key !== undefined && i === segments.length - 1) {
        at = rangeStart(pair.key) ?? at;
        break;
      }
      next = pair.value;
      // `field:` with no value: the key is the best place to point at.
      at = rangeStart(next) ?? rangeStart(pair.key) ?? at;
    } else if (isSeq(node) && typeof segment === 'number') {
      next = node.items[segment];
      if (next === undefined) break;
      at = rangeStart(next) ?? at;
    } else {
      break;
    }
    node = next;
  }
  const { line, col } = lines.linePos(at);
  return { line, col, offset: at };
}

function rangeStart(node: unknown): number | undefined {
  return isNode(node) && node.range ? node.range[0] : undefined;
}

/** `services[3].runbooks[0].url` */
export function formatPath(path: YamlPath): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(segment)) out += out ? `.${segment}` : segment;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}
