/**
 * Socket events as envelopes: what the inbox stores and the framework later reads. Message
 * envelopes use the SDK's own id helpers, as its messages plugin does.
 */
import { sdkPluginPath } from '../../src/bot/framework/load';
import {
  messageEnvelope,
  socketEnvelope,
  SOCKET_EVENT_NAME,
  type HydraIds,
} from '../../src/bot/framework/socket-events';

/* eslint-disable-next-line @typescript-eslint/no-require-imports -- the SDK's own helpers */
const common = require(sdkPluginPath('@webex/common')) as {
  buildHydraMessageId(uuid: string, cluster: string): string;
  buildHydraPersonId(uuid: string, cluster: string): string;
  buildHydraRoomId(uuid: string, cluster: string): string;
  getHydraRoomType(tags: string[]): 'direct' | 'group';
};
const ids: HydraIds = {
  clusterOf: () => 'us',
  messageId: common.buildHydraMessageId,
  personId: common.buildHydraPersonId,
  roomId: common.buildHydraRoomId,
  roomType: common.getHydraRoomType,
};
const decode = (id: string) => Buffer.from(id, 'base64').toString('utf8');
const T = '2026-12-02T10:00:00.000Z';

describe('messageEnvelope', () => {
  const post = {
    id: '11111111-1111-4111-8111-111111111111',
    verb: 'post',
    published: '2026-12-02T09:59:59.000Z',
    actor: { entryUUID: '22222222-2222-4222-8222-222222222222', emailAddress: 'host@example.com' },
    object: { displayName: 'audit 123', content: '<p>audit 123</p>' },
    target: {
      id: '33333333-3333-4333-8333-333333333333',
      url: 'https://conv.example/conversations/333',
      tags: ['ONE_ON_ONE'],
    },
  };

  it('makes a posted message a messages:created event with Hydra ids, and no text', () => {
    const envelope = messageEnvelope(post, ids, T);
    expect(envelope).toEqual({
      id: '',
      name: SOCKET_EVENT_NAME,
      resource: 'messages',
      event: 'created',
      actorId: expect.any(String),
      created: post.published,
      data: {
        id: expect.any(String),
        roomId: expect.any(String),
        roomType: 'direct',
        personId: expect.any(String),
        personEmail: 'host@example.com',
        created: post.published,
      },
    });
    expect(decode(envelope!.data.id)).toBe(`ciscospark://us/MESSAGE/${post.id}`);
    expect(decode(envelope!.data.roomId!)).toBe(`ciscospark://us/ROOM/${post.target.id}`);
    expect(decode(envelope!.actorId!)).toBe(`ciscospark://us/PEOPLE/${post.actor.entryUUID}`);
    expect(JSON.stringify(envelope)).not.toContain('audit 123');
  });

  it('names a group space as such, and a deleted message by its object', () => {
    const deleted = messageEnvelope(
      {
        ...post,
        id: 'activity-of-the-deletion',
        verb: 'delete',
        object: { id: '44444444-4444-4444-8444-444444444444' },
        target: { ...post.target, tags: [] },
      },
      ids,
      T,
    );
    expect(deleted?.event).toBe('deleted');
    expect(deleted?.data.roomType).toBe('group');
    expect(decode(deleted!.data.id)).toBe(
      'ciscospark://us/MESSAGE/44444444-4444-4444-8444-444444444444',
    );
  });

  it('ignores activities that are not messages, and incomplete ones', () => {
    expect(messageEnvelope({ ...post, verb: 'acknowledge' }, ids, T)).toBeUndefined();
    expect(messageEnvelope({ ...post, verb: 'add' }, ids, T)).toBeUndefined();
    expect(messageEnvelope({ ...post, actor: {} }, ids, T)).toBeUndefined();
    expect(messageEnvelope({ ...post, target: { id: 'x' } }, ids, T)).toBeUndefined();
  });
});

describe('socketEnvelope', () => {
  it('keeps what a webhook would carry of a membership, under the socket name', () => {
    const envelope = socketEnvelope(
      {
        resource: 'memberships',
        event: 'created',
        actorId: 'P-HOST',
        orgId: 'O1',
        createdBy: 'P-BOT',
        data: {
          id: 'M1',
          roomId: 'R1',
          roomType: 'group',
          personId: 'P-BOT',
          personEmail: 'bot@webex.bot',
          personDisplayName: 'Audit Bot',
          isModerator: false,
          isRoomHidden: false,
          created: '2026-12-02T09:00:00.000Z',
        },
      },
      T,
    );
    expect(envelope).toEqual({
      id: '',
      name: SOCKET_EVENT_NAME,
      resource: 'memberships',
      event: 'created',
      actorId: 'P-HOST',
      orgId: 'O1',
      createdBy: 'P-BOT',
      created: '2026-12-02T09:00:00.000Z',
      data: {
        id: 'M1',
        roomId: 'R1',
        roomType: 'group',
        personId: 'P-BOT',
        personEmail: 'bot@webex.bot',
        isModerator: false,
        created: '2026-12-02T09:00:00.000Z',
      },
    });
  });

  it('keeps a card submission without its inputs (they are read again, as for a webhook)', () => {
    const envelope = socketEnvelope(
      {
        resource: 'attachmentActions',
        event: 'created',
        actorId: 'P1',
        data: { id: 'A1', messageId: 'MSG1', roomId: 'R1', personId: 'P1', inputs: { x: 1 } },
      },
      T,
    );
    expect(envelope.data).toEqual({ id: 'A1', messageId: 'MSG1', roomId: 'R1', personId: 'P1' });
    expect(envelope.created).toBe(T);
  });
});
