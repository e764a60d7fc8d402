/**
 * Stands where Webex sends webhooks: forwards every request to the bot and records each
 * webhook delivery with the bot's answer (its status, or "no answer" when nothing listened).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Delivery {
  body: Buffer;
  headers: http.IncomingHttpHeaders;
  status: number | 'no answer';
}

export interface RecordingProxy {
  url: string;
  deliveries: Delivery[];
  close(): Promise<void>;
}

/**
 * @example const proxy = await recordingProxy(() => botPort); // PUBLIC_URL = proxy.url
 */
export async function recordingProxy(botPort: () => number): Promise<RecordingProxy> {
  const deliveries: Delivery[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const isDelivery = req.url?.startsWith('/webhooks/') ?? false;
      const forward = http.request(
        {
          host: '127.0.0.1',
          port: botPort(),
          method: req.method,
          path: req.url,
          headers: req.headers,
        },
        (answer) => {
          if (isDelivery)
            deliveries.push({ body, headers: req.headers, status: answer.statusCode ?? 0 });
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      forward.on('error', () => {
        // The connection broke after the bot answered: that answer is what Webex got.
        if (res.headersSent) {
          res.destroy();
          return;
        }
        if (isDelivery) deliveries.push({ body, headers: req.headers, status: 'no answer' });
        res.writeHead(502).end();
      });
      forward.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    deliveries,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The message id a delivery is about, when it is a `messages` event. */
export function deliveredMessageId(delivery: Delivery): string | undefined {
  try {
    const envelope = JSON.parse(delivery.body.toString('utf8')) as {
      resource?: string;
      data?: { id?: string };
    };
    return envelope.resource === 'messages' ? envelope.data?.id : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Sends a recorded delivery to `url` again, as Webex re-delivers: the same bytes and signature.
 * Resolves with the status the bot answered.
 * @example expect(await redeliver(delivery, `${botUrl}/webhooks/webex`)).toBe(200);
 */
export async function redeliver(delivery: Delivery, url: string): Promise<number> {
  const answer = await fetch(url, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      'X-Spark-Signature': String(delivery.headers['x-spark-signature']),
    },
    body: new Uint8Array(delivery.body),
  });
  return answer.status;
}
