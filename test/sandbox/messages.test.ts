import { SEED_EMAILS } from '../../src/sandbox/seed';
import type { Sandbox } from '../../src/sandbox/server';
import { call, startSeededSandbox, type Seeded } from './helpers';

type Items = { items: Array<Record<string, unknown>> };

const CARD = {
  contentType: 'application/vnd.microsoft.card.adaptive',
  content: { type: 'AdaptiveCard', version: '1.3', body: [] },
};

describe('sandbox messages', () => {
  let sandbox: Sandbox;
  let s: Seeded;

  beforeAll(async () => ({ sandbox, s } = await startSeededSandbox()));
  afterAll(() => sandbox.close());

  it('posts to a room and reads the message back', async () => {
    const sent = await call(sandbox, s.host.token, 'POST', '/messages', {
      roomId: s.groupRoom.id,
      text: 'hello',
    });
    expect(sent.status).toBe(200);
    expect(sent.body).toMatchObject({
      roomId: s.groupRoom.id,
      roomType: 'group',
      text: 'hello',
      personId: s.host.id,
      personEmail: SEED_EMAILS.host,
    });
    const read = await call(sandbox, s.colleague.token, 'GET', `/messages/${sent.body.id}`);
    expect(read.body).toEqual(sent.body);
    // The bot may read any message in rooms it is in (the framework needs it).
    expect((await call(sandbox, sandbox.botToken, 'GET', `/messages/${sent.body.id}`)).status).toBe(
      200,
    );
  });

  it('turns markdown mentions into text, html and mentionedPeople', async () => {
    const sent = await call(sandbox, s.host.token, 'POST', '/messages', {
      roomId: s.groupRoom.id,
      markdown: `<@personEmail:${SEED_EMAILS.bot}|Recording Audit> **audit** 42 cc <@personId:${s.admin.id}|Ada> <@all>`,
    });
    expect(sent.body).toMatchObject({
      text: 'Recording Audit **audit** 42 cc Ada All',
      mentionedPeople: [s.bot.id, s.admin.id],
      mentionedGroups: ['all'],
    });
    expect(sent.body.html).toContain(
      `<spark-mention data-object-type="person" data-object-id="${s.bot.id}">Recording Audit</spark-mention>`,
    );
    const mentioningMe = await call<Items>(
      sandbox,
      sandbox.botToken,
      'GET',
      `/messages?roomId=${s.groupRoom.id}&mentionedPeople=me`,
    );
    expect(mentioningMe.body.items.map((m) => m.id)).toEqual([sent.body.id]);
  });

  it('creates the direct room on the first message to a person', async () => {
    const before = sandbox.state.rooms.size;
    const sent = await call(sandbox, s.host.token, 'POST', '/messages', {
      toPersonEmail: SEED_EMAILS.colleague,
      text: 'psst',
    });
    expect(sent.status).toBe(200);
    expect(sent.body).toMatchObject({ roomType: 'direct', toPersonEmail: SEED_EMAILS.colleague });
    expect(sandbox.state.rooms.size).toBe(before + 1);
    const again = await call(sandbox, s.colleague.token, 'POST', '/messages', {
      toPersonId: s.host.id,
      text: 'hi back',
    });
    expect(again.body.roomId).toBe(sent.body.roomId);
    expect(sandbox.state.rooms.size).toBe(before + 1);
    // The bot reaches a person in the seeded direct room.
    const fromBot = await call(sandbox, sandbox.botToken, 'POST', '/messages', {
      toPersonId: s.admin.id,
      markdown: 'report',
      attachments: [CARD],
    });
    expect(fromBot.body.roomId).toBe(s.directRoomWith(SEED_EMAILS.admin).id);
    expect(fromBot.body.attachments).toEqual([CARD]);
  });

  it.each([
    ['no target', { text: 'x' }, /roomId/],
    ['no content', { roomId: 'ROOM' }, /text, markdown/],
    ['markdown over 7439 bytes', { roomId: 'ROOM', markdown: 'é'.repeat(3720) }, /7439/],
    ['two cards', { roomId: 'ROOM', text: 'x', attachments: [CARD, CARD] }, /one attachment/],
    [
      'a non-card attachment',
      { roomId: 'ROOM', text: 'x', attachments: [{ contentType: 'text/plain', content: {} }] },
      /contentType/,
    ],
  ])('rejects %s with 400', async (_name, body, pattern) => {
    const withRoom = JSON.parse(JSON.stringify(body).replace('"ROOM"', `"${s.groupRoom.id}"`));
    const res = await call(sandbox, s.host.token, 'POST', '/messages', withRoom);
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(pattern);
    expect(res.body.errors).toEqual([{ description: res.body.message }]);
    expect(res.body.trackingId).toBe(res.headers.get('trackingid'));
  });

  it('keeps non-members out: 403 to post or list, 404 to read', async () => {
    const room = s.directRoomWith(SEED_EMAILS.admin);
    const post = await call(sandbox, s.host.token, 'POST', '/messages', {
      roomId: room.id,
      text: 'x',
    });
    expect(post.status).toBe(403);
    const list = await call(sandbox, s.host.token, 'GET', `/messages?roomId=${room.id}`);
    expect(list.status).toBe(403);
    const [message] = sandbox.state.messages.filter((m) => m.roomId === room.id);
    expect((await call(sandbox, s.host.token, 'GET', `/messages/${message.id}`)).status).toBe(404);
    expect((await call(sandbox, s.host.token, 'GET', '/messages/unknown')).status).toBe(404);
  });

  it('lists newest first with Link paging, and threads with parentId', async () => {
    const room = await call(sandbox, s.host.token, 'POST', '/rooms', { title: 'Paging' });
    const roomId = room.body.id as string;
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const sent = await call(sandbox, s.host.token, 'POST', '/messages', {
        roomId,
        text: `m${i}`,
      });
      ids.push(sent.body.id as string);
    }
    const reply = await call(sandbox, s.host.token, 'POST', '/messages', {
      roomId,
      parentId: ids[0],
      text: 'reply',
    });
    const replyToReply = await call(sandbox, s.host.token, 'POST', '/messages', {
      roomId,
      parentId: reply.body.id,
      text: 'nested',
    });
    expect(replyToReply.status).toBe(400);

    const seen: string[] = [];
    let next: string | undefined = `/messages?roomId=${roomId}&max=2`;
    while (next) {
      const page: Awaited<ReturnType<typeof call<Items>>> = await call<Items>(
        sandbox,
        s.host.token,
        'GET',
        next,
      );
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.items.map((m) => m.text as string));
      next = /<([^>]+)>; rel="next"/.exec(page.headers.get('link') ?? '')?.[1];
    }
    expect(seen).toEqual(['reply', 'm4', 'm3', 'm2', 'm1', 'm0']);

    const thread = await call<Items>(
      sandbox,
      s.host.token,
      'GET',
      `/messages?roomId=${roomId}&parentId=${ids[0]}`,
    );
    expect(thread.body.items.map((m) => m.text)).toEqual(['reply']);
    const noRoom = await call(sandbox, s.host.token, 'GET', '/messages');
    expect(noRoom.status).toBe(400);
  });

  it('deletes only the author’s messages', async () => {
    const sent = await call(sandbox, s.host.token, 'POST', '/messages', {
      roomId: s.groupRoom.id,
      text: 'to delete',
    });
    const path = `/messages/${sent.body.id}`;
    expect((await call(sandbox, s.colleague.token, 'DELETE', path)).status).toBe(403);
    expect((await call(sandbox, s.host.token, 'DELETE', path)).status).toBe(204);
    expect((await call(sandbox, s.host.token, 'GET', path)).status).toBe(404);
  });

  it('keeps its message list in place across a delete, so a watcher sees what comes after', async () => {
    const watched = sandbox.state.messages;
    const sent = await call(sandbox, s.host.token, 'POST', '/messages', {
      roomId: s.groupRoom.id,
      text: 'gone soon',
    });
    await call(sandbox, s.host.token, 'DELETE', `/messages/${sent.body.id}`);
    await call(sandbox, s.host.token, 'POST', '/messages', {
      roomId: s.groupRoom.id,
      text: 'after',
    });
    expect(watched.map((m) => m.text)).toContain('after');
    expect(watched.map((m) => m.text)).not.toContain('gone soon');
  });

  it('uploads a file as multipart and serves it to room members only', async () => {
    const form = new FormData();
    form.set('roomId', s.groupRoom.id);
    form.set('text', 'the report');
    const bytes = Buffer.from('name,email\nHana,host@example.com\n');
    form.set('files', new Blob([bytes], { type: 'text/csv' }), 'report.csv');
    const sent = await call<{ files: string[] }>(
      sandbox,
      sandbox.botToken,
      'POST',
      '/messages',
      form,
    );
    expect(sent.status).toBe(200);
    expect(sent.body.files).toEqual([
      expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/v1\/contents\//),
    ]);

    const download = await fetch(sent.body.files[0], {
      headers: { Authorization: `Bearer ${s.colleague.token}` },
    });
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(download.headers.get('content-disposition')).toContain('filename="report.csv"');
    expect(Buffer.from(await download.arrayBuffer())).toEqual(bytes);

    const room = await call(sandbox, s.host.token, 'POST', '/rooms', { title: 'Private' });
    const form2 = new FormData();
    form2.set('roomId', room.body.id as string);
    form2.set('files', new Blob([bytes], { type: 'text/csv' }), 'secret.csv');
    const secret = await call<{ files: string[] }>(
      sandbox,
      s.host.token,
      'POST',
      '/messages',
      form2,
    );
    const denied = await fetch(secret.body.files[0], {
      headers: { Authorization: `Bearer ${s.colleague.token}` },
    });
    expect(denied.status).toBe(404);

    const two = new FormData();
    two.set('roomId', s.groupRoom.id);
    two.append('files', new Blob([bytes]), 'a.csv');
    two.append('files', new Blob([bytes]), 'b.csv');
    expect((await call(sandbox, s.host.token, 'POST', '/messages', two)).status).toBe(400);
  });
});
