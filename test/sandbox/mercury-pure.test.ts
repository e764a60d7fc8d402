/** The pure parts of the sandbox's websocket: IDs, catalog, device registrations and frames. */
import { allSinks, type SandboxEvent } from '../../src/sandbox/events';
import { serviceLinks, u2cHostmap, websocketOrigin } from '../../src/sandbox/mercury/catalog';
import {
  EXCESSIVE_DEVICES,
  deviceView,
  devicesOf,
  refreshDevice,
  registerDevice,
  registrationFields,
  renewSocketKey,
  socketKeyOf,
  webSocketUrl,
} from '../../src/sandbox/mercury/devices';
import {
  activityFor,
  activityFrame,
  activityVerb,
  bufferStateFrame,
  parseClientMessage,
  pongFrame,
  type ActivitySources,
} from '../../src/sandbox/mercury/frames';
import {
  membershipIdParts,
  parseHydraId,
  webexMembershipId,
  uuidOf,
} from '../../src/sandbox/mercury/ids';
import { SandboxState, webexId, type SandboxPerson } from '../../src/sandbox/state';
import { personHears } from '../../src/sandbox/webhook-rules';
import { sdkCatalog, sdkIds } from './sdk';

const BASE = 'http://127.0.0.1:4000';
const HOST_UUID = '11111111-1111-4111-8111-111111111111';
const BOT_UUID = '22222222-2222-4222-8222-222222222222';
const ROOM_UUID = '33333333-3333-4333-8333-333333333333';
const MESSAGE_UUID = '44444444-4444-4444-8444-444444444444';
const ORG = webexId('ORGANIZATION', '55555555-5555-4555-8555-555555555555');

const person = (uuid: string, type: SandboxPerson['type'], email: string): SandboxPerson => ({
  id: webexId('PEOPLE', uuid),
  emails: [email],
  displayName: email.split('@')[0],
  orgId: ORG,
  type,
  created: '',
  admin: false,
});
const host = person(HOST_UUID, 'person', 'host@example.com');
const bot = person(BOT_UUID, 'bot', 'bot@webex.bot');
const roomId = webexId('ROOM', ROOM_UUID);
const messageId = webexId('MESSAGE', MESSAGE_UUID);

const event = (over: Partial<SandboxEvent>): SandboxEvent => ({
  resource: 'messages',
  event: 'created',
  actorId: host.id,
  roomId,
  roomType: 'direct',
  data: { id: messageId, created: '2024-01-15T09:00:00.000Z' },
  audience: [host.id, bot.id],
  ...over,
});

function sources(): ActivitySources {
  let serial = 0;
  return {
    person: (id) => [host, bot].find((p) => p.id === id),
    room: (id) =>
      id === roomId
        ? {
            id,
            title: 'Reviews',
            type: 'group',
            isLocked: false,
            creatorId: host.id,
            created: '',
            lastActivity: '',
            ownerId: ORG,
          }
        : undefined,
    message: (id) =>
      id === messageId
        ? {
            id,
            roomId,
            roomType: 'direct',
            personId: host.id,
            personEmail: host.emails[0],
            text: 'audit 1',
            html: '<p>audit 1</p>',
            mentionedPeople: [bot.id],
            created: '2024-01-15T09:00:00.000Z',
          }
        : undefined,
    baseUrl: BASE,
    newId: () => `id-${++serial}`,
  };
}

describe('ids', () => {
  it('reads the UUID of a Hydra ID, and leaves anything else as it is', () => {
    expect(parseHydraId(roomId)).toEqual({ cluster: 'us', type: 'ROOM', uuid: ROOM_UUID });
    expect(uuidOf(host.id)).toBe(HOST_UUID);
    expect(uuidOf('plain')).toBe('plain');
  });

  it('builds membership IDs as the SDK does, and reads them back as sandbox IDs', () => {
    const id = webexMembershipId(host.id, roomId);
    expect(id).toBe(sdkIds.buildHydraMembershipId(HOST_UUID, ROOM_UUID, 'us'));
    expect(membershipIdParts(id)).toEqual({ personId: host.id, roomId });
    expect(membershipIdParts(roomId)).toBeUndefined();
    expect(membershipIdParts(webexId('MEMBERSHIP', 'no-colon'))).toBeUndefined();
  });
});

