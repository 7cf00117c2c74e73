import { describe, expect, it } from 'vitest';
import {
  ALLOWED_WHEN_RESOLVED,
  allowedWhenResolved,
  BY_NUMBER_ONLY,
  GLOBAL_COMMANDS,
  isGlobalCommand,
  parseCommand,
  parseUserMention,
} from '../../src/domain/command.js';
import { DomainError } from '../../src/domain/errors.js';

const usage = (text: string): DomainError => {
  try {
    parseCommand(text);
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error(`"${text}" parsed without error`);
};

describe('the /incident grammar', () => {
  it.each([
    ['', { kind: 'help' }],
    ['help', { kind: 'help' }],
    ['HELP declare', { kind: 'help', topic: 'declare' }],
    ['list', { kind: 'list' }],
    ['services', { kind: 'services', page: 1 }],
    ['services 2', { kind: 'services', page: 2 }],
    [
      'declare checkout returns 500s',
      { kind: 'declare', severity: 3, private: false, title: 'checkout returns 500s' },
    ],
    [
      'declare sev1 checkout returns 500s',
      { kind: 'declare', severity: 1, private: false, title: 'checkout returns 500s' },
    ],
    ['declare SEV-2 db down', { kind: 'declare', severity: 2, private: false, title: 'db down' }],
    ['declare', { kind: 'declare', severity: 3, private: false, title: null }],
    ['declare sev2', { kind: 'declare', severity: 2, private: false, title: null }],
    [
      'declare several users cannot log in',
      { kind: 'declare', severity: 3, private: false, title: 'several users cannot log in' },
    ],
    [
      'declare --private payroll export leaked',
      { kind: 'declare', severity: 3, private: true, title: 'payroll export leaked' },
    ],
    [
      'declare sev1 --private payroll export leaked',
      { kind: 'declare', severity: 1, private: true, title: 'payroll export leaked' },
    ],
    [
      'declare --PRIVATE sev2 payroll  export',
      { kind: 'declare', severity: 2, private: true, title: 'payroll  export' },
    ],
    ['declare --private', { kind: 'declare', severity: 3, private: true, title: null }],
    ['declare sev1 --private', { kind: 'declare', severity: 1, private: true, title: null }],
    [
      'declare -5% checkout conversions',
      { kind: 'declare', severity: 3, private: false, title: '-5% checkout conversions' },
    ],
    [
      'declare disable --private-mode flag',
      { kind: 'declare', severity: 3, private: false, title: 'disable --private-mode flag' },
    ],
    ['private', { kind: 'private' }],
    ['status', { kind: 'status', status: null }],
    ['status Monitoring', { kind: 'status', status: 'monitoring' }],
    ['sev 1', { kind: 'sev', severity: 1 }],
    ['sev sev2', { kind: 'sev', severity: 2 }],
    ['role', { kind: 'role', role: null, user: null }],
    ['role comms <@U0BOB>', { kind: 'role', role: 'comms', user: 'U0BOB' }],
    ['role tech <@U0BOB|bob>', { kind: 'role', role: 'tech', user: 'U0BOB' }],
    ['role commander <@W0ENT>', { kind: 'role', role: 'ic', user: 'W0ENT' }],
    ['note rolled back *v42*', { kind: 'note', text: 'rolled back *v42*' }],
    ['update mitigation in progress', { kind: 'update', text: 'mitigation in progress' }],
    ['timeline', { kind: 'timeline', page: 1 }],
    ['timeline 3', { kind: 'timeline', page: 3 }],
    ['redact 12', { kind: 'redact', entry: 12 }],
    ['REDACT  #7 ', { kind: 'redact', entry: 7 }],
    ['runbook', { kind: 'runbook', target: null }],
    ['runbook checkout', { kind: 'runbook', target: { service: 'checkout' } }],
    [
      'runbook https://wiki.example.com/rb DB failover',
      { kind: 'runbook', target: { url: 'https://wiki.example.com/rb', title: 'DB failover' } },
    ],
    [
      'runbook <https://wiki.example.com/rb>',
      { kind: 'runbook', target: { url: 'https://wiki.example.com/rb', title: null } },
    ],
    ['page checkout', { kind: 'page', service: 'checkout', message: null }],
    [
      'page checkout please look at the db',
      { kind: 'page', service: 'checkout', message: 'please look at the db' },
    ],
    ['oncall payments', { kind: 'oncall', service: 'payments' }],
    [
      'action add an alert on pool size',
      { kind: 'action', text: 'add an alert on pool size', owner: null, priority: 'p2', due: null },
    ],
    [
      'action add an alert <@U0BOB> p1 due 2026-12-01',
      { kind: 'action', text: 'add an alert', owner: 'U0BOB', priority: 'p1', due: '2026-12-01' },
    ],
    [
      'action ask <@U0CAROL> about limits p0',
      { kind: 'action', text: 'ask <@U0CAROL> about limits', owner: null, priority: 'p0', due: null },
    ],
    ['actions', { kind: 'actions', all: false }],
    ['actions --all', { kind: 'actions', all: true }],
    ['ACTIONS  --ALL ', { kind: 'actions', all: true }],
    ['resolve', { kind: 'resolve', summary: null }],
    ['resolve rolled back the deploy', { kind: 'resolve', summary: 'rolled back the deploy' }],
    ['reopen errors are back', { kind: 'reopen', reason: 'errors are back' }],
    ['postmortem', { kind: 'postmortem' }],
  ])('"%s"', (text, expected) => {
    expect(parseCommand(text)).toEqual(expected);
  });

  it.each([
    ['frobnicate', 'command.unknown', /Unknown subcommand "frobnicate"/],
    ['delcare sev1 x', 'command.unknown', /Did you mean `\/incident declare/],
    [
      'declare sev9 db down',
      'command.usage',
      /"sev9" is not a severity[\s\S]*Usage: `\/incident declare \[sev1-4\] \[--private\] <title>`/,
    ],
    ['declare payroll export --private', 'command.usage', /`--private` goes before the title/],
    [
      'declare --secret payroll',
      'command.usage',
      /"--secret" is not an option of declare: the only one is `--private`/,
    ],
    ['declare --private sev7 payroll', 'command.usage', /"sev7" is not a severity/],
    ['private now', 'command.usage', /`private` takes no arguments[\s\S]*Usage: `\/incident private`/],
    ['sev 0', 'command.usage', /Usage: `\/incident sev <1-4>`/],
    ['sev high', 'command.usage', /"high" is not a severity/],
    ['sev', 'command.usage', /Missing the severity/],
    ['status mitigated', 'command.usage', /"mitigated" is not a status/],
    ['status monitorign', 'command.usage', /Did you mean `monitoring`\?/],
    ['role boss <@U1>', 'command.usage', /"boss" is not a role/],
    ['role coms <@U1>', 'command.usage', /Did you mean `comms`\?/],
    ['role ic', 'command.usage', /Missing the person/],
    ['role ic bob', 'command.usage', /"bob" is not a person/],
    ['note', 'command.usage', /Missing note text[\s\S]*Usage: `\/incident note <text>`/],
    ['update', 'command.usage', /Missing update text/],
    ['page', 'command.usage', /Missing the service/],
    ['oncall', 'command.usage', /Missing service name/],
    ['runbook ftp://x.example.com/r', 'command.usage', /is not an http\(s\) URL/],
    ['action fix it due tomorrow', 'command.usage', /"tomorrow" is not a date/],
    ['action fix it due 2026-02-30', 'command.usage', /"2026-02-30" is not a date/],
    ['action <@U0BOB> p1', 'command.usage', /Missing action text/],
    ['timeline zero', 'command.usage', /not a page number/],
    [
      'redact',
      'command.usage',
      /^Missing the entry number\. The entry numbers are in `\/incident timeline`\.\nUsage: `\/incident redact <entry number>`$/,
    ],
    ['redact twelve', 'command.usage', /^"twelve" is not an entry number\./],
    ['redact 0', 'command.usage', /"0" is not an entry number/],
    ['redact -1', 'command.usage', /"-1" is not an entry number/],
    ['redact 2.5', 'command.usage', /"2\.5" is not an entry number/],
    ['redact ##3', 'command.usage', /"##3" is not an entry number/],
    ['redact 1234567890', 'command.usage', /"1234567890" is not an entry number/],
    ['redact 3 4', 'command.usage', /`redact` takes one entry number, not "3 4"/],
    ['redcat 3', 'command.unknown', /Did you mean `\/incident redact <entry number>`\?/],
    [
      'actions --al',
      'command.usage',
      /"--al" is not an option of actions: the only one is `--all`[\s\S]*Usage: `\/incident actions \[--all\]`/,
    ],
    ['actions --mine', 'command.usage', /"--mine" is not an option of actions/],
    ['actions all', 'command.usage', /`actions` takes only `--all`, not "all"/],
    ['actions --all --mine', 'command.usage', /`actions` takes only `--all`, not "--all --mine"/],
    [`actions --${'x'.repeat(5000)}`, 'command.usage', /^"--x{98}" is not an option/],
    ['services all', 'command.usage', /"all" is not a page number[\s\S]*\/incident services \[page\]/],
    [`note ${'word '.repeat(601)}`, 'command.usage', /limit is 3000/],
    [`declare ${'y'.repeat(201)}`, 'command.usage', /limit is 200/],
    [
      `page checkout ${'z'.repeat(3001)}`,
      'command.usage',
      /The page message is 3001 characters; the limit is 3000/,
    ],
  ])('"%s" is refused with %s', (text, code, message) => {
    const e = usage(text);
    expect(e.code).toBe(code);
    expect(e.message).toMatch(message);
  });

  it('reads both mention forms', () => {
    expect(parseUserMention('<@U123>')).toBe('U123');
    expect(parseUserMention('<@U123|jane>')).toBe('U123');
    expect(parseUserMention('@jane')).toBeNull();
    expect(parseUserMention('<#C123|x>')).toBeNull();
  });

  it('lets `actions --all` be typed anywhere, and `actions` only in an incident channel', () => {
    expect(isGlobalCommand(parseCommand('actions --all'))).toBe(true);
    expect(isGlobalCommand(parseCommand('actions'))).toBe(false);
    expect(isGlobalCommand(parseCommand('list'))).toBe(true);
    expect(isGlobalCommand(parseCommand('note x'))).toBe(false);
    expect(allowedWhenResolved(parseCommand('actions'))).toBe(true);
  });

  it('allows only record-keeping and read-only forms on a resolved incident', () => {
    expect(allowedWhenResolved(parseCommand('note late finding'))).toBe(true);
    expect(allowedWhenResolved(parseCommand('reopen'))).toBe(true);
    expect(allowedWhenResolved(parseCommand('private'))).toBe(true);
    expect(allowedWhenResolved(parseCommand('postmortem'))).toBe(true);
    expect(allowedWhenResolved(parseCommand('action x'))).toBe(true);
    expect(allowedWhenResolved(parseCommand('status'))).toBe(true);
    expect(allowedWhenResolved(parseCommand('redact 3'))).toBe(true);
    expect(allowedWhenResolved(parseCommand('status monitoring'))).toBe(false);
    expect(allowedWhenResolved(parseCommand('sev 1'))).toBe(false);
    expect(allowedWhenResolved(parseCommand('update x'))).toBe(false);
    expect(allowedWhenResolved(parseCommand('page checkout'))).toBe(false);
  });

  it('runs by the incident number alone only subcommands that act on an incident whatever its status', () => {
    // the listener skips the incident's row (and its status check) for these
    expect(BY_NUMBER_ONLY).toEqual(['note']);
    for (const kind of BY_NUMBER_ONLY) {
      expect(ALLOWED_WHEN_RESOLVED).toContain(kind);
      expect(GLOBAL_COMMANDS).not.toContain(kind);
    }
  });
});
