/**
 * The sandbox's seed: one org, the bot, four people with personal tokens, a group room with
 * everyone and a direct room between the bot and each person. IDs are derived from names, so
 * they are the same on every run; tokens are random per start (they grant access).
 */
import { createHash, randomBytes } from 'node:crypto';
import type { SandboxPerson, SandboxState } from './state';
import { webexId, type WebexIdType } from './state';
import { uuidOf } from './mercury/ids';
import { SandboxWorld } from './world';

/** The seeded accounts' emails, for tests and the recordings seed. */
export const SEED_EMAILS = {
  host: 'host@example.com',
  admin: 'admin@example.com',
  colleague: 'colleague@example.com',
  otherHost: 'other.host@example.com',
  bot: 'recording-audit@webex.bot',
} as const;

export const SEED_BOT_NAME = 'Recording Audit';
export const SEED_GROUP_ROOM_TITLE = 'Recording reviews';
/** Seeded objects carry this creation time, so the seed is reproducible. */
export const SEED_TIME = '2024-01-15T09:00:00.000Z';

interface SeedPerson {
  email: string;
  firstName: string;
  lastName: string;
  timezone?: string;
  admin?: boolean;
}

const SEED_PEOPLE: SeedPerson[] = [
  { email: SEED_EMAILS.host, firstName: 'Hana', lastName: 'Host', timezone: 'America/Los_Angeles' },
  {
    email: SEED_EMAILS.admin,
    firstName: 'Ada',
    lastName: 'Admin',
    timezone: 'Europe/Berlin',
    admin: true,
  },
  { email: SEED_EMAILS.colleague, firstName: 'Cole', lastName: 'Colleague' },
  {
    email: SEED_EMAILS.otherHost,
    firstName: 'Otto',
    lastName: 'Other',
    timezone: 'America/New_York',
  },
];

export interface SeedResult {
  bot: SandboxPerson;
  botToken: string;
  people: SandboxPerson[];
}

/**
 * A UUID derived from a name, so seeded IDs are stable across runs.
 * @example stableUuid('person:host@example.com') // '6f1c…-…' (always the same)
 */
export function stableUuid(name: string): string {
  const hex = createHash('sha256').update(name).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** How seeded tokens look (see SandboxOptions.tokenStyle). */
export type TokenStyle = 'hex' | 'webex';

/**
 * A random bearer token. `hex`: the framework skips the service catalog only without `_`.
 * `webex`: `<hex>_<cluster>_<orgUuid>`, the shape of Webex's tokens, whose last part the SDK
 * reads as the org (@webex/webex-core credentials.js `extractOrgIdFromUserToken`) to ask U2C for
 * its catalog.
 * @example newToken('webex', state.orgId) // 'e3b0…_SBX1_6f1c…'
 */
export function newToken(style: TokenStyle = 'hex', orgId = ''): string {
  const hex = randomBytes(32).toString('hex');
  if (style === 'hex') return hex;
  return `${hex}_SBX1_${uuidOf(orgId)}`;
}

function addPerson(
  state: SandboxState,
  person: SandboxPerson,
  kind: 'personal' | 'bot',
  style: TokenStyle,
): string {
  state.people.set(person.id, person);
  const token = newToken(style, state.orgId);
  state.tokens.set(token, { token, personId: person.id, scopes: ['spark:all'], kind });
  return token;
}

/**
 * Fills an empty state with the seed and returns the bot, its token and the people.
 * @example const { botToken } = seedSandbox(new SandboxState());
 */
export function seedSandbox(
  state: SandboxState,
  options: { tokenStyle?: TokenStyle } = {},
): SeedResult {
  const style = options.tokenStyle ?? 'hex';
  const bot: SandboxPerson = {
    id: webexId('PEOPLE', stableUuid(`person:${SEED_EMAILS.bot}`)),
    emails: [SEED_EMAILS.bot],
    displayName: SEED_BOT_NAME,
    nickName: SEED_BOT_NAME,
    orgId: state.orgId,
    type: 'bot',
    created: SEED_TIME,
    admin: false,
  };
  const botToken = addPerson(state, bot, 'bot', style);
  const people = SEED_PEOPLE.map((seed) => {
    const person: SandboxPerson = {
      id: webexId('PEOPLE', stableUuid(`person:${seed.email}`)),
      emails: [seed.email],
      displayName: `${seed.firstName} ${seed.lastName}`,
      firstName: seed.firstName,
      lastName: seed.lastName,
      nickName: seed.firstName,
      orgId: state.orgId,
      type: 'person',
      created: SEED_TIME,
      timezone: seed.timezone,
      admin: seed.admin ?? false,
    };
    addPerson(state, person, 'personal', style);
    return person;
  });

  let serial = 0;
  const stableId = (type: WebexIdType) => webexId(type, stableUuid(`seed:${type}:${serial++}`));
  const world = new SandboxWorld(state, undefined, () => SEED_TIME, stableId);
  const [host, ...others] = people;
  world.createRoom(SEED_GROUP_ROOM_TITLE, 'group', host, [...others, bot]);
  for (const person of people) world.createRoom(person.displayName, 'direct', bot, [person]);
  return { bot, botToken, people };
}
