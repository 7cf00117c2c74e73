/** The people, bots and channels a fresh sandbox workspace starts with. */
import type { ChannelRecord, UserRecord } from './slack-workspace-types.js';

export const TEAM = { id: 'T0MUSTER', name: 'Muster Sandbox', domain: 'muster-sandbox' } as const;
export const BOT_USER_ID = 'U0MUSTERBOT';
export const BOT_ID = 'B0MUSTER';
export const APP_ID = 'A0MUSTER';
/** Another app's bot user: lets tests check that a bot cannot hold an incident role. */
export const OTHER_BOT_USER_ID = 'U0DEPLOYBOT';
export const GENERAL_CHANNEL_ID = 'C0GENERAL';
export const INCIDENTS_CHANNEL_ID = 'C0INCIDENTS';

/** epoch seconds of the seed records: fixed, so two fresh workspaces serialize identically */
const SEEDED_AT = 1_700_000_000;

type Person = Pick<UserRecord, 'id' | 'name' | 'firstName' | 'lastName' | 'title' | 'tz' | 'color'> &
  Partial<UserRecord>;

function person(p: Person): UserRecord {
  const realName = `${p.firstName} ${p.lastName}`;
  return {
    realName,
    displayName: p.firstName,
    email: `${p.name}@example.com`,
    isBot: false,
    botId: null,
    isAdmin: false,
    deleted: false,
    updated: SEEDED_AT,
    ...p,
  };
}

function bot(id: string, botId: string, name: string, realName: string): UserRecord {
  return {
    id,
    name,
    realName,
    displayName: '',
    firstName: realName,
    lastName: '',
    title: '',
    email: null,
    tz: 'America/Los_Angeles',
    color: '757575',
    isBot: true,
    botId,
    isAdmin: false,
    deleted: false,
    updated: SEEDED_AT,
  };
}

/** Seed users: four humans with real-looking profiles, the Muster bot and another app's bot. */
export function seedUsers(): UserRecord[] {
  return [
    person({
      id: 'U0ALICE',
      name: 'alice',
      firstName: 'Alice',
      lastName: 'Example',
      title: 'Site Reliability Engineer',
      tz: 'Europe/London',
      color: '9f69e7',
      isAdmin: true,
    }),
    person({
      id: 'U0BOB',
      name: 'bob',
      firstName: 'Bob',
      lastName: 'Martinez',
      title: 'Backend Engineer, Checkout',
      tz: 'America/New_York',
      color: '4bbe2e',
    }),
    person({
      id: 'U0CAROL',
      name: 'carol',
      firstName: 'Carol',
      lastName: 'Nguyen',
      title: 'Engineering Manager, Payments',
      tz: 'Europe/Berlin',
      color: 'e7392d',
    }),
    person({
      id: 'U0DAVE',
      name: 'dave',
      firstName: 'Dave',
      lastName: 'Okafor',
      title: 'Customer Support Lead',
      tz: 'America/Los_Angeles',
      color: 'e0a729',
    }),
    bot(BOT_USER_ID, BOT_ID, 'muster', 'Muster'),
    bot(OTHER_BOT_USER_ID, 'B0DEPLOY', 'deploybot', 'Deploy Bot'),
  ];
}

const HUMANS = ['U0ALICE', 'U0BOB', 'U0CAROL', 'U0DAVE'];

function channel(
  id: string,
  name: string,
  purpose: string,
  members: string[],
  isGeneral: boolean,
): ChannelRecord {
  return {
    id,
    name,
    topic: { value: '', creator: '', lastSet: 0 },
    purpose: { value: purpose, creator: 'U0ALICE', lastSet: SEEDED_AT },
    members: [...members],
    created: SEEDED_AT,
    creator: 'U0ALICE',
    isPrivate: false,
    isArchived: false,
    isGeneral,
    previousNames: [],
  };
}

/** Seed channels: #general (people only: the bot must join before posting) and #incidents (bot a member). */
export function seedChannels(): ChannelRecord[] {
  return [
    channel(GENERAL_CHANNEL_ID, 'general', 'Company-wide announcements and work-based matters', HUMANS, true),
    channel(
      INCIDENTS_CHANNEL_ID,
      'incidents',
      'Where incidents are announced and followed',
      [...HUMANS, BOT_USER_ID],
      false,
    ),
  ];
}