describe('catalog', () => {
  it('puts every service under the base URL, and websockets on ws or wss', () => {
    expect(serviceLinks(`${BASE}/`)).toMatchObject({
      hydra: `${BASE}/v1`,
      wdm: `${BASE}/wdm/api/v1`,
      u2c: `${BASE}/u2c/api/v1`,
    });
    expect(websocketOrigin(BASE)).toBe('ws://127.0.0.1:4000');
    expect(websocketOrigin('https://sandbox.example:8443')).toBe('wss://sandbox.example:8443');
  });

  it('gives the SDK a cluster for conversation URLs that it turns into `us`', () => {
    const catalog = sdkCatalog(u2cHostmap(BASE));
    expect(catalog.findClusterId(`${BASE}/conversation/api/v1/conversations/x`)).toBe(
      'urn:TEAM:us-east-2_a:conversation',
    );
  });
});

describe('device registrations', () => {
  it('keeps only the registration fields, as strings of a sane length', () => {
    expect(
      registrationFields({ name: 'n'.repeat(300), deviceType: 'WEB', url: 'x', ttl: 5, model: 3 }),
    ).toEqual({ name: 'n'.repeat(256), deviceType: 'WEB' });
    expect(registrationFields(null)).toEqual({});
  });

  it('refuses one registration over the limit, per person, with Webex’s message', () => {
    const state = new SandboxState();
    for (let i = 0; i < 2; i++) expect(registerDevice(state, 'A', {}, { limit: 2 }).ok).toBe(true);
    expect(registerDevice(state, 'A', {}, { limit: 2 })).toEqual({
      ok: false,
      message: EXCESSIVE_DEVICES,
    });
    expect(registerDevice(state, 'B', {}, { limit: 2 }).ok).toBe(true);
    expect(devicesOf(state, 'A')).toHaveLength(2);
  });

  it('keeps its webSocketUrl across refreshes, until a new socket key makes it stale', () => {
    const state = new SandboxState();
    let serial = 0;
    const result = registerDevice(state, bot.id, { name: 'a' }, { newId: () => `k${++serial}` });
    if (!result.ok) throw new Error('not registered');
    const { device } = result;
    const first = webSocketUrl(device, BASE);
    expect(first).toBe('ws://127.0.0.1:4000/mercury/api/v1/apps/wx2/registrations/k2/messages');
    expect(socketKeyOf(new URL(first).pathname)).toBe('k2');
    expect(socketKeyOf('/mercury/api/v1/apps/wx2/registrations/k2/other')).toBeUndefined();

    refreshDevice(device, { name: 'b', webSocketUrl: 'ignored' }, 'later');
    expect(deviceView(device, BASE)).toMatchObject({
      url: `${BASE}/wdm/api/v1/devices/k1`,
      webSocketUrl: first,
      name: 'b',
      userId: BOT_UUID,
      modificationTime: 'later',
    });
    renewSocketKey(device, 'k3');
    expect(webSocketUrl(device, BASE)).not.toBe(first);
  });
});

