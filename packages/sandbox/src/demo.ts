/**
 * `muster demo`: runs the scripted incident (demo-script.ts) in-process against the sandbox, through the real
 * path (signed slash commands, events and interactions over HTTP; the app answering through the workspace's
 * Web API; PagerDuty acknowledging by signed webhook; an action item's issue closed in the sandbox's GitHub
 * coming back by signed webhook), then writes the postmortem to
 * `./postmortem-INC-<n>.md` and returns a one-screen summary. The incident's clock runs about 45 minutes
 * ahead in a few seconds, so the timeline and postmortem read like a real incident.
 */
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { pino } from 'pino';
import { type Clock, exportPostmortem, loadConfig, withoutSlack } from '../../../src/index.js';
import { type DemoStep, demoScript, scriptMinutes, type Where } from './demo-script.js';
import { withoutLinksTo } from './demo-links.js';
import { demoSummary } from './demo-summary.js';
import { type Sandbox, startSandbox } from './sandbox.js';
import { demoCatalogPath } from './sandbox-config.js';
import { stateFileBeside } from './state-file.js';
import { elementsOf } from './slack-view-state.js';
import { INCIDENTS_CHANNEL_ID } from './slack-workspace-seed.js';

export interface DemoOptions {
  /** the environment (LOG_LEVEL, INCIDENT_TIMEZONE, POSTMORTEM_TEMPLATE... are used; Slack ones are not) */
  env: Record<string, string | undefined>;
  /** the folder the postmortem is written to; default the current one */
  cwd?: string;
  /**
   * keep the sandbox database here, and its workspace beside it (to open both with `npm run sandbox` later);
   * default a temporary one
   */
  databaseFile?: string;
  /** how long PagerDuty takes to acknowledge a page; default 1.5 s */
  acknowledgeAfterMs?: number;
}

export interface DemoResult {
  incidentNumber: number;
  /** absolute path of the postmortem written */
  postmortemPath: string;
  /** what to print: the path and a one-screen summary */
  summary: string;
}

/** A step went wrong: the app refused it or did not answer. */
export class DemoError extends Error {}

