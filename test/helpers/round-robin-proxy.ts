/**
 * A small load balancer on loopback, as an operator puts in front of several replicas: each
 * request goes to the next backend in turn, skipping backends whose `/readyz` did not answer
 * 200 at the last probe (as a Kubernetes Service drops a pod that is not ready), and trying
 * the next one when a connection is refused (nothing was sent, so even a POST may move on).
 * It records the answer to every webhook delivery, so a test can count what was acknowledged.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ProxiedDelivery {
  /** Index of the backend that answered, or undefined when none did. */
  backend?: number;
  resource?: string;
  dataId?: string;
  status: number | 'no answer';
}

export interface RoundRobinProxy {
  url: string;
  port: number;
  /** Webhook deliveries (`POST /webhooks/…`) in the order they were answered. */
  deliveries: ProxiedDelivery[];
  /** Readiness of each backend at the last probe. */
  ready(): boolean[];
  close(): Promise<void>;
}

export interface RoundRobinProxyOptions {
  /** Port to listen on (0 picks one). */
  port: number;
  /** Backend ports on 127.0.0.1. */
  backends: number[];
  /** How often `/readyz` is probed. Default 100 ms. */
  probeIntervalMs?: number;
}

function probeReady(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const request = http.get(
      { host: '127.0.0.1', port, path: '/readyz', agent: false, timeout: 1_000 },
      (response) => {
        response.resume();
        resolve(response.statusCode === 200);
      },
    );
    request.on('timeout', () => request.destroy(new Error('timeout')));
    request.on('error', () => resolve(false));
  });
}

function describeDelivery(url: string | undefined, body: Buffer): Omit<ProxiedDelivery, 'status'> {
  if (!url?.startsWith('/webhooks/')) return {};
  try {
    const envelope = JSON.parse(body.toString('utf8')) as {
      resource?: string;
      data?: { id?: string };
    };
    return { resource: envelope.resource, dataId: envelope.data?.id };
  } catch {
    return {};
  }
}

/**
 * Starts the proxy; it probes the backends until closed.
 * @example const proxy = await startRoundRobinProxy({ port: 0, backends: [portA, portB] });
 */
export async function startRoundRobinProxy(
  options: RoundRobinProxyOptions,
): Promise<RoundRobinProxy> {
  const { backends } = options;
  const readiness = backends.map(() => false);
  const deliveries: ProxiedDelivery[] = [];
  let turn = 0;

  let probing = true;
  const probeAll = async () => {
    const results = await Promise.all(backends.map(probeReady));
    results.forEach((ok, i) => (readiness[i] = ok));
  };
  await probeAll();
  const timer = setInterval(() => {
    if (probing) void probeAll();
  }, options.probeIntervalMs ?? 100);

  /** Ready backends from this turn on, then the others (better than refusing outright). */
  const order = (): number[] => {
    const start = turn++ % backends.length;
    const rotated = backends.map((_, i) => (start + i) % backends.length);
    return [...rotated.filter((i) => readiness[i]), ...rotated.filter((i) => !readiness[i])];
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const described = describeDelivery(req.url, body);
      const record = (delivery: Omit<ProxiedDelivery, 'resource' | 'dataId'>) => {
        if (req.url?.startsWith('/webhooks/')) deliveries.push({ ...described, ...delivery });
      };
      const candidates = order();
      const attempt = (index: number) => {
        const backend = candidates[index];
        if (backend === undefined) {
          record({ status: 'no answer' });
          res.writeHead(502).end();
          return;
        }
        const forward = http.request(
          {
            host: '127.0.0.1',
            port: backends[backend],
            method: req.method,
            path: req.url,
            headers: req.headers,
            agent: false,
          },
          (answer) => {
            record({ backend, status: answer.statusCode ?? 0 });
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(res);
          },
        );
        forward.on('error', (error: NodeJS.ErrnoException) => {
          // Refused: the request never reached that backend, so another may take it.
          if (error.code === 'ECONNREFUSED') {
            attempt(index + 1);
            return;
          }
          record({ backend, status: 'no answer' });
          if (!res.headersSent) res.writeHead(502);
          res.end();
        });
        forward.end(body);
      };
      attempt(0);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    deliveries,
    ready: () => [...readiness],
    close: () => {
      probing = false;
      clearInterval(timer);
      return new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
    },
  };
}
