/**
 * The shipped postmortem template, compiled when Muster is built (`npm run build` writes
 * dist/postmortem-template.cjs, a CommonJS module, so both the ES module server and the CommonJS export load it
 * with `require`): `muster export` renders through the Handlebars runtime alone, without parsing,
 * checking and compiling the template on every run. It is used only while the template and its partials on
 * disk are exactly those it was built from (their fingerprint matches); an edited or custom template is
 * compiled and checked as always.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import Runtime from 'handlebars/runtime';
import type { PostmortemData } from '../../domain/postmortem-view.js';
import { projectRoot } from '../project-root.js';
import type { PostmortemTemplate } from './postmortem-renderer.js';
import { toTemplateError } from './template-error.js';
import { COMPILE_OPTIONS, registerHelpers } from './template-helpers.js';

export const PARTIAL_SUFFIX = '.md.hbs';
/** Where the build writes the compiled shipped template, in the installation folder. */
export const PRECOMPILED_FILE = 'dist/postmortem-template.cjs';

export interface TemplateSources {
  /** the main template's text */
  main: string;
  /** the partials next to it (`partials/*.md.hbs`), by name, sorted */
  partials: [name: string, source: string][];
}

/** Reads the template and the partials of its default folder, as the compiler finds them; null when unreadable. */
export function readTemplateSources(templatePath: string): TemplateSources | null {
  try {
    const main = readFileSync(templatePath, 'utf8');
    const dir = join(dirname(templatePath), 'partials');
    const partials: [string, string][] = existsSync(dir)
      ? readdirSync(dir)
          .filter((n) => n.endsWith(PARTIAL_SUFFIX))
          .sort()
          .map((n) => [n.slice(0, -PARTIAL_SUFFIX.length), readFileSync(join(dir, n), 'utf8')])
      : [];
    return { main, partials };
  } catch {
    return null;
  }
}

/** The sources and the compile options as one text: equal texts compile to the same template. */
export const templateSourcesText = (sources: TemplateSources): string =>
  JSON.stringify([COMPILE_OPTIONS, sources.main, sources.partials]);

/** A fingerprint of the sources and the compile options: equal fingerprints compile to the same template. */
export function templateFingerprint(sources: TemplateSources): string {
  return createHash('sha256').update(templateSourcesText(sources)).digest('hex');
}

/** How the build writes the fingerprint, on a line of its own (postmortem-renderer.ts, precompileTemplate). */
export const fingerprintLine = (fingerprint: string): string =>
  `exports.fingerprint = ${JSON.stringify(fingerprint)};`;

/**
 * The fingerprint of the template the build checked and precompiled, read from its line without importing the
 * module (so synchronously, at start-up); null when there is no build.
 */
export function builtFingerprint(file: string = join(projectRoot(), PRECOMPILED_FILE)): string | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return null;
  }
  return /^exports\.fingerprint = "([0-9a-f]{64})";$/m.exec(text)?.[1] ?? null;
}

/** The module the build writes: the fingerprint, the sources' text and Handlebars' precompiled specs. */
interface PrecompiledModule {
  fingerprint: string;
  sources: string;
  main: TemplateSpecification;
  partials: Record<string, TemplateSpecification>;
}
type TemplateSpecification = Parameters<typeof Runtime.template>[0];

/**
 * The precompiled shipped template, when `templatePath` holds exactly what it was built from; else null
 * (the caller compiles and checks the template itself).
 */
export async function loadPrecompiledTemplate(
  templatePath: string,
  file: string = join(projectRoot(), PRECOMPILED_FILE),
): Promise<PostmortemTemplate | null> {
  if (!existsSync(file)) return null;
  const sources = readTemplateSources(templatePath);
  if (!sources) return null;
  const built = createRequire(import.meta.url)(file) as PrecompiledModule;
  // the text itself, not its fingerprint: nothing to hash on every export
  if (built.sources !== templateSourcesText(sources)) return null;

  const hb = Runtime.create();
  registerHelpers(hb);
  for (const [name, spec] of Object.entries(built.partials)) hb.registerPartial(name, hb.template(spec));
  const template = hb.template<PostmortemData>(built.main);
  return {
    templatePath,
    partials: Object.keys(built.partials),
    render: (data) => {
      try {
        return template(data);
      } catch (e) {
        throw toTemplateError(e, templatePath);
      }
    },
  };
}
