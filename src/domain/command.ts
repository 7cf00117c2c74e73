import { DomainError } from './errors.js';
import { parseWhen, WHEN_FORMS, type WhenSpec } from './impact.js';
import { parseSeverity, parseStatus, type Severity, type Status } from './incident.js';
import { closest } from './nearest.js';
import { parseRole, type Role } from './roles.js';

export type Priority = 'p0' | 'p1' | 'p2' | 'p3';

/** The `/incident` grammar, typed. */
export type Command =
  | { kind: 'help'; topic?: string }
  | { kind: 'list' }
  | { kind: 'services'; page: number }
  | { kind: 'oncall'; service: string }
  | { kind: 'declare'; severity: Severity; private: boolean; title: string | null }
  | { kind: 'private' }
  | { kind: 'status'; status: Status | null }
  | { kind: 'sev'; severity: Severity }
  | { kind: 'role'; role: Role | null; user: string | null }
  | { kind: 'note'; text: string }
  | { kind: 'update'; text: string }
  | { kind: 'timeline'; page: number }
  | { kind: 'redact'; entry: number }
  | { kind: 'runbook'; target: null }
  | { kind: 'runbook'; target: { service: string } }
  | { kind: 'runbook'; target: { url: string; title: string | null } }
  | { kind: 'page'; service: string; message: string | null }
  | { kind: 'action'; text: string; owner: string | null; priority: Priority; due: string | null }
  /** `all`: open items across incidents, from any channel, rather than the channel's incident's */
  | { kind: 'actions'; all: boolean }
  | { kind: 'impact'; when: WhenSpec }
  | { kind: 'detected'; when: WhenSpec }
  | { kind: 'resolve'; summary: string | null }
  | { kind: 'reopen'; reason: string | null }
  | { kind: 'postmortem' };

export type CommandKind = Command['kind'];

/** Subcommands that may be typed anywhere; every other one acts on the incident of the channel. */
export const GLOBAL_COMMANDS: readonly CommandKind[] = ['help', 'list', 'services', 'oncall', 'declare'];

/** Whether a command may be typed anywhere: a global subcommand, or a form that spans incidents (`actions --all`). */
export function isGlobalCommand(cmd: Command): boolean {
  return GLOBAL_COMMANDS.includes(cmd.kind) || (cmd.kind === 'actions' && cmd.all);
}

/** Subcommands still allowed once an incident is resolved (besides read-only forms, see `allowedWhenResolved`). */
export const ALLOWED_WHEN_RESOLVED: readonly CommandKind[] = [
  'reopen',
  'note',
  'action',
  'actions',
  'postmortem',
  'timeline',
  'redact',
  // it only says what can be done
  'private',
  // the times are worth correcting while the postmortem is written
  'impact',
  'detected',
];

/**
 * Subcommands that act on the channel's incident by its number alone, whatever its status (each is in
 * ALLOWED_WHEN_RESOLVED): nothing else of the incident is read to run them. A note is the command typed most
 * often during an incident, and is stored before Slack is answered.
 */
export const BY_NUMBER_ONLY: readonly CommandKind[] = ['note'];

/** Whether a command may run on a resolved incident: the list above, or a form that only shows something. */
export function allowedWhenResolved(cmd: Command): boolean {
  if (ALLOWED_WHEN_RESOLVED.includes(cmd.kind)) return true;
  return (
    (cmd.kind === 'status' && cmd.status === null) ||
    (cmd.kind === 'role' && cmd.role === null) ||
    (cmd.kind === 'runbook' && cmd.target === null)
  );
}

export const USAGE: Record<CommandKind, string> = {
  help: '/incident help',
  list: '/incident list',
  services: '/incident services [page]',
  oncall: '/incident oncall <service>',
  declare: '/incident declare [sev1-4] [--private] <title>',
  status: '/incident status <investigating|identified|monitoring|resolved>',
  sev: '/incident sev <1-4>',
  role: '/incident role <ic|comms|scribe|tech> <@user>',
  note: '/incident note <text>',
  update: '/incident update <text>',
  timeline: '/incident timeline [page]',
  redact: '/incident redact <entry number>',
  runbook: '/incident runbook [service|url [title]]',
  page: '/incident page <service> [message]',
  action: '/incident action <text> [<@owner>] [p0-p3] [due YYYY-MM-DD]',
  actions: '/incident actions [--all]',
  impact: '/incident impact <when>',
  detected: '/incident detected <when>',
  resolve: '/incident resolve [summary]',
  reopen: '/incident reopen [reason]',
  postmortem: '/incident postmortem',
  private: '/incident private',
};

