import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { lint } from 'markdownlint/sync';
import { describe, expect, it } from 'vitest';
import { createPostmortemRenderer } from '../../../src/adapters/render/postmortem-renderer.js';
import { makeTimeFormatters } from '../../../src/adapters/render/time-format.js';
import type { ActionItem } from '../../../src/domain/action-item.js';
import type { Page } from '../../../src/domain/page.js';
import { type PostmortemInput, toPostmortemData } from '../../../src/domain/postmortem.js';
import type { EntryKind, TimelineEntry } from '../../../src/domain/timeline.js';

const TEMPLATE = fileURLToPath(new URL('../../../templates/postmortem.md.hbs', import.meta.url));
const GOLDEN = fileURLToPath(new URL('../../fixtures/postmortem-golden.md', import.meta.url));

// Friday 2025-03-14 in Berlin (CET, UTC+1): 09:52 local is 08:52 UTC.
const at = (hh: number, mm: number): number => Date.UTC(2025, 2, 14, hh - 1, mm);

let id = 0;
const entry = (
  time: number,
  kind: EntryKind,
  actor: string,
  text: string,
  over: Partial<TimelineEntry> = {},
): TimelineEntry => {
  id += 1;
  return {
    id,
    incidentNumber: 42,
    number: id,
    redactedBy: null,
    redactedAt: null,
    kind,
    text,
    originalText: null,
    actor,
    occurredAt: time,
    recordedAt: time + 1000,
    sourceKey: `golden-${id}`,
    state: 'active',
    meta: {},
    ...over,
  };
};

