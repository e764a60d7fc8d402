/**
 * U2C, the service catalog the `webex` SDK starts from when `U2C_SERVICE_URL` points here
 * (@webex/webex-core/src/lib/services/services.js): `GET …/limited/catalog?orgId=…` first,
 * without a token, then `GET …/catalog` with one, both `format=hostmap`. Every service it names
 * is the sandbox (../mercury/catalog.ts). Also a sink for the client metrics the SDK posts after
 * registering a device, so they do not show up as unhandled.
 */
import { Router, type Request } from 'express';
import { requireAuth } from '../http';
import { SERVICE_PATHS, u2cHostmap } from '../mercury/catalog';
import type { SandboxState } from '../state';

/** The sandbox's origin as the caller reached it. */
export function originOf(req: Pick<Request, 'protocol' | 'get'>): string {
  return `${req.protocol}://${req.get('host')}`;
}

/**
 * @example app.use(u2cRouter(state)) // serves /u2c/api/v1/… and /metrics/api/v1/…
 */
export function u2cRouter(state: SandboxState): Router {
  const router = Router();
  router.get(`${SERVICE_PATHS.u2c}/limited/catalog`, (req, res) => {
    res.json(u2cHostmap(originOf(req)));
  });
  router.get(`${SERVICE_PATHS.u2c}/catalog`, requireAuth(state), (req, res) => {
    res.json(u2cHostmap(originOf(req)));
  });
  router.post(
    [`${SERVICE_PATHS.metrics}/clientmetrics`, `${SERVICE_PATHS.metrics}/metrics`],
    (_req, res) => {
      res.status(204).end();
    },
  );
  return router;
}
