/**
 * The bot's own websocket recovery, end to end against the sandbox: however the socket goes
 * (a drop the SDK retries by itself, a close it treats as final, a stale socket URL, a
 * registration Webex forgot), the bot is connected again within seconds under its own device
 * name, `/readyz` says when it is not, and what is sent afterwards is answered.
 */
import { deviceUrl } from '../../../src/sandbox/mercury/devices';
import type { Sandbox } from '../../../src/sandbox/server';
import { startStack, type TestStack } from '../../helpers/stack';
import { until } from '../../helpers/until';

jest.setTimeout(60_000);

let stack: TestStack;
let sandbox: Sandbox;

beforeAll(async () => {
  stack = await startStack({ EVENT_TRANSPORT: 'websocket' });
  sandbox = stack.running.sandbox;
});
afterAll(async () => {
  await stack?.close();
});

const botId = () => sandbox.facts().bot.id;

function botDevices() {
  return [...sandbox.state.devices.values()].filter((d) => d.personId === botId());
}

function botSockets() {
  return sandbox.sockets.list().filter((s) => s.personEmail === sandbox.facts().bot.email);
}

async function control(path: string, body: Record<string, unknown>): Promise<unknown> {
  const answer = await fetch(`${sandbox.baseUrl}/_sandbox/${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (answer.status !== 200) throw new Error(`POST /_sandbox/${path}: ${answer.status}`);
  return answer.json();
}

async function socketReady(): Promise<{ status: number; socket: boolean }> {
  const answer = await fetch(`${stack.file.botUrl}/readyz`);
  const body = (await answer.json()) as { checks: Record<string, boolean> };
  return { status: answer.status, socket: body.checks.socket };
}

/** Waits for the bot's socket to be up again, as the sandbox and the bot's `/readyz` see it. */
async function reconnected(openedBefore: number, timeoutMs = 20_000): Promise<void> {
  await until(
    'the bot to reconnect',
    async () =>
      sandbox.sockets.stats.opened > openedBefore &&
      botSockets().some((s) => s.authorized) &&
      (await socketReady()).status === 200,
    timeoutMs,
  );
}

/** Sends help 1:1 and resolves with the bot's reply (fails if none comes within 10 s). */
async function helpIsAnswered(): Promise<void> {
  const host = stack.user('host@example.com');
  const sent = await host.dmBot('help');
  const [reply] = await host.waitForBot(sent.roomId, { after: sent.id, timeoutMs: 10_000 });
  expect(reply.personId).toBe(botId());
}

/** Polls `/readyz` until `done` resolves; resolves with every `socket` value seen, in order. */
async function watchReadiness(done: Promise<void>): Promise<boolean[]> {
  const seen: boolean[] = [];
  let finished = false;
  const watching = done.finally(() => (finished = true));
  const look = async () => {
    const { socket } = await socketReady();
    if (seen.at(-1) !== socket) seen.push(socket);
  };
  while (!finished) {
    await look();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await watching;
  // `done` may have seen the bot ready after this loop's last look.
  await look();
  return seen;
}

it('starts with one device under its own name, connected', async () => {
  await helpIsAnswered();
  expect(botDevices().map((d) => d.registration.name)).toEqual([
    expect.stringMatching(/^recording-audit-bot@/),
  ]);
  expect(botSockets()).toHaveLength(1);
});

describe.each([
  ['a drop the SDK retries (1001, going away)', { code: 1001 }],
  ['a cut connection (no closing handshake, 1006)', { terminate: true }],
  ['a close the SDK treats as final (4000, replaced)', { code: 4000 }],
  ['a normal close for no known reason (1000)', { code: 1000, reason: 'done' }],
])('after %s', (_name, drop) => {
  it('reconnects on the same registration and answers what is sent after', async () => {
    const [device] = botDevices();
    const opened = sandbox.sockets.stats.opened;
    expect(await control('sockets/drop', { email: sandbox.facts().bot.email, ...drop })).toEqual({
      dropped: 1,
    });
    await reconnected(opened);
    await helpIsAnswered();
    expect(botDevices().map((d) => d.id)).toEqual([device.id]);
    expect(botSockets()).toHaveLength(1);
  });
});

it('says on /readyz that the socket is down while its URL is stale, then refreshes it and answers', async () => {
  const [device] = botDevices();
  const staleKey = device.socketKey;
  const opened = sandbox.sockets.stats.opened;
  await control('devices/stale', { email: sandbox.facts().bot.email });
  await control('sockets/drop', { email: sandbox.facts().bot.email });
  // The SDK retries the old URL (refused, 4404) before the bot refreshes the registration.
  const seen = await watchReadiness(reconnected(opened, 30_000));
  // The first look may come before the bot noticed the drop.
  expect(seen.slice(seen.indexOf(false))).toEqual([false, true]);
  expect(sandbox.sockets.stats.refused).toBeGreaterThan(0);
  await helpIsAnswered();
  const [now] = botDevices();
  expect({ id: now.id, name: now.registration.name }).toEqual({
    id: device.id,
    name: device.registration.name,
  });
  expect(now.socketKey).not.toBe(staleKey);
});

it('registers anew, under its own name, when Webex forgot its registration', async () => {
  const [device] = botDevices();
  const opened = sandbox.sockets.stats.opened;
  // As Webex does when it drops a registration: gone, and its socket closed (4404).
  const deleted = await fetch(deviceUrl(device, sandbox.baseUrl), {
    method: 'DELETE',
    headers: { Authorization: `Bearer ${sandbox.botToken}` },
  });
  expect(deleted.status).toBe(204);
  await reconnected(opened, 30_000);
  await helpIsAnswered();
  const devices = botDevices();
  expect(devices.map((d) => d.registration.name)).toEqual([device.registration.name]);
  expect(devices[0].id).not.toBe(device.id);
});