/** The story: checkout 502s after a gateway config deploy, paged, rolled back, resolved. */
function storyInput(): PostmortemInput {
  const page: Page = {
    id: 1,
    incidentNumber: 42,
    service: 'payments',
    via: 'events',
    dedupKey: 'muster-inc-42-payments',
    pdIncidentId: 'Q1W2E3',
    status: 'resolved',
    message: 'Checkout 502s',
    severity: 2,
    requestedBy: 'U1',
    requestedAt: at(9, 57),
    triggeredAt: at(9, 57),
    acknowledgedAt: at(10, 1),
    acknowledgedBy: 'U3',
    resolvedAt: at(11, 21),
    escalationPromptedAt: null,
    escalationLevel: 0,
  };
  const action = (n: number, over: Partial<ActionItem>): ActionItem => ({
    id: n,
    incidentNumber: 42,
    text: '',
    ownerId: null,
    priority: 'p2',
    due: null,
    createdBy: 'U2',
    createdAt: at(11, 30 + n),
    doneAt: null,
    doneBy: null,
    ...over,
  });
  return {
    incident: {
      number: 42,
      title: 'Checkout _502s_ for EU customers | &lt;b&gt;gateway&lt;/b&gt;',
      description: 'Payments API returns 502 for ~40% of EU requests',
      severity: 1,
      status: 'resolved',
      teamId: 'T1',
      channelId: 'C42',
      channelName: 'inc-42-checkout-502s',
      private: false,
      declaredBy: 'U1',
      declaredAt: at(9, 55),
      impactStartedAt: null,
      detectedAt: null,
      mitigatedAt: at(10, 31),
      resolvedAt: at(11, 20),
      summary: 'Rolled back `gateway.yaml`; errors back to 0.1% &gt; baseline',
      headlineTs: '1741942500.000100',
      announceTs: '1741942500.000200',
      lastUpdateAt: at(10, 25),
      updatedAt: at(11, 20),
    },
    timeline: [
      entry(
        at(9, 52),
        'message',
        'U4',
        'Checkout is throwing 502s | see logs:\n# not a heading\n&lt;script&gt;alert(1)&lt;/script&gt;',
        {
          originalText: 'Checkout is throwing 502s',
          meta: {
            permalink: 'https://acme.slack.com/archives/C42/p1741942320000100',
            files: [
              {
                name: 'grafana | 5xx (eu).png',
                url: 'https://files.slack.com/files-pri/T1-F1/grafana.png',
                mimetype: 'image/png',
              },
            ],
            editedAt: at(9, 53),
            addedBy: 'U1',
          },
        },
      ),
      entry(
        at(9, 55),
        'declared',
        'U1',
        'Declared SEV-2: Checkout _502s_ for EU customers | &lt;b&gt;gateway&lt;/b&gt;',
        { meta: { severity: 2, status: 'investigating' } },
      ),
      entry(at(9, 55), 'role', 'U1', '<@U1> is Incident Commander'),
      entry(at(9, 55), 'service', 'muster', 'Service payments attached (owner Payments &amp; Billing)'),
      entry(
        at(9, 55),
        'runbook',
        'muster',
        'Runbook linked: <https://runbooks.acme.example/payments_(eu)|Payments [EU] runbook> (payments)',
      ),
      entry(at(9, 57), 'page', 'U1', 'Paged payments: Checkout 502s -&gt; on call', {
        meta: { service: 'payments' },
      }),
      entry(at(10, 1), 'page_ack', 'pagerduty', 'payments page acknowledged by Alan Turing after 4 min', {
        meta: { service: 'payments', event: 'incident.acknowledged', agent: 'Alan Turing' },
      }),
      entry(
        at(10, 1),
        'page_event',
        'pagerduty',
        'PagerDuty #812 opened for payments, assigned to Pat | *Night* Ops',
        {
          meta: { service: 'payments', event: 'incident.triggered', assignees: ['Pat | *Night* Ops'] },
        },
      ),
      entry(at(10, 2), 'role', 'U1', '<@U3> is Technical Lead'),
      entry(at(10, 5), 'role', 'U1', '<@U4> is Communications Lead'),
      entry(
        at(10, 10),
        'note',
        'U3',
        'Error rate 43% on `gateway-eu` (<https://grafana.acme.example/d/gw?from=1&amp;to=2|dashboard>) cc <@U1>\n- rollback?\n1. check config',
      ),
      entry(at(10, 12), 'severity', 'U1', 'Severity changed from SEV-2 to SEV-1', {
        meta: { from: 2, to: 1 },
      }),
      entry(
        at(10, 15),
        'status',
        'U3',
        'Status changed from investigating to identified: bad `max_conns` -&gt; pool exhausted -&gt; 500s',
        {
          meta: { from: 'investigating', to: 'identified' },
        },
      ),
      entry(at(10, 20), 'role', 'U1', '<@U2> is Incident Commander (handed over from <@U1>)'),
      entry(
        at(10, 25),
        'update',
        'U4',
        'Rolled back *gateway* config; _watching_ error rates. Next update 10:45 <!here>',
      ),
      entry(at(10, 31), 'status', 'U2', 'Status changed from identified to monitoring', {
        meta: { from: 'identified', to: 'monitoring' },
      }),
      entry(at(10, 40), 'message', 'U4', '', { state: 'deleted', meta: { deletedAt: at(10, 42) } }),
      entry(at(10, 41), 'note', 'U3', '', { redactedBy: 'U2', redactedAt: at(10, 44) }),
      entry(at(10, 45), 'message', 'U1', 'this entry lost its reaction', { state: 'removed' }),
      entry(at(11, 20), 'resolved', 'U2', 'Resolved: Rolled back `gateway.yaml`', {
        meta: { from: 'monitoring', to: 'resolved' },
      }),
      entry(at(11, 21), 'page_event', 'muster', 'Resolved the PagerDuty page to payments', {
        meta: { service: 'payments', pageId: 1, event: 'resolved' },
      }),
      entry(at(11, 31), 'action', 'U2', 'Action item (P2): Alert on 5xx ratio &gt; 5% per region', {
        meta: { actionId: 1 },
      }),
      entry(at(11, 50), 'action', 'U4', 'Action item done: *Document* the rollback in the runbook', {
        meta: { actionId: 3, done: true },
      }),
    ],
    roles: [
      { role: 'ic', userId: 'U1', assignedAt: at(9, 55), endedAt: at(10, 20) },
      { role: 'tech', userId: 'U3', assignedAt: at(10, 2), endedAt: null },
      { role: 'comms', userId: 'U4', assignedAt: at(10, 5), endedAt: null },
      { role: 'ic', userId: 'U2', assignedAt: at(10, 20), endedAt: null },
    ],
    actions: [
      action(1, {
        text: 'Alert on 5xx ratio &gt; 5% per region <https://wiki.acme.example/alerts|alerting guide>',
        priority: 'p2',
      }),
      action(2, {
        text: 'Validate `gateway.yaml` in CI | schema + limits',
        ownerId: 'U3',
        priority: 'p0',
        due: '2025-03-21',
      }),
      action(3, {
        text: '*Document* the rollback in the runbook',
        ownerId: 'U4',
        priority: 'p1',
        due: '2025-03-28',
        doneAt: at(11, 50),
        doneBy: 'U4',
      }),
    ],
    pages: [page],
    services: ['payments', 'checkout-api'],
    runbooks: [
      {
        title: 'Payments [EU] runbook',
        url: 'https://runbooks.acme.example/payments_(eu)',
        service: 'payments',
      },
    ],
    authors: [
      { userId: 'U4', messages: 3, firstAt: at(9, 52) },
      { userId: 'U3', messages: 2, firstAt: at(9, 58) },
      { userId: 'B0GRAFANA', messages: 4, firstAt: at(9, 50) },
    ],
    names: { U1: 'Ada Lovelace', U2: 'Grace Hopper', U3: 'Alan Turing', U4: 'Carol | *Ops*' },
  };
}

const STORY = fileURLToPath(new URL('../../fixtures/postmortem-story.md', import.meta.url));

/**
 * markdownlint with every rule on, but line length: table rows and prompts are one line by design. MD033
 * (no inline HTML) stays on, so a line break in a cell must survive without `<br>`; MD049 and MD050 ask
 * for one emphasis style and one strong style across the template's prompts and the converted Slack text.
 */
