import { inboxEventId } from '../../src/inbox/event-id';

const membership = (event: string, created: string) => ({
  resource: 'memberships',
  event,
  data: { id: 'BOT:ROOM', created },
});

describe('inboxEventId', () => {
  it('is the same for a redelivery', () => {
    const message = { resource: 'messages', event: 'created', data: { id: 'M1' } };
    expect(inboxEventId(message)).toBe(inboxEventId({ ...message, data: { id: 'M1' } }));
    expect(inboxEventId(membership('created', 'T1'))).toBe(
      inboxEventId(membership('created', 'T1')),
    );
  });

  it("keeps a created message's or card click's id, as stored before", () => {
    expect(inboxEventId({ resource: 'messages', event: 'created', data: { id: 'M1' } })).toBe('M1');
    expect(
      inboxEventId({ resource: 'attachmentActions', event: 'created', data: { id: 'A1' } }),
    ).toBe('A1');
  });

  it('tells a deleted message from its creation', () => {
    const created = inboxEventId({ resource: 'messages', event: 'created', data: { id: 'M1' } });
    const deleted = inboxEventId({ resource: 'messages', event: 'deleted', data: { id: 'M1' } });
    expect(deleted).not.toBe(created);
  });

  it("tells apart an add, the removal and an add-back, which share Webex's membership id", () => {
    const ids = [
      membership('created', '2026-12-02T10:00:00.000Z'),
      membership('deleted', '2026-12-02T11:00:00.000Z'),
      membership('created', '2026-12-02T12:00:00.000Z'),
    ].map(inboxEventId);
    expect(new Set(ids).size).toBe(3);
  });

  it("tells a removal from the add when both carry the membership's creation time (webhooks)", () => {
    const at = '2026-12-02T10:00:00.000Z';
    expect(inboxEventId(membership('deleted', at))).not.toBe(
      inboxEventId(membership('created', at)),
    );
  });
});
