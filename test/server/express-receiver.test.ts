/**
 * The HTTP receiver on a real socket: what Webex (or anyone else) gets back for each kind of
 * delivery, what reaches the handler, and how it behaves when starting and stopping.
 */
import http from 'node:http';
import { createServer as createTcpServer, type Server as TcpServer } from 'node:net';
import { gzipSync } from 'node:zlib';
import { createLogger } from '../../src/log';
import type { WebhookEnvelope } from '../../src/bot/envelope';
import { ExpressReceiver, WEBHOOK_PATH } from '../../src/server/express-receiver';
import { createMetrics, type Metrics } from '../../src/metrics';
import { signWebexBody } from '../../src/server/verify-signature';
import { StartupError } from '../../src/startup-errors';

const SECRET = 'receiver-test-secret';
const MB = 1024 * 1024;

const envelope = (id: string): WebhookEnvelope => ({
  id: 'webhook-1',
  name: 'audit-bot firehose',
  resource: 'messages',
  event: 'created',
  data: { id, roomId: 'room-1', personId: 'person-1' },
});

interface Started {
  receiver: ExpressReceiver;
  url: string;
  port: number;
  received: WebhookEnvelope[];
  metrics: Metrics;
}

let running: Started[] = [];

async function startReceiver(
  accept: (e: WebhookEnvelope) => Promise<void> = async () => undefined,
  onRequest?: () => void,
): Promise<Started> {
  const receiver = new ExpressReceiver({
    port: 0,
    host: '127.0.0.1',
    logger: createLogger('silent'),
  });
  if (onRequest) {
    // Runs once a request's headers are in, before the webhook route reads its body.
    receiver.app.use((_req, _res, next) => {
      onRequest();
      next();
    });
  }
  const received: WebhookEnvelope[] = [];
  const metrics = createMetrics();
  receiver.init({
    webhooks: {
      secret: SECRET,
      accept: (e) => {
        received.push(e);
        return accept(e);
      },
    },
    metrics,
  });
  const { port, url } = await receiver.start();
  const started = { receiver, url: `${url}${WEBHOOK_PATH}`, port, received, metrics };
  running.push(started);
  return started;
}

afterEach(async () => {
  await Promise.all(running.map((r) => r.receiver.stop()));
  running = [];
});

async function post(url: string, body: Buffer | string, headers: Record<string, string> = {}) {
  // fetch's types take a plain Uint8Array, not a Buffer.
  const bytes = typeof body === 'string' ? body : new Uint8Array(body);
  const response = await fetch(url, { method: 'POST', body: bytes, headers });
  return {
    status: response.status,
    body: (await response.json()) as unknown,
    headers: response.headers,
  };
}

const signed = (body: string | Buffer, extra: Record<string, string> = {}) => ({
  'Content-Type': 'application/json',
  'X-Spark-Signature': signWebexBody(body, SECRET),
  ...extra,
});

async function webhookCounts(metrics: Metrics): Promise<Record<string, number>> {
  const metric = await metrics.webhooks.get();
  return Object.fromEntries(metric.values.map((v) => [String(v.labels.outcome), v.value]));
}

interface UploadResult {
  status?: number;
  body: string;
  /** Bytes the client had handed to its socket when the answer arrived. */
  sentWhenAnswered: number;
  /** ms from the first byte to the connection being closed. */
  closedAfterMs: number;
}

/** POSTs `total` bytes in 64 KB writes, stopping once an answer arrives; resolves on close. */
function upload(
  url: string,
  total: number,
  headers: Record<string, string>,
): Promise<UploadResult> {
  return new Promise((resolve) => {
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    const started = performance.now();
    let sent = 0;
    let answered = false;
    const result: UploadResult = { body: '', sentWhenAnswered: -1, closedAfterMs: -1 };
    const request = http.request(url, { method: 'POST', headers, agent: false });
    request.on('response', (response) => {
      answered = true;
      result.status = response.statusCode;
      result.sentWhenAnswered = sent;
      response.setEncoding('utf8');
      response.on('data', (text: string) => (result.body += text));
      response.on('error', () => undefined);
    });
    // The server closing while we still write is the point; it is not a failure here.
    request.on('error', () => undefined);
    request.on('close', () => {
      result.closedAfterMs = performance.now() - started;
      resolve(result);
    });
    const pump = () => {
      while (!answered && !request.destroyed && sent < total) {
        sent += chunk.length;
        if (!request.write(chunk)) {
          request.once('drain', pump);
          return;
        }
      }
      if (!answered && !request.destroyed) request.end();
    };
    pump();
  });
}

