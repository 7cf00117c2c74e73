/**
 * The App Home in the sandbox, without a browser: a person opens the Home tab (the page's `home` act), the
 * workspace delivers `app_home_opened` to the real app (the manifest subscribes to it), the app publishes the
 * Home through the workspace's views.publish, and its "Declare incident" button opens the declare form.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/index.js';
import { startTestSandbox, type TestSandbox } from '../support/sandbox-harness.js';
import { removeTempDirs } from '../../../../test/support/temp-dir.js';

const BOB = 'U0BOB';

let t: TestSandbox;
let s: Sandbox;

beforeAll(async () => {
  t = await startTestSandbox();
  s = t.sandbox;
});

afterAll(async () => {
  await t.sandbox.stop();
  removeTempDirs();
});

const act = (body: Record<string, unknown>) =>
  fetch(`${t.base}/sandbox/act`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-muster-sandbox': '1' },
    body: JSON.stringify(body),
  });

describe('the App Home in the sandbox', () => {
  it('is published when a person opens it, and declares from its button', async () => {
    expect(await (await act({ act: 'home', user: BOB, tab: 'messages' })).json()).toEqual({ ok: true });
    await s.idle();
    expect(s.workspace.homeView(BOB)).toBeUndefined();

    expect(await (await act({ act: 'home', user: BOB })).json()).toEqual({ ok: true });
    await s.idle();
    const home = s.workspace.homeView(BOB);
    expect(JSON.stringify(home?.view)).toContain('No open incidents.');

    const pressed = await s.people.press(
      BOB,
      { viewId: home!.id },
      { blockId: 'home:buttons', actionId: 'home.declare' },
    );
    expect(pressed).toEqual({ ok: true });
    await s.idle();
    const form = s.workspace
      .views()
      .filter((v) => !v.closed && v.user === BOB && v.view['type'] === 'modal')
      .at(-1)!;
    expect(form.view['callback_id']).toBe('declare');
    const done = await s.people.submit(BOB, form.id, {
      title: { value: 'Search returns nothing' },
      severity: { value: '2' },
    });
    expect(done).toEqual({ ok: true });
    await s.idle();
    const [incident] = await s.app.deps.store.incidents.listOpen();
    expect(incident).toMatchObject({ title: 'Search returns nothing', declaredBy: BOB });
    expect(JSON.stringify(s.workspace.homeView(BOB)?.view)).toContain('Search returns nothing');
  });

  it('refuses the act for someone the workspace does not know', async () => {
    expect(await (await act({ act: 'home', user: 'U0NOBODY' })).json()).toEqual({
      ok: false,
      error: 'user_not_found',
    });
    expect((await act({ act: 'home', user: BOB, tab: 'settings' })).status).toBe(400);
  });
});
