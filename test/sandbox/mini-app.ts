/**
 * For tests of single sandbox routers: a minimal Express app (the full sandbox server is not
 * needed) and people added straight to the state.
 */
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import express, { type Router } from 'express';
import { trackingIds } from '../../src/sandbox/http';
import { webexId, type SandboxPerson, type SandboxState } from '../../src/sandbox/state';

export interface MiniApp {
  /** `http://127.0.0.1:<port>/v1` */
  base: string;
  close(): Promise<void>;
}

/**
 * Serves `routers` under /v1 on a random loopback port, with JSON bodies and tracking IDs
 * as the sandbox server has them.
 */
export async function serveRouters(...routers: Router[]): Promise<MiniApp> {
  const app = express();
  app.use(express.json());
  app.use(trackingIds());
  for (const router of routers) app.use('/v1', router);
  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Adds a person (a plain non-admin one unless `fields` say otherwise); returns its ID. */
export function addSandboxPerson(
  state: SandboxState,
  email: string,
  displayName: string,
  fields: Partial<Pick<SandboxPerson, 'type' | 'admin' | 'timezone'>> = {},
): string {
  const id = webexId('PEOPLE');
  state.people.set(id, {
    id,
    emails: [email],
    displayName,
    orgId: state.orgId,
    type: fields.type ?? 'person',
    created: '2024-01-01T00:00:00.000Z',
    timezone: fields.timezone,
    admin: fields.admin ?? false,
  });
  return id;
}
