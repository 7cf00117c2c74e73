// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the catalog's ${ENV_NAME} references are what these strings test
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CatalogError } from '../../../src/adapters/catalog/catalog-error.js';
import { loadCatalog } from '../../../src/adapters/catalog/load-catalog.js';
import { catalogFolder } from './catalog-folder.js';

const ENV = { PD_CHECKOUT_KEY: 'R0UT1NGKEYCHECKOUT0000000000000a' };

/** The problems of a catalog that must not load, with the temp folder replaced by `<dir>`. */
function problemsOf(
  yaml: string,
  env: Record<string, string | undefined> = ENV,
  setup?: (dir: string) => void,
): string[] {
  const folder = catalogFolder();
  setup?.(folder.dir);
  folder.write(yaml);
  try {
    loadCatalog(folder.path, env);
  } catch (e) {
    expect(e).toBeInstanceOf(CatalogError);
    const error = e as CatalogError;
    // The message lists every problem, so a person fixes them all in one go.
    expect(error.message).toBe(
      error.problems.length === 1
        ? error.problems[0]
        : [`the catalog has ${error.problems.length} problems:`, ...error.problems.map((p) => `  ${p}`)].join(
            '\n',
          ),
    );
    return error.problems.map((p) => p.split(folder.dir).join('<dir>'));
  }
  throw new Error('the catalog loaded');
}

const FULL = `runbooks_url: https://git.example.com/ops/blob/main/runbooks
services:
  - name: checkout
    aliases: [checkout-api, check out]
    description: Cart and order placement.
    owner: Storefront
    team_channel: C04STOREFRNT
    runbooks:
      - title: Checkout returns 5xx
        file: checkout-5xx.md
      - title: Dashboard
        url: https://grafana.example.com/d/checkout
    pagerduty:
      routing_key: \${PD_CHECKOUT_KEY}
      service_id: P1CHKOT
      escalation_policy_id: PSTOREF
    paging:
      auto_page: [SEV-2, sev1, 3, sev1]
  - name: search
    owner: Discovery
    pagerduty:
      service_id: P2SEARCH
      escalation_policy_id: PDISCOVR
  - name: docs
    owner: Writers
`;

describe('loading a catalog', () => {
  it('reads every field, resolves ${ENV} references and collects them as secrets', () => {
    const folder = catalogFolder();
    const file = folder.runbook('checkout-5xx.md');
    const { catalog, warnings, notice } = loadCatalog(folder.write(FULL), ENV);
    expect(warnings).toEqual([]);
    expect(notice).toBeNull();
    expect(catalog!.services.map((s) => s.name)).toEqual(['checkout', 'search', 'docs']);
    expect(catalog!.find('checkout')).toEqual({
      name: 'checkout',
      aliases: ['checkout-api', 'check out'],
      description: 'Cart and order placement.',
      owner: 'Storefront',
      teamChannel: 'C04STOREFRNT',
      runbooks: [
        {
          title: 'Checkout returns 5xx',
          url: 'https://git.example.com/ops/blob/main/runbooks/checkout-5xx.md',
          file: 'checkout-5xx.md',
          path: resolve(file),
        },
        { title: 'Dashboard', url: 'https://grafana.example.com/d/checkout', file: null, path: null },
      ],
      pagerduty: {
        routingKey: ENV.PD_CHECKOUT_KEY,
        rest: { serviceId: 'P1CHKOT', escalationPolicyId: 'PSTOREF' },
      },
      autoPage: [1, 2, 3],
      followUps: null,
    });
    expect(catalog!.secrets).toEqual([ENV.PD_CHECKOUT_KEY]);
    expect(catalog!.runbooksDir).toBe(join(folder.dir, 'runbooks'));
  });

  it('pages sev1 and sev2 by default when a service has a PagerDuty target, and never without one', () => {
    const folder = catalogFolder();
    folder.runbook('checkout-5xx.md');
    const catalog = loadCatalog(folder.write(FULL), ENV).catalog!;
    const search = catalog.find('search')!;
    const docs = catalog.find('docs')!;
    expect(search.pagerduty).toEqual({
      routingKey: null,
      rest: { serviceId: 'P2SEARCH', escalationPolicyId: 'PDISCOVR' },
    });
    expect([1, 2, 3, 4].map((s) => catalog.autoPages(search, s as 1 | 2 | 3 | 4))).toEqual([
      true,
      true,
      false,
      false,
    ]);
    expect(catalog.canPage(docs)).toBe(false);
    expect(catalog.autoPages(docs, 1)).toBe(false);
    expect(docs).toMatchObject({
      aliases: [],
      description: null,
      teamChannel: null,
      runbooks: [],
      pagerduty: null,
    });
  });

  it('runs without a catalog when the file does not exist, and says so', () => {
    const folder = catalogFolder();
    const loaded = loadCatalog(folder.path, {});
    expect(loaded.catalog).toBeNull();
    expect(loaded.warnings).toEqual([]);
    expect(loaded.notice).toBe(
      `No service catalog at ${folder.path}: running without services, runbooks or PagerDuty targets (catalog.example.yaml shows the format).`,
    );
  });

  it('loads the shipped example catalog and its runbooks', () => {
    const env = {
      PAGERDUTY_CHECKOUT_ROUTING_KEY: 'k1',
      PAGERDUTY_PAYMENTS_ROUTING_KEY: 'k2',
      PAGERDUTY_AUTH_ROUTING_KEY: 'k3',
      PAGERDUTY_NOTIFICATIONS_ROUTING_KEY: 'k4',
    };
    const { catalog, warnings } = loadCatalog('catalog.example.yaml', env);
    expect(warnings).toEqual([]);
    expect(catalog!.services.map((s) => s.name)).toEqual([
      'checkout',
      'payments',
      'search',
      'auth',
      'notifications',
    ]);
    expect(catalog!.find('checkout')!.runbooks[0]!.path).toBe(resolve('runbooks/checkout-5xx.md'));
    expect(catalog!.find('notifications')!.autoPage).toEqual([]);
  });
});

