import { createHmac, timingSafeEqual } from 'node:crypto';
import { SEED_EMAILS } from '../../src/sandbox/seed';
import type { Sandbox } from '../../src/sandbox/server';
import {
  call,
  startReceiver,
  startSeededSandbox,
  type ReceivedDelivery,
  type Receiver,
  type Seeded,
} from './helpers';

const CARD = {
  contentType: 'application/vnd.microsoft.card.adaptive',
  content: {
    type: 'AdaptiveCard',
    version: '1.3',
    body: [],
    actions: [{ type: 'Action.Submit', title: 'More', data: { next: 1 } }],
  },
};

function signatureValid(delivery: ReceivedDelivery, secret: string): boolean {
  const expected = createHmac('sha1', secret).update(delivery.raw).digest();
  const given = Buffer.from(String(delivery.headers['x-spark-signature']), 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

describe('sandbox webhooks', () => {
  let sandbox: Sandbox;
  let s: Seeded;
  let receiver: Receiver;

  beforeAll(async () => {
    ({ sandbox, s } = await startSeededSandbox());
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await receiver.close();
    await sandbox.close();
  });
  afterEach(async () => {
    await sandbox.webhooks.idle();
    sandbox.webhooks.setDeliverySettings({});
    sandbox.state.webhooks.clear();
    receiver.deliveries.length = 0;
  });

  async function botWebhooks(secret = 'hook-secret') {
    const firehose = await call(sandbox, sandbox.botToken, 'POST', '/webhooks', {
      name: 'bot',
      targetUrl: receiver.url,
      resource: 'all',
      event: 'all',
      secret,
    });
    const cards = await call(sandbox, sandbox.botToken, 'POST', '/webhooks', {
      name: 'bot',
      targetUrl: receiver.url,
      resource: 'attachmentActions',
      event: 'created',
      secret,
    });
    return { firehose: firehose.body, cards: cards.body };
  }

  /** Waits for deliveries already queued, then returns those of one resource/event. */
  async function delivered(resource: string, event = 'created') {
    await sandbox.webhooks.idle();
    return receiver.deliveries.filter(
      (d) => d.body.resource === resource && d.body.event === event,
    );
  }

  it('creates, reads, updates, lists and deletes the caller’s own webhooks', async () => {
    const created = await call(sandbox, s.host.token, 'POST', '/webhooks', {
      name: 'mine',
      targetUrl: receiver.url,
      resource: 'messages',
      event: 'created',
      filter: `roomId=${s.groupRoom.id}`,
    });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({
      name: 'mine',
      resource: 'messages',
      event: 'created',
      status: 'active',
      createdBy: s.host.id,
      ownedBy: 'creator',
    });
    const path = `/webhooks/${created.body.id}`;
    expect((await call(sandbox, sandbox.botToken, 'GET', path)).status).toBe(404);
    const list = await call<{ items: unknown[] }>(sandbox, s.host.token, 'GET', '/webhooks');
    expect(list.body.items).toHaveLength(1);
    const updated = await call(sandbox, s.host.token, 'PUT', path, {
      name: 'renamed',
      targetUrl: receiver.url,
      status: 'inactive',
    });
    expect(updated.body).toMatchObject({ name: 'renamed', status: 'inactive' });
    expect((await call(sandbox, s.host.token, 'DELETE', path)).status).toBe(204);
    expect((await call(sandbox, s.host.token, 'GET', path)).status).toBe(404);
  });

  it.each([
    [{ resource: 'nope', event: 'created' }, /resource/],
    [{ resource: 'messages', event: 'nope' }, /event/],
    [{ resource: 'messages', event: 'created', targetUrl: 'not a url' }, /targetUrl/],
  ])('rejects invalid webhooks with 400 (%j)', async (fields, pattern) => {
    const res = await call(sandbox, s.host.token, 'POST', '/webhooks', {
      name: 'bad',
      targetUrl: receiver.url,
      ...fields,
    });
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(pattern);
  });

  it('delivers the Webex envelope, signed over the exact bytes sent', async () => {
    const { firehose } = await botWebhooks();
    const sent = await call(sandbox, s.host.token, 'POST', '/messages', {
      toPersonEmail: SEED_EMAILS.bot,
      text: 'audit 1',
    });
    const [delivery] = await delivered('messages');
    expect(signatureValid(delivery, 'hook-secret')).toBe(true);
    expect(delivery.body).toEqual({
      id: firehose.id,
      name: 'bot',
      targetUrl: receiver.url,
      resource: 'messages',
      event: 'created',
      orgId: sandbox.state.orgId,
      createdBy: s.bot.id,
      appId: sandbox.state.appId,
      ownedBy: 'creator',
      status: 'active',
      created: firehose.created,
      actorId: s.host.id,
      data: {
        id: sent.body.id,
        roomId: sent.body.roomId,
        roomType: 'direct',
        personId: s.host.id,
        personEmail: SEED_EMAILS.host,
        created: sent.body.created,
      },
    });
    expect(sandbox.webhooks.stats.delivered).toBeGreaterThan(0);
  });

  it('sends no signature for a webhook without a secret', async () => {
    await botWebhooks('');
    await call(sandbox, s.host.token, 'POST', '/messages', {
      toPersonEmail: SEED_EMAILS.bot,
      text: 'x',
    });
    const [delivery] = await delivered('messages');
    expect(delivery.headers['x-spark-signature']).toBeUndefined();
  });

  it('tells a bot of group messages only when they mention it; of all direct ones', async () => {
    await botWebhooks();
    await call(sandbox, s.host.token, 'POST', '/messages', {
      roomId: s.groupRoom.id,
      text: 'not for the bot',
    });
    const mention = await call(sandbox, s.host.token, 'POST', '/messages', {
      roomId: s.groupRoom.id,
      markdown: `<@personId:${s.bot.id}|Recording Audit> help`,
    });
    const own = await call(sandbox, sandbox.botToken, 'POST', '/messages', {
      toPersonEmail: SEED_EMAILS.host,
      text: 'from the bot',
    });
    const messages = await delivered('messages');
    expect(messages.map((d) => (d.body.data as { id: string }).id)).toEqual([
      mention.body.id,
      own.body.id,
    ]);
    expect((messages[0].body.data as { mentionedPeople: string[] }).mentionedPeople).toEqual([
      s.bot.id,
    ]);
  });

  it('tells a person’s webhook of every message in their rooms, in order', async () => {
    await call(sandbox, s.colleague.token, 'POST', '/webhooks', {
      name: 'person',
      targetUrl: receiver.url,
      resource: 'messages',
      event: 'all',
    });
    const texts = ['one', 'two', 'three', 'four'];
    for (const text of texts) {
      await call(sandbox, s.host.token, 'POST', '/messages', { roomId: s.groupRoom.id, text });
    }
    // A message in a room the colleague is not in is not delivered.
    await call(sandbox, s.host.token, 'POST', '/messages', {
      toPersonEmail: SEED_EMAILS.admin,
      text: 'private',
    });
    const messages = await delivered('messages');
    const ids = messages.map((d) => (d.body.data as { id: string }).id);
    const expected = sandbox.state.messages
      .filter((m) => m.roomId === s.groupRoom.id && texts.includes(m.text ?? ''))
      .map((m) => m.id);
    expect(ids).toEqual(expected);
  });

  it('routes card submissions only to attachmentActions webhooks of the card’s author', async () => {
    const { cards } = await botWebhooks();
    // The host's own firehose must not see card submissions.
    await call(sandbox, s.host.token, 'POST', '/webhooks', {
      name: 'host firehose',
      targetUrl: receiver.url,
      resource: 'all',
      event: 'all',
    });
    const card = await call(sandbox, sandbox.botToken, 'POST', '/messages', {
      toPersonEmail: SEED_EMAILS.host,
      markdown: 'card',
      attachments: [CARD],
    });
    const action = await call(sandbox, s.host.token, 'POST', '/attachment/actions', {
      type: 'submit',
      messageId: card.body.id,
      inputs: { next: 1 },
    });
    expect(action.status).toBe(202);
    expect(action.body).toMatchObject({
      type: 'submit',
      messageId: card.body.id,
      personId: s.host.id,
      roomId: card.body.roomId,
      inputs: { next: 1 },
    });
    const actions = await delivered('attachmentActions');
    expect(actions).toHaveLength(1);
    expect(actions[0].body).toMatchObject({ id: cards.id, data: { id: action.body.id } });
    expect(signatureValid(actions[0], 'hook-secret')).toBe(true);

    const read = await call(
      sandbox,
      sandbox.botToken,
      'GET',
      `/attachment/actions/${action.body.id}`,
    );
    expect(read.body).toEqual(action.body);

    const plain = await call(sandbox, sandbox.botToken, 'POST', '/messages', {
      toPersonEmail: SEED_EMAILS.host,
      text: 'no card',
    });
    const noCard = await call(sandbox, s.host.token, 'POST', '/attachment/actions', {
      type: 'submit',
      messageId: plain.body.id,
      inputs: {},
    });
    expect(noCard.status).toBe(400);
    const stranger = await call(sandbox, s.colleague.token, 'POST', '/attachment/actions', {
      type: 'submit',
      messageId: card.body.id,
      inputs: {},
    });
    expect(stranger.status).toBe(404);
  });

  it('delivers membership, room and deletion events, honouring filters', async () => {
    await call(sandbox, s.host.token, 'POST', '/webhooks', {
      name: 'rooms',
      targetUrl: receiver.url,
      resource: 'all',
      event: 'all',
    });
    const room = await call(sandbox, s.host.token, 'POST', '/rooms', { title: 'Events' });
    const added = await call(sandbox, s.host.token, 'POST', '/memberships', {
      roomId: room.body.id,
      personId: s.bot.id,
    });
    const message = await call(sandbox, s.host.token, 'POST', '/messages', {
      roomId: room.body.id,
      text: 'bye',
    });
    await call(sandbox, s.host.token, 'DELETE', `/messages/${message.body.id}`);
    await call(sandbox, s.host.token, 'DELETE', `/memberships/${added.body.id}`);
    await sandbox.webhooks.idle();
    expect(receiver.deliveries.map((d) => `${d.body.resource}:${d.body.event}`)).toEqual([
      'rooms:created',
      'memberships:created',
      'memberships:created',
      'messages:created',
      'messages:deleted',
      'memberships:deleted',
    ]);

    receiver.deliveries.length = 0;
    await call(sandbox, s.host.token, 'POST', '/webhooks', {
      name: 'filtered',
      targetUrl: receiver.url,
      resource: 'messages',
      event: 'created',
      filter: `roomId=${s.groupRoom.id}`,
    });
    await call(sandbox, s.host.token, 'POST', '/messages', { roomId: room.body.id, text: 'a' });
    await call(sandbox, s.host.token, 'POST', '/messages', { roomId: s.groupRoom.id, text: 'b' });
    const filtered = (await delivered('messages')).filter((d) => d.body.name === 'filtered');
    expect(filtered.map((d) => (d.body.data as { roomId: string }).roomId)).toEqual([
      s.groupRoom.id,
    ]);
  });

  it('survives unreachable webhook targets without delaying the API', async () => {
    await call(sandbox, s.host.token, 'POST', '/webhooks', {
      name: 'dead',
      targetUrl: 'http://127.0.0.1:1/nowhere',
      resource: 'all',
      event: 'all',
    });
    const failedBefore = sandbox.webhooks.stats.failed;
    const res = await call(sandbox, s.host.token, 'POST', '/messages', {
      roomId: s.groupRoom.id,
      text: 'still works',
    });
    expect(res.status).toBe(200);
    await sandbox.webhooks.idle();
    expect(sandbox.webhooks.stats.failed).toBe(failedBefore + 1);
  });

  it('sends every delivery twice at once when told to through the control API', async () => {
    const { firehose } = await botWebhooks();
    const put = await fetch(`${sandbox.baseUrl}/_sandbox/delivery`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ copies: 2 }),
    });
    expect(await put.json()).toEqual({ copies: 2, fanOut: [] });
    const sent = await call(sandbox, s.host.token, 'POST', '/messages', {
      toPersonEmail: SEED_EMAILS.bot,
      text: 'twice',
    });
    const copies = await delivered('messages');
    expect(copies).toHaveLength(2);
    for (const copy of copies) {
      expect(copy.body).toMatchObject({ id: firehose.id, data: { id: sent.body.id } });
      expect(signatureValid(copy, 'hook-secret')).toBe(true);
    }
    // Back to one delivery per event.
    await fetch(`${sandbox.baseUrl}/_sandbox/delivery`, { method: 'DELETE' });
    await call(sandbox, s.host.token, 'POST', '/messages', {
      toPersonEmail: SEED_EMAILS.bot,
      text: 'once',
    });
    expect(await delivered('messages')).toHaveLength(3);
  });

  it('fans each delivery out to every listed origin, keeping the webhook’s path', async () => {
    const other = await startReceiver();
    try {
      await botWebhooks();
      const origins = [new URL(receiver.url).origin, new URL(other.url).origin];
      const put = await fetch(`${sandbox.baseUrl}/_sandbox/delivery`, {
        method: 'PUT',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ fanOut: origins }),
      });
      expect(put.status).toBe(200);
      await call(sandbox, s.host.token, 'POST', '/messages', {
        toPersonEmail: SEED_EMAILS.bot,
        text: 'both',
      });
      expect(await delivered('messages')).toHaveLength(1);
      const atOther = other.deliveries.filter((d) => d.body.resource === 'messages');
      expect(atOther).toHaveLength(1);
      expect(signatureValid(atOther[0], 'hook-secret')).toBe(true);
    } finally {
      await other.close();
    }
  });

  it('refuses invalid delivery settings with 400 and keeps the old ones', async () => {
    const put = await fetch(`${sandbox.baseUrl}/_sandbox/delivery`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ copies: 0, fanOut: ['not a url'] }),
    });
    expect(put.status).toBe(400);
    const current = await fetch(`${sandbox.baseUrl}/_sandbox/delivery`);
    expect(await current.json()).toEqual({ copies: 1, fanOut: [] });
  });
});
