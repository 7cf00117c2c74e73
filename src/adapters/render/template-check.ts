/**
 * Checks a parsed template against the shape of a complete sample view model, before any incident.
 * Handlebars' strict mode only catches a missing field when that line runs, and never in `#if`,
 * `#each` or helper arguments; walking the syntax tree catches every branch.
 */
// the AST types live in Handlebars' global `hbs` namespace
import type {} from 'handlebars';
import { nearestMany } from '../../domain/nearest.js';
import { TemplateError } from './template-error.js';
import { ANY, mergeShapes, type Shape } from './template-shape.js';

type AST = hbs.AST.Program;
type Node = hbs.AST.Node;
type Path = hbs.AST.PathExpression;

export interface TemplateSource {
  file: string;
  ast: AST;
}

export interface CheckOptions {
  root: Shape;
  partials: ReadonlyMap<string, TemplateSource>;
  /** helper name -> number of arguments it takes */
  helpers: Readonly<Record<string, number>>;
}

interface Scope {
  /** context stack; the last is `this` */
  contexts: Shape[];
  blockParams: Map<string, Shape>;
  inEach: boolean;
  file: string;
  /** partials being checked, to stop at recursion */
  active: Set<string>;
}

const BLOCK_HELPERS = new Set(['if', 'unless', 'each', 'with']);
const DATA_VARIABLES = new Set(['index', 'first', 'last', 'key']);

/** Throws a TemplateError at the first unknown field, helper or partial. */
export function checkTemplate(source: TemplateSource, opts: CheckOptions): void {
  const scope: Scope = {
    contexts: [opts.root],
    blockParams: new Map(),
    inEach: false,
    file: source.file,
    active: new Set(),
  };
  checkProgram(source.ast, scope, opts);
}

const fail = (scope: Scope, node: Node, problem: string, field: string | null = null): never => {
  throw new TemplateError(scope.file, node.loc?.start.line ?? null, field, problem);
};

function checkProgram(program: hbs.AST.Program | undefined, scope: Scope, opts: CheckOptions): void {
  for (const node of program?.body ?? []) checkStatement(node, scope, opts);
}

function checkStatement(node: Node, scope: Scope, opts: CheckOptions): void {
  switch (node.type) {
    case 'ContentStatement':
    case 'CommentStatement':
      break;
    case 'MustacheStatement':
      checkCall(node as hbs.AST.MustacheStatement, scope, opts, false);
      break;
    case 'BlockStatement':
      checkBlock(node as hbs.AST.BlockStatement, scope, opts);
      break;
    case 'PartialStatement':
    case 'PartialBlockStatement':
      checkPartial(node as hbs.AST.PartialStatement & { program?: hbs.AST.Program }, scope, opts);
      break;
    default:
      fail(
        scope,
        node,
        'inline partials and decorators are not supported: put partials in the partials folder',
      );
  }
}

const helperName = (path: Node): string | null => {
  if (path.type !== 'PathExpression') return null;
  const p = path as Path;
  return !p.data && p.depth === 0 && p.parts.length === 1 && !/^(\.|this\b)/.test(p.original)
    ? p.parts[0]!
    : null;
};