export const SUMMARY: Record<CommandKind, string> = {
  help: 'this help',
  list: 'open incidents',
  services: 'the service catalog: owners, runbooks, paging',
  oncall: 'who is on call for a service',
  declare:
    'open an incident with its own channel (no title: a form; --private: a private channel, announced without its title)',
  status: 'show or change the status',
  sev: 'change the severity',
  role: 'assign a role, or list the holders',
  note: 'add a timeline entry',
  update: 'post a status update, broadcast to the announce channel',
  timeline: 'show the timeline so far, with entry numbers',
  redact: 'blank a timeline entry (a pasted secret); role holders and its author',
  runbook: 'list or link runbooks',
  page: 'page a service through PagerDuty',
  action: 'record a follow-up action item',
  actions: "list the incident's action items (--all: open ones across incidents, from any channel)",
  impact: `record when customer impact began: ${WHEN_FORMS}`,
  detected: `record when the problem was detected (default: the declaration or the first page): ${WHEN_FORMS}`,
  resolve: 'resolve the incident',
  reopen: 'reopen a resolved incident',
  postmortem: 'write the postmortem draft and upload it',
  private: 'make the incident private: says how, since Slack keeps a public channel public',
};

const usageError = (kind: CommandKind, what: string): DomainError =>
  new DomainError('command.usage', `${what}\nUsage: \`${USAGE[kind]}\``, {
    usage: USAGE[kind],
    command: kind,
  });

/** Slack sends users as `<@U123>` or `<@U123|name>`. Returns the id, or null. */
export function parseUserMention(token: string): string | null {
  const m = /^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$/.exec(token.trim());
  return m ? m[1]! : null;
}

const KINDS = Object.keys(USAGE) as CommandKind[];
const MAX_TEXT = 3000;

const requireText = (kind: CommandKind, text: string, what: string): string => {
  if (!text) throw usageError(kind, `Missing ${what}.`);
  if (text.length > MAX_TEXT)
    throw usageError(kind, `The ${what} is ${text.length} characters; the limit is ${MAX_TEXT}.`);
  return text;
};

/** Parses the text after `/incident`; a wrong word or a missing argument is a `command.usage` DomainError. */
export function parseCommand(input: string): Command {
  const text = input.trim();
  const [head = '', ...restWords] = text.split(/\s+/);
  const word = head.toLowerCase();
  const rest = text.slice(head.length).trim();
  switch (word) {
    case '':
    case 'help':
      return { kind: 'help', ...(rest ? { topic: rest.toLowerCase() } : {}) };
    case 'list':
      return { kind: 'list' };
    case 'services': {
      const page = rest ? Number(rest) : 1;
      if (!Number.isInteger(page) || page < 1)
        throw usageError('services', `"${rest}" is not a page number.`);
      return { kind: 'services', page };
    }
    case 'actions':
      return parseActions(rest);
    case 'postmortem':
      return { kind: 'postmortem' };
    case 'private':
      if (rest) throw usageError('private', '`private` takes no arguments.');
      return { kind: 'private' };
    case 'oncall':
      return { kind: 'oncall', service: requireText('oncall', rest, 'service name') };
    case 'declare':
      return parseDeclare(rest);
    case 'status':
      if (!rest) return { kind: 'status', status: null };
      try {
        return { kind: 'status', status: parseStatus(rest) };
      } catch (e) {
        throw usageError('status', (e as Error).message);
      }
    case 'sev':
    case 'severity': {
      if (!rest) throw usageError('sev', 'Missing the severity.');
      try {
        return { kind: 'sev', severity: parseSeverity(rest) };
      } catch (e) {
        throw usageError('sev', (e as Error).message);
      }
    }
    case 'role':
    case 'roles': {
      if (!rest) return { kind: 'role', role: null, user: null };
      const [roleWord = '', userToken = ''] = restWords;
      let role: Role;
      try {
        role = parseRole(roleWord);
      } catch (e) {
        throw usageError('role', (e as Error).message);
      }
      if (!userToken) throw usageError('role', `Missing the person to make ${role}: mention them with @.`);
      const user = parseUserMention(userToken);
      if (!user) throw usageError('role', `"${userToken}" is not a person: mention them with @.`);
      return { kind: 'role', role, user };
    }
    case 'note':
      return { kind: 'note', text: requireText('note', rest, 'note text') };
    case 'update':
      return { kind: 'update', text: requireText('update', rest, 'update text') };
    case 'timeline': {
      const page = rest ? Number(rest) : 1;
      if (!Number.isInteger(page) || page < 1)
        throw usageError('timeline', `"${rest}" is not a page number.`);
      return { kind: 'timeline', page };
    }
    case 'redact':
      return { kind: 'redact', entry: parseEntryNumber(rest) };
    case 'runbook':
    case 'runbooks': {
      if (!rest) return { kind: 'runbook', target: null };
      const [first = ''] = restWords;
      const url = first.replace(/^<(.*?)(\|.*)?>$/, '$1');
      if (/^[a-z][a-z0-9+.-]*:/i.test(url)) {
        if (!/^https?:\/\/[^\s/]+/i.test(url)) throw usageError('runbook', `"${url}" is not an http(s) URL.`);
        const title = rest.slice(first.length).trim();
        return { kind: 'runbook', target: { url, title: title || null } };
      }
      return { kind: 'runbook', target: { service: rest } };
    }
    case 'page': {
      const [service = ''] = restWords;
      if (!service) throw usageError('page', 'Missing the service to page.');
      const message = rest.slice(service.length).trim();
      return {
        kind: 'page',
        service,
        message: message ? requireText('page', message, 'page message') : null,
      };
    }
    case 'action':
      return parseAction(rest);
    case 'impact':
    case 'detected': {
      const kind = word;
      if (!rest) throw usageError(kind, `Missing the time. Write ${WHEN_FORMS}.`);
      try {
        return { kind, when: parseWhen(rest) };
      } catch (e) {
        throw usageError(kind, (e as Error).message);
      }
    }
    case 'resolve':
      return { kind: 'resolve', summary: rest ? requireText('resolve', rest, 'summary') : null };
    case 'reopen':
      return { kind: 'reopen', reason: rest ? requireText('reopen', rest, 'reason') : null };
    default: {
      const near = closest(word, KINDS) as CommandKind | null;
      throw new DomainError(
        'command.unknown',
        `Unknown subcommand "${head}".${near ? ` Did you mean \`${USAGE[near]}\`?` : ''} Try \`/incident help\`.`,
        { suggestion: near },
      );
    }
  }
}

