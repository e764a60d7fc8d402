/**
 * Contract: what the sandbox says to the `webex` SDK in websocket mode (U2C catalog, WDM device,
 * Mercury socket frames), checked field by field against what the SDK's own code reads, and
 * run through that code (node_modules/@webex/…, SDK 2.4.2; see ./sdk.ts): its Mercury socket
 * connects and pings, and its plugins turn the frames into events whose IDs the sandbox knows.
 */
import { DEVICE_LIMIT, EXCESSIVE_DEVICES } from '../../src/sandbox/mercury/devices';
import { uuidOf } from '../../src/sandbox/mercury/ids';
import type { U2cHostmap } from '../../src/sandbox/mercury/catalog';
import { startSandbox, type Sandbox } from '../../src/sandbox/server';
import { until } from '../helpers/until';
import { call, postCard, seeded, type Seeded } from './helpers';
import {
  SdkSocket,
  decryptionTransforms,
  deviceDefaults,
  eventEnvelope,
  fakeWebex,
  getAttachmentActionEvent,
  getMembershipEvent,
  getMessageEvent,
  mercuryErrors,
  quietLogger,
  sdkCatalog,
  sdkIds,
} from './sdk';

interface Frame {
  id: string;
  type?: string;
  sequenceNumber: number;
  data?: { eventType: string; activity?: Record<string, unknown> & { id: string } };
}
type Activity = NonNullable<NonNullable<Frame['data']>['activity']>;

let sandbox: Sandbox;
let s: Seeded;
let wdm: string;
let catalog: ReturnType<typeof sdkCatalog>;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, tokenStyle: 'webex', log: () => undefined });
  s = seeded(sandbox);
  const limited = await call<U2cHostmap>(
    sandbox,
    undefined,
    'GET',
    `${sandbox.u2cUrl}/limited/catalog?orgId=x&format=hostmap`,
  );
  catalog = sdkCatalog(limited.body);
  wdm = catalog.get('wdm') ?? '';
});

afterAll(async () => {
  await sandbox.close();
});

/** What the SDK sends to register (internal-plugin-device/src/device.js `register`). */
async function register(token: string, body: Record<string, string> = deviceDefaults) {
  return call<Record<string, unknown>>(sandbox, token, 'POST', `${wdm}/devices`, body);
}

/** The SDK's own socket on a device's webSocketUrl, with the query mercury.js `_prepareUrl` adds. */
async function openSocket(webSocketUrl: string, token: string, pingInterval = 15_000) {
  const socket = new SdkSocket();
  const frames: Frame[] = [];
  socket.on('message', (event: { data: Frame }) => frames.push(event.data));
  socket.on('pong', (event: { data: Frame }) => frames.push(event.data));
  // socket-base.js `onmessage` reports a sequenceNumber that is not the last one plus one.
  const mismatches: number[] = [];
  socket.on('sequence-mismatch', (actual: number) => mismatches.push(actual));
  await socket.open(
    `${webSocketUrl}?outboundWireFormat=text&bufferStates=true&aliasHttpStatus=true`,
    {
      forceCloseDelay: 2000,
      pingInterval,
      pongTimeout: 2000,
      token: `Bearer ${token}`,
      trackingId: 'contract-test',
      logger: quietLogger,
    },
  );
  const activities = () =>
    frames.flatMap((frame) => (frame.data?.activity ? [frame.data.activity] : []));
  return {
    socket,
    frames,
    mismatches,
    activities,
    /**
     * Closes from the client once the pong to the ping sent on open is in: the SDK rejects,
     * unhandled, an ack it tries to send on a closing socket.
     */
    close: async () => {
      await until('the first pong', () => frames.some((frame) => frame.type === 'pong'), 5000, 5);
      await socket.close();
    },
    /** The next activity from `from` on (waits for it). */
    activityAt: async (from: number): Promise<Activity> => {
      await until('an activity frame', () => activities().length > from, 5000, 10);
      return activities()[from];
    },
  };
}

type OpenSocket = Awaited<ReturnType<typeof openSocket>>;