/** A mustache or sub-expression: a helper call when it has arguments or names a helper, else a field. */
function checkCall(
  node: hbs.AST.MustacheStatement | hbs.AST.SubExpression,
  scope: Scope,
  opts: CheckOptions,
  isSub: boolean,
): Shape {
  if (node.path.type !== 'PathExpression') {
    // Handlebars reads {{"x"}} as the field x, which this check could not follow
    fail(
      scope,
      node,
      `write a field path instead of the literal ${JSON.stringify((node.path as { value?: unknown }).value)}`,
    );
  }
  const name = helperName(node.path);
  const args = node.params.length + (node.hash?.pairs.length ?? 0);
  if (
    name !== null &&
    (name in opts.helpers || BLOCK_HELPERS.has(name) || name === 'lookup' || name === 'log')
  ) {
    if (BLOCK_HELPERS.has(name)) fail(scope, node, `"${name}" is a block helper: write {{#${name} ...}}`);
    const shapes = node.params.map((p) => checkExpr(p, scope, opts));
    for (const pair of node.hash?.pairs ?? []) checkExpr(pair.value, scope, opts);
    const arity = opts.helpers[name];
    if (arity !== undefined) {
      if (node.params.length !== arity)
        fail(scope, node, `helper "${name}" takes ${arity} argument(s), got ${node.params.length}`);
      shapes.forEach((s, i) => {
        if (s.kind === 'object' || s.kind === 'list') {
          const what = (node.params[i] as Path).original ?? '';
          fail(
            scope,
            node,
            `helper "${name}" needs text, but "${what}" is ${s.kind === 'list' ? 'a list' : 'an object'}`,
            what,
          );
        }
      });
    }
    return ANY;
  }
  if (args > 0 || isSub) {
    const shown = name ?? (node.path as Path).original;
    const near = nearestMany(shown, Object.keys(opts.helpers), 1)[0];
    return fail(scope, node, `unknown helper "${shown}"${near ? `; did you mean "${near}"?` : ''}`);
  }
  return checkExpr(node.path, scope, opts);
}

function checkExpr(expr: Node, scope: Scope, opts: CheckOptions): Shape {
  switch (expr.type) {
    case 'PathExpression':
      return resolvePath(expr as Path, scope);
    case 'SubExpression':
      return checkCall(expr as hbs.AST.SubExpression, scope, opts, true);
    case 'StringLiteral':
      return { kind: 'text' };
    case 'NumberLiteral':
      return { kind: 'number' };
    case 'BooleanLiteral':
      return { kind: 'boolean' };
    default:
      return { kind: 'null' };
  }
}

function resolvePath(path: Path, scope: Scope): Shape {
  const parts = path.parts;
  if (path.data) {
    const head = parts[0] ?? '';
    if (head === 'root') return walk(scope.contexts[0]!, parts.slice(1), path, scope, '@root');
    if (DATA_VARIABLES.has(head) && parts.length === 1) {
      if (!scope.inEach) fail(scope, path, `@${head} is only set inside {{#each}}`, path.original);
      return head === 'index' ? { kind: 'number' } : head === 'key' ? { kind: 'text' } : { kind: 'boolean' };
    }
    return fail(scope, path, `unknown data variable "${path.original}"`, path.original);
  }
  const scoped = /^(\.|this\b)/.test(path.original);
  if (!scoped && path.depth === 0 && parts.length > 0 && scope.blockParams.has(parts[0]!)) {
    return walk(scope.blockParams.get(parts[0]!)!, parts.slice(1), path, scope, parts[0]!);
  }
  const base = scope.contexts[scope.contexts.length - 1 - path.depth];
  if (!base) return fail(scope, path, `"${path.original}" climbs above the top of the data`, path.original);
  return walk(base, parts, path, scope, '');
}

function walk(shape: Shape, parts: string[], path: Path, scope: Scope, prefix: string): Shape {
  let cur = shape;
  let where = prefix;
  for (const part of parts) {
    if (cur.kind === 'any') return ANY;
    const name = where ? `${where}.${part}` : part;
    if (cur.kind === 'object') {
      const next = cur.fields.get(part);
      if (!next) {
        const near = nearestMany(part, [...cur.fields.keys()], 1)[0];
        const inside = where ? ` in "${where}"` : '';
        fail(
          scope,
          path,
          `unknown field "${path.original}": no "${part}"${inside}${near ? `; did you mean "${near}"?` : ''}`,
          path.original,
        );
      }
      cur = next!;
    } else if (cur.kind === 'list' && part === 'length') cur = { kind: 'number' };
    else if (cur.kind === 'list' && /^\d+$/.test(part)) cur = cur.element;
    else if (cur.kind === 'text' && part === 'length') cur = { kind: 'number' };
    else
      fail(
        scope,
        path,
        `unknown field "${path.original}": "${where || 'this'}" is ${describe(cur)}, it has no "${part}"`,
        path.original,
      );
    where = name;
  }
  return cur;
}

const describe = (s: Shape): string =>
  s.kind === 'list'
    ? 'a list'
    : s.kind === 'object'
      ? 'an object'
      : s.kind === 'null'
        ? 'empty'
        : `a ${s.kind}`;

