/**
 * The bot's real webhook receiver (ExpressReceiver from src/server/express-receiver.ts) in its
 * own process; it sends its port over IPC. Secret: INGEST_SECRET.
 * - Without INGEST_DATABASE_URL, storing is stubbed out (an accept that resolves at once), so
 *   the figure is the receiver alone: Express route, raw-body read, HMAC check, JSON parse,
 *   envelope check, 200.
 * - With it, every delivery is stored in the real inbox on that store before its 200, as the
 *   bot does; the inbox's worker is not started, so nothing is processed.
 */
import { Inbox } from '../src/inbox/inbox';
import { createLogger } from '../src/log';
import { ExpressReceiver } from '../src/server/express-receiver';
import { openStore } from '../src/store';

async function main(): Promise<void> {
  const logger = createLogger('silent');
  const databaseUrl = process.env.INGEST_DATABASE_URL;
  const store = databaseUrl ? await openStore(databaseUrl) : undefined;
  const inbox = store && new Inbox({ store, replicaId: 'bench-ingest', logger });
  const receiver = new ExpressReceiver({ port: 0, host: '127.0.0.1', logger });
  receiver.init({
    webhooks: {
      secret: process.env.INGEST_SECRET ?? '',
      accept: inbox ? (envelope) => inbox.accept(envelope) : async () => undefined,
    },
  });
  const { port } = await receiver.start();
  process.send?.({ port });
  process.on('SIGTERM', () => {
    void receiver
      .stop()
      .then(() => store?.close())
      .then(() => process.exit(0));
  });
}

void main();