/** Real time minus a lag that shrinks as the script moves on: the incident happened "just now". */
class DemoClock implements Clock {
  constructor(private lag: number) {}
  now(): number {
    return Date.now() - this.lag;
  }
  /** Moves incident time to `minute` of a script that started `lagAtStart` ms ago. */
  moveTo(minute: number, lagAtStart: number): void {
    this.lag = Math.max(0, Math.min(this.lag, lagAtStart - minute * 60_000));
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DemoError(what)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Runs the demo; throws DemoError (with what failed) when a step does not work. */
export async function runDemo(opts: DemoOptions): Promise<DemoResult> {
  const dir = mkdtempSync(join(tmpdir(), 'muster-demo-'));
  const started = Date.now();
  const steps = demoScript(started);
  const lagAtStart = (scriptMinutes(steps) + 2) * 60_000;
  const clock = new DemoClock(lagAtStart);
  const logFile = join(dir, 'demo.log');
  // The demo's sandbox, like any sandbox, never opens DATABASE_URL: it runs on its own database file, with its
  // workspace beside it (never in a SANDBOX_STATE_FILE set for `npm run sandbox`, which it would overwrite).
  const databaseFile = opts.databaseFile ?? join(dir, 'sandbox.db');
  const config = loadConfig({
    ...withoutSlack(opts.env).env,
    SANDBOX_DATABASE_URL: databaseFile,
    SANDBOX_STATE_FILE: stateFileBeside(databaseFile),
    CATALOG_PATH: demoCatalogPath(),
    PORT: '0',
    // a one-off scripted run: nothing scrapes it, and it must not take a running Muster's metrics port
    METRICS_PORT: 'off',
  });
  const sandbox = await startSandbox(config, {
    port: 0,
    // only this process talks to the demo's sandbox, whatever HOST says
    host: '127.0.0.1',
    acknowledgeAfterMs: opts.acknowledgeAfterMs ?? 1500,
    overrides: { clock, logDestination: pino.destination({ dest: logFile, sync: true }) },
  });
  let number: number;
  try {
    number = await play(sandbox, steps, clock, lagAtStart);
  } catch (e) {
    await sandbox.stop().catch(() => {});
    if (e instanceof DemoError) e.message = `${e.message} (the app's log: ${logFile})`;
    throw e;
  }
  const summaryFacts = await demoSummary(sandbox, number, Date.now() - started);
  await sandbox.stop();
  const { markdown } = await exportPostmortem(sandbox.app.config, String(number), clock.now());
  const path = resolve(opts.cwd ?? process.cwd(), `postmortem-INC-${number}.md`);
  writeFileSync(path, withoutLinksTo(markdown, sandbox.url));
  if (!opts.databaseFile) rmSync(dir, { recursive: true, force: true });
  const shown = relative(process.cwd(), path).startsWith('..') ? path : `./${relative(process.cwd(), path)}`;
  const kb = (statSync(path).size / 1024).toFixed(1);
  const keep = opts.databaseFile
    ? `\nThe sandbox is kept in ${opts.databaseFile} and its workspace in ${sandbox.stateFile}: ` +
      `SANDBOX_DATABASE_URL=${opts.databaseFile} npm run sandbox shows it.`
    : '';
  return {
    incidentNumber: number,
    postmortemPath: path,
    summary: `${summaryFacts}\nPostmortem written to ${shown} (${kb} KB).${keep}\nTry it yourself: npm run sandbox, then open http://127.0.0.1:3000/\n`,
  };
}

/** Plays the steps; returns the incident's number. */
async function play(
  sandbox: Sandbox,
  steps: DemoStep[],
  clock: DemoClock,
  lagAtStart: number,
): Promise<number> {
  const ws = sandbox.workspace;
  let incident: { number: number; channelId: string; headlineTs: string } | null = null;
  const channelOf = (where: Where): string => {
    if (where === 'announce') return INCIDENTS_CHANNEL_ID;
    if (!incident) throw new DemoError('the incident channel does not exist yet');
    return incident.channelId;
  };
  for (const step of steps) {
    clock.moveTo(step.minute, lagAtStart);
    const what = describe(step);
    const before = ws.ephemerals({ user: step.who }).length;
    const channel = step.kind === 'type' ? channelOf(step.where) : channelOf('incident');
    const outcome = await perform(sandbox, step, channel, incident?.headlineTs ?? null, (minute) =>
      clock.moveTo(minute, lagAtStart),
    );
    if (!outcome.ok) throw new DemoError(`${what}: ${outcome.error}`);
    await sandbox.idle();
    const refused = ws
      .ephemerals({ user: step.who })
      .slice(before)
      .find((e) => /^:(warning|x):/.test(e.text));
    if (refused) throw new DemoError(`${what}: Muster answered "${refused.text}"`);
    if (!incident) {
      const declared = (await sandbox.app.deps.store.incidents.all()).at(-1);
      if (!declared?.channelId || !declared.headlineTs)
        throw new DemoError(`${what}: no incident channel was made`);
      incident = { number: declared.number, channelId: declared.channelId, headlineTs: declared.headlineTs };
    }
  }
  if (!incident) throw new DemoError('the script declared no incident');
  return incident.number;
}

type Outcome = { ok: true } | { ok: false; error: string };

async function perform(
  sandbox: Sandbox,
  step: DemoStep,
  channel: string,
  headlineTs: string | null,
  moveTo: (minute: number) => void,
): Promise<Outcome> {
  const { people, workspace: ws } = sandbox;
  switch (step.kind) {
    case 'type':
      return people.type(step.who, channel, step.text);
    case 'react': {
      const target = ws
        .messages(channel)
        .filter((m) => m.user === step.author && !m.subtype)
        .at(-1);
      if (!target) return { ok: false, error: 'no message to react to' };
      return people.react(step.who, channel, target.ts, step.reaction, true);
    }
    case 'modal': {
      if (!headlineTs) return { ok: false, error: 'no headline' };
      const blockId = ws
        .message(channel, headlineTs)
        ?.blocks?.find((b) => (b as { type?: string }).type === 'actions') as
        | { block_id?: string }
        | undefined;
      const pressed = await people.press(
        step.who,
        { channel, ts: headlineTs },
        { blockId: blockId?.block_id ?? '', actionId: step.button },
      );
      if (!pressed.ok) return pressed;
      await sandbox.idle();
      const view = ws
        .views()
        .filter((v) => !v.closed && v.user === step.who)
        .at(-1);
      if (!view) return { ok: false, error: 'no modal opened' };
      const elements = elementsOf(view.view['blocks']);
      const values = Object.fromEntries(
        Object.entries(step.values).map(([block, v]) => [
          block,
          { [elements.find((e) => e.blockId === block)?.actionId ?? '']: v },
        ]),
      );
      const submitted = await people.submit(step.who, view.id, values);
      return submitted.ok
        ? submitted
        : { ok: false, error: JSON.stringify(submitted.errors ?? submitted.error) };
    }
    case 'page': {
      const typed = await people.type(step.who, channel, `/incident page ${step.service} ${step.message}`);
      if (!typed.ok) return typed;
      // The page is stored before the command's answer. PagerDuty acknowledges a moment later in real time;
      // by then the on-call engineer's minutes of incident time have passed.
      moveTo(step.ackMinute);
      const acknowledged = sandbox.pagerduty.waitFor((f) =>
        f.webhooks.some((w) => w.eventType === 'incident.acknowledged' && w.status !== null),
      );
      await withTimeout(
        acknowledged,
        20_000,
        `paging ${step.service}: PagerDuty did not acknowledge within 20 s`,
      );
      return { ok: true };
    }
    case 'close issue': {
      const issue = sandbox.github.issues.find((i) => i.title.startsWith(step.action));
      if (!issue) return { ok: false, error: 'no issue was filed for the action item' };
      const closed = await sandbox.issues.act({
        act: 'close',
        user: step.who,
        repo: issue.repo,
        number: issue.number,
      });
      if (!closed.body.ok) return { ok: false, error: closed.body.error };
      const answered = closed.body.webhookStatus;
      if (answered !== 200) return { ok: false, error: `Muster answered GitHub's webhook with ${answered}` };
      return { ok: true };
    }
  }
}

function describe(step: DemoStep): string {
  const when = `minute ${step.minute}`;
  if (step.kind === 'type') return `${when}, ${step.who} typed "${step.text.slice(0, 60)}"`;
  if (step.kind === 'react') return `${when}, ${step.who} reacted :${step.reaction}:`;
  if (step.kind === 'modal') return `${when}, ${step.who} used the ${step.button} modal`;
  if (step.kind === 'close issue') return `${when}, ${step.who} closed the issue of "${step.action}"`;
  return `${when}, ${step.who} paged ${step.service}`;
}
