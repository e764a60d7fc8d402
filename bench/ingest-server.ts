/**
 * The bot's real webhook receiver (ExpressReceiver from src/server/express-receiver.ts) with
 * event storing stubbed out (an accept that resolves at once), so the ingest scenario measures the
 * receiver alone: Express route, raw-body read, HMAC check, JSON parse, envelope check, 200.
 * Runs as its own process and sends its port over IPC. Secret: INGEST_SECRET.
 */
import { createLogger } from '../src/log';
import { ExpressReceiver } from '../src/server/express-receiver';

const receiver = new ExpressReceiver({
  port: 0,
  host: '127.0.0.1',
  logger: createLogger('silent'),
});
receiver.init({ secret: process.env.INGEST_SECRET ?? '', accept: async () => undefined });
void receiver.start().then(({ port }) => process.send?.({ port }));
process.on('SIGTERM', () => void receiver.stop().then(() => process.exit(0)));
