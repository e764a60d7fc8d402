/**
 * The `bot`, `users`, `rooms` and `recordings` parts of `data/sandbox.json` (see DESIGN.md):
 * what a person, test or tool needs to drive the sandbox.
 */
import type { SandboxState } from './state';

export interface SandboxFacts {
  bot: { id: string; email: string; displayName: string };
  users: Array<{
    id: string;
    email: string;
    displayName: string;
    /** Personal access token: acts as this user in the sandbox. */
    token: string;
    timezone?: string;
    admin: boolean;
  }>;
  rooms: Array<{ id: string; title: string; type: 'direct' | 'group'; memberEmails: string[] }>;
  recordings: Array<{ id: string; topic: string; hostEmail: string; accessRecords: number }>;
  /** The service catalog for the SDK's websocket mode (`U2C_SERVICE_URL`); set by the server. */
  u2cUrl?: string;
}

/**
 * Reads the facts from the current state (so rooms created later show up too).
 * @example const { bot, users } = sandboxFacts(sandbox.state);
 */
export function sandboxFacts(state: SandboxState): SandboxFacts {
  const people = [...state.people.values()];
  // An unseeded sandbox has no bot yet: report empty fields rather than fail.
  const bot = people.find((p) => p.type === 'bot') ?? { id: '', emails: [''], displayName: '' };
  const tokens = [...state.tokens.values()];
  const memberships = [...state.memberships.values()];
  return {
    bot: { id: bot.id, email: bot.emails[0], displayName: bot.displayName },
    users: people
      .filter((p) => p.type === 'person')
      .map((p) => ({
        id: p.id,
        email: p.emails[0],
        displayName: p.displayName,
        token: tokens.find((t) => t.personId === p.id && t.kind === 'personal')?.token ?? '',
        timezone: p.timezone,
        admin: p.admin,
      })),
    rooms: [...state.rooms.values()].map((room) => ({
      id: room.id,
      title: room.title,
      type: room.type,
      memberEmails: memberships.filter((m) => m.roomId === room.id).map((m) => m.personEmail),
    })),
    recordings: [...state.recordings.values()].map((r) => ({
      id: r.id,
      topic: r.topic,
      hostEmail: r.hostEmail,
      accessRecords: r.accessRecords.length,
    })),
  };
}
