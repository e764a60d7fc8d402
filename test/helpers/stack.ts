/**
 * Runs the whole product as `npm start` does (sandbox Webex + bot), on free ports, and lets
 * a test act as a sandbox user over HTTP exactly as a Webex user would.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import axios, { type AxiosInstance } from 'axios';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/log';
import { launchSandboxMode, type RunningSandbox, type SandboxFile } from '../../src/modes/sandbox';
import type { Clock } from '../../src/scheduler/clock';
import type { SandboxMessage } from '../../src/sandbox/state';

export type { SandboxMessage };

export class SandboxUser {
  readonly api: AxiosInstance;
  /** When each message this user has listed was created: a message deleted since still marks a place. */
  private readonly createdAt = new Map<string, string>();

  constructor(
    readonly stack: TestStack,
    readonly email: string,
    readonly token: string,
    readonly id: string,
  ) {
    this.api = axios.create({
      baseURL: stack.file.apiUrl,
      headers: { Authorization: `Bearer ${token}` },
      validateStatus: () => true,
    });
  }

  /** Sends a message to the bot in the 1:1 space. */
  async dmBot(text: string): Promise<SandboxMessage> {
    return this.post({ toPersonEmail: this.stack.file.bot.email, text });
  }

  /** Sends a message in a room; `mentionBot` puts a Webex mention of the bot in front. */
  async sayInRoom(roomId: string, text: string, mentionBot = true): Promise<SandboxMessage> {
    const bot = this.stack.file.bot;
    return mentionBot
      ? this.post({ roomId, markdown: `<@personId:${bot.id}|${bot.displayName}> ${text}` })
      : this.post({ roomId, text });
  }

  async post(body: Record<string, unknown>): Promise<SandboxMessage> {
    const response = await this.api.post<SandboxMessage>('/messages', body);
    if (response.status !== 200) {
      throw new Error(`POST /messages failed: ${response.status} ${JSON.stringify(response.data)}`);
    }
    return response.data;
  }

  /** Messages in a room this user can see, oldest first. */
  async messages(roomId: string): Promise<SandboxMessage[]> {
    const response = await this.api.get<{ items: SandboxMessage[] }>('/messages', {
      params: { roomId, max: 100 },
    });
    if (response.status !== 200) throw new Error(`GET /messages failed: ${response.status}`);
    for (const m of response.data.items) this.createdAt.set(m.id, m.created);
    return response.data.items.slice().reverse();
  }

  /** The bot's direct room with this user (found through the user's rooms). */
  async directRoomId(): Promise<string> {
    const response = await this.api.get<{ items: Array<{ id: string; type: string }> }>('/rooms', {
      params: { type: 'direct', max: 100 },
    });
    const botRoom = await Promise.all(
      response.data.items.map(async (room) => {
        const members = await this.api.get<{ items: Array<{ personId: string }> }>('/memberships', {
          params: { roomId: room.id },
        });
        return members.data.items.some((m) => m.personId === this.stack.file.bot.id)
          ? room.id
          : undefined;
      }),
    );
    const id = botRoom.find(Boolean);
    if (!id) throw new Error(`${this.email} has no direct room with the bot`);
    return id;
  }

  /**
   * Waits for bot messages in a room after `after` (a message id) until `count` arrived.
   * Fails with what the room held if they do not come within `timeoutMs`.
   */
  async waitForBot(
    roomId: string,
    options: { after?: string; count?: number; timeoutMs?: number } = {},
  ): Promise<SandboxMessage[]> {
    const { after, count = 1, timeoutMs = 5_000 } = options;
    const deadline = Date.now() + timeoutMs;
    let seen: SandboxMessage[] = [];
    while (Date.now() < deadline) {
      const all = await this.messages(roomId);
      seen = this.listedAfter(all, after).filter((m) => m.personId === this.stack.file.bot.id);
      if (seen.length >= count) return seen;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(
      `expected ${count} bot message(s) in room, got ${seen.length}: ${JSON.stringify(seen.map((m) => m.markdown ?? m.text))}`,
    );
  }

  /**
   * The messages after `after`: by position while it is listed, by creation time once it is
   * gone (the bot deletes a report card it replaced).
   */
  private listedAfter(all: SandboxMessage[], after: string | undefined): SandboxMessage[] {
    if (!after) return all;
    const index = all.findIndex((m) => m.id === after);
    if (index >= 0) return all.slice(index + 1);
    const created = this.createdAt.get(after);
    if (created === undefined) throw new Error(`message ${after} was never seen in this room`);
    return all.filter((m) => m.created > created);
  }

  /**
   * Waits for the bot's first message with a card after `after`: a slow audit shows a progress
   * message (text only, removed later) before its card.
   */
  async waitForBotCard(
    roomId: string,
    options: { after?: string; timeoutMs?: number } = {},
  ): Promise<SandboxMessage> {
    const deadline = Date.now() + (options.timeoutMs ?? 15_000);
    while (Date.now() < deadline) {
      const remaining = Math.max(1, deadline - Date.now());
      const seen = await this.waitForBot(roomId, { after: options.after, timeoutMs: remaining });
      const card = seen.find((m) => m.attachments?.length);
      if (card) return card;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error('no card from the bot in time');
  }
}

export interface TestStack {
  running: RunningSandbox;
  file: SandboxFile;
  user(email: string): SandboxUser;
  groupRoomId(): string;
  close(): Promise<void>;
}

/**
 * Starts sandbox and bot like `npm start`, with a throw-away data folder. With `clock`, the
 * bot's scheduler and the sandbox's report API read it (move it, then wake the scheduler).
 * @example const stack = await startStack(); const host = stack.user('host@example.com');
 */
export async function startStack(
  env: Record<string, string> = {},
  options: { clock?: Clock } = {},
): Promise<TestStack> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'audit-bot-test-'));
  const config = loadConfig({
    PORT: '0',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    DATABASE_URL: `sqlite:${path.join(dataDir, 'audit-bot.db')}`,
    ...env,
  });
  const running = await launchSandboxMode({
    config,
    logger: createLogger(config.logLevel),
    dataDir,
    clock: options.clock,
  });
  const stack: TestStack = {
    running,
    file: running.file,
    user(email) {
      const user = running.file.users.find((u) => u.email === email);
      if (!user) throw new Error(`no sandbox user ${email}`);
      return new SandboxUser(stack, user.email, user.token, user.id);
    },
    groupRoomId() {
      const room = running.file.rooms.find((r) => r.type === 'group');
      if (!room) throw new Error('no group room in the sandbox');
      return room.id;
    },
    async close() {
      await running.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
  return stack;
}

interface CardAction {
  type: string;
  title?: string;
  data?: Record<string, unknown>;
  card?: { actions?: CardAction[] };
}

/**
 * Every button of a card in reading order: those in the body's ActionSets (at any depth), then
 * the card's own actions, including those inside Action.ShowCard.
 */
export function cardActions(card: unknown): CardAction[] {
  const found: CardAction[] = [];
  const visit = (actions: CardAction[] | undefined) => {
    for (const action of actions ?? []) {
      found.push(action);
      visit(action.card?.actions);
    }
  };
  const visitBody = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visitBody);
    if (!node || typeof node !== 'object') return;
    const element = node as { type?: string; actions?: CardAction[] };
    if (element.type === 'ActionSet') return visit(element.actions);
    Object.values(element).forEach(visitBody);
  };
  visitBody((card as { body?: unknown } | undefined)?.body);
  visit((card as { actions?: CardAction[] } | undefined)?.actions);
  return found;
}

/**
 * Presses a card's Action.Submit as `user`, as a Webex client does: the button's data merged
 * with the values of the card's inputs.
 */
export async function clickButton(
  user: SandboxUser,
  message: SandboxMessage,
  title: string,
  inputValues: Record<string, string> = {},
): Promise<void> {
  const card = message.attachments?.[0]?.content;
  // A title may end with details, e.g. "Export CSV (2,500 rows)".
  const button = cardActions(card).find(
    (a) => a.type === 'Action.Submit' && (a.title === title || a.title?.startsWith(`${title} (`)),
  );
  if (!button) {
    throw new Error(
      `no "${title}" button on the card: ${JSON.stringify(cardActions(card).map((a) => a.title))}`,
    );
  }
  const response = await user.api.post('/attachment/actions', {
    type: 'submit',
    messageId: message.id,
    inputs: { ...(button.data ?? {}), ...inputValues },
  });
  if (response.status >= 300) {
    throw new Error(`click failed: ${response.status} ${JSON.stringify(response.data)}`);
  }
}
