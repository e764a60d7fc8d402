/**
 * The real `webex-node-bot-framework` (and its `webex` SDK 2.4.2) against the sandbox: start,
 * create both webhooks, and turn a delivered message event into a `message` event.
 */
import { startSandbox, type Sandbox } from '../../src/sandbox/server';
import { call, eventually, seeded, startReceiver, type Receiver } from './helpers';

/** The slice of the framework's API this test uses (the package ships no types). */
interface SdkPage {
  items: Array<{ roomId: string }>;
  hasNext(): boolean;
  next(): Promise<SdkPage>;
}
interface FrameworkLike {
  start(): Promise<unknown>;
  getWebexSDK(): { memberships: { list(options: { max: number }): Promise<SdkPage> } };
  on(event: string, listener: (...args: unknown[]) => void): void;
  active: boolean;
  webhook: { name?: string };
}
type ProcessEvent = (framework: FrameworkLike, body: unknown) => Promise<unknown>;

describe('webex-node-bot-framework against the sandbox', () => {
  let sandbox: Sandbox;
  let receiver: Receiver;
  // Jest reuses worker processes: put back the variables this test sets for the SDK.
  const savedEnv = {
    HYDRA_SERVICE_URL: process.env.HYDRA_SERVICE_URL,
    WEBEX_LOG_LEVEL: process.env.WEBEX_LOG_LEVEL,
  };

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0 });
    receiver = await startReceiver();
  });

  afterAll(async () => {
    for (const [name, value] of Object.entries(savedEnv)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    await receiver.close();
    await sandbox.close();
  });

  it('starts, creates its webhooks and emits message events for delivered events', async () => {
    const { host, bot } = seeded(sandbox);
    let Framework: new (options: Record<string, unknown>) => FrameworkLike = undefined as never;
    let processEvent: ProcessEvent = undefined as never;
    jest.isolateModules(() => {
      // The SDK reads HYDRA_SERVICE_URL when first loaded: set it before requiring.
      process.env.HYDRA_SERVICE_URL = sandbox.apiUrl;
      process.env.WEBEX_LOG_LEVEL = 'silent'; // its expected "no service catalog" error is noise here
      /* eslint-disable @typescript-eslint/no-require-imports */
      Framework = require('webex-node-bot-framework');
      processEvent = require('webex-node-bot-framework/lib/process-event');
      /* eslint-enable @typescript-eslint/no-require-imports */
    });

    const framework = new Framework({
      token: bot.token,
      webhookUrl: receiver.url,
      webhookSecret: 's',
      removeWebhooksOnStart: false,
      maxStartupSpaces: 0,
    });
    const messages: Array<{ text?: string; personEmail?: string; personId?: string }> = [];
    framework.on('message', (_bot, trigger) => {
      const t = trigger as { text?: string; person?: { emails?: string[] }; personId?: string };
      messages.push({ text: t.text, personEmail: t.person?.emails?.[0], personId: t.personId });
    });
    await framework.start();

    const hooks = await eventually(() => {
      const own = [...sandbox.state.webhooks.values()].filter((w) => w.createdBy === bot.id);
      return own.length === 2 ? own : undefined;
    });
    expect(hooks.map((h) => `${h.resource}/${h.event}`).sort()).toEqual([
      'all/all',
      'attachmentActions/created',
    ]);
    expect(hooks.every((h) => h.secret === 's' && h.targetUrl === receiver.url)).toBe(true);
    await eventually(() => framework.active);

    // The host writes to the bot directly; the sandbox delivers the event to the firehose.
    const sent = await call(sandbox, host.token, 'POST', '/messages', {
      toPersonEmail: bot.email,
      text: 'audit 1234',
    });
    expect(sent.status).toBe(200);
    const [delivery] = await receiver.waitFor(1);
    expect(delivery.body.name).toBe(framework.webhook.name);

    await processEvent(framework, delivery.body);
    const message = await eventually(() => messages[0]);
    expect(message).toEqual({ text: 'audit 1234', personEmail: host.email, personId: host.id });
    expect(sandbox.unhandledRequests).toEqual([]);
    // The SDK follows the sandbox's Link headers (as the framework does for memberships).
    let page = await framework.getWebexSDK().memberships.list({ max: 2 });
    const roomIds = page.items.map((m) => m.roomId);
    while (page.hasNext()) {
      page = await page.next();
      roomIds.push(...page.items.map((m) => m.roomId));
    }
    expect(roomIds).toHaveLength(5);

    // The SDK's people batcher asked for the sender with GET /people?id=…
    expect(sandbox.faults.counts().byRoute).toMatchObject({
      'GET /v1/people/me': 1,
      'GET /v1/messages/:id': 1,
      'GET /v1/people': 1,
    });
  });
});