const elementOf = (s: Shape): Shape =>
  s.kind === 'list'
    ? s.element
    : s.kind === 'object'
      ? [...s.fields.values()].reduce(mergeShapes, { kind: 'null' })
      : ANY;

function checkBlock(node: hbs.AST.BlockStatement, scope: Scope, opts: CheckOptions): void {
  const name = helperName(node.path);
  const params = node.program?.blockParams ?? [];
  const inner = (ctx: Shape | null, paramShapes: Shape[], inEach = scope.inEach): Scope => ({
    ...scope,
    contexts: ctx ? [...scope.contexts, ctx] : scope.contexts,
    blockParams: new Map([
      ...scope.blockParams,
      ...params.map((p, i): [string, Shape] => [p, paramShapes[i] ?? ANY]),
    ]),
    inEach,
  });
  if (name !== null && BLOCK_HELPERS.has(name)) {
    if (node.params.length !== 1)
      fail(scope, node, `{{#${name}}} takes one argument, got ${node.params.length}`);
    const target = checkExpr(node.params[0]!, scope, opts);
    if (name === 'each') {
      if (target.kind !== 'list' && target.kind !== 'object' && target.kind !== 'any') {
        const what = (node.params[0] as Path).original ?? '';
        fail(scope, node, `{{#each ${what}}}: "${what}" is ${describe(target)}, not a list`, what);
      }
      const element = elementOf(target);
      checkProgram(node.program, inner(element, [element, { kind: 'number' }], true), opts);
    } else if (name === 'with') {
      checkProgram(node.program, inner(target, [target]), opts);
    } else {
      checkProgram(node.program, inner(null, []), opts);
    }
    checkProgram(node.inverse, scope, opts);
    return;
  }
  if (name !== null && (name in opts.helpers || name === 'lookup' || name === 'log')) {
    fail(scope, node, `"${name}" is not a block helper: write {{${name} ...}}`);
  }
  if (node.params.length > 0 || node.hash?.pairs.length) {
    fail(scope, node, `unknown block helper "${name ?? node.path.original}"`);
  }
  // {{#field}}...{{/field}}: a section, iterating a list or entering an object
  const target = checkExpr(node.path, scope, opts);
  const isList = target.kind === 'list';
  const ctx = isList ? elementOf(target) : target.kind === 'object' ? target : null;
  checkProgram(node.program, inner(ctx, ctx ? [ctx] : [], scope.inEach || isList), opts);
  checkProgram(node.inverse, scope, opts);
}

function checkPartial(
  node: hbs.AST.PartialStatement & { program?: hbs.AST.Program },
  scope: Scope,
  opts: CheckOptions,
): void {
  if (node.name.type !== 'PathExpression')
    fail(scope, node, 'dynamic partials ({{> (expr)}}) are not supported');
  const name = (node.name as Path).original;
  if (node.program) checkProgram(node.program, scope, opts);
  if (name === '@partial-block') return;
  const partial = opts.partials.get(name);
  if (!partial) {
    const near = nearestMany(name, [...opts.partials.keys()], 1)[0];
    fail(scope, node, `unknown partial "${name}"${near ? `; did you mean "${near}"?` : ''}`);
  }
  if (node.params.length > 1) fail(scope, node, `{{> ${name}}} takes at most one context argument`);
  let ctx = node.params[0] ? checkExpr(node.params[0], scope, opts) : scope.contexts.at(-1)!;
  const pairs = node.hash?.pairs ?? [];
  if (pairs.length) {
    const fields = new Map(ctx.kind === 'object' ? ctx.fields : []);
    for (const pair of pairs) fields.set(pair.key, checkExpr(pair.value, scope, opts));
    ctx = { kind: 'object', fields };
  }
  if (scope.active.has(name)) return;
  const active = new Set(scope.active).add(name);
  const contexts = ctx === scope.contexts.at(-1) ? scope.contexts : [...scope.contexts, ctx];
  checkProgram(
    partial!.ast,
    { contexts, blockParams: new Map(), inEach: scope.inEach, file: partial!.file, active },
    opts,
  );
}
