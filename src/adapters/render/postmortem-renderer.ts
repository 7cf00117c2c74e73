import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Handlebars from 'handlebars';
import type { Config } from '../../config.js';
import type { PostmortemData } from '../../domain/postmortem.js';
import { locateTemplate } from './postmortem-markdown.js';
import { samplePostmortemData } from './postmortem-sample.js';
import {
  fingerprintLine,
  readTemplateSources,
  templateFingerprint,
  templateSourcesText,
} from './precompiled-template.js';
import { checkTemplate, type TemplateSource } from './template-check.js';
import { TemplateError, toTemplateError } from './template-error.js';
import { COMPILE_OPTIONS, registerHelpers, TEMPLATE_HELPERS } from './template-helpers.js';
import { shapeOf } from './template-shape.js';

export { TemplateError } from './template-error.js';

export interface PostmortemRendererOptions {
  /** the main template, e.g. `templates/postmortem.md.hbs` */
  templatePath: string;
  /** folder of `*.md.hbs` partials, each registered under its name without the suffix; default: `partials/` next to the template */
  partialsDir?: string;
}

/** The compiled template: the view model in, the markdown out. */
export interface PostmortemTemplate {
  readonly templatePath: string;
  /** names of the partials loaded */
  readonly partials: readonly string[];
  /** The markdown document; a TemplateError here is a bug, since the template was checked at creation. */
  render(data: PostmortemData): string;
}

const PARTIAL_SUFFIX = '.md.hbs';

function readTemplate(file: string): TemplateSource {
  let src: string;
  try {
    src = readFileSync(file, 'utf8');
  } catch (e) {
    throw new TemplateError(
      file,
      null,
      null,
      `cannot read the template: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
    );
  }
  try {
    return { file, ast: Handlebars.parse(src, { srcName: file }) };
  } catch (e) {
    throw toTemplateError(e, file);
  }
}

function readPartials(dir: string, explicit: boolean): Map<string, TemplateSource> {
  const partials = new Map<string, TemplateSource>();
  if (!existsSync(dir)) {
    if (explicit) throw new TemplateError(dir, null, null, 'the partials folder does not exist');
    return partials;
  }
  for (const name of readdirSync(dir).sort()) {
    if (name.endsWith(PARTIAL_SUFFIX))
      partials.set(name.slice(0, -PARTIAL_SUFFIX.length), readTemplate(join(dir, name)));
  }
  return partials;
}

/**
 * Loads, checks and compiles the postmortem template and its partials (strict mode, known helpers
 * only). Throws TemplateError naming the file, line and field for a syntax error, an unknown field,
 * helper or partial, so a bad template stops start-up rather than an incident.
 */
export function createPostmortemRenderer(opts: PostmortemRendererOptions): PostmortemTemplate {
  const main = readTemplate(opts.templatePath);
  const partials = readPartials(
    opts.partialsDir ?? join(dirname(opts.templatePath), 'partials'),
    opts.partialsDir !== undefined,
  );
  const sample = samplePostmortemData();
  checkTemplate(main, { root: shapeOf(sample), partials, helpers: TEMPLATE_HELPERS });

  const hb = Handlebars.create();
  registerHelpers(hb);
  for (const [name, source] of partials) {
    const compiled = hb.compile(source.ast, COMPILE_OPTIONS);
    // A partial rethrows with its own file name; the caller's wrapper keeps the innermost one.
    hb.registerPartial(name, (ctx: unknown, options?: Handlebars.RuntimeOptions) => {
      try {
        return compiled(ctx, options);
      } catch (e) {
        throw toTemplateError(e, source.file);
      }
    });
  }
  const template = hb.compile<PostmortemData>(main.ast, COMPILE_OPTIONS);
  const render = (data: PostmortemData): string => {
    try {
      return template(data);
    } catch (e) {
      throw toTemplateError(e, main.file);
    }
  };
  // Compiles now (Handlebars compiles lazily) and runs every helper once on real-looking data.
  render(sample);
  return { templatePath: opts.templatePath, partials: [...partials.keys()], render };
}

/** Compiles the configured template (strict, checked); throws TemplateError naming the file and the problem. */
export function loadPostmortemTemplate(config: Pick<Config, 'POSTMORTEM_TEMPLATE'>): PostmortemTemplate {
  return createPostmortemRenderer({ templatePath: locateTemplate(config.POSTMORTEM_TEMPLATE) });
}

/**
 * The CommonJS module `npm run build` writes as dist/postmortem-template.cjs: the template and its partials checked as
 * at start-up (a TemplateError fails the build), then precompiled, with the fingerprint of their sources.
 */
export function precompileTemplate(templatePath: string): string {
  createPostmortemRenderer({ templatePath });
  const sources = readTemplateSources(templatePath);
  if (!sources) throw new TemplateError(templatePath, null, null, 'cannot read the template');
  const fingerprint = templateFingerprint(sources);
  // precompile writes its defaults into the options it is given: each call gets its own copy
  const spec = (src: string) => Handlebars.precompile(src, structuredClone(COMPILE_OPTIONS));
  const partials = sources.partials.map(([name, src]) => `  ${JSON.stringify(name)}: ${spec(src)},`);
  return [
    '// Written by `npm run build` from the shipped postmortem template: do not edit.',
    fingerprintLine(fingerprint),
    `exports.sources = ${JSON.stringify(templateSourcesText(sources))};`,
    `exports.main = ${spec(sources.main)};`,
    `exports.partials = {\n${partials.join('\n')}\n};`,
    '',
  ].join('\n');
}
