/**
 * The real `webex-node-bot-framework` 2.3.14, unmodified, in its websocket mode (started
 * without `webhookUrl`) against the sandbox: its SDK finds the sandbox through
 * U2C_SERVICE_URL, registers a device, opens the Mercury socket, and the framework's handlers
 * get a 1:1 message, a group mention, a card click and being added to a space; after the
 * sandbox drops the socket the SDK reconnects by itself; `stop()` unregisters the device.
 * The framework runs in its own process (probes/websocket-framework.ts), as the bot runs it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { startSandbox, type Sandbox } from '../../src/sandbox/server';
import { until } from '../helpers/until';
import { call, postCard, seeded, type Seeded } from './helpers';

const ROOT = path.resolve(__dirname, '../..');
const PROBE = path.join(__dirname, 'probes', 'websocket-framework.ts');
/** The name this deployment gives its device (a bot finds its own registration by it). */
const DEVICE_NAME = 'audit-bot-websocket-test';

interface ProbeLine {
  event: string;
  [field: string]: unknown;
}

interface Probe {
  lines: ProbeLine[];
  /** The first line matching, once it is there; fails at once if the process ended. */
  waitFor(what: string, match: (line: ProbeLine) => boolean): Promise<ProbeLine>;
  /** Stops the framework (it unregisters its device) and waits for the process to end. */
  stop(): Promise<void>;
  child: ChildProcess;
}

