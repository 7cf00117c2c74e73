/** The lifecycle use cases against a real app and database: hooks, same-millisecond changes, checklists. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { changeStatus } from '../../src/app/incident/change-status.js';
import { DomainError } from '../../src/domain/errors.js';
import type { ResolveHook } from '../../src/app/incident/hooks.js';
import { resolveIncident } from '../../src/app/incident/resolve-incident.js';
import { checklistFile, fillChecklist, roleChecklist } from '../../src/adapters/slack/role-checklist.js';
import { type Harness, startMuster } from '../support/muster-harness.js';
import { removeTempDirs, tempDir } from '../support/temp-dir.js';

let h: Harness | null = null;
afterEach(async () => {
  await h?.stop();
  h = null;
});
afterAll(() => removeTempDirs());

const declared = async () => {
  h = await startMuster();
  await h.command('declare sev2 search is slow', { user: 'U0ALICE' });
  await h.idle();
  return h.app.deps;
};

describe('lifecycle use cases', () => {
  it('runs resolve hooks inside the resolving transaction; a failing hook undoes the resolution', async () => {
    const app = await declared();
    let fail = true;
    const hook: ResolveHook = async (d, incident) => {
      await d.store.timeline.add(
        {
          incidentNumber: incident.number,
          kind: 'note',
          text: 'hook ran',
          actor: 'muster',
          occurredAt: d.clock.now(),
          sourceKey: 'hook',
        },
        d.clock.now(),
      );
      if (fail) throw new Error('outbox full');
    };
    const deps = { ...app, hooks: { ...app.hooks, resolved: [...app.hooks.resolved, hook] } };
    await expect(resolveIncident(deps, { number: 1, summary: null, by: 'U0ALICE' })).rejects.toThrow(
      'outbox full',
    );
    expect((await deps.store.incidents.get(1))!.status).toBe('investigating');
    expect((await deps.store.timeline.list(1)).map((e) => e.kind)).toEqual(['declared', 'role']);
    fail = false;
    await resolveIncident(deps, { number: 1, summary: 'index rebuilt', by: 'U0ALICE' });
    expect(await deps.store.incidents.get(1)).toMatchObject({ status: 'resolved', summary: 'index rebuilt' });
    expect((await deps.store.timeline.list(1)).map((e) => e.text)).toContain('hook ran');
  });

  it('keeps every change made within the same millisecond', async () => {
    const deps = await declared();
    for (const status of ['monitoring', 'identified', 'monitoring', 'identified'] as const)
      await changeStatus(deps, { number: 1, status, by: 'U0BOB' });
    const statuses = (await deps.store.timeline.list(1)).filter((e) => e.kind === 'status');
    expect(statuses.map((e) => `${e.meta.from}>${e.meta.to}`)).toEqual([
      'investigating>monitoring',
      'monitoring>identified',
      'identified>monitoring',
      'monitoring>identified',
    ]);
    expect(new Set(statuses.map((e) => e.sourceKey)).size).toBe(4);
  });

  it('refuses an unknown incident with a DomainError', async () => {
    const deps = await declared();
    const run = async () => changeStatus(deps, { number: 99, status: 'identified', by: 'U0BOB' });
    await expect(run()).rejects.toThrow(DomainError);
    await expect(run()).rejects.toThrow('INC-99 does not exist.');
  });
});

describe('role checklists', () => {
  it('come from the editable template in the working folder, with placeholders filled', async () => {
    const deps = await declared();
    const incident = (await deps.store.incidents.get(1))!;
    const cwd = tempDir();
    mkdirSync(join(cwd, 'templates/roles'), { recursive: true });
    writeFileSync(
      join(cwd, 'templates/roles/scribe.md'),
      'Record {{incident}} ({{title}}, {{severity}}) in {{channel}} as {{role}}; {{unknown}} stays.\n',
    );
    expect(checklistFile('scribe', cwd)).toBe(join(cwd, 'templates/roles/scribe.md'));
    expect(roleChecklist('scribe', incident, cwd)).toBe(
      `Record INC-1 (search is slow, SEV-2) in <#${incident.channelId}> as Scribe; {{unknown}} stays.`,
    );
    // roles without a local template use the one shipped with Muster
    expect(checklistFile('tech', cwd)).toMatch(/templates\/roles\/tech\.md$/);
    expect(roleChecklist('tech', incident, cwd)).toContain('You lead the diagnosis and the fix of INC-1.');
  });

  it('show the title (Slack text) escaped once, so it cannot ping a channel or fake a link', () => {
    const incident = {
      number: 2,
      title: '<!channel> <!subteam^S1|@oncall> &amp; &lt;http://x|y&gt; & <evil|y>',
      channelId: null,
      severity: 1,
    } as Parameters<typeof fillChecklist>[2];
    expect(fillChecklist('{{title}} in {{channel}}', 'ic', incident)).toBe(
      '@\u2060channel @\u2060oncall &amp; &lt;http://x|y&gt; &amp; &lt;evil|y&gt; in the incident channel',
    );
  });
});
