/**
 * `PUT /messages/{id}` as Webex documents it: text or markdown only, the author only, at most
 * 10 edits, never a message with a file or card; the message keeps its ID, gains `updated`,
 * and `messages:updated` reaches the webhooks that listen for it.
 */
import { SEED_EMAILS } from '../../src/sandbox/seed';
import type { Sandbox } from '../../src/sandbox/server';
import { call, startReceiver, startSeededSandbox, type Receiver, type Seeded } from './helpers';

const CARD = {
  contentType: 'application/vnd.microsoft.card.adaptive',
  content: { type: 'AdaptiveCard', version: '1.3', body: [] },
};

describe('sandbox message edits', () => {
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
    sandbox.state.webhooks.clear();
    receiver.deliveries.length = 0;
  });

  async function postAsBot(body: Record<string, unknown>) {
    const sent = await call(sandbox, sandbox.botToken, 'POST', '/messages', body);
    expect(sent.status).toBe(200);
    return sent.body as { id: string; roomId: string; created: string };
  }

  it('changes the text in place: same ID, `updated` set, the edit recorded', async () => {
    const sent = await postAsBot({ toPersonEmail: SEED_EMAILS.host, text: 'Reading… 100 so far' });
    const edited = await call(sandbox, sandbox.botToken, 'PUT', `/messages/${sent.id}`, {
      roomId: sent.roomId,
      markdown: 'Reading… **1,200** so far',
    });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({
      id: sent.id,
      roomId: sent.roomId,
      markdown: 'Reading… **1,200** so far',
      created: sent.created,
    });
    expect(Date.parse(String(edited.body.updated))).toBeGreaterThanOrEqual(
      Date.parse(sent.created),
    );
    // The recipient reads the new text, not the old one.
    const read = await call(sandbox, s.host.token, 'GET', `/messages/${sent.id}`);
    expect(read.body).toMatchObject({ id: sent.id, markdown: 'Reading… **1,200** so far' });
    const listed = await call<{ items: Array<{ id: string }> }>(
      sandbox,
      s.host.token,
      'GET',
      `/messages?roomId=${sent.roomId}`,
    );
    expect(listed.body.items.filter((m) => m.id === sent.id)).toHaveLength(1);
    expect(sandbox.state.messageEdits.get(sent.id)).toEqual([
      {
        at: edited.body.updated,
        markdown: 'Reading… **1,200** so far',
        text: 'Reading… **1,200** so far',
      },
    ]);
  });

  it('refuses the 11th edit with 400, keeping the 10th text', async () => {
    const sent = await postAsBot({ toPersonEmail: SEED_EMAILS.host, text: 'edit me' });
    for (let i = 1; i <= 10; i++) {
      const res = await call(sandbox, sandbox.botToken, 'PUT', `/messages/${sent.id}`, {
        roomId: sent.roomId,
        text: `edit ${i}`,
      });
      expect(res.status).toBe(200);
    }
    const eleventh = await call(sandbox, sandbox.botToken, 'PUT', `/messages/${sent.id}`, {
      roomId: sent.roomId,
      text: 'edit 11',
    });
    expect(eleventh.status).toBe(400);
    expect(eleventh.body.message).toMatch(/edit limit/);
    const read = await call(sandbox, s.host.token, 'GET', `/messages/${sent.id}`);
    expect(read.body.text).toBe('edit 10');
  });

  it.each([
    ['a card', { attachments: [CARD], markdown: 'card' }],
    ['a file', { files: ['https://example.com/report.csv'], text: 'file' }],
  ])('refuses to edit a message with %s (400)', async (_name, content) => {
    const sent = await postAsBot({ toPersonEmail: SEED_EMAILS.host, ...content });
    const res = await call(sandbox, sandbox.botToken, 'PUT', `/messages/${sent.id}`, {
      roomId: sent.roomId,
      text: 'no longer a card',
    });
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/files or attachments/);
    expect(sandbox.state.messageEdits.has(sent.id)).toBe(false);
  });

  it.each([
    ['no roomId', { text: 'x' }, /roomId is required/],
    ['another roomId', { roomId: 'OTHER', text: 'x' }, /roomId is not the room/],
    ['no text or markdown', { roomId: 'ROOM' }, /text or markdown/],
    ['a card in the edit', { roomId: 'ROOM', text: 'x', attachments: [CARD] }, /attachments/],
    ['html beside markdown', { roomId: 'ROOM', markdown: 'x', html: '<p>x</p>' }, /html/],
    ['markdown over 7439 bytes', { roomId: 'ROOM', markdown: 'é'.repeat(3720) }, /7439/],
  ])('refuses an edit with %s (400)', async (_name, body, pattern) => {
    const sent = await postAsBot({ toPersonEmail: SEED_EMAILS.host, text: 'original' });
    const withRoom = JSON.parse(JSON.stringify(body).replace('"ROOM"', `"${sent.roomId}"`));
    const res = await call(sandbox, sandbox.botToken, 'PUT', `/messages/${sent.id}`, withRoom);
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(pattern);
    const read = await call(sandbox, s.host.token, 'GET', `/messages/${sent.id}`);
    expect(read.body.text).toBe('original');
  });

  it('lets only the author edit: 403 for another member, 404 for a stranger', async () => {
    const sent = await call(sandbox, s.host.token, 'POST', '/messages', {
      roomId: s.groupRoom.id,
      text: 'mine',
    });
    const byColleague = await call(sandbox, s.colleague.token, 'PUT', `/messages/${sent.body.id}`, {
      roomId: s.groupRoom.id,
      text: 'hijacked',
    });
    expect(byColleague.status).toBe(403);
    const direct = await postAsBot({ toPersonEmail: SEED_EMAILS.admin, text: 'private' });
    const byStranger = await call(sandbox, s.host.token, 'PUT', `/messages/${direct.id}`, {
      roomId: direct.roomId,
      text: 'hijacked',
    });
    expect(byStranger.status).toBe(404);
    expect((await call(sandbox, s.host.token, 'GET', `/messages/${sent.body.id}`)).body.text).toBe(
      'mine',
    );
  });

  it('raises messages:updated for webhooks on it or on all, not for created-only ones', async () => {
    for (const [resource, event] of [
      ['messages', 'updated'],
      ['all', 'all'],
      ['messages', 'created'],
    ]) {
      await call(sandbox, s.host.token, 'POST', '/webhooks', {
        name: `${resource}:${event}`,
        targetUrl: receiver.url,
        resource,
        event,
      });
    }
    const sent = await call(sandbox, s.host.token, 'POST', '/messages', {
      toPersonEmail: SEED_EMAILS.colleague,
      text: 'first',
    });
    await receiver.waitFor(2); // the created event, to the firehose and the created-only hook
    const edited = await call(sandbox, s.host.token, 'PUT', `/messages/${sent.body.id}`, {
      roomId: sent.body.roomId,
      text: 'second',
    });
    await sandbox.webhooks.idle();
    const updates = receiver.deliveries.filter((d) => d.body.event === 'updated');
    expect(updates.map((d) => d.body.name).sort()).toEqual(['all:all', 'messages:updated']);
    for (const delivery of updates) {
      expect(delivery.body).toMatchObject({
        resource: 'messages',
        event: 'updated',
        actorId: s.host.id,
        data: { id: sent.body.id, roomId: sent.body.roomId, updated: edited.body.updated },
      });
      // Like messages:created, the event leaves the content out.
      expect(delivery.body.data).not.toHaveProperty('text');
    }
  });
});