const lintMarkdown = (name: string, markdown: string): string[] =>
  lint({ strings: { [name]: markdown }, config: { default: true, MD013: false } })[name]!.map(
    (e) =>
      `${e.lineNumber}: ${e.ruleNames.join('/')} ${e.ruleDescription} ${e.errorDetail ?? ''} ${e.errorContext ?? ''}`,
  );

describe('the postmortem golden file', () => {
  it('renders the story incident exactly as checked in (UPDATE_GOLDEN=1 rewrites it; review the diff)', () => {
    const renderer = createPostmortemRenderer({ templatePath: TEMPLATE });
    const data = toPostmortemData(storyInput(), { now: at(12, 0), ...makeTimeFormatters('Europe/Berlin') });
    const markdown = renderer.render(data);
    if (process.env.UPDATE_GOLDEN) writeFileSync(GOLDEN, markdown);
    expect(markdown).toBe(readFileSync(GOLDEN, 'utf8'));
  });

  it('passes markdownlint: no HTML, one emphasis style, tables with every row whole', () => {
    expect(lintMarkdown('postmortem-golden.md', readFileSync(GOLDEN, 'utf8'))).toEqual([]);
    expect(lintMarkdown('postmortem-story.md', readFileSync(STORY, 'utf8'))).toEqual([]);
  });

  it('keeps multi-line and hostile Slack text readable in a table without HTML', () => {
    const input = storyInput();
    input.timeline.push(
      entry(
        at(11, 30),
        'message',
        'U2',
        'Rolled back.\n\nNext: *watch* _the_ ~old~ pool\n| not a cell |\n<b>not html</b>',
      ),
    );
    const renderer = createPostmortemRenderer({ templatePath: TEMPLATE });
    const markdown = renderer.render(
      toPostmortemData(input, { now: at(12, 0), ...makeTimeFormatters('Europe/Berlin') }),
    );
    expect(markdown).toContain(
      '| Rolled back. · Next: **watch** _the_ ~~old~~ pool · \\| not a cell \\| · \\<b>not html\\</b> |',
    );
    expect(lintMarkdown('hostile.md', markdown)).toEqual([]);
  });

  it('keeps hostile text safe everywhere it now appears: responders, bookkeeping, the impact, without an entity', () => {
    const input = storyInput();
    const long = `${'pool exhausted -&gt; 500s &amp; '.repeat(1300)}🔥`;
    input.incident.title = 'DB pool -&gt; 500s &amp; &lt;!-- x --&gt; &lt;b&gt;';
    input.incident.channelName = 'inc-42-db_pool';
    input.pages[0]!.acknowledgedBy = '<img src=x> | *PD*';
    input.names.U5 = '# Eve <b>';
    input.authors.push({ userId: 'U5', messages: 1, firstAt: at(11, 0) });
    input.timeline.push(
      entry(
        at(11, 1),
        'update',
        'U5',
        '&gt; quoted?\n# heading?\nCustomers see 500s -&gt; retry &amp; wait &lt;5 min',
      ),
      entry(at(11, 2), 'message', 'U5', long, { meta: { addedBy: 'U5' } }),
      entry(at(11, 3), 'role', 'U1', '<@U5> is Scribe'),
    );
    input.roles.push({ role: 'scribe', userId: 'U5', assignedAt: at(11, 3), endedAt: null });
    const renderer = createPostmortemRenderer({ templatePath: TEMPLATE });
    const markdown = renderer.render(
      toPostmortemData(input, { now: at(12, 0), ...makeTimeFormatters('Europe/Berlin') }),
    );
    expect(lintMarkdown('hostile-everywhere.md', markdown)).toEqual([]);
    expect(markdown).not.toMatch(/(?<!\\)&(?:lt|gt|amp|quot|#x?[0-9a-f]+);/i);
    expect(markdown).toContain('# INC-42: DB pool -> 500s & \\<!-- x --> \\<b>');
    expect(markdown).toContain('- **Channel:** [#inc-42-db_pool](https://acme.slack.com/archives/C42)');
    expect(markdown).toContain('| \\<img src=x> \\| \\*PD\\* | — | acknowledged the payments page |');
    expect(markdown).toContain(
      '| \\# Eve \\<b> | Scribe (since 11:03) | posted 1 message; pinned 1 message to the timeline; 1 update |',
    );
    expect(markdown).toContain('11:03 @# Eve \\<b> is Scribe, by Ada Lovelace');
    // the latest update that spoke of customers opens the Impact section, as a quote that cannot be nested
    expect(markdown).toContain(
      'The latest update that described it (11:01, \\# Eve \\<b>):\n\n> \\> quoted? · # heading? · Customers see 500s -> retry & wait <5 min\n',
    );
    expect(markdown).toContain(`${'pool exhausted -> 500s & '.repeat(1299)}pool exhausted -> 500s & 🔥`);
    expect(markdown).not.toContain('Nobody held');
  });
});