describe('catalog errors name the file, the line, the path and what was expected', () => {
  it('broken YAML: line and column', () => {
    expect(problemsOf('services:\n  - name: checkout\n    aliases: [a, b\n    owner: x\n')).toEqual([
      '<dir>/catalog.yaml:4:5: invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]',
    ]);
    expect(problemsOf('services:\n\t- name: x\n')).toEqual([
      '<dir>/catalog.yaml:2:1: invalid YAML: Tabs are not allowed as indentation',
    ]);
    expect(problemsOf('services:\n  - name: a\n    owner: x\n    name: b\n')).toEqual([
      '<dir>/catalog.yaml:4:5: invalid YAML: Map keys must be unique',
    ]);
  });

  it('an empty file or a file that is not a mapping', () => {
    expect(problemsOf('')).toEqual([
      '<dir>/catalog.yaml:1:1: expected a mapping with a services list, got an empty value',
    ]);
    expect(problemsOf('- checkout\n')).toEqual([
      '<dir>/catalog.yaml:1:1: expected a mapping with a services list, got a list',
    ]);
  });

  it('wrong types and missing fields, with their path', () => {
    const yaml =
      'services:\n  - name: checkout\n    owner: Storefront\n  - name: payments\n    owner: 3\n  - name: search\n    aliases: search-api\n';
    expect(problemsOf(yaml)).toEqual([
      '<dir>/catalog.yaml:5:12: services[1].owner: expected the owning team, got the number 3',
      '<dir>/catalog.yaml:6:5: services[2].owner: missing: expected the owning team',
      '<dir>/catalog.yaml:7:14: services[2].aliases: expected a list of aliases, got "search-api"',
    ]);
  });

  it('the message lists every problem, one a line', () => {
    const folder = catalogFolder();
    folder.write('services:\n  - name: a\n  - name: b\n');
    expect(() => loadCatalog(folder.path, {})).toThrow(
      [
        'the catalog has 2 problems:',
        `  ${folder.path}:2:5: services[0].owner: missing: expected the owning team`,
        `  ${folder.path}:3:5: services[1].owner: missing: expected the owning team`,
      ].join('\n'),
    );
  });

  it('names that are not one word, channel names instead of IDs', () => {
    expect(
      problemsOf('services:\n  - name: check out\n    owner: x\n    team_channel: "#storefront"\n'),
    ).toEqual([
      '<dir>/catalog.yaml:2:11: services[0].name: expected one word of letters, digits, ".", "_" or "-" (it is typed in /incident page <name>), got "check out"',
      '<dir>/catalog.yaml:4:19: services[0].team_channel: expected a Slack channel ID like C0123ABCD (channel details > About), not a name, got "#storefront"',
    ]);
  });

  it('a service name longer than the PagerDuty dedup key allows', () => {
    const long = 'a'.repeat(101);
    expect(
      problemsOf(`services:\n  - name: ${long}\n    owner: x\n  - name: ${'b'.repeat(100)}\n    owner: y\n`),
    ).toEqual([
      '<dir>/catalog.yaml:2:11: services[0].name: expected a service name of at most 100 characters (it is part of the PagerDuty dedup key, limited to 255), got one of 101',
    ]);
  });

  it('runbook URLs that are not http(s), and runbooks with neither or both of url and file', () => {
    const yaml = `services:
  - name: a
    owner: t
    runbooks:
      - title: x
        url: ftp://files.example.com/runbook.md
      - { title: y, url: "javascript:alert(1)" }
      - { title: z, url: not a url }
      - title: neither
      - { title: both, url: "https://ok.example/", file: a.md }
`;
    expect(problemsOf(yaml)).toEqual([
      '<dir>/catalog.yaml:6:14: services[0].runbooks[0].url: expected an http(s) URL, got "ftp://files.example.com/runbook.md"',
      '<dir>/catalog.yaml:7:26: services[0].runbooks[1].url: expected an http(s) URL, got "javascript:alert(1)"',
      '<dir>/catalog.yaml:8:26: services[0].runbooks[2].url: expected an http(s) URL, got "not a url"',
      '<dir>/catalog.yaml:9:9: services[0].runbooks[3]: expected url (an http(s) link) or file (a markdown file in the runbooks folder)',
      '<dir>/catalog.yaml:10:9: services[0].runbooks[4]: expected url or file, not both',
    ]);
  });

  it('PagerDuty targets that are empty or half a REST target', () => {
    const yaml = `services:
  - name: a
    owner: t
    pagerduty: {}
  - name: b
    owner: t
    pagerduty:
      service_id: PABC123
  - name: c
    owner: t
    pagerduty:
      service_id: pabc
      escalation_policy_id: PXYZ789
`;
    expect(problemsOf(yaml)).toEqual([
      '<dir>/catalog.yaml:4:16: services[0].pagerduty: expected routing_key (Events API v2) and/or service_id and escalation_policy_id (REST API)',
      '<dir>/catalog.yaml:8:7: services[1].pagerduty.escalation_policy_id: missing: service_id needs escalation_policy_id too (the REST API pages and finds on-call through both)',
      '<dir>/catalog.yaml:12:19: services[2].pagerduty.service_id: expected a PagerDuty service ID like PABC123, got "pabc"',
    ]);
  });

  it('severities that do not exist', () => {
    const yaml =
      'services:\n  - name: a\n    owner: t\n    pagerduty: { routing_key: k }\n    paging:\n      auto_page: [sev1, sev5]\n  - name: b\n    owner: t\n    paging: { auto_page: { sev1: true } }\n';
    expect(problemsOf(yaml)).toEqual([
      '<dir>/catalog.yaml:6:25: services[0].paging.auto_page[1]: expected one of sev1, sev2, sev3, sev4, got "sev5"',
      '<dir>/catalog.yaml:9:26: services[1].paging.auto_page: expected a list of severities, e.g. [sev1, sev2], got a mapping',
    ]);
  });

  it('an ${ENV} reference that is not set (or is empty) names the variable; the other problems are still reported', () => {
    const yaml = `services:
  - name: a
    owner: t
    pagerduty:
      routing_key: \${PD_A_KEY}
  - name: b
    owner: \${TEAM_B}
    team_channel: nope
`;
    expect(problemsOf(yaml, { TEAM_B: '' })).toEqual([
      '<dir>/catalog.yaml:5:20: services[0].pagerduty.routing_key: ${PD_A_KEY} is not set: set the environment variable PD_A_KEY or write the value',
      '<dir>/catalog.yaml:7:12: services[1].owner: ${TEAM_B} is not set: set the environment variable TEAM_B or write the value',
      '<dir>/catalog.yaml:8:19: services[1].team_channel: expected a Slack channel ID like C0123ABCD (channel details > About), not a name, got "nope"',
    ]);
  });

  it('never echoes a secret from the environment in an error', () => {
    const secret = 'super secret key';
    const problems = problemsOf(
      'services:\n  - name: a\n    owner: t\n    pagerduty:\n      routing_key: ${PD_KEY}\n',
      {
        PD_KEY: secret,
      },
    );
    expect(problems).toEqual([
      '<dir>/catalog.yaml:5:20: services[0].pagerduty.routing_key: expected an Events API v2 routing key (integration key) without spaces',
    ]);
  });

  it('$${NAME} is a literal, and references may sit inside a longer value', () => {
    const folder = catalogFolder();
    const yaml =
      'services:\n  - name: a\n    owner: "$${NOT_A_REFERENCE}"\n    description: "Region ${REGION}, cost $5"\n';
    const catalog = loadCatalog(folder.write(yaml), { REGION: 'eu-west-1' }).catalog!;
    expect(catalog.find('a')).toMatchObject({
      owner: '${NOT_A_REFERENCE}',
      description: 'Region eu-west-1, cost $5',
    });
    expect(catalog.secrets).toEqual(['eu-west-1']);
  });

  it('duplicate names and aliases, ignoring case and punctuation, also an alias against another name', () => {
    const yaml = `services:
  - name: checkout
    aliases: [checkout api]
    owner: t
  - name: Checkout
    owner: t
  - name: payments
    aliases: [Checkout-API, pay]
    owner: t
  - name: billing
    aliases: [payments]
    owner: t
`;
    expect(problemsOf(yaml)).toEqual([
      '<dir>/catalog.yaml:5:11: services[1].name: duplicate: "Checkout" is already services[0].name ("checkout" of service checkout); names and aliases must be unique, ignoring case and punctuation',
      '<dir>/catalog.yaml:8:15: services[2].aliases[0]: duplicate: "Checkout-API" is already services[0].aliases[0] ("checkout api" of service checkout); names and aliases must be unique, ignoring case and punctuation',
      '<dir>/catalog.yaml:11:15: services[3].aliases[0]: duplicate: "payments" is already services[2].name ("payments" of service payments); names and aliases must be unique, ignoring case and punctuation',
    ]);
  });

  it('runbook files outside the runbooks folder, missing or not markdown', () => {
    const yaml = `services:
  - name: a
    owner: t
    runbooks:
      - { title: up, file: ../catalog.yaml }
      - { title: absolute, file: /etc/passwd }
      - { title: missing, file: nope.md }
      - { title: twice, file: runbooks/ok.md }
      - { title: text, file: notes.txt }
      - { title: link, file: escape.md }
      - { title: ok, file: team/ok.md }
`;
    const problems = problemsOf(yaml, ENV, (dir) => {
      writeFileSync(join(dir, 'runbooks', 'notes.txt'), 'x');
      writeFileSync(join(dir, 'outside.md'), 'x');
      symlinkSync(join(dir, 'outside.md'), join(dir, 'runbooks', 'escape.md'));
      mkdirSync(join(dir, 'runbooks', 'team'));
      writeFileSync(join(dir, 'runbooks', 'team', 'ok.md'), '# ok\n');
    });
    expect(problems).toEqual([
      '<dir>/catalog.yaml:5:28: services[0].runbooks[0].file: expected a path inside the runbooks folder (relative to it), got "../catalog.yaml"',
      '<dir>/catalog.yaml:6:34: services[0].runbooks[1].file: expected a path inside the runbooks folder (relative to it), got "/etc/passwd"',
      '<dir>/catalog.yaml:7:33: services[0].runbooks[2].file: runbooks/nope.md does not exist',
      '<dir>/catalog.yaml:8:31: services[0].runbooks[3].file: runbooks/runbooks/ok.md does not exist (paths are relative to the runbooks folder: write ok.md)',
      '<dir>/catalog.yaml:9:30: services[0].runbooks[4].file: expected a markdown file (.md), got "notes.txt"',
      '<dir>/catalog.yaml:10:30: services[0].runbooks[5].file: runbooks/escape.md leads outside the runbooks folder',
    ]);
  });
});

