import { SEED_EMAILS } from '../../src/sandbox/seed';
import { startSandbox, type Sandbox } from '../../src/sandbox/server';
import { call, startSeededSandbox, type Seeded } from './helpers';

type Items = { items: Array<Record<string, unknown>> };

describe('sandbox people, rooms and memberships', () => {
  let sandbox: Sandbox;
  let s: Seeded;

  beforeAll(async () => ({ sandbox, s } = await startSeededSandbox()));
  afterAll(() => sandbox.close());

  describe('seed', () => {
    it('has the bot, four people with tokens, a group room and direct rooms', () => {
      expect(s.facts.bot).toEqual({
        id: expect.any(String),
        email: SEED_EMAILS.bot,
        displayName: 'Recording Audit',
      });
      expect(sandbox.botToken).not.toContain('_');
      expect(s.facts.users.map((u) => u.email)).toEqual([
        SEED_EMAILS.host,
        SEED_EMAILS.admin,
        SEED_EMAILS.colleague,
        SEED_EMAILS.otherHost,
      ]);
      expect(s.host).toMatchObject({ timezone: 'America/Los_Angeles', admin: false });
      expect(s.admin).toMatchObject({ timezone: 'Europe/Berlin', admin: true });
      expect(s.colleague.timezone).toBeUndefined();
      expect(s.groupRoom.title).toBe('Recording reviews');
      expect(s.groupRoom.memberEmails.sort()).toEqual(Object.values(SEED_EMAILS).sort());
      for (const user of s.facts.users) {
        expect(s.directRoomWith(user.email).memberEmails.sort()).toEqual(
          [SEED_EMAILS.bot, user.email].sort(),
        );
      }
    });

    it('makes the same IDs on every start', async () => {
      const other = await startSandbox({ port: 0 });
      try {
        expect(other.facts().users.map((u) => u.id)).toEqual(s.facts.users.map((u) => u.id));
        expect(other.facts().rooms.map((r) => r.id)).toEqual(s.facts.rooms.map((r) => r.id));
        expect(other.facts().users[0].token).not.toBe(s.host.token);
      } finally {
        await other.close();
      }
    });
  });

  describe('auth and errors', () => {
    it('answers 401 in Webex shape without a valid token', async () => {
      for (const token of [undefined, 'nope']) {
        const res = await call(sandbox, token, 'GET', '/people/me');
        expect(res.status).toBe(401);
        expect(res.body).toEqual({
          message: expect.any(String),
          errors: [{ description: res.body.message }],
          trackingId: expect.any(String),
        });
        expect(res.headers.get('trackingid')).toBe(res.body.trackingId);
      }
    });

    it('answers 404 in Webex shape for unknown routes and records them', async () => {
      const res = await call(sandbox, s.host.token, 'GET', '/no/such/thing');
      expect(res.status).toBe(404);
      expect(res.body.errors).toEqual([{ description: res.body.message }]);
      expect(sandbox.unhandledRequests).toContain('GET /v1/no/such/thing');
    });

    it('answers 400 for malformed JSON', async () => {
      const res = await fetch(`${sandbox.apiUrl}/messages`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${s.host.token}`, 'Content-Type': 'application/json' },
        body: '{nope',
      });
      expect(res.status).toBe(400);
      expect((await res.json()).errors[0].description).toMatch(/JSON/);
    });
  });

  describe('people', () => {
    it('GET /people/me carries timezone only when set and hides the admin flag', async () => {
      const host = await call(sandbox, s.host.token, 'GET', '/people/me');
      expect(host.body).toMatchObject({
        id: s.host.id,
        emails: [SEED_EMAILS.host],
        displayName: 'Hana Host',
        type: 'person',
        timezone: 'America/Los_Angeles',
      });
      expect(host.body).not.toHaveProperty('admin');
      const colleague = await call(sandbox, s.colleague.token, 'GET', '/people/me');
      expect(colleague.body).not.toHaveProperty('timezone');
      const bot = await call(sandbox, sandbox.botToken, 'GET', '/people/me');
      expect(bot.body).toMatchObject({ type: 'bot', emails: [SEED_EMAILS.bot] });
    });

    it('GET /people/{id}, and 404 for an unknown one', async () => {
      const found = await call(sandbox, sandbox.botToken, 'GET', `/people/${s.admin.id}`);
      expect(found.body).toMatchObject({ id: s.admin.id, displayName: 'Ada Admin' });
      const missing = await call(sandbox, sandbox.botToken, 'GET', '/people/unknown');
      expect(missing.status).toBe(404);
      expect(missing.body.errors).toHaveLength(1);
    });

    it('GET /people/?id=a,b&showAllTypes=… as the SDK batcher sends it', async () => {
      const res = await call<Items & { notFoundIds?: string[] }>(
        sandbox,
        sandbox.botToken,
        'GET',
        `/people/?id=${s.host.id},unknown,${s.colleague.id}&showAllTypes=false`,
      );
      expect(res.status).toBe(200);
      expect(res.body.items.map((p) => p.id).sort()).toEqual([s.host.id, s.colleague.id].sort());
      expect(res.body.notFoundIds).toEqual(['unknown']);
    });

    it('GET /people by email and by displayName prefix', async () => {
      const byEmail = await call<Items>(
        sandbox,
        s.host.token,
        'GET',
        `/people?email=${encodeURIComponent('ADMIN@example.com')}`,
      );
      expect(byEmail.body.items.map((p) => p.id)).toEqual([s.admin.id]);
      const byName = await call<Items>(sandbox, s.host.token, 'GET', '/people?displayName=ot');
      expect(byName.body.items.map((p) => p.id)).toEqual([s.otherHost.id]);
      const none = await call(sandbox, s.host.token, 'GET', '/people');
      expect(none.status).toBe(400);
    });
  });

  describe('rooms', () => {
    it('lists only the caller’s rooms, filters by type and pages with Link', async () => {
      const all = await call<Items>(sandbox, s.host.token, 'GET', '/rooms');
      expect(all.body.items.map((r) => r.id).sort()).toEqual(
        [s.groupRoom.id, s.directRoomWith(SEED_EMAILS.host).id].sort(),
      );
      const direct = await call<Items>(sandbox, s.host.token, 'GET', '/rooms?type=direct');
      expect(direct.body.items.map((r) => r.type)).toEqual(['direct']);

      const first = await call<Items>(sandbox, sandbox.botToken, 'GET', '/rooms?max=3');
      expect(first.body.items).toHaveLength(3);
      const next = /<([^>]+)>; rel="next"/.exec(first.headers.get('link') ?? '')?.[1];
      expect(next).toBeDefined();
      const second = await call<Items>(sandbox, sandbox.botToken, 'GET', next as string);
      expect(second.body.items).toHaveLength(2);
      expect(second.headers.get('link')).toBeNull();
    });

    it('GET /rooms/{id} is 404 for non-members', async () => {
      const room = s.directRoomWith(SEED_EMAILS.admin);
      expect((await call(sandbox, s.admin.token, 'GET', `/rooms/${room.id}`)).status).toBe(200);
      const other = await call(sandbox, s.host.token, 'GET', `/rooms/${room.id}`);
      expect(other.status).toBe(404);
    });

    it('POST /rooms creates a group room with the creator as moderator', async () => {
      const res = await call(sandbox, s.host.token, 'POST', '/rooms', { title: 'New room' });
      expect(res.body).toMatchObject({ title: 'New room', type: 'group', creatorId: s.host.id });
      const members = await call<Items>(
        sandbox,
        s.host.token,
        'GET',
        `/memberships?roomId=${res.body.id as string}`,
      );
      expect(members.body.items).toEqual([
        expect.objectContaining({ personId: s.host.id, isModerator: true }),
      ]);
      expect((await call(sandbox, s.host.token, 'POST', '/rooms', {})).status).toBe(400);
    });
  });

  describe('memberships', () => {
    it('lists the caller’s memberships, or a room’s filtered by person, with paging', async () => {
      const mine = await call<Items>(sandbox, sandbox.botToken, 'GET', '/memberships?max=1000');
      expect(mine.body.items).toHaveLength(5);
      expect(mine.body.items.every((m) => m.personId === s.bot.id)).toBe(true);

      const paged = await call<Items>(sandbox, sandbox.botToken, 'GET', '/memberships?max=2');
      expect(paged.body.items).toHaveLength(2);
      expect(paged.headers.get('link')).toMatch(/rel="next"/);

      const byPerson = await call<Items>(
        sandbox,
        sandbox.botToken,
        'GET',
        `/memberships?roomId=${s.groupRoom.id}&personEmail=${SEED_EMAILS.colleague}`,
      );
      expect(byPerson.body.items).toEqual([
        expect.objectContaining({ personId: s.colleague.id, roomType: 'group' }),
      ]);
      const noRoom = await call(sandbox, s.host.token, 'GET', `/memberships?personId=${s.host.id}`);
      expect(noRoom.status).toBe(400);
    });

    it('adds (409 when already a member), reads and removes memberships', async () => {
      const room = await call(sandbox, s.host.token, 'POST', '/rooms', { title: 'Members' });
      const roomId = room.body.id as string;
      const added = await call(sandbox, s.host.token, 'POST', '/memberships', {
        roomId,
        personEmail: SEED_EMAILS.colleague,
      });
      expect(added.status).toBe(200);
      expect(added.body).toMatchObject({ roomId, personId: s.colleague.id, isModerator: false });
      const again = await call(sandbox, s.host.token, 'POST', '/memberships', {
        roomId,
        personId: s.colleague.id,
      });
      expect(again.status).toBe(409);
      const id = added.body.id as string;
      expect((await call(sandbox, s.colleague.token, 'GET', `/memberships/${id}`)).status).toBe(
        200,
      );
      expect((await call(sandbox, s.admin.token, 'GET', `/memberships/${id}`)).status).toBe(404);
      expect((await call(sandbox, s.host.token, 'DELETE', `/memberships/${id}`)).status).toBe(204);
      expect((await call(sandbox, s.colleague.token, 'GET', `/rooms/${roomId}`)).status).toBe(404);
    });
  });
});
