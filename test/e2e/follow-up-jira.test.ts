/** Jira through the real app: the issue created, then closed and reopened in Jira through its signed webhook. */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FakeJiraUser } from '../../packages/sandbox/src/trackers/index.js';
import { type RunningFakeJira, startFakeJira } from '../fakes/fake-jira.js';
import { type IncidentChannel, openIncident } from '../support/incident-channel.js';
import { removeTempDirs, tempDir } from '../support/temp-dir.js';

const SECRET = 'jira-webhook-secret-for-tests';
const carol: FakeJiraUser = {
  accountId: 'acc-carol',
  displayName: 'Carol Nguyen',
  email: 'carol@example.com',
  emailVisible: true,
  active: true,
  accountType: 'atlassian',
};

let c: IncidentChannel | null = null;
let jira: RunningFakeJira | null = null;
afterEach(async () => {
  await c?.h.stop();
  await jira?.close();
  c = null;
  jira = null;
});
afterAll(() => removeTempDirs());

describe('follow-up issues in Jira', () => {
  it('follows a close and a reopen from the signed webhook, once each, and refuses a bad signature', async () => {
    jira = await startFakeJira({ users: [carol], webhookSecret: SECRET });
    const catalog = join(tempDir(), 'catalog.yaml');
    writeFileSync(catalog, 'follow_ups:\n  jira:\n    project: OPS\nservices: []\n');
    c = await openIncident({
      env: {
        JIRA_BASE_URL: jira.baseUrl,
        JIRA_EMAIL: jira.email,
        JIRA_API_TOKEN: jira.apiToken,
        JIRA_WEBHOOK_SECRET: SECRET,
        CATALOG_PATH: catalog,
      },
    });
    jira.fake.webhookUrl = `${c.h.url}/webhooks/jira`;
    await c.command('action rotate the database password <@U0CAROL> p1');
    await c.h.idle();
    const issue = jira.fake.issues[0]!;
    expect(issue.assignee).toBe('acc-carol');

    expect(await jira.fake.close(issue, carol)).toBe(200);
    await c.h.idle();
    const done = (await c.h.app.store.actions.get(1))!;
    expect(done.doneAt).not.toBeNull();
    expect(done.doneBy).toBe('U0CAROL');
    // the same delivery again changes nothing
    const last = jira.fake.deliveries.at(-1)!;
    expect(await jira.fake.sendWebhook(last.raw, last.headers)).toBe(200);
    await c.h.idle();
    const entries = (await c.entries()).filter((e) => e.kind === 'action').map((e) => e.text);
    expect(entries.filter((t) => t.startsWith('Action item done'))).toEqual([
      `Action item done: rotate the database password (${issue.key} closed in Jira by Carol Nguyen)`,
    ]);

    const forged = {
      ...last.headers,
      'x-hub-signature': `sha256=${'0'.repeat(64)}`,
      'x-atlassian-webhook-identifier': 'forged-1',
    };
    expect(await jira.fake.sendWebhook(last.raw.replace('10000', '10001'), forged)).toBe(401);

    expect(await jira.fake.reopen(issue, carol)).toBe(200);
    await c.h.idle();
    expect((await c.h.app.store.actions.get(1))!.doneAt).toBeNull();
  });
});