describe('unknown fields are warnings, not errors', () => {
  it('names the field and its path, suggests the nearest known field, and loads the rest', () => {
    const folder = catalogFolder();
    const yaml = `version: 2
services:
  - name: checkout
    onwer: Storefront
    owner: Storefront
    runbooks:
      - { title: x, url: "https://x.example/", kind: wiki }
    pagerduty:
      routing_key: k
      urgency: high
    aliases: [cart, CART]
`;
    const { catalog, warnings } = loadCatalog(folder.write(yaml), {});
    expect(warnings.map((w) => w.split(folder.dir).join('<dir>'))).toEqual([
      '<dir>/catalog.yaml:1:1: version: unknown field, ignored; expected one of runbooks_url, services, follow_ups',
      '<dir>/catalog.yaml:4:5: services[0].onwer: unknown field, ignored (did you mean owner?); expected one of name, aliases, description, owner, team_channel, runbooks, pagerduty, paging, follow_ups',
      '<dir>/catalog.yaml:7:48: services[0].runbooks[0].kind: unknown field, ignored; expected one of title, url, file',
      '<dir>/catalog.yaml:10:7: services[0].pagerduty.urgency: unknown field, ignored; expected one of routing_key, service_id, escalation_policy_id',
      '<dir>/catalog.yaml:11:21: services[0].aliases[1]: "CART" repeats services[0].aliases[0] of this service; ignored',
    ]);
    expect(catalog!.find('checkout')).toMatchObject({ owner: 'Storefront', aliases: ['cart'] });
  });

  it('cross-field checks still run on a mapping that has an unknown field', () => {
    expect(
      problemsOf(
        'services:\n  - name: a\n    owner: t\n    pagerduty:\n      service_id: PABC123\n      urgency: high\n',
      ),
    ).toEqual([
      '<dir>/catalog.yaml:5:7: services[0].pagerduty.escalation_policy_id: missing: service_id needs escalation_policy_id too (the REST API pages and finds on-call through both)',
    ]);
  });
});