function startProbe(sandbox: Sandbox, token: string, extraEnv: Record<string, string> = {}): Probe {
  const child = spawn(process.execPath, ['--import', 'tsx', PROBE], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      SANDBOX_API_URL: sandbox.apiUrl,
      // The SDK reads it when first loaded; with it, it asks the sandbox for its catalog.
      U2C_SERVICE_URL: sandbox.u2cUrl,
      BOT_TOKEN: token,
      DEVICE_NAME,
      WEBEX_LOG_LEVEL: 'silent',
      ...extraEnv,
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const lines: ProbeLine[] = [];
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
    lines.push(JSON.parse(line) as ProbeLine);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const waitFor = async (what: string, match: (line: ProbeLine) => boolean) => {
    await until(what, () => {
      if (child.exitCode !== null && !lines.some(match)) {
        throw new Error(`the framework process ended: ${stderr}${JSON.stringify(lines)}`);
      }
      return lines.some(match);
    });
    return lines.find(match) as ProbeLine;
  };
  return {
    lines,
    child,
    waitFor,
    stop: async () => {
      if (child.exitCode !== null) return;
      child.stdin?.write('stop\n');
      await waitFor('the framework to stop', (line) => line.event === 'stopped');
      await exited;
    },
  };
}

let sandbox: Sandbox;
let s: Seeded;
let probe: Probe;

/** The bot's registrations in the sandbox. */
function botDevices() {
  return [...sandbox.state.devices.values()].filter((d) => d.personId === s.bot.id);
}

async function control(route: string, body: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(`${sandbox.baseUrl}/_sandbox${route}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return (await response.json()) as Record<string, unknown>;
}

/** Posts as the host and waits until the framework hears `text`. */
async function heardAfterPosting(body: Record<string, unknown>, text: string) {
  const sent = await call<{ id: string }>(sandbox, s.host.token, 'POST', '/messages', body);
  expect(sent.status).toBe(200);
  return probe.waitFor(
    `the framework to hear "${text}"`,
    (line) => line.event === 'heard' && String(line.text).includes(text),
  );
}

beforeAll(async () => {
  // Tokens shaped like Webex's: the SDK reads the org from them to ask U2C for its catalog.
  sandbox = await startSandbox({ port: 0, tokenStyle: 'webex', log: () => undefined });
  s = seeded(sandbox);
  probe = startProbe(sandbox, s.bot.token);
  const started = await probe.waitFor('the framework to start', (line) => line.event === 'started');
  expect(started.active).toBe(true);
}, 60_000);

afterAll(async () => {
  await probe?.stop();
  await sandbox?.close();
});

describe('the framework in websocket mode against the sandbox', () => {
  it('registers one device, with the name it was configured with, and creates no webhook', () => {
    const devices = botDevices();
    expect(devices.map((d) => d.registration.name)).toEqual([DEVICE_NAME]);
    expect(sandbox.sockets.isConnected(devices[0].id)).toBe(true);
    expect([...sandbox.state.webhooks.values()]).toEqual([]);
  });

  it('hears a 1:1 message', async () => {
    const room = s.directRoomWith(s.host.email);
    const got = await heardAfterPosting({ roomId: room.id, text: 'help me' }, 'help me');
    expect(got).toMatchObject({ roomId: room.id, personId: s.host.id });
  });

  it('hears a group message that mentions it, and not one that does not', async () => {
    await call(sandbox, s.host.token, 'POST', '/messages', {
      roomId: s.groupRoom.id,
      text: 'chatter among people',
    });
    const got = await heardAfterPosting(
      {
        roomId: s.groupRoom.id,
        markdown: `<@personEmail:${s.bot.email}|Recording Audit> audit 42`,
      },
      'audit 42',
    );
    expect(got).toMatchObject({ roomId: s.groupRoom.id, personId: s.host.id });
    // The mention came after the chatter on the same socket: the chatter would be in by now.
    await sandbox.sockets.idle();
    expect(probe.lines.some((line) => String(line.text).includes('chatter'))).toBe(false);
  });

  it('gets a card click on its own card as an attachmentAction', async () => {
    const room = s.directRoomWith(s.host.email);
    const cardId = await postCard(sandbox, s.bot.token, room.id, 'Watch');
    await call(sandbox, s.host.token, 'POST', '/attachment/actions', {
      type: 'submit',
      messageId: cardId,
      inputs: { action: 'watch' },
    });
    const click = await probe.waitFor('the click', (line) => line.event === 'click');
    expect(click).toMatchObject({ messageId: cardId, inputs: { action: 'watch' } });
  });

  it('spawns when it is added to a space, knowing who added it', async () => {
    const room = await call<{ id: string }>(sandbox, s.host.token, 'POST', '/rooms', {
      title: 'New reviews',
    });
    await call(sandbox, s.host.token, 'POST', '/memberships', {
      roomId: room.body.id,
      personId: s.bot.id,
    });
    const spawned = await probe.waitFor(
      'the spawn',
      (line) => line.event === 'spawn' && line.roomId === room.body.id,
    );
    expect(spawned.addedBy).toBe(s.host.id);
  });

  it.each([
    ['closed by the server (1001)', { terminate: false }],
    ['cut without a closing handshake (1006)', { terminate: true }],
  ])(
    'reconnects by itself when the socket is %s, and hears what is sent after',
    async (_how, how) => {
      const [device] = botDevices();
      const authorizedBefore = sandbox.sockets.stats.authorized;
      expect(await control('/sockets/drop', { token: s.bot.token, ...how })).toEqual({
        dropped: 1,
      });
      await until(
        'the SDK to reconnect',
        () => sandbox.sockets.stats.authorized > authorizedBefore,
      );
      // The same registration: a dropped socket needs no new device.
      expect(botDevices().map((d) => d.id)).toEqual([device.id]);
      const text = `after the drop ${how.terminate ? 'cut' : 'closed'}`;
      const room = s.directRoomWith(s.host.email);
      await heardAfterPosting({ roomId: room.id, text }, text);
    },
  );

  it('asked for nothing the sandbox lacks', () => {
    expect(sandbox.unhandledRequests).toEqual([]);
  });

  it('unregisters its device on stop, which closes the socket', async () => {
    await probe.stop();
    expect(botDevices()).toEqual([]);
    await until('the socket to close', () => sandbox.sockets.list().length === 0);
  });

  it('with removeDeviceRegistrationsOnStart, deletes every earlier registration first', async () => {
    const stray = await call(
      sandbox,
      s.bot.token,
      'POST',
      `${sandbox.baseUrl}/wdm/api/v1/devices`,
      {
        name: 'left over',
      },
    );
    expect(stray.status).toBe(200);
    // framework.js takes this option's value from removeWebhooksOnStart (default true) when it
    // is a boolean: `true` here deletes all, and so would `false` with the default.
    probe = startProbe(sandbox, s.bot.token, { REMOVE_DEVICES: '1' });
    await probe.waitFor('the framework to start', (line) => line.event === 'started');
    expect(botDevices().map((d) => d.registration.name)).toEqual([DEVICE_NAME]);
    await probe.stop();
    expect(botDevices()).toEqual([]);
  });
});