/** The reason `open()` rejected with (it must reject). */
async function refusal(webSocketUrl: string, token: string): Promise<Error & { code?: number }> {
  const error = await openSocket(webSocketUrl, token).then(
    () => undefined,
    (reason: Error & { code?: number }) => reason,
  );
  if (!error) throw new Error('the socket opened');
  return error;
}

/** Runs one of the plugins' event builders on an activity, as the plugin does; it must not log. */
function sdkEvent(
  build: typeof getMembershipEvent,
  resource: string,
  activity: unknown,
  event: string,
) {
  const webex = fakeWebex(catalog);
  const built = build.call(
    { webex, eventEnvelope: eventEnvelope(s.facts, resource) },
    activity,
    event,
  );
  expect(webex.errors).toEqual([]);
  return built;
}

/** Every key anywhere in a value (to prove nothing asks for decryption). */
function allKeys(value: unknown): string[] {
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, inner]) => [key, ...allKeys(inner)]);
}

describe('U2C catalog (webex-core services.js)', () => {
  it('names every service the websocket needs as the sandbox, in the US cluster', () => {
    const base = sandbox.baseUrl;
    expect(catalog.get('wdm')).toBe(`${base}/wdm/api/v1`);
    expect(catalog.get('hydra')).toBe(sandbox.apiUrl);
    expect(catalog.get('conversation', true)).toBe(`${base}/conversation/api/v1`);
    expect(catalog.get('metrics')).toBe(`${base}/metrics/api/v1`);
    // common/src/uuid-utils.js getHydraClusterString: 'us', so activity IDs are Hydra's own.
    const webex = fakeWebex(catalog);
    expect(sdkIds.getHydraClusterString(webex, `${base}/conversation/api/v1/conversations/x`)).toBe(
      'us',
    );
  });

  it('answers the signed-in catalog only with a token', async () => {
    const url = `${sandbox.u2cUrl}/catalog?format=hostmap`;
    expect((await call(sandbox, undefined, 'GET', url)).status).toBe(401);
    const signedIn = await call<U2cHostmap>(sandbox, s.bot.token, 'GET', url);
    expect(signedIn.status).toBe(200);
    expect(signedIn.body.serviceLinks.wdm).toBe(wdm);
  });
});

describe('WDM device registration (internal-plugin-device device.js)', () => {
  it('answers a registration with the device the SDK keeps: url, webSocketUrl, features', async () => {
    const { status, body } = await register(s.colleague.token, {
      ...deviceDefaults,
      name: 'audit-bot-eu',
    });
    expect(status).toBe(200);
    // `url` is the device's identity: refresh PUTs and unregister DELETEs it.
    expect(body.url).toMatch(new RegExp(`^${wdm}/devices/[0-9a-f-]{36}$`));
    // mercury.js `_prepareUrl` connects here; unique per device.
    expect(body.webSocketUrl).toMatch(
      new RegExp(
        `^ws://127\\.0\\.0\\.1:${sandbox.port}/mercury/api/v1/apps/wx2/registrations/[0-9a-f-]{36}/messages$`,
      ),
    );
    // The feature plugin reads device.features.developer (for web-high-availability).
    expect(body.features).toEqual({ developer: [], entitlement: [], user: [] });
    // What the client registered with comes back as sent (a bot finds its own by name).
    expect(body).toMatchObject({ ...deviceDefaults, name: 'audit-bot-eu' });
    expect(body.userId).toBe(uuidOf(s.colleague.id));
    expect(typeof body.services).toBe('object'); // dropped by processRegistrationSuccess
    const again = await register(s.colleague.token);
    expect(again.body.webSocketUrl).not.toBe(body.webSocketUrl);
  });

  it('lists, refreshes and deletes registrations one by one, only the caller’s', async () => {
    const { body: device } = await register(s.admin.token, { ...deviceDefaults, name: 'first' });
    const url = String(device.url);
    const listed = await call<{ devices: Array<{ url: string; name: string }> }>(
      sandbox,
      s.admin.token,
      'GET',
      `${wdm}/devices`,
    );
    expect(listed.body.devices.map((d) => [d.url, d.name])).toContainEqual([url, 'first']);
    expect((await call(sandbox, s.host.token, 'GET', url)).status).toBe(404);

    // device.js `refresh` sends the whole device back; only the registration fields count.
    const refreshed = await call<Record<string, unknown>>(sandbox, s.admin.token, 'PUT', url, {
      ...device,
      name: 'renamed',
      webSocketUrl: 'ws://elsewhere/',
    });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body).toMatchObject({
      url,
      name: 'renamed',
      webSocketUrl: device.webSocketUrl,
    });

    expect((await call(sandbox, s.admin.token, 'DELETE', url)).status).toBe(204);
    // A 404 on refresh makes the SDK register anew.
    expect((await call(sandbox, s.admin.token, 'PUT', url, {})).status).toBe(404);
  });

  it(`refuses registration ${DEVICE_LIMIT + 1} with Webex's message, until the framework deletes them all`, async () => {
    const token = s.otherHost.token;
    for (let i = 0; i < DEVICE_LIMIT; i++) expect((await register(token)).status).toBe(200);
    const refused = await register(token);
    expect(refused.status).toBe(403);
    expect(refused.body.message).toBe(EXCESSIVE_DEVICES);
    expect((await register(s.host.token)).status).toBe(200); // per person

    // framework websocket.js deleteAllDevices: DELETE ${wdm}/devices
    expect((await call(sandbox, token, 'DELETE', `${wdm}/devices`)).status).toBe(204);
    const listed = await call<{ devices: unknown[] }>(sandbox, token, 'GET', `${wdm}/devices`);
    expect(listed.body.devices).toEqual([]);
    expect((await register(token)).status).toBe(200);
  });
});