describe('unset paging references where nothing pages real people (the sandbox, muster runbook)', () => {
  const leaveOut = { unsetPaging: 'leave-out' } as const;

  it('loads the shipped example catalog as copied: its PagerDuty targets are left out, with one warning', () => {
    const { catalog, warnings } = loadCatalog('catalog.example.yaml', {}, leaveOut);
    expect(warnings).toEqual([
      'catalog.example.yaml: PAGERDUTY_CHECKOUT_ROUTING_KEY, PAGERDUTY_PAYMENTS_ROUTING_KEY, PAGERDUTY_AUTH_ROUTING_KEY and PAGERDUTY_NOTIFICATIONS_ROUTING_KEY are not set, so the PagerDuty targets of checkout, payments, auth and notifications are left out and cannot be paged here; set them before running the bot, which refuses to start without them',
    ]);
    const checkout = catalog!.find('checkout')!;
    // The whole target goes, not only the routing key: the REST ids left alone would page another way.
    expect(checkout.pagerduty).toBeNull();
    expect(checkout.pagingLeftOut).toEqual({
      fields: {
        routing_key: '${PAGERDUTY_CHECKOUT_ROUTING_KEY}',
        service_id: 'P1CHKOT',
        escalation_policy_id: 'PSTOREF',
      },
      variables: ['PAGERDUTY_CHECKOUT_ROUTING_KEY'],
    });
    expect(catalog!.canPage(checkout)).toBe(false);
    expect(catalog!.autoPages(checkout, 1)).toBe(false);
    expect(checkout.autoPage).toEqual([1, 2]);
    // search names no variable: it keeps its target.
    const search = catalog!.find('search')!;
    expect(search.pagerduty).toEqual({
      routingKey: null,
      rest: { serviceId: 'P2SEARCH', escalationPolicyId: 'PDISCOVR' },
    });
    expect(search.pagingLeftOut).toBeUndefined();
    expect(catalog!.secrets).toEqual([]);
  });

  it('leaves out only the targets whose variables are not set, and names one variable once', () => {
    const folder = catalogFolder();
    const yaml = `services:
  - name: a
    owner: t
    pagerduty: { routing_key: "\${PD_KEY}", service_id: "\${PD_SERVICE}", escalation_policy_id: PEPA }
  - name: b
    owner: t
    pagerduty: { routing_key: "\${PD_KEY}" }
  - name: c
    owner: t
    pagerduty: { routing_key: "\${PD_C}" }
`;
    const { catalog, warnings } = loadCatalog(folder.write(yaml), { PD_C: ENV.PD_CHECKOUT_KEY }, leaveOut);
    expect(warnings).toEqual([
      `${folder.path}: PD_KEY and PD_SERVICE are not set, so the PagerDuty targets of a and b are left out and cannot be paged here; set them before running the bot, which refuses to start without them`,
    ]);
    expect(catalog!.find('a')!.pagingLeftOut!.variables).toEqual(['PD_KEY', 'PD_SERVICE']);
    expect(catalog!.find('c')!.pagerduty).toEqual({ routingKey: ENV.PD_CHECKOUT_KEY, rest: null });
  });

  it('an unset reference outside a PagerDuty target is still a problem, and the bot refuses both', () => {
    const yaml = `services:
  - name: a
    owner: \${TEAM_A}
    pagerduty:
      routing_key: \${PD_A_KEY}
`;
    const folder = catalogFolder();
    folder.write(yaml);
    expect(() => loadCatalog(folder.path, {}, leaveOut)).toThrow(
      `${folder.path}:3:12: services[0].owner: \${TEAM_A} is not set: set the environment variable TEAM_A or write the value`,
    );
    expect(problemsOf(yaml, {})).toEqual([
      '<dir>/catalog.yaml:3:12: services[0].owner: ${TEAM_A} is not set: set the environment variable TEAM_A or write the value',
      '<dir>/catalog.yaml:5:20: services[0].pagerduty.routing_key: ${PD_A_KEY} is not set: set the environment variable PD_A_KEY or write the value',
    ]);
  });
});