describe('frames', () => {
  it('maps events to the verbs the SDK turns into events, and nothing else', () => {
    expect(activityVerb(event({}))).toBe('post');
    expect(activityVerb(event({ data: { id: messageId, files: ['f'] } }))).toBe('share');
    expect(activityVerb(event({ event: 'deleted' }))).toBe('delete');
    expect(activityVerb(event({ event: 'updated' }))).toBeUndefined();
    expect(activityVerb(event({ resource: 'memberships' }))).toBe('add');
    expect(activityVerb(event({ resource: 'memberships', event: 'deleted' }))).toBe('leave');
    expect(activityVerb(event({ resource: 'memberships', event: 'updated' }))).toBeUndefined();
    expect(activityVerb(event({ resource: 'attachmentActions' }))).toBe('cardAction');
    expect(activityVerb(event({ resource: 'rooms' }))).toBeUndefined();
    expect(activityFor(event({ resource: 'rooms' }), sources())).toBeUndefined();
  });

  it('builds a post with the message’s id and plain text, in its conversation', () => {
    expect(activityFor(event({}), sources())).toEqual({
      objectType: 'activity',
      id: MESSAGE_UUID,
      url: `${BASE}/conversation/api/v1/activities/${MESSAGE_UUID}`,
      verb: 'post',
      published: '2024-01-15T09:00:00.000Z',
      actor: {
        objectType: 'person',
        id: HOST_UUID,
        entryUUID: HOST_UUID,
        emailAddress: 'host@example.com',
        entryEmail: 'host@example.com',
        displayName: 'host',
        orgId: '55555555-5555-4555-8555-555555555555',
        type: 'PERSON',
      },
      object: {
        objectType: 'comment',
        displayName: 'audit 1',
        content: '<p>audit 1</p>',
        mentions: { items: [{ objectType: 'person', id: BOT_UUID }] },
      },
      target: {
        objectType: 'conversation',
        id: ROOM_UUID,
        url: `${BASE}/conversation/api/v1/conversations/${ROOM_UUID}`,
        tags: ['ONE_ON_ONE'],
      },
    });
  });

  it('builds delete, add, leave and cardAction activities from the event data', () => {
    const deleted = activityFor(event({ event: 'deleted' }), sources());
    expect(deleted).toMatchObject({
      id: 'id-1',
      verb: 'delete',
      object: { objectType: 'activity', id: MESSAGE_UUID },
    });
    const membership = {
      id: 'M1',
      personId: 'gone-person',
      personEmail: 'gone@example.com',
      personDisplayName: 'Gone',
      personOrgId: ORG,
      isModerator: true,
    };
    const left = activityFor(
      event({ resource: 'memberships', event: 'deleted', roomType: 'group', data: membership }),
      sources(),
    );
    expect(left).toMatchObject({
      verb: 'leave',
      object: {
        entryUUID: 'gone-person',
        emailAddress: 'gone@example.com',
        displayName: 'Gone',
        roomProperties: { isModerator: true },
      },
      target: { tags: [], displayName: 'Reviews' },
    });
    const click = activityFor(
      event({
        resource: 'attachmentActions',
        data: { id: webexId('ATTACHMENT_ACTION', 'A1'), messageId, inputs: { x: '1' } },
      }),
      sources(),
    );
    expect(click).toMatchObject({
      id: 'A1',
      verb: 'cardAction',
      object: { objectType: 'submit', inputs: { x: '1' } },
      parent: { id: MESSAGE_UUID, type: 'cardAction' },
    });
  });

  it('stamps frames with an id and a sequence number; pongs keep the ping’s id', () => {
    const stamp = { id: 'F1', sequenceNumber: 7, timestamp: 1 };
    expect(bufferStateFrame(stamp)).toMatchObject({
      id: 'F1',
      sequenceNumber: 7,
      data: { eventType: 'mercury.buffer_state' },
    });
    expect(bufferStateFrame(stamp).type).toBeUndefined();
    expect(activityFrame({ verb: 'post' }, stamp)).toMatchObject({
      id: 'F1',
      data: { eventType: 'conversation.activity', activity: { verb: 'post' } },
    });
    expect(pongFrame('P1', 8)).toEqual({ id: 'P1', type: 'pong', sequenceNumber: 8 });
  });

  it('reads what a client sends, taking the token without its Bearer', () => {
    expect(
      parseClientMessage('{"id":"1","type":"authorization","data":{"token":"Bearer abc_X_1"}}'),
    ).toEqual({ type: 'authorization', id: '1', token: 'abc_X_1' });
    expect(parseClientMessage('{"id":"2","type":"ping"}')).toEqual({ type: 'ping', id: '2' });
    expect(parseClientMessage('{"messageId":"F1","type":"ack"}')).toEqual({
      type: 'ack',
      messageId: 'F1',
    });
    expect(parseClientMessage('{"type":"authorization"}')).toEqual({
      type: 'authorization',
      id: '',
      token: '',
    });
    expect(parseClientMessage('{"type":"hello"}')).toEqual({ type: 'other' });
    expect(parseClientMessage('not json')).toBeUndefined();
    expect(parseClientMessage('7')).toBeUndefined();
  });
});

describe('who hears an event, on any transport', () => {
  it('a bot hears group messages only when mentioned; card clicks only on its own cards', () => {
    expect(personHears(bot, event({}))).toBe(true);
    expect(personHears(bot, event({ roomType: 'group' }))).toBe(false);
    expect(personHears(bot, event({ roomType: 'group', mentionedPeople: [bot.id] }))).toBe(true);
    expect(personHears(host, event({ roomType: 'group' }))).toBe(true);
    expect(personHears(bot, event({ audience: [host.id] }))).toBe(false);
    const click = event({ resource: 'attachmentActions', messageAuthorId: host.id });
    expect(personHears(bot, click)).toBe(false);
    expect(personHears(bot, { ...click, messageAuthorId: bot.id })).toBe(true);
  });

  it('allSinks publishes each event to every sink in turn', () => {
    const seen: string[] = [];
    const sink = allSinks(
      { publish: (e) => seen.push(`a:${e.resource}`) },
      { publish: (e) => seen.push(`b:${e.resource}`) },
    );
    sink.publish(event({}));
    expect(seen).toEqual(['a:messages', 'b:messages']);
  });
});
