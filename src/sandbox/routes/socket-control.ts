/**
 * The control API's part for the Webex websocket (mounted under `/_sandbox`, documented at
 * the top of ../faults.ts): see the devices and live sockets, drop sockets so a test can watch
 * the client reconnect, and make a device's webSocketUrl stale so the next connect is refused.
 */
import express, { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { sendWebexError } from '../http';
import { deviceView, renewSocketKey } from '../mercury/devices';
import type { MercuryHub, SocketSelector } from '../mercury/hub';
import type { SandboxState } from '../state';
import { originOf } from './u2c';

/** Close codes a server may send (RFC 6455 §7.4; 1004–1006 and 1015 are never sent). */
function isSendableCloseCode(code: number): boolean {
  return (
    (code >= 1000 && code <= 1003) ||
    (code >= 1007 && code <= 1014) ||
    (code >= 3000 && code <= 4999)
  );
}

const selectorSchema = z.object({
  /** Whose sockets or devices: the owner of this token … */
  token: z.string().min(1).optional(),
  /** … or of this email … */
  email: z.string().min(1).optional(),
  /** … or this one device (its id, the last segment of its url). */
  deviceId: z.string().min(1).optional(),
});

const dropSchema = selectorSchema.extend({
  code: z
    .number()
    .int()
    .refine(isSendableCloseCode, 'not a close code a server may send')
    .optional(),
  reason: z.string().max(120).optional(),
  terminate: z.boolean().optional(),
});

/** The selector a body names, or undefined and an error sent (unknown token or email). */
function resolveSelector(
  state: SandboxState,
  body: z.infer<typeof selectorSchema>,
  res: Response,
): SocketSelector | undefined {
  const selector: SocketSelector = { deviceId: body.deviceId };
  if (body.token !== undefined || body.email !== undefined) {
    const person =
      body.token !== undefined
        ? state.personByToken(body.token)
        : state.personByEmail(body.email ?? '');
    if (!person) {
      sendWebexError(res, 404, 'Unknown token or email.');
      return undefined;
    }
    selector.personId = person.id;
  }
  return selector;
}

function parsed<T extends z.ZodType>(
  schema: T,
  req: Request,
  res: Response,
): z.infer<T> | undefined {
  const result = schema.safeParse(req.body ?? {});
  if (!result.success) {
    sendWebexError(res, 400, `Invalid request: ${result.error.message}`);
    return undefined;
  }
  return result.data;
}

/**
 * @example app.use('/_sandbox', socketControlRouter(state, hub))
 */
export function socketControlRouter(state: SandboxState, hub: MercuryHub): Router {
  const router = Router();
  router.use(express.json());

  router.get('/sockets', (_req, res) => {
    res.json({ items: hub.list(), stats: { ...hub.stats } });
  });

  router.post('/sockets/drop', (req, res) => {
    const body = parsed(dropSchema, req, res);
    const selector = body && resolveSelector(state, body, res);
    if (!body || !selector) return;
    const { code, reason, terminate } = body;
    res.json({ dropped: hub.drop(selector, { code, reason, terminate }) });
  });

  router.get('/devices', (req, res) => {
    const items = [...state.devices.values()].map((device) => ({
      id: device.id,
      personEmail: state.people.get(device.personId)?.emails[0] ?? '',
      connected: hub.isConnected(device.id),
      ...deviceView(device, originOf(req)),
    }));
    res.json({ items });
  });

  router.post('/devices/stale', (req, res) => {
    const body = parsed(selectorSchema, req, res);
    const selector = body && resolveSelector(state, body, res);
    if (!body || !selector) return;
    let staled = 0;
    for (const device of state.devices.values()) {
      if (selector.deviceId && device.id !== selector.deviceId) continue;
      if (selector.personId && device.personId !== selector.personId) continue;
      renewSocketKey(device);
      staled++;
    }
    res.json({ staled });
  });

  return router;
}
