import type { SandboxEvent } from '../../src/sandbox/events';
import { checkMessageInput } from '../../src/sandbox/message-input';
import { renderMentions, type MentionDirectory } from '../../src/sandbox/mentions';
import type { SandboxPerson, SandboxWebhook } from '../../src/sandbox/state';
import { sparkSignature, webhookEnvelope } from '../../src/sandbox/webhook-delivery';
import { parseFilter, webhookHears } from '../../src/sandbox/webhook-rules';

const people = [
  { id: 'P1', email: 'a@example.com', displayName: 'Ann <A>' },
  { id: 'BOT', email: 'bot@webex.bot', displayName: 'Bot' },
];
const directory: MentionDirectory = {
  byId: (id) => people.find((p) => p.id === id),
  byEmail: (email) => people.find((p) => p.email === email),
};

describe('renderMentions', () => {
  it('replaces tags with names in text and spark-mentions in html', () => {
    const out = renderMentions(
      '<@personEmail:bot@webex.bot|Bot> hi <@personId:P1> & <b>',
      directory,
    );
    expect(out.text).toBe('Bot hi Ann <A> & <b>');
    expect(out.html).toBe(
      '<p><spark-mention data-object-type="person" data-object-id="BOT">Bot</spark-mention> hi ' +
        '<spark-mention data-object-type="person" data-object-id="P1">Ann &lt;A&gt;</spark-mention>' +
        ' &amp; &lt;b&gt;</p>',
    );
    expect(out.mentionedPeople).toEqual(['BOT', 'P1']);
  });

  it('handles @all, unknown people and repeats', () => {
    const out = renderMentions(
      '<@all> <@personId:ZZ|Zed> <@personId:P1|A> <@personId:P1|A>',
      directory,
    );
    expect(out).toMatchObject({
      text: 'All Zed A A',
      mentionedPeople: ['P1'],
      mentionedGroups: ['all'],
    });
  });
});

describe('checkMessageInput', () => {
  it('accepts a multipart-style attachments string and counts uploads as content', () => {
    const card = { contentType: 'application/vnd.microsoft.card.adaptive', content: {} };
    expect(
      checkMessageInput({ roomId: 'r', attachments: JSON.stringify([card]) }, 0),
    ).toMatchObject({
      ok: true,
      value: { attachments: [card] },
    });
    expect(checkMessageInput({ roomId: 'r' }, 1).ok).toBe(true);
    expect(checkMessageInput({ roomId: 'r', toPersonId: 'p', text: 'x' }, 0).ok).toBe(false);
    expect(checkMessageInput({ roomId: 'r', text: 'x'.repeat(7439) }, 0).ok).toBe(true);
    expect(checkMessageInput({ roomId: 'r', text: 'x'.repeat(7440) }, 0).ok).toBe(false);
  });
});

describe('webhook rules', () => {
  const bot: SandboxPerson = {
    id: 'BOT',
    emails: ['bot@webex.bot'],
    displayName: 'Bot',
    orgId: 'O',
    type: 'bot',
    created: '',
    admin: false,
  };
  const hook = (resource: string, event = 'all', filter?: string): SandboxWebhook => ({
    id: 'W',
    name: 'n',
    targetUrl: 'http://x',
    resource,
    event,
    filter,
    status: 'active',
    created: '',
    orgId: 'O',
    createdBy: 'BOT',
    appId: 'A',
    ownedBy: 'creator',
  });
  const event = (over: Partial<SandboxEvent>): SandboxEvent => ({
    resource: 'messages',
    event: 'created',
    actorId: 'P1',
    roomId: 'R',
    roomType: 'group',
    data: { id: 'M' },
    audience: ['P1', 'BOT'],
    ...over,
  });

  it('applies the group-room mention rule to bots', () => {
    expect(webhookHears(hook('all'), bot, event({}))).toBe(false);
    expect(webhookHears(hook('all'), bot, event({ mentionedPeople: ['BOT'] }))).toBe(true);
    expect(webhookHears(hook('all'), bot, event({ roomType: 'direct' }))).toBe(true);
    expect(webhookHears(hook('memberships'), bot, event({ resource: 'memberships' }))).toBe(true);
    expect(webhookHears(hook('all'), bot, event({ audience: ['P1'], roomType: 'direct' }))).toBe(
      false,
    );
  });

  it('sends attachmentActions only to that resource, for the card author', () => {
    const action = event({ resource: 'attachmentActions', messageAuthorId: 'BOT' });
    expect(webhookHears(hook('all'), bot, action)).toBe(false);
    expect(webhookHears(hook('attachmentActions', 'created'), bot, action)).toBe(true);
    expect(webhookHears(hook('attachmentActions'), bot, { ...action, messageAuthorId: 'P1' })).toBe(
      false,
    );
  });

  it('honours filters and events', () => {
    const direct = event({ roomType: 'direct' });
    expect(webhookHears(hook('messages', 'created', 'roomId=R'), bot, direct)).toBe(true);
    expect(webhookHears(hook('messages', 'created', 'roomId=X'), bot, direct)).toBe(false);
    expect(webhookHears(hook('messages', 'deleted'), bot, direct)).toBe(false);
    expect(parseFilter('roomId=a%3Db&personId=p')).toEqual([
      ['roomId', 'a=b'],
      ['personId', 'p'],
    ]);
  });

  it('signs bodies with hex HMAC-SHA1 and builds the envelope with the webhook id', () => {
    expect(sparkSignature('secret', '{}')).toBe('5d61605c3feea9799210ddcb71307d4ba264225f');
    expect(webhookEnvelope(hook('all', 'all', 'roomId=R'), event({}))).toMatchObject({
      id: 'W',
      resource: 'messages',
      event: 'created',
      filter: 'roomId=R',
      actorId: 'P1',
      data: { id: 'M' },
    });
  });
});
