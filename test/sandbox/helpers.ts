/** Shared test helpers: a started sandbox, a tiny API client and a webhook receiver. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SEED_EMAILS } from '../../src/sandbox/seed';
import { startSandbox, type Sandbox } from '../../src/sandbox/server';

export interface ApiResponse<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: T;
}

/**
 * Calls the sandbox API with a bearer token; `body` objects are sent as JSON, FormData as is.
 * @example const me = await call(sandbox, token, 'GET', '/people/me');
 */
export async function call<T = Record<string, unknown>>(
  sandbox: Sandbox,
  token: string | undefined,
  method: string,
  path: string,
  body?: unknown,
): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = {};
  if (token !== undefined) headers.Authorization = `Bearer ${token}`;
  let payload: string | FormData | undefined;
  if (body instanceof FormData) payload = body;
  else if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  const url = path.startsWith('http') ? path : `${sandbox.apiUrl}${path}`;
  const response = await fetch(url, { method, headers, body: payload });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, headers: response.headers, body: parsed as T };
}

/** The seeded users' tokens and IDs by role. */
export function seeded(sandbox: Sandbox) {
  const facts = sandbox.facts();
  const user = (email: string) => {
    const found = facts.users.find((u) => u.email === email);
    if (!found) throw new Error(`no seeded user ${email}`);
    return found;
  };
  const groupRoom = facts.rooms.find((r) => r.type === 'group');
  if (!groupRoom) throw new Error('no seeded group room');
  return {
    facts,
    bot: { ...facts.bot, token: sandbox.botToken },
    host: user(SEED_EMAILS.host),
    admin: user(SEED_EMAILS.admin),
    colleague: user(SEED_EMAILS.colleague),
    otherHost: user(SEED_EMAILS.otherHost),
    groupRoom,
    directRoomWith: (email: string) => {
      const room = facts.rooms.find((r) => r.type === 'direct' && r.memberEmails.includes(email));
      if (!room) throw new Error(`no direct room with ${email}`);
      return room;
    },
  };
}

export type Seeded = ReturnType<typeof seeded>;

/**
 * A quiet sandbox on a random port, with its seeded users.
 * @example beforeAll(async () => ({ sandbox, s } = await startSeededSandbox()));
 */
export async function startSeededSandbox(): Promise<{ sandbox: Sandbox; s: Seeded }> {
  const sandbox = await startSandbox({ port: 0, log: () => undefined });
  return { sandbox, s: seeded(sandbox) };
}

export interface ReceivedDelivery {
  raw: Buffer;
  headers: http.IncomingHttpHeaders;
  body: Record<string, unknown>;
}

export interface Receiver {
  url: string;
  deliveries: ReceivedDelivery[];
  /** Resolves when at least `count` deliveries have arrived. */
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedDelivery[]>;
  close(): Promise<void>;
}

/** A local HTTP server that records raw webhook bodies and answers 200. */
export async function startReceiver(path = '/webhooks/webex'): Promise<Receiver> {
  const deliveries: ReceivedDelivery[] = [];
  const waiters: Array<() => void> = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      deliveries.push({ raw, headers: req.headers, body: JSON.parse(raw.toString('utf8')) });
      res.writeHead(200).end();
      waiters.splice(0).forEach((wake) => wake());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${path}`,
    deliveries,
    waitFor: async (count, timeoutMs = 5000) => {
      const deadline = Date.now() + timeoutMs;
      while (deliveries.length < count) {
        if (Date.now() > deadline) {
          throw new Error(`expected ${count} deliveries, got ${deliveries.length}`);
        }
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, 50);
          waiters.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
      return deliveries;
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * Posts a message with a one-button Adaptive Card as `token`'s owner; resolves with its id.
 * @example const cardId = await postCard(sandbox, s.bot.token, room.id, 'Watch');
 */
export async function postCard(
  sandbox: Sandbox,
  token: string,
  roomId: string,
  button: string,
): Promise<string> {
  const sent = await call<{ id: string }>(sandbox, token, 'POST', '/messages', {
    roomId,
    text: `a card with ${button}`,
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        content: {
          type: 'AdaptiveCard',
          version: '1.3',
          body: [],
          actions: [{ type: 'Action.Submit', title: button }],
        },
      },
    ],
  });
  if (sent.status !== 200) throw new Error(`the card was not posted: ${sent.status}`);
  return sent.body.id;
}

/** Polls `check` until it returns a truthy value or the timeout passes. */
export async function eventually<T>(check: () => T | undefined, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
