import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebhookKeeper, WEBHOOK_LEASE } from '../../src/bot/webhook-keeper';
import { WebhookReconciler } from '../../src/bot/webhooks';
import { createWebexHttp } from '../../src/webex/client';

const quietLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

describe('WebhookKeeper.stop', () => {
  let server: Server;
  let listings = 0;

  beforeAll(async () => {
    // Webex is down: every listing answers 503, which the client retries for up to a minute.
    server = createServer((_req, res) => {
      listings++;
      res.writeHead(503, { 'content-type': 'application/json' });
      res.end('{"message":"down"}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('aborts a reconcile that is retrying and gives the lease up at once', async () => {
    const { port } = server.address() as AddressInfo;
    const http = createWebexHttp({
      baseUrl: `http://127.0.0.1:${port}`,
      retry: { budgetMs: 60_000, baseDelayMs: 200, maxDelayMs: 200, maxRetries: 1_000 },
    });
    const reconciler = new WebhookReconciler({
      http,
      botToken: 'bot-token',
      name: 'audit-bot',
      targetUrl: 'http://bot.example/webhooks/webex',
      secret: 'secret',
    });
    const released: string[] = [];
    const keeper = new WebhookKeeper({
      reconciler,
      store: {
        claimLeadership: async () => true,
        releaseLeadership: async (name, holder) => void released.push(`${name}:${holder}`),
      },
      intervalMs: 60_000,
      logger: quietLogger,
      holder: 'replica-a',
    });
    const started = keeper.start();
    // The first reconcile is under way and retrying.
    while (listings < 2) await new Promise((resolve) => setTimeout(resolve, 20));

    const stopAt = Date.now();
    await keeper.stop();
    expect(Date.now() - stopAt).toBeLessThan(2_000);
    expect(released).toEqual([`${WEBHOOK_LEASE}:replica-a`]);
    expect(keeper.isLeader).toBe(false);
    await started;
  });
});
