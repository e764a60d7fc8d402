/**
 * Extra sandbox objects for `npm run bench` only: many people with personal tokens, extra
 * bots, direct rooms and thousands of spaces. Everything is written straight into the state
 * without raising events (as the seed does), so no webhook fires for it.
 */
import { newToken, stableUuid } from '../src/sandbox/seed';
import type {
  SandboxMembership,
  SandboxPerson,
  SandboxRoom,
  SandboxState,
} from '../src/sandbox/state';
import { webexId } from '../src/sandbox/state';

/** Bench objects carry this creation time. */
const BENCH_TIME = '2024-02-01T09:00:00.000Z';

export interface BenchUser {
  person: SandboxPerson;
  /** Personal access token: acts as this person. */
  token: string;
}

function addPersonWithToken(state: SandboxState, person: SandboxPerson): string {
  state.people.set(person.id, person);
  const token = newToken();
  state.tokens.set(token, {
    token,
    personId: person.id,
    // Bench users may also page accessDetail themselves (to time the sandbox without a bot).
    scopes: person.type === 'bot' ? ['spark:all'] : ['spark:all', 'meeting:recordings_read'],
    kind: person.type === 'bot' ? 'bot' : 'personal',
  });
  return token;
}

/**
 * Adds `count` people `bench-user-001@bench.example.com`… with personal tokens.
 * @example const users = addBenchUsers(sandbox.state, 50);
 */
export function addBenchUsers(
  state: SandboxState,
  count: number,
  timezone = 'Europe/Paris',
): BenchUser[] {
  return Array.from({ length: count }, (_, i) => {
    const n = String(i + 1).padStart(3, '0');
    const email = `bench-user-${n}@bench.example.com`;
    const person: SandboxPerson = {
      id: webexId('PEOPLE', stableUuid(`person:${email}`)),
      emails: [email],
      displayName: `Bench User ${n}`,
      firstName: 'Bench',
      lastName: `User ${n}`,
      nickName: 'Bench',
      orgId: state.orgId,
      type: 'person',
      created: BENCH_TIME,
      timezone,
      admin: false,
    };
    return { person, token: addPersonWithToken(state, person) };
  });
}

/**
 * Adds another bot account (e.g. a baseline bot) and returns it with its token.
 * @example const { person, token } = addBenchBot(state, 'baseline@webex.bot', 'Baseline');
 */
export function addBenchBot(state: SandboxState, email: string, displayName: string): BenchUser {
  const person: SandboxPerson = {
    id: webexId('PEOPLE', stableUuid(`person:${email}`)),
    emails: [email],
    displayName,
    nickName: displayName,
    orgId: state.orgId,
    type: 'bot',
    created: BENCH_TIME,
    admin: false,
  };
  return { person, token: addPersonWithToken(state, person) };
}

function addRoom(state: SandboxState, title: string, type: 'direct' | 'group', creatorId: string) {
  const room: SandboxRoom = {
    id: webexId('ROOM'),
    title,
    type,
    isLocked: false,
    creatorId,
    created: BENCH_TIME,
    lastActivity: BENCH_TIME,
    ownerId: state.orgId,
  };
  state.rooms.set(room.id, room);
  return room;
}

function addMembership(state: SandboxState, room: SandboxRoom, person: SandboxPerson): void {
  const membership: SandboxMembership = {
    id: webexId('MEMBERSHIP'),
    roomId: room.id,
    personId: person.id,
    personEmail: person.emails[0],
    personDisplayName: person.displayName,
    personOrgId: person.orgId,
    isModerator: false,
    isMonitor: false,
    isRoomHidden: false,
    roomType: room.type,
    created: BENCH_TIME,
  };
  state.memberships.set(membership.id, membership);
}

/**
 * Creates the direct room between a person and a bot; returns its ID.
 * @example const roomId = addDirectRoom(state, user.person, bot);
 */
export function addDirectRoom(state: SandboxState, person: SandboxPerson, bot: SandboxPerson) {
  const room = addRoom(state, bot.displayName, 'direct', person.id);
  addMembership(state, room, person);
  addMembership(state, room, bot);
  return room.id;
}

/**
 * Makes `bot` a member of `count` group spaces (each with `other` too), for start-up tests.
 * @example addBotSpaces(state, bot, host, 10_000);
 */
export function addBotSpaces(
  state: SandboxState,
  bot: SandboxPerson,
  other: SandboxPerson,
  count: number,
): void {
  for (let i = 0; i < count; i++) {
    const room = addRoom(state, `Bench space ${i + 1}`, 'group', other.id);
    addMembership(state, room, other);
    addMembership(state, room, bot);
  }
}
