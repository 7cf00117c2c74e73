/**
 * The sandbox serves Muster's incidents web page at /incidents on its own address, with no sign-in, as Alice
 * sees it; its Slack messages link there; a developer's own web settings never reach it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/index.js';
import { INCIDENTS_CHANNEL_ID } from '../../src/slack-workspace-seed.js';
import { sandboxConfigFrom, startTestSandbox, type TestSandbox } from '../support/sandbox-harness.js';
import { removeTempDirs } from '../../../../test/support/temp-dir.js';

let t: TestSandbox;
let s: Sandbox;

beforeAll(async () => {
  t = await startTestSandbox();
  s = t.sandbox;
  expect(
    await s.people.type('U0ALICE', INCIDENTS_CHANNEL_ID, '/incident declare sev2 Checkout returns 502'),
  ).toEqual({ ok: true });
  await s.idle();
});

afterAll(async () => {
  await s.stop();
  removeTempDirs();
});

describe("the sandbox's incidents web page", () => {
  it('lists the sandbox incidents with no sign-in, and each incident has its page', async () => {
    const list = await fetch(`${t.base}/incidents`);
    expect(list.status).toBe(200);
    const text = await list.text();
    expect(text).toContain('Checkout returns 502');
    expect(text).toContain('Signed in as <strong>Alice Example</strong>');
    expect(text).not.toContain('Sign out');
    expect((await fetch(`${t.base}/incidents/1`)).status).toBe(200);
    expect((await fetch(`${t.base}/incidents/insights`)).status).toBe(200);
  });

  it("links the incident's headline to its page on the sandbox's own address", async () => {
    const incident = (await s.app.deps.store.incidents.all()).at(-1)!;
    const said = JSON.stringify(s.workspace.messages(incident.channelId!));
    expect(said).toContain(
      `<${t.base}/incidents/${incident.number}|INC-${incident.number} timeline, pages and postmortem>`,
    );
  });

  it("leaves a developer's WEB_BASE_URL and Slack client out: the sandbox links to itself", () => {
    const config = sandboxConfigFrom({
      WEB_BASE_URL: 'https://muster.example.com',
      SLACK_CLIENT_ID: 'real-client',
      SLACK_CLIENT_SECRET: 'real-client-secret',
      SLACK_BOT_TOKEN: 'xoxb-real',
      SLACK_SIGNING_SECRET: 'real-signing-secret',
    });
    expect([config.WEB_BASE_URL, config.SLACK_CLIENT_ID, config.SLACK_CLIENT_SECRET]).toEqual([
      'http://127.0.0.1:3000',
      'sandbox',
      // the sandbox's own signing secret, made for the run: the client secret is unused there
      'signing',
    ]);
  });
});
