import { sendMessage, type WebexHttp } from '../../src/webex';
import { WebexApiError } from '../../src/webex/errors';
import { startFakeWebexClient, type FakeWebex } from './fake-webex';

let fake: FakeWebex;
let http: WebexHttp;

beforeAll(async () => {
  ({ fake, http } = await startFakeWebexClient({ retry: { baseDelayMs: 5, budgetMs: 2_000 } }));
});

afterAll(async () => {
  await fake.close();
});

const message = { roomId: 'R1', markdown: 'hello' };

describe('POST retries', () => {
  it.each([502, 504])(
    'does not repeat a message after a %s (it may have been posted)',
    async (status) => {
      fake.script((_req, res) => res.status(status).json({ message: 'gateway', trackingId: 'T1' }));
      await expect(sendMessage(http, 'bot-token', message)).rejects.toBeInstanceOf(WebexApiError);
      expect(fake.seen).toHaveLength(1);
    },
  );

  it('repeats a message after a 503 or a 429, which Webex did not act on', async () => {
    fake.script((_req, res, n) => {
      if (n === 0) res.status(503).json({ message: 'unavailable' });
      else if (n === 1) res.status(429).set('Retry-After', '0').json({ message: 'slow down' });
      else res.json({ id: 'M1', roomId: 'R1' });
    });
    await expect(sendMessage(http, 'bot-token', message)).resolves.toMatchObject({ id: 'M1' });
    expect(fake.seen).toHaveLength(3);
  });
});