/**
 * `declare [sev1-4] [--private] <title>`: the severity and `--private` come in any order before the title words.
 * Any other `--word` there, or `--private` among the title words, is a usage error rather than part of a title.
 */
function parseDeclare(rest: string): Command {
  let severity: Severity = 3;
  let isPrivate = false;
  let title = rest;
  for (;;) {
    const [w = ''] = title.split(/\s/, 1);
    if (/^--private$/i.test(w)) isPrivate = true;
    else if (/^sev-?\d+$/i.test(w)) {
      try {
        severity = parseSeverity(w);
      } catch {
        throw usageError('declare', `"${w}" is not a severity: use sev1, sev2, sev3 or sev4.`);
      }
    } else if (/^--[a-z]/i.test(w)) {
      throw usageError('declare', `"${w}" is not an option of declare: the only one is \`--private\`.`);
    } else break;
    title = title.slice(w.length).trim();
  }
  if (title.split(/\s+/).some((w) => /^--private$/i.test(w)))
    throw usageError('declare', '`--private` goes before the title.');
  if (title.length > 200)
    throw usageError('declare', `The title is ${title.length} characters; the limit is 200.`);
  return { kind: 'declare', severity, private: isPrivate, title: title || null };
}

/** `redact <entry number>`: one whole number, `12` or `#12`, as `timeline` shows it. */
function parseEntryNumber(rest: string): number {
  const where = 'The entry numbers are in `/incident timeline`.';
  if (!rest) throw usageError('redact', `Missing the entry number. ${where}`);
  const words = rest.split(/\s+/);
  if (words.length > 1)
    throw usageError('redact', `\`redact\` takes one entry number, not "${rest.slice(0, 100)}". ${where}`);
  const m = /^#?(\d{1,9})$/.exec(rest);
  const n = m ? Number(m[1]) : Number.NaN;
  if (!Number.isInteger(n) || n < 1)
    throw usageError('redact', `"${rest.slice(0, 100)}" is not an entry number. ${where}`);
  return n;
}

/** `action <text> [<@owner>] [p0-p3] [due YYYY-MM-DD]`: the options may come in any order at the end. */
function parseAction(rest: string): Command {
  let text = rest;
  let owner: string | null = null;
  let priority: Priority = 'p2';
  let due: string | null = null;
  for (;;) {
    const dueM = /\s*\bdue\s+(\S+)\s*$/i.exec(text);
    if (dueM) {
      const d = dueM[1]!;
      if (!isIsoDate(d)) throw usageError('action', `"${d}" is not a date: write it as YYYY-MM-DD.`);
      due = d;
      text = text.slice(0, dueM.index);
      continue;
    }
    const prioM = /\s*\b([pP][0-3])\s*$/.exec(text);
    if (prioM) {
      priority = prioM[1]!.toLowerCase() as Priority;
      text = text.slice(0, prioM.index);
      continue;
    }
    const ownerM = /\s*(<@[^>]*>)\s*$/.exec(text);
    if (ownerM) {
      const id = parseUserMention(ownerM[1]!);
      if (!id) throw usageError('action', `"${ownerM[1]}" is not a person: mention the owner with @.`);
      owner = id;
      text = text.slice(0, ownerM.index);
      continue;
    }
    break;
  }
  text = text.trim();
  return { kind: 'action', text: requireText('action', text, 'action text'), owner, priority, due };
}

/** `actions [--all]`: nothing else, so a mistyped option is said rather than ignored. */
function parseActions(rest: string): Command {
  if (!rest) return { kind: 'actions', all: false };
  if (/^--all$/i.test(rest)) return { kind: 'actions', all: true };
  const [w = ''] = rest.split(/\s+/, 1);
  const shown = w.slice(0, 100);
  if (/^--/.test(w) && !/^--all$/i.test(w))
    throw usageError('actions', `"${shown}" is not an option of actions: the only one is \`--all\`.`);
  throw usageError('actions', `\`actions\` takes only \`--all\`, not "${rest.slice(0, 100)}".`);
}

/** A real calendar date in YYYY-MM-DD form. */
export function isIsoDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const dt = new Date(Date.UTC(y, mo - 1, d));
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === mo - 1 && dt.getUTCDate() === d;
}