describe('Mercury socket (internal-plugin-mercury socket-base.js)', () => {
  let device: Record<string, unknown>;

  beforeAll(async () => {
    device = (await register(s.bot.token)).body;
  });

  it('opens for the device’s owner: authorization, then buffer_state, then pongs by ping id', async () => {
    const open = await openSocket(String(device.webSocketUrl), s.bot.token, 50);
    // `_authorize` resolves on a first frame without `type` whose eventType is buffer_state.
    expect(open.frames[0]).toMatchObject({ data: { eventType: 'mercury.buffer_state' } });
    expect(open.frames[0].type).toBeUndefined();
    // The socket pings every 50 ms and closes on a missing or mismatched pong: it stays up.
    // Counted on this socket: the sandbox's own counter also counts other tests' sockets.
    const pongs = () => open.frames.filter((frame) => frame.type === 'pong');
    await until('five pongs', () => pongs().length >= 5, 5000, 10);
    expect(open.socket.readyState).toBe(1);
    // Every frame has an id (acked by the client) and sequence numbers go up by one.
    expect(open.frames.every((frame) => typeof frame.id === 'string')).toBe(true);
    const sequence = open.frames.map((frame) => frame.sequenceNumber);
    expect(sequence).toEqual(sequence.map((_, i) => sequence[0] + i));
    expect(open.mismatches).toEqual([]);
    // Close just after a pong, long before the next ping: the SDK rejects (unhandled) a ping or
    // an ack it tries to send on a closing socket.
    await new Promise((resolve) => open.socket.once('pong', resolve));
    await open.socket.close();
  });

  it('refuses a bad token with 4401 (NotAuthorized), someone else’s device with 4403', async () => {
    const badToken = await refusal(String(device.webSocketUrl), 'not-a-token');
    expect(badToken).toBeInstanceOf(mercuryErrors.NotAuthorized);
    expect(badToken.code).toBe(4401);
    const other = await refusal(String(device.webSocketUrl), s.host.token);
    expect(other).toBeInstanceOf(mercuryErrors.Forbidden);
  });

  it('refuses a stale webSocketUrl with 4404; the device then has a new one that opens', async () => {
    const { body: fresh } = await register(s.bot.token, { ...deviceDefaults, name: 'stale-me' });
    const deviceId = String(fresh.url).split('/').pop();
    const staled = await fetch(`${sandbox.baseUrl}/_sandbox/devices/stale`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ deviceId }),
    });
    expect(await staled.json()).toEqual({ staled: 1 });
    const refused = await refusal(String(fresh.webSocketUrl), s.bot.token);
    expect(refused).toBeInstanceOf(mercuryErrors.ConnectionError);
    expect(refused.code).toBe(4404);
    const current = await call<Record<string, unknown>>(
      sandbox,
      s.bot.token,
      'GET',
      String(fresh.url),
    );
    expect(current.body.webSocketUrl).not.toBe(fresh.webSocketUrl);
    const open = await openSocket(String(current.body.webSocketUrl), s.bot.token);
    await open.close();
  });
});

