/**
 * The bot's real HTTP app (createHttpApp from src/server/app.ts) with event processing
 * stubbed out (a no-op onWebhookEvent), so the ingest scenario measures the receiver alone:
 * raw-body read, HMAC check, JSON parse, envelope check, 200. Runs as its own process and
 * sends its port over IPC. Secret: INGEST_SECRET.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLogger } from '../src/log';
import { createHttpApp } from '../src/server/app';

const secret = process.env.INGEST_SECRET ?? '';
const app = createHttpApp({
  webhookSecret: secret,
  onWebhookEvent: () => undefined,
  readiness: [],
  logger: createLogger('silent'),
});
const server = createServer(app);
server.listen(0, '127.0.0.1', () => {
  process.send?.({ port: (server.address() as AddressInfo).port });
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
