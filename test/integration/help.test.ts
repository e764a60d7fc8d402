/**
 * The foundation end to end: a sandbox user talks to the bot over HTTP, as on Webex.
 */
import axios from 'axios';
import { signWebexBody } from '../../src/server/verify-signature';
import { cardOf, cardText as readCard } from '../helpers/card-text';
import { expectValidCard } from '../helpers/cards';
import { quiet } from '../helpers/quiet';
import {
  cardActions,
  clickButton,
  startStack,
  type SandboxMessage,
  type SandboxUser,
  type TestStack,
} from '../helpers/stack';

const HEX = '4f914b1dfe3c4d11a61730f18c0f5387';

let stack: TestStack;

beforeAll(async () => {
  stack = await startStack();
});

afterAll(async () => {
  await stack?.close();
});

function cardText(card: unknown): string {
  return JSON.stringify(card);
}

describe('help', () => {
  it('answers help in the 1:1 space with a valid card listing every command', async () => {
    const host = stack.user('host@example.com');
    const started = Date.now();
    const sent = await host.dmBot('help');
    const [reply] = await host.waitForBot(sent.roomId, { after: sent.id });
    expect(Date.now() - started).toBeLessThan(1_000);
    const card = reply.attachments?.[0]?.content;
    expectValidCard(card);
    for (const command of ['audit', 'connect', 'disconnect', 'timezone', 'help']) {
      expect(cardText(card)).toContain(command);
    }
    expect(reply.markdown).toContain('audit');
  });

  it('answers "?" with the full help card too', async () => {
    const colleague = stack.user('colleague@example.com');
    const sent = await colleague.dmBot('?');
    const [reply] = await colleague.waitForBot(sent.roomId, { after: sent.id });
    expectValidCard(reply.attachments?.[0]?.content);
    expect(cardText(reply.attachments?.[0]?.content)).toContain('Recording Audit: help');
    expect(reply.markdown).toContain('audit <recording ID or link>');
  });

  it('answers help in a group space when mentioned, threaded under the question', async () => {
    const admin = stack.user('admin@example.com');
    const roomId = stack.groupRoomId();
    const sent = await admin.sayInRoom(roomId, 'help');
    const [reply] = await admin.waitForBot(roomId, { after: sent.id });
    expect(reply.parentId).toBe(sent.id);
    expectValidCard(reply.attachments?.[0]?.content);
    expect(cardText(reply.attachments?.[0]?.content)).toContain('audit');
  });

  it('stays silent in a group space when not mentioned', async () => {
    const admin = stack.user('admin@example.com');
    const roomId = stack.groupRoomId();
    const sent = await admin.sayInRoom(roomId, 'help', false);
    // A mentioned message sent after it gets an answer; the unmentioned one must not.
    const marker = await admin.sayInRoom(roomId, 'help');
    const replies = await admin.waitForBot(roomId, { after: sent.id });
    expect(replies).toHaveLength(1);
    expect(replies[0].parentId).toBe(marker.id);
  });
});