describe('conversation.activity frames (plugin-messages, -memberships, -attachment-actions)', () => {
  let open: OpenSocket;

  beforeAll(async () => {
    const { body } = await register(s.bot.token, { ...deviceDefaults, name: 'frames' });
    open = await openSocket(String(body.webSocketUrl), s.bot.token);
  });

  afterAll(async () => {
    await open.close();
  });

  it('a 1:1 message: a post activity, not encrypted, read back by the message’s own id', async () => {
    const from = open.activities().length;
    const room = s.directRoomWith(s.host.email);
    const sent = await call<{ id: string }>(sandbox, s.host.token, 'POST', '/messages', {
      roomId: room.id,
      text: 'audit 1234',
    });
    const activity = await open.activityAt(from);
    const frame = open.frames.find((f) => f.data?.activity === activity);
    // mercury.js `_onmessage`: the eventType picks conversation's handler and the event name.
    expect(frame?.data?.eventType).toBe('conversation.activity');
    expect(activity).toMatchObject({
      objectType: 'activity',
      verb: 'post', // messages.js verbToType: post/share → created
      id: uuidOf(sent.body.id),
      actor: { objectType: 'person', entryUUID: uuidOf(s.host.id), emailAddress: s.host.email },
      object: { objectType: 'comment', displayName: 'audit 1234' },
      target: { objectType: 'conversation', id: uuidOf(room.id), tags: ['ONE_ON_ONE'] },
    });
    // decryption-transforms.js decryptActivity decrypts only with an encryptionKeyUrl.
    expect(allKeys(activity)).not.toContain('encryptionKeyUrl');
    const decryptActivity = decryptionTransforms.find((t) => t.name === 'decryptActivity');
    const noTransforms = {
      transform: () => {
        throw new Error('asked to decrypt');
      },
    };
    await expect(decryptActivity?.fn(noTransforms, undefined, activity)).resolves.toBe(activity);

    // messages.js getMessageEvent reads the message back with the id it builds.
    const asked: string[] = [];
    const event = await getMessageEvent.call(
      {
        webex: fakeWebex(catalog),
        eventEnvelope: eventEnvelope(s.facts, 'messages'),
        get: async (id: string) => (asked.push(id), { id, personId: s.host.id }),
      },
      activity,
      'created',
    );
    expect(asked).toEqual([sent.body.id]);
    expect(event).toMatchObject({
      event: 'created',
      actorId: s.host.id,
      data: { id: sent.body.id },
    });
  });

  it('a group message reaches the bot only when it mentions the bot (as Webex does for bots)', async () => {
    const from = open.activities().length;
    await call(sandbox, s.host.token, 'POST', '/messages', {
      roomId: s.groupRoom.id,
      text: 'not for the bot',
    });
    const mention = await call<{ id: string }>(sandbox, s.host.token, 'POST', '/messages', {
      roomId: s.groupRoom.id,
      markdown: `<@personEmail:${s.bot.email}|Recording Audit> help`,
    });
    const activity = await open.activityAt(from);
    // Frames arrive in order: the first one after both posts is the mention.
    expect(activity.id).toBe(uuidOf(mention.body.id));
    expect(activity).toMatchObject({
      target: { id: uuidOf(s.groupRoom.id), tags: [] },
      object: { mentions: { items: [{ objectType: 'person', id: uuidOf(s.bot.id) }] } },
    });
    await sandbox.sockets.idle();
    // On this socket (another test's socket still closing may hear the mention too).
    expect(open.activities().length - from).toBe(1);
  });

  it('a card submission: a cardAction activity the SDK turns into the action’s own ids', async () => {
    const room = s.directRoomWith(s.host.email);
    const from = open.activities().length + 1; // the card's own post comes first
    const cardId = await postCard(sandbox, s.bot.token, room.id, 'Go');
    const action = await call<{ id: string }>(
      sandbox,
      s.host.token,
      'POST',
      '/attachment/actions',
      {
        type: 'submit',
        messageId: cardId,
        inputs: { recording: 'r1' },
      },
    );
    const activity = await open.activityAt(from);
    expect(activity).toMatchObject({
      verb: 'cardAction', // attachmentActions.js: the only verb it turns into an event
      id: uuidOf(action.body.id),
      parent: { id: uuidOf(cardId) },
      object: { objectType: 'submit', inputs: { recording: 'r1' } },
    });
    const event = sdkEvent(getAttachmentActionEvent, 'attachmentActions', activity, 'created');
    expect(event).toMatchObject({
      event: 'created',
      actorId: s.host.id,
      data: {
        id: action.body.id,
        messageId: cardId,
        roomId: room.id,
        personId: s.host.id,
        inputs: { recording: 'r1' },
        type: 'submit',
      },
    });
    // The framework then reads the action back (process-event.js).
    const read = await call(
      sandbox,
      s.bot.token,
      'GET',
      `/attachment/actions/${String(event?.data.id)}`,
    );
    expect(read.status).toBe(200);
  });

  it('the bot added to and removed from a space: add and leave, with Webex’s membership ids', async () => {
    const room = await call<{ id: string }>(sandbox, s.host.token, 'POST', '/rooms', {
      title: 'Socket space',
    });
    const from = open.activities().length;
    const added = await call<{ id: string }>(sandbox, s.host.token, 'POST', '/memberships', {
      roomId: room.body.id,
      personId: s.bot.id,
    });
    const add = await open.activityAt(from);
    expect(add).toMatchObject({
      verb: 'add',
      actor: { entryUUID: uuidOf(s.host.id) },
      object: {
        objectType: 'person',
        entryUUID: uuidOf(s.bot.id),
        emailAddress: s.bot.email,
        roomProperties: { isModerator: false },
      },
      target: { id: uuidOf(room.body.id), tags: [] },
    });
    const created = sdkEvent(getMembershipEvent, 'memberships', add, 'created');
    expect(created).toMatchObject({
      event: 'created',
      actorId: s.host.id,
      data: {
        roomId: room.body.id,
        roomType: 'group',
        personId: s.bot.id,
        personEmail: s.bot.email,
        personOrgId: sandbox.state.orgId,
      },
    });
    // The framework reads the membership by the id the SDK built (Webex's person:room form).
    const read = await call<{ id: string; personId: string }>(
      sandbox,
      s.bot.token,
      'GET',
      `/memberships/${String(created?.data.id)}`,
    );
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ id: added.body.id, personId: s.bot.id });

    await call(sandbox, s.host.token, 'DELETE', `/memberships/${added.body.id}`);
    const leave = await open.activityAt(from + 1);
    expect(leave).toMatchObject({ verb: 'leave', object: { entryUUID: uuidOf(s.bot.id) } });
    const deleted = sdkEvent(getMembershipEvent, 'memberships', leave, 'deleted');
    expect(deleted).toMatchObject({
      event: 'deleted',
      data: { roomId: room.body.id, personId: s.bot.id },
    });
  });

  it('events while a device has no socket are lost, not replayed when it connects again', async () => {
    const { body } = await register(s.bot.token, { ...deviceDefaults, name: 'offline' });
    const room = s.directRoomWith(s.admin.email);
    // Counted once per registered device of the bot without a live socket (this one too).
    const offline = [...sandbox.state.devices.values()].filter(
      (d) => d.personId === s.bot.id && !sandbox.sockets.isConnected(d.id),
    );
    expect(offline.map((d) => d.registration.name)).toContain('offline');
    const missedBefore = sandbox.sockets.stats.missed;
    await call(sandbox, s.admin.token, 'POST', '/messages', {
      roomId: room.id,
      text: 'while away',
    });
    expect(sandbox.sockets.stats.missed).toBe(missedBefore + offline.length);
    const later = await openSocket(String(body.webSocketUrl), s.bot.token);
    const after = await call<{ id: string }>(sandbox, s.admin.token, 'POST', '/messages', {
      roomId: room.id,
      text: 'back',
    });
    const first = await later.activityAt(0);
    expect(first.id).toBe(uuidOf(after.body.id));
    expect(open.mismatches).toEqual([]);
    await later.close();
  });
});
