import express, { type Request, type Response } from 'express';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { inspect } from 'node:util';
import { createWebexHttp, type WebexHttp, type WebexHttpOptions } from '../../src/webex';

/** What the fake server saw. */
export interface SeenRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
  at: number;
}

export type Handler = (req: Request, res: Response, n: number) => void;

/** A tiny scripted Express server standing in for Webex, on a random loopback port. */
export interface FakeWebex {
  /** `http://127.0.0.1:<port>/v1` */
  baseUrl: string;
  origin: string;
  seen: SeenRequest[];
  /** Sets the handler for the next requests; `n` counts requests since the last `script`. */
  script(handler: Handler): void;
  close(): Promise<void>;
}

export async function startFakeWebex(): Promise<FakeWebex> {
  const app = express();
  app.use(express.json());
  app.use(express.urlencoded({ extended: false }));
  app.use(express.raw({ type: 'multipart/form-data', limit: '5mb' }));
  const seen: SeenRequest[] = [];
  let handler: Handler = (_req, res) => res.status(500).json({ message: 'not scripted' });
  let count = 0;
  app.use((req, res) => {
    seen.push({
      method: req.method,
      path: req.path,
      query: Object.fromEntries(Object.entries(req.query).map(([k, v]) => [k, String(v)])),
      headers: req.headers,
      body: req.body,
      at: Date.now(),
    });
    handler(req, res, count++);
  });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    baseUrl: `${origin}/v1`,
    origin,
    seen,
    script(h) {
      handler = h;
      count = 0;
      seen.length = 0;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

/**
 * A fake Webex and a client pointed at it.
 * @example beforeAll(async () => ({ fake, http } = await startFakeWebexClient({ retry })));
 */
export async function startFakeWebexClient(
  options: Omit<WebexHttpOptions, 'baseUrl'>,
): Promise<{ fake: FakeWebex; http: WebexHttp }> {
  const fake = await startFakeWebex();
  return { fake, http: createWebexHttp({ ...options, baseUrl: fake.baseUrl }) };
}

export const TOKEN = 'SECRET-TOKEN-abc123_DO_NOT_LEAK';

/** Asserts the token appears nowhere a log or a user could see it. */
export function expectNoToken(err: unknown, token = TOKEN): void {
  const views = [
    String(err),
    JSON.stringify(err),
    (err as Error).stack ?? '',
    inspect(err, { depth: Infinity, showHidden: true }),
  ];
  for (const v of views) expect(v).not.toContain(token);
}