describe('short answers to what the bot does not understand', () => {
  const nothingMore = () => quiet(stack.running.sandbox, () => stack.running.store.inboxDepth());

  /** Sends `text`, waits until nothing more is coming, and returns every bot reply to it. */
  async function answersTo(
    user: SandboxUser,
    text: string,
    roomId?: string,
  ): Promise<{ sent: SandboxMessage; replies: SandboxMessage[] }> {
    const sent = roomId ? await user.sayInRoom(roomId, text) : await user.dmBot(text);
    await user.waitForBot(sent.roomId, { after: sent.id });
    await nothingMore();
    const all = await user.messages(sent.roomId);
    const replies = all
      .slice(all.findIndex((m) => m.id === sent.id) + 1)
      .filter((m) => m.personId === stack.file.bot.id);
    return { sent, replies };
  }

  /** One short card: the line(s) and exactly one button, Help, and no command list. */
  function expectShortAnswer(reply: SandboxMessage): void {
    const card = cardOf(reply);
    expectValidCard(card);
    const buttons = cardActions(card);
    expect(buttons.map((b) => `${b.type} ${b.title}`)).toEqual(['Action.Submit Help']);
    expect(readCard(card)).not.toContain('disconnect');
    expect(readCard(card)).not.toContain('Recording Audit: help');
  }

  it('answers a typo with one line naming the closest command, and Help shows the full help', async () => {
    const host = stack.user('host@example.com');
    const { replies } = await answersTo(host, `audti ${HEX}`);
    expect(replies).toHaveLength(1);
    const [reply] = replies;
    expect(reply.markdown).toBe(`Did you mean \`audit ${HEX}\`?`);
    expectShortAnswer(reply);
    // Cards have no code spans: the command is bold there.
    expect(readCard(cardOf(reply))).toBe(`Did you mean **audit ${HEX}**?`);

    await clickButton(host, reply, 'Help');
    const [help] = await host.waitForBot(reply.roomId, { after: reply.id });
    expectValidCard(cardOf(help));
    expect(readCard(cardOf(help))).toContain('Recording Audit: help');
    for (const command of ['audit', 'recordings', 'connect', 'disconnect', 'timezone', 'help']) {
      expect(readCard(cardOf(help))).toContain(command);
    }
    await nothingMore();
    const after = await host.messages(reply.roomId);
    expect(after.slice(after.findIndex((m) => m.id === reply.id) + 1)).toHaveLength(1);
  });

  it.each([
    ['recordigns', 'Did you mean `recordings`?'],
    ['timezne Europe/Berlin', 'Did you mean `timezone Europe/Berlin`?'],
    ['hepl me', 'Did you mean `help`?'],
  ])('answers %p with %p', async (text, line) => {
    const { replies } = await answersTo(stack.user('colleague@example.com'), text);
    expect(replies.map((m) => m.markdown)).toEqual([line]);
    expectShortAnswer(replies[0]);
  });

  it('keeps what was typed in the suggestion, escaped and cut short', async () => {
    const text = `audti *${'x'.repeat(300)}*`;
    const { replies } = await answersTo(stack.user('colleague@example.com'), text);
    expect(replies).toHaveLength(1);
    expect(replies[0].markdown).toMatch(/^Did you mean `audit \*x+…`\?$/);
    const shown = readCard(cardOf(replies[0]));
    // The typed asterisk is escaped (shown as is), the bold is the card's.
    expect(cardOf(replies[0])).toMatchObject({
      body: [{ text: expect.stringMatching(/^Did you mean \*\*audit \\\*x+…\*\*\?$/) }],
    });
    expect(shown).toMatch(/^Did you mean \*\*audit \*x+…\*\*\?$/);
    expect(shown.length).toBeLessThan(200);
  });

  it.each([
    ['emoji only', '👍🎉'],
    ['white space only', ' \n\t  '],
  ])('answers a message of %s with the same short line', async (_what, text) => {
    const { replies } = await answersTo(stack.user('colleague@example.com'), text);
    expect(replies.map((m) => m.markdown)).toEqual([
      "I didn't understand that. Try `audit <recording link>` or Help.",
    ]);
    expectShortAnswer(replies[0]);
  });

  it('answers what is nothing like a command with the short line, quoting it', async () => {
    const { replies } = await answersTo(stack.user('colleague@example.com'), 'what can you do');
    expect(replies.map((m) => m.markdown)).toEqual([
      'I didn\'t understand "what can you do". Try `audit <recording link>` or Help.',
    ]);
    expectShortAnswer(replies[0]);
  });

  it('answers in the thread in a group space, and Help answers in that thread too', async () => {
    const admin = stack.user('admin@example.com');
    const roomId = stack.groupRoomId();
    const { sent, replies } = await answersTo(admin, 'recordigns', roomId);
    expect(replies).toHaveLength(1);
    expect(replies[0].parentId).toBe(sent.id);
    expect(replies[0].markdown).toBe('Did you mean `recordings`?');
    // Anyone in the space may press Help: it is what typing help gives anyone.
    const colleague = stack.user('colleague@example.com');
    await clickButton(colleague, replies[0], 'Help');
    const [help] = await admin.waitForBot(roomId, { after: replies[0].id });
    expect(help.parentId).toBe(sent.id);
    expect(readCard(cardOf(help))).toContain('Recording Audit: help');
  });
});

