import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import {
  createPostmortemRenderer,
  precompileTemplate,
  TemplateError,
} from '../../../src/adapters/render/postmortem-renderer.js';
import { samplePostmortemData } from '../../../src/adapters/render/postmortem-sample.js';
import {
  builtFingerprint,
  loadPrecompiledTemplate,
  readTemplateSources,
  templateFingerprint,
} from '../../../src/adapters/render/precompiled-template.js';

const TEMPLATES = fileURLToPath(new URL('../../../templates', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'muster-precompiled-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

let n = 0;
/** A copy of the shipped templates folder and the module the build would write from it. */
function built(): { template: string; module: string } {
  const dir = join(tmp, `b${++n}`);
  cpSync(TEMPLATES, join(dir, 'templates'), { recursive: true });
  const template = join(dir, 'templates', 'postmortem.md.hbs');
  const module = join(dir, 'postmortem-template.cjs');
  writeFileSync(module, precompileTemplate(template));
  return { template, module };
}

describe('the postmortem template precompiled at build time', () => {
  it('renders exactly what the compiled template renders', async () => {
    const { template, module } = built();
    const precompiled = await loadPrecompiledTemplate(template, module);
    expect(precompiled).not.toBeNull();
    const data = samplePostmortemData();
    expect(precompiled!.render(data)).toBe(createPostmortemRenderer({ templatePath: template }).render(data));
    expect([...precompiled!.partials].sort()).toEqual(
      [...createPostmortemRenderer({ templatePath: template }).partials].sort(),
    );
  });

  it('is not used once the template is edited: the edited file is compiled and checked instead', async () => {
    const { template, module } = built();
    writeFileSync(template, '# Edited {{md title}}\n');
    expect(await loadPrecompiledTemplate(template, module)).toBeNull();
  });

  it('is not used once a partial is edited, added or removed', async () => {
    const edited = built();
    writeFileSync(join(edited.template, '..', 'partials', 'title.md.hbs'), '# {{md title}} (edited)\n');
    expect(await loadPrecompiledTemplate(edited.template, edited.module)).toBeNull();

    const added = built();
    writeFileSync(join(added.template, '..', 'partials', 'extra.md.hbs'), 'extra\n');
    expect(await loadPrecompiledTemplate(added.template, added.module)).toBeNull();

    const removed = built();
    rmSync(join(removed.template, '..', 'partials', 'title.md.hbs'));
    expect(await loadPrecompiledTemplate(removed.template, removed.module)).toBeNull();
  });

  it('is not used when the build did not write it, or the template cannot be read', async () => {
    const { template, module } = built();
    expect(await loadPrecompiledTemplate(template, join(tmp, 'absent.js'))).toBeNull();
    expect(await loadPrecompiledTemplate(join(tmp, 'absent.md.hbs'), module)).toBeNull();
  });

  it('names, without being imported, the fingerprint of the sources it was built from', () => {
    const { template, module } = built();
    expect(builtFingerprint(module)).toBe(templateFingerprint(readTemplateSources(template)!));
    expect(builtFingerprint(join(tmp, 'missing.js'))).toBeNull();
    const other = join(tmp, 'not-a-build.js');
    writeFileSync(other, 'export const main = {};\n');
    expect(builtFingerprint(other)).toBeNull();
  });

  it('fails the build on a template that start-up would refuse', () => {
    const { template } = built();
    writeFileSync(template, '{{#each timeline}}{{nosuchhelper text}}{{/each}}\n');
    expect(() => precompileTemplate(template)).toThrow(TemplateError);
  });

  it('reports a render error as a TemplateError naming the file', async () => {
    const { template, module } = built();
    const precompiled = await loadPrecompiledTemplate(template, module);
    // strict mode: a field the data lacks is a TemplateError, as with the compiled template
    expect(() => precompiled!.render({} as never)).toThrow(TemplateError);
  });
});
