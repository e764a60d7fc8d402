/**
 * `GET /messages` paging as Webex documents it (test/fixtures/webex-openapi/webex-messaging.json):
 * newest first, `max` per page, `beforeMessage` (an ID) and `before` (a time) for older
 * pages. The chat page loads a space's history this way.
 */
import type { Sandbox } from '../../src/sandbox/server';
import { call, startSeededSandbox, type Seeded } from './helpers';

type Items = { items: Array<{ id: string; text: string; created: string }> };

describe('sandbox message paging', () => {
  let sandbox: Sandbox;
  let s: Seeded;
  let roomId: string;
  /** m0 … m11, oldest first. */
  const sent: Array<{ id: string; text: string; created: string }> = [];

  const list = (query: string) =>
    call<Items>(sandbox, s.host.token, 'GET', `/messages?roomId=${roomId}&${query}`);
  const texts = (page: Items) => page.items.map((m) => m.text);

  beforeAll(async () => {
    ({ sandbox, s } = await startSeededSandbox());
    const room = await call(sandbox, s.host.token, 'POST', '/rooms', { title: 'History' });
    roomId = room.body.id as string;
    for (let i = 0; i < 12; i++) {
      const message = await call<{ id: string; text: string; created: string }>(
        sandbox,
        s.host.token,
        'POST',
        '/messages',
        { roomId, text: `m${i}` },
      );
      sent.push(message.body);
    }
  });
  afterAll(() => sandbox.close());

  it('gives the newest max messages, newest first, and links the page before them', async () => {
    const page = await list('max=5');
    expect(page.status).toBe(200);
    expect(texts(page.body)).toEqual(['m11', 'm10', 'm9', 'm8', 'm7']);
    const next = new URL(/<([^>]+)>; rel="next"/.exec(page.headers.get('link') ?? '')![1]);
    expect(next.searchParams.get('beforeMessage')).toBe(sent[7].id);
    expect(next.searchParams.get('max')).toBe('5');
  });

  it('gives the max messages sent before beforeMessage, and no link after the last page', async () => {
    const older = await list(`max=5&beforeMessage=${sent[7].id}`);
    expect(texts(older.body)).toEqual(['m6', 'm5', 'm4', 'm3', 'm2']);
    const oldest = await list(`max=5&beforeMessage=${sent[2].id}`);
    expect(texts(oldest.body)).toEqual(['m1', 'm0']);
    expect(oldest.headers.get('link')).toBeNull();
    expect((await list(`beforeMessage=${sent[0].id}`)).body.items).toEqual([]);
  });

  it('gives the messages sent before a time with before', async () => {
    const at = sent[6].created;
    const page = await list(`max=50&before=${encodeURIComponent(at)}`);
    expect(page.status).toBe(200);
    const expected = sent.filter((m) => m.created < at).map((m) => m.text);
    expect(texts(page.body)).toEqual(expected.reverse());
    expect(texts(page.body)).not.toContain('m6');
  });

  it('answers an unknown or foreign beforeMessage with 404 and a bad before or max with 400', async () => {
    expect((await list('beforeMessage=nope')).status).toBe(404);
    const elsewhere = await call<{ id: string }>(sandbox, s.host.token, 'POST', '/messages', {
      roomId: s.groupRoom.id,
      text: 'in another room',
    });
    expect((await list(`beforeMessage=${elsewhere.body.id}`)).status).toBe(404);
    const badTime = await list('before=yesterday');
    expect(badTime.status).toBe(400);
    expect(badTime.body).toMatchObject({ message: expect.stringMatching(/before/) });
    expect((await list('max=0')).status).toBe(400);
    expect((await list('max=1001')).status).toBe(400);
  });
});