describe('ExpressReceiver: answers', () => {
  it('answers a signed envelope with 200 only once it has been accepted (stored)', async () => {
    let stored: () => void = () => undefined;
    let accepting: () => void = () => undefined;
    const acceptCalled = new Promise<void>((resolve) => (accepting = resolve));
    const r = await startReceiver(() => {
      accepting();
      return new Promise<void>((resolve) => (stored = resolve));
    });
    const body = JSON.stringify(envelope('m1'), null, 2);
    let answered = false;
    const answer = post(r.url, body, signed(body)).finally(() => (answered = true));
    await acceptCalled;
    // A round trip to the server after accept was called: still no answer while not stored.
    await fetch(r.url.replace('/webhooks/webex', '/nothing')).catch(() => undefined);
    expect(answered).toBe(false);
    stored();
    expect((await answer).status).toBe(200);
    expect((await answer).body).toEqual({ ok: true });
    expect(r.received).toEqual([envelope('m1')]);
    expect(await webhookCounts(r.metrics)).toEqual({ accepted: 1 });
  });

  it('answers 503 when the event cannot be stored, so Webex delivers it again', async () => {
    const r = await startReceiver(() => Promise.reject(new Error('SQLITE_READONLY')));
    const body = JSON.stringify(envelope('m1b'));
    const answer = await post(r.url, body, signed(body));
    expect(answer.status).toBe(503);
    expect(answer.headers.get('retry-after')).toBe('1');
    expect(answer.body).toEqual({ message: 'Try again later.' });
    expect(await webhookCounts(r.metrics)).toEqual({ unstored: 1 });
  });

  it('refuses forged and missing signatures with 401 and hands nothing over', async () => {
    const r = await startReceiver();
    const body = JSON.stringify(envelope('m2'));
    const forged = await post(r.url, body, {
      'Content-Type': 'application/json',
      'X-Spark-Signature': signWebexBody(body, 'not-the-secret'),
    });
    const missing = await post(r.url, body, { 'Content-Type': 'application/json' });
    const empty = await post(r.url, '', {});
    // Stopping resolves once every acknowledged event was handed over.
    await r.receiver.stop();
    expect([forged.status, missing.status, empty.status]).toEqual([401, 401, 401]);
    expect(forged.body).toEqual({ message: 'Invalid webhook signature.' });
    expect(r.received).toEqual([]);
    expect(await webhookCounts(r.metrics)).toEqual({ refused: 3 });
  });

  it('answers 400 to signed bytes that are not an envelope, and 415 to a compressed body', async () => {
    const r = await startReceiver();
    const notJson = '{"id": ';
    const notEnvelope = JSON.stringify({ hello: 'world' });
    const gzipped = gzipSync(JSON.stringify(envelope('m3')));
    const bad = await post(r.url, notJson, signed(notJson));
    const other = await post(r.url, notEnvelope, signed(notEnvelope));
    const compressed = await post(r.url, gzipped, signed(gzipped, { 'Content-Encoding': 'gzip' }));
    await r.receiver.stop();
    expect([bad.status, other.status]).toEqual([400, 400]);
    expect(other.body).toEqual({ message: 'Webhook body is not a Webex webhook envelope.' });
    expect(compressed.status).toBe(415);
    expect(compressed.body).toEqual({ message: 'Compressed webhook bodies are not accepted.' });
    expect(compressed.headers.get('connection')).toBe('close');
    expect(r.received).toEqual([]);
    expect(await webhookCounts(r.metrics)).toEqual({ invalid: 3 });
  });

  it('answers 503 "starting" until initialised', async () => {
    const receiver = new ExpressReceiver({
      port: 0,
      host: '127.0.0.1',
      logger: createLogger('silent'),
    });
    const { url } = await receiver.start();
    try {
      const body = JSON.stringify(envelope('m4'));
      const early = await post(`${url}${WEBHOOK_PATH}`, body, signed(body));
      expect(early.status).toBe(503);
      expect(early.headers.get('retry-after')).toBe('1');
      expect(early.body).toEqual({ status: 'starting' });
      receiver.init({ webhooks: { secret: SECRET, accept: async () => undefined } });
      expect((await post(`${url}${WEBHOOK_PATH}`, body, signed(body))).status).toBe(200);
    } finally {
      await receiver.stop();
    }
  });
});

