import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { checkPostmortemSources } from '../../../src/adapters/render/postmortem-drafting.js';
import { createPostmortemRenderer, TemplateError } from '../../../src/adapters/render/postmortem-renderer.js';
import {
  samplePostmortemData,
  samplePostmortemInput,
} from '../../../src/adapters/render/postmortem-sample.js';
import { type Shape, shapeOf } from '../../../src/adapters/render/template-shape.js';
import { makeTimeFormatters } from '../../../src/adapters/render/time-format.js';
import { type PostmortemInput, toPostmortemData } from '../../../src/domain/postmortem.js';
import type { TimelineEntry } from '../../../src/domain/timeline.js';

const TEMPLATE = fileURLToPath(new URL('../../../templates/postmortem.md.hbs', import.meta.url));
const berlin = makeTimeFormatters('Europe/Berlin');
const tmp = mkdtempSync(join(tmpdir(), 'muster-templates-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

let n = 0;
/** Writes a template (and partials) into a fresh folder; returns the template's path. */
function templateFiles(main: string, partials: Record<string, string> = {}): string {
  const dir = join(tmp, `t${++n}`);
  mkdirSync(join(dir, 'partials'), { recursive: true });
  writeFileSync(join(dir, 'postmortem.md.hbs'), main);
  for (const [name, src] of Object.entries(partials))
    writeFileSync(join(dir, 'partials', `${name}.md.hbs`), src);
  return join(dir, 'postmortem.md.hbs');
}

function templateError(templatePath: string): TemplateError {
  try {
    createPostmortemRenderer({ templatePath });
  } catch (e) {
    if (e instanceof TemplateError) return e;
    throw e;
  }
  throw new Error('expected a TemplateError');
}

describe('template errors stop start-up with the file, the line and the field', () => {
  it('a syntax error names the file and the line', () => {
    const path = templateFiles('# {{ref}}\n\n{{#if draft}}\nDraft\n{{/each}}\n');
    const e = templateError(path);
    expect(e.file).toBe(path);
    expect(e.line).toBe(3);
    expect(e.message).toContain(`${path}:3:`);
    expect(e.message).toContain("if doesn't match each");
  });

  it('a parse error names the line', () => {
    const e = templateError(templateFiles('# {{ref}}\n\n{{md title=}}\n'));
    expect(e.line).toBe(3);
    expect(e.message).toMatch(/Parse error/);
  });

  it('an unknown field names the field and suggests the nearest', () => {
    const path = templateFiles('# {{ref}}\n\n{{keyTimes.tta.txt}}\n');
    const e = templateError(path);
    expect(e).toMatchObject({ file: path, line: 3, field: 'keyTimes.tta.txt' });
    expect(e.message).toContain('did you mean "text"');
  });

  it('an unknown field in a branch the sample never takes is still caught', () => {
    const e = templateError(templateFiles('{{#if draft}}\n{{summary.stauts}}\n{{/if}}\n'));
    expect(e).toMatchObject({ line: 2, field: 'summary.stauts' });
  });

  it('an unknown field inside #each, a helper argument and #with is caught', () => {
    expect(templateError(templateFiles('{{#each timeline}}{{slackCell txt}}{{/each}}')).field).toBe('txt');
    expect(templateError(templateFiles('{{#each timeline as |e|}}{{e.at.hour}}{{/each}}')).field).toBe(
      'e.at.hour',
    );
    expect(templateError(templateFiles('{{#with keyTimes.firstPage}}{{dat}}{{/with}}')).field).toBe('dat');
    expect(templateError(templateFiles('{{#if nope}}x{{/if}}')).field).toBe('nope');
  });

  it('parent and root paths are resolved', () => {
    expect(() =>
      createPostmortemRenderer({
        templatePath: templateFiles('{{#each timeline}}{{../ref}}{{@root.ref}}{{@index}}{{/each}}'),
      }),
    ).not.toThrow();
    expect(templateError(templateFiles('{{#each timeline}}{{../kind}}{{/each}}')).field).toBe('../kind');
  });

  it('an unknown field in a partial names the partial file', () => {
    const path = templateFiles('# {{ref}}\n{{> summary-line}}\n', {
      'summary-line': 'ok\n\n{{summary.sevrity.label}}\n',
    });
    const e = templateError(path);
    expect(e.file).toBe(join(path, '..', 'partials', 'summary-line.md.hbs'));
    expect(e).toMatchObject({ line: 3, field: 'summary.sevrity.label' });
  });

  it('a syntax error in a partial names the partial file', () => {
    const path = templateFiles('{{> broken}}\n', { broken: 'a\n{{#each timeline}}\n' });
    expect(templateError(path).file).toMatch(/partials\/broken\.md\.hbs$/);
  });

  it('an unknown partial, helper or block helper is named', () => {
    expect(templateError(templateFiles('{{> timelin}}', { timeline: 'x' })).message).toContain(
      'unknown partial "timelin"; did you mean "timeline"',
    );
    expect(templateError(templateFiles('{{mdd title}}')).message).toContain(
      'unknown helper "mdd"; did you mean "md"',
    );
    expect(templateError(templateFiles('{{#repeat timeline}}x{{/repeat}}')).message).toContain(
      'unknown block helper "repeat"',
    );
  });

  it('a literal used as a field is refused', () => {
    expect(templateError(templateFiles('{{"title"}}')).message).toContain(
      'write a field path instead of the literal "title"',
    );
  });

  it('a helper given a list instead of text is refused', () => {
    expect(templateError(templateFiles('{{md timeline}}')).message).toContain(
      'helper "md" needs text, but "timeline" is a list',
    );
  });

  it('a missing template file is named', () => {
    const e = templateError(join(tmp, 'nowhere.md.hbs'));
    expect(e.message).toMatch(/nowhere\.md\.hbs: cannot read the template: ENOENT/);
  });

  it('a template changed after a check in the same process is checked again', () => {
    const path = templateFiles('# {{ref}}\n');
    const config = { POSTMORTEM_TEMPLATE: path };
    expect(checkPostmortemSources(config).templatePath).toBe(path);
    // the same files again: checked already, still fine
    expect(checkPostmortemSources(config).templatePath).toBe(path);
    writeFileSync(path, '# {{reff}}\n');
    expect(() => checkPostmortemSources(config)).toThrow(/reff/);
    writeFileSync(join(dirname(path), 'partials', 'extra.md.hbs'), '{{#if}}');
    writeFileSync(path, '# {{ref}}\n');
    expect(() => checkPostmortemSources(config)).toThrow(TemplateError);
  });

  it('an explicit partials folder must exist', () => {
    expect(() =>
      createPostmortemRenderer({ templatePath: TEMPLATE, partialsDir: join(tmp, 'no-partials') }),
    ).toThrow(TemplateError);
  });
});

describe('the shipped template', () => {
  const render = (input: PostmortemInput, now: number): string =>
    createPostmortemRenderer({ templatePath: TEMPLATE }).render(toPostmortemData(input, { now, ...berlin }));

  it('loads its partials', () => {
    expect(createPostmortemRenderer({ templatePath: TEMPLATE }).partials).toEqual(
      expect.arrayContaining(['title', 'summary', 'timeline', 'key-times', 'action-items']),
    );
  });

  it('has every blameless postmortem section, in order', () => {
    const md = render(samplePostmortemInput(), Date.UTC(2025, 2, 14, 12));
    const headings = [...md.matchAll(/^## (.+)$/gm)].map((m) => m[1]!.replace(/ \(.*\)$/, ''));
    expect(headings).toEqual([
      'Summary',
      'Timeline',
      'Key times',
      'Root cause analysis',
      'Why it was not caught earlier',
      'Impact',
      'What went well',
      'What could have been better',
      'Action items',
      'Lessons learned',
      'Process improvements',
    ]);
  });

  it('marks an open incident as a draft', () => {
    const input = samplePostmortemInput();
    input.incident = { ...input.incident, status: 'monitoring', resolvedAt: null, summary: null };
    input.timeline = input.timeline.filter((e) => e.kind !== 'resolved');
    const md = render(input, input.incident.declaredAt + 60 * 60_000);
    expect(md).toContain('> **Draft: not resolved.** INC-42 is still monitoring');
    expect(md).toContain('– ongoing');
    expect(md).toContain('| Resolved | — | not resolved |');
    expect(md).toContain('| Monitoring | 22 min so far | 1 |');
  });

  it('renders an empty timeline with no pages, actions or roles', () => {
    const input = samplePostmortemInput();
    const md = render(
      { ...input, timeline: [], pages: [], actions: [], roles: [], runbooks: [], services: [] },
      Date.UTC(2025, 2, 14, 12),
    );
    expect(md).toContain('_Nothing was recorded on the timeline.');
    expect(md).toContain('| First page | — | no page |');
    expect(md).toContain('_No action items yet.');
    expect(md).toContain('- **Services:** none recorded');
    expect(md).toContain('Nobody held: Incident Commander, Technical Lead, Communications Lead, Scribe.');
    // the declarer took part, role or not
    expect(md).toContain('| Ada Lovelace | — | declared; posted 2 messages |');
    expect(md).not.toContain('### Pages');
  });

  it('renders 10,000 timeline entries, one table row each', () => {
    const input = samplePostmortemInput();
    const base = input.incident.declaredAt;
    const timeline: TimelineEntry[] = Array.from({ length: 10_000 }, (_, i) => ({
      ...input.timeline[0]!,
      id: 100 + i,
      kind: 'note',
      text: `note ${i} | *checked* <@U1>`,
      occurredAt: base + i * 5_000,
      recordedAt: base + i * 5_000,
      sourceKey: `bulk-${i}`,
    }));
    const md = render({ ...input, timeline }, base + 20 * 3_600_000);
    const rows = md.split('\n').filter((l) => l.includes('| Note | note '));
    expect(rows).toHaveLength(10_000);
    expect(rows[9_999]).toContain('note 9999 \\| **checked** @Ada Lovelace');
  });
});

describe('the sample view model', () => {
  // A null left in the sample would leave that field's shape unknown to the start-up check.
  const nullPaths = (shape: Shape, path: string): string[] => {
    if (shape.kind === 'null') return [path];
    if (shape.kind === 'list') return nullPaths(shape.element, `${path}[]`);
    if (shape.kind === 'object')
      return [...shape.fields].flatMap(([k, v]) => nullPaths(v, path ? `${path}.${k}` : k));
    return [];
  };

  it('is documented field by field in docs/postmortem-template.md', () => {
    const docs = readFileSync(
      fileURLToPath(new URL('../../../docs/postmortem-template.md', import.meta.url)),
      'utf8',
    );
    // the words inside code spans: `keyTimes.tta`, `{ title, url, service }`
    const named = new Set([...docs.matchAll(/`([^`]+)`/g)].flatMap((m) => m[1]!.split(/\W+/)));
    // every field a template can read, by its path; `names` is a map of Slack ids, not fields
    const fieldPaths = (shape: Shape, path: string): string[] => {
      if (shape.kind === 'list') return fieldPaths(shape.element, path);
      if (shape.kind !== 'object' || path === 'names') return [];
      return [...shape.fields].flatMap(([k, v]) => {
        const here = path ? `${path}.${k}` : k;
        return [here, ...fieldPaths(v, here)];
      });
    };
    const undocumented = fieldPaths(shapeOf(samplePostmortemData()), '').filter(
      (path) => !named.has(path.split('.').at(-1)!),
    );
    expect(undocumented).toEqual([]);
  });

  it('fills every field somewhere', () => {
    // the current holder has not handed over, so its `until` is null by definition; what happened is not
    // bookkeeping, and bookkeeping rows are never Slack messages (no files, link, edit or deletion)
    expect(nullPaths(shapeOf(samplePostmortemData()), '')).toEqual([
      'summary.roles[].holder.until',
      'days[].entries[].bookkeeping',
      'bookkeeping[].entries[].originalText',
      'bookkeeping[].entries[].files[]',
      'bookkeeping[].entries[].permalink',
      'bookkeeping[].entries[].deletedAt',
      'bookkeeping[].entries[].redacted',
    ]);
  });
});