describe('webhook receiver', () => {
  const webhookUrl = () => `${stack.file.botUrl}/webhooks/webex`;

  /** A user message that the sandbox does not deliver, so only the test's envelope counts. */
  async function undeliveredHelp(): Promise<{
    envelope: Record<string, unknown>;
    roomId: string;
    id: string;
  }> {
    const hooks = [...stack.running.sandbox.state.webhooks.values()];
    for (const hook of hooks) hook.status = 'inactive';
    const host = stack.user('host@example.com');
    const sent = await host.dmBot('help');
    for (const hook of hooks) hook.status = 'active';
    const firehose = hooks.find((h) => h.resource === 'all');
    if (!firehose) throw new Error('the bot registered no firehose webhook');
    const envelope = {
      id: firehose.id,
      name: firehose.name,
      targetUrl: firehose.targetUrl,
      resource: 'messages',
      event: 'created',
      orgId: firehose.orgId,
      createdBy: firehose.createdBy,
      appId: firehose.appId,
      ownedBy: 'creator',
      status: 'active',
      created: new Date().toISOString(),
      actorId: host.id,
      data: {
        id: sent.id,
        roomId: sent.roomId,
        roomType: 'direct',
        personId: host.id,
        personEmail: host.email,
        created: sent.created,
      },
    };
    return { envelope, roomId: sent.roomId, id: sent.id };
  }

  function secret(): string {
    const hook = [...stack.running.sandbox.state.webhooks.values()].find((h) => h.secret);
    if (!hook?.secret) throw new Error('the bot registered its webhooks without a secret');
    return hook.secret;
  }

  it('accepts a correctly signed pretty-printed, \\u-escaped body and processes it', async () => {
    const { envelope, roomId, id } = await undeliveredHelp();
    const body = JSON.stringify(envelope, null, 2).replace(/"resource"/, '"\\u0072esource"');
    const response = await axios.post(webhookUrl(), body, {
      headers: {
        'Content-Type': 'application/json',
        'X-Spark-Signature': signWebexBody(body, secret()),
      },
      validateStatus: () => true,
    });
    expect(response.status).toBe(200);
    const host = stack.user('host@example.com');
    const [reply] = await host.waitForBot(roomId, { after: id });
    expect(reply.attachments?.[0]?.contentType).toBe('application/vnd.microsoft.card.adaptive');
  });

  it('refuses forged and missing signatures with 401 and processes nothing', async () => {
    const { envelope, roomId, id } = await undeliveredHelp();
    const body = JSON.stringify(envelope);
    const forged = await axios.post(webhookUrl(), body, {
      headers: {
        'Content-Type': 'application/json',
        'X-Spark-Signature': signWebexBody(body, 'not-the-secret'),
      },
      validateStatus: () => true,
    });
    const missing = await axios.post(webhookUrl(), body, {
      headers: { 'Content-Type': 'application/json' },
      validateStatus: () => true,
    });
    expect(forged.status).toBe(401);
    expect(missing.status).toBe(401);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const host = stack.user('host@example.com');
    const all = await host.messages(roomId);
    const answers = all
      .slice(all.findIndex((m) => m.id === id) + 1)
      .filter((m) => m.personId === stack.file.bot.id);
    expect(answers).toEqual([]);
  });

  it('reports health and readiness', async () => {
    const health = await axios.get(`${stack.file.botUrl}/healthz`);
    expect(health.data).toEqual({ status: 'ok' });
    const ready = await axios.get(`${stack.file.botUrl}/readyz`, { validateStatus: () => true });
    expect(ready.status).toBe(200);
    expect(ready.data.checks.webhooks).toBe(true);
    // Exactly the two the bot needs: no duplicates from the framework and our supervisor.
    const hooks = [...stack.running.sandbox.state.webhooks.values()].filter(
      (h) => h.createdBy === stack.file.bot.id,
    );
    expect(hooks.map((h) => `${h.resource}/${h.event}`).sort()).toEqual([
      'all/all',
      'attachmentActions/created',
    ]);
  });

  it('exposes Prometheus metrics of what it received and answered', async () => {
    const metrics = await axios.get<string>(`${stack.file.botUrl}/metrics`);
    expect(metrics.headers['content-type']).toContain('text/plain');
    expect(metrics.data).toMatch(/audit_bot_webhooks_total\{outcome="accepted"\} [1-9]/);
    expect(metrics.data).toMatch(/audit_bot_webhooks_total\{outcome="refused"\} [1-9]/);
    expect(metrics.data).toMatch(/audit_bot_commands_total\{command="help",outcome="ok"\} [1-9]/);
  });

  it('answers an oversized or compressed body briefly, without a stack trace', async () => {
    const big = await axios.post(webhookUrl(), 'x'.repeat(300 * 1024), {
      headers: { 'Content-Type': 'application/json' },
      validateStatus: () => true,
    });
    expect(big.status).toBe(413);
    expect(big.data).toEqual({ message: 'Bad request.' });
    const gzip = await axios.post(webhookUrl(), Buffer.from('not gzip'), {
      headers: { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' },
      validateStatus: () => true,
    });
    expect(gzip.status).toBeGreaterThanOrEqual(400);
    expect(JSON.stringify(gzip.data)).not.toMatch(/node_modules|at /);
  });
});