describe('ExpressReceiver: bodies that are too large', () => {
  it('answers a 100 MB upload with 413 at once and closes without reading it', async () => {
    const r = await startReceiver();
    const result = await upload(r.url, 100 * MB, {
      'Content-Type': 'application/json',
      'Content-Length': String(100 * MB),
      'X-Spark-Signature': '0'.repeat(40),
    });
    expect(result.status).toBe(413);
    expect(JSON.parse(result.body)).toEqual({ message: 'Bad request.' });
    // Answered while the client had sent at most what socket buffers hold, and closed at once.
    expect(result.sentWhenAnswered).toBeLessThan(8 * MB);
    expect(result.closedAfterMs).toBeLessThan(2_000);
    expect(await webhookCounts(r.metrics)).toEqual({ invalid: 1 });
  });

  it('does the same for a chunked upload that gives no length', async () => {
    const r = await startReceiver();
    const result = await upload(r.url, 100 * MB, {
      'Content-Type': 'application/json',
      'X-Spark-Signature': '0'.repeat(40),
    });
    expect(result.status).toBe(413);
    expect(result.sentWhenAnswered).toBeGreaterThan(256 * 1024);
    expect(result.sentWhenAnswered).toBeLessThan(8 * MB);
    expect(result.closedAfterMs).toBeLessThan(2_000);
    expect(r.received).toEqual([]);
  });

  it('still takes a body just under the limit', async () => {
    const r = await startReceiver();
    const padded = { ...envelope('m5'), padding: 'x'.repeat(250 * 1024) };
    const body = JSON.stringify(padded);
    const answer = await post(r.url, body, signed(body));
    await r.receiver.stop();
    expect(answer.status).toBe(200);
    expect(r.received.map((e) => e.data.id)).toEqual(['m5']);
  });
});

describe('ExpressReceiver: starting and stopping', () => {
  let blocker: TcpServer | undefined;
  afterEach(
    () => new Promise<void>((resolve) => (blocker ? blocker.close(() => resolve()) : resolve())),
  );

  it('turns a port in use into a StartupError that says what to do', async () => {
    blocker = createTcpServer();
    await new Promise<void>((resolve) => blocker?.listen(0, '127.0.0.1', resolve));
    const address = blocker.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const receiver = new ExpressReceiver({
      port,
      host: '127.0.0.1',
      logger: createLogger('silent'),
    });
    const failure = await receiver.start().catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(StartupError);
    expect((failure as Error).message).toContain(`port ${port} on 127.0.0.1`);
    expect((failure as Error).message).toMatch(/set PORT to a free port \(EADDRINUSE\)$/);
  });

  it('lets a delivery being read when stopping finish and be accepted, then refuses connections', async () => {
    let arrived: () => void = () => undefined;
    const requestIsIn = new Promise<void>((resolve) => (arrived = resolve));
    const r = await startReceiver(undefined, () => arrived());
    const body = JSON.stringify(envelope('m6'));
    const half = Math.floor(body.length / 2);
    // A delivery whose body arrives in two parts, with stop() called in between.
    const request = http.request(r.url, {
      method: 'POST',
      agent: false,
      headers: { ...signed(body), 'Content-Length': String(Buffer.byteLength(body)) },
    });
    const answer = new Promise<number | undefined>((resolve, reject) => {
      request.on('response', (response) => {
        response.resume();
        resolve(response.statusCode);
      });
      request.on('error', reject);
    });
    request.write(body.slice(0, half));
    await requestIsIn;
    const stopped = r.receiver.stop();
    request.end(body.slice(half));
    expect(await answer).toBe(200);
    await stopped;
    expect(r.received.map((e) => e.data.id)).toEqual(['m6']);
    await expect(fetch(r.url, { method: 'POST', body })).rejects.toThrow();
  });
});
