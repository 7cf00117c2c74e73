/**
 * The scripted incident of `muster demo`: a sev2 on checkout, worked by four people over about 45 minutes of
 * incident time. Each step is something a person does in the sandbox workspace (or in its GitHub, where the
 * action items become issues), at a minute of the incident.
 */

export const ALICE = 'U0ALICE';
export const BOB = 'U0BOB';
export const CAROL = 'U0CAROL';
export const DAVE = 'U0DAVE';

export type Where = 'announce' | 'incident';

export type DemoStep =
  /** types a message or slash command in a channel (mentions as @name, as a person would) */
  | { minute: number; kind: 'type'; who: string; where: Where; text: string }
  /** reacts to the last message of `author` in the incident channel */
  | { minute: number; kind: 'react'; who: string; author: string; reaction: string }
  /** presses a headline button and submits the modal it opens with `values` (block id -> value) */
  | { minute: number; kind: 'modal'; who: string; button: string; values: Record<string, string> }
  /** pages a service and waits for PagerDuty's acknowledgement webhook, which comes at `ackMinute` */
  | { minute: number; kind: 'page'; who: string; service: string; message: string; ackMinute: number }
  /** closes, in the sandbox's GitHub, the issue filed for the action item whose text starts with `action` */
  | { minute: number; kind: 'close issue'; who: string; action: string };

/** The date `days` after `now`, as YYYY-MM-DD (action item due dates). */
const inDays = (now: number, days: number): string =>
  new Date(now + days * 86_400_000).toISOString().slice(0, 10);

/** The script; `now` dates the follow-up actions. */
export function demoScript(now: number): DemoStep[] {
  return [
    {
      minute: 0,
      kind: 'type',
      who: ALICE,
      where: 'announce',
      text: '/incident declare sev2 Checkout returns 502 on order placement',
    },
    { minute: 1, kind: 'type', who: ALICE, where: 'incident', text: '/incident role comms @dave' },
    {
      minute: 2,
      kind: 'modal',
      who: ALICE,
      button: 'headline.role',
      values: { role: 'scribe', user: CAROL },
    },
    { minute: 2, kind: 'type', who: ALICE, where: 'incident', text: '/incident role tech @bob' },
    {
      minute: 4,
      kind: 'type',
      who: BOB,
      where: 'incident',
      text: 'Error rate on /orders jumped to 35% four minutes after checkout-api 2024.11.3 went out. All the 502s come from its new payment client.',
    },
    { minute: 5, kind: 'react', who: CAROL, author: BOB, reaction: 'pushpin' },
    {
      minute: 6,
      kind: 'page',
      who: ALICE,
      service: 'checkout',
      message: 'About a third of card orders fail with 502',
      ackMinute: 8,
    },
    { minute: 9, kind: 'type', who: ALICE, where: 'incident', text: '/incident status identified' },
    {
      minute: 10,
      kind: 'type',
      who: BOB,
      where: 'incident',
      text: '/incident note Rolling back checkout-api to 2024.11.2',
    },
    {
      minute: 12,
      kind: 'type',
      who: DAVE,
      where: 'incident',
      text: '/incident update About a third of card orders fail at checkout. Cause found (a bad deploy); rollback in progress. Next update in 30 minutes.',
    },
    {
      minute: 19,
      kind: 'type',
      who: BOB,
      where: 'incident',
      text: 'Rollback finished; the error rate is back to 0.4%.',
    },
    { minute: 20, kind: 'react', who: ALICE, author: BOB, reaction: 'pushpin' },
    { minute: 21, kind: 'type', who: ALICE, where: 'incident', text: '/incident status monitoring' },
    {
      minute: 24,
      kind: 'type',
      who: BOB,
      where: 'incident',
      text: `/incident action Add a canary stage to checkout-api deploys @bob p1 due ${inDays(now, 14)}`,
    },
    {
      minute: 25,
      kind: 'type',
      who: CAROL,
      where: 'incident',
      text: `/incident action Alert when payment errors exceed 5% for 2 minutes @carol p2 due ${inDays(now, 21)}`,
    },
    // the alert is quick to add: Carol closes its issue, and Muster marks the action item done
    { minute: 40, kind: 'close issue', who: CAROL, action: 'Alert when payment errors exceed 5%' },
    {
      minute: 43,
      kind: 'type',
      who: ALICE,
      where: 'incident',
      text: '/incident resolve Rolled back checkout-api 2024.11.3, whose new payment client gave up after one retry on slow answers from the payment provider.',
    },
    { minute: 45, kind: 'type', who: CAROL, where: 'incident', text: '/incident postmortem' },
  ];
}

/** How many minutes of incident time the script spans. */
export const scriptMinutes = (steps: DemoStep[]): number => Math.max(0, ...steps.map((s) => s.minute));
