/**
 * What an operator and an orchestrator ask the bot over HTTP: is it alive (`/healthz`), can it
 * serve (`/readyz`, from named checks) and what has it done (`/metrics`, Prometheus).
 */
import express, { type Router } from 'express';
import type { Metrics } from '../metrics';

export interface ReadinessCheck {
  name: string;
  check: () => Promise<boolean>;
}

export interface StatusRoutesOptions {
  readiness: ReadinessCheck[];
  metrics?: Metrics;
}

/**
 * The health, readiness and metrics routes.
 * @example receiver.init({ webhooks: { secret, accept }, routes: [statusRoutes({ readiness: [], metrics })] });
 */
export function statusRoutes(options: StatusRoutesOptions): Router {
  const router = express.Router();
  if (options.metrics) {
    const { registry } = options.metrics;
    router.get('/metrics', async (_req, res) => {
      res.type(registry.contentType).send(await registry.metrics());
    });
  }
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const results = await Promise.all(
      options.readiness.map(async ({ name, check }) => {
        try {
          return [name, await check()] as const;
        } catch {
          return [name, false] as const;
        }
      }),
    );
    const ready = results.every(([, ok]) => ok);
    res.status(ready ? 200 : 503).json({
      status: ready ? 'ready' : 'not ready',
      checks: Object.fromEntries(results),
    });
  });
  return router;
}
