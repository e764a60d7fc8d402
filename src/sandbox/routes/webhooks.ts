/** `/webhooks`: each caller sees and changes only the webhooks it created. */
import { Router, type Response } from 'express';
import { callerOf, parseMax, requireAuth, sendPage, sendWebexError } from '../http';
import { webhookView } from '../present';
import type { SandboxWebhook } from '../state';
import { webexId } from '../state';
import { WEBHOOK_EVENTS, WEBHOOK_RESOURCES } from '../webhook-rules';
import type { RouteContext } from './context';

const NOT_FOUND = 'The requested resource could not be found.';

function isHttpUrl(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

/** Checks the fields both POST and PUT take; sends a 400 and returns false when one is bad. */
function checkCommonFields(body: Record<string, unknown>, res: Response): boolean {
  if (typeof body.name !== 'string' || body.name.trim() === '') {
    sendWebexError(res, 400, 'name is required.');
    return false;
  }
  if (!isHttpUrl(body.targetUrl)) {
    sendWebexError(res, 400, 'targetUrl must be an http or https URL.');
    return false;
  }
  if (body.secret !== undefined && typeof body.secret !== 'string') {
    sendWebexError(res, 400, 'secret must be a string.');
    return false;
  }
  if (body.ownedBy !== undefined && body.ownedBy !== 'org' && body.ownedBy !== 'creator') {
    sendWebexError(res, 400, 'ownedBy must be org or creator.');
    return false;
  }
  return true;
}

/**
 * @example app.use('/v1', webhooksRouter({ state, world }))
 */
export function webhooksRouter({ state }: RouteContext): Router {
  const router = Router();
  router.use('/webhooks', requireAuth(state));

  const ownWebhook = (id: string, res: Response): SandboxWebhook | undefined => {
    const webhook = state.webhooks.get(id);
    if (!webhook || webhook.createdBy !== callerOf(res).person.id) {
      sendWebexError(res, 404, NOT_FOUND);
      return undefined;
    }
    return webhook;
  };

  router.get('/webhooks', (req, res) => {
    const max = parseMax(req, res, 100, 1000);
    if (max === undefined) return;
    const me = callerOf(res).person.id;
    const own = [...state.webhooks.values()].filter((w) => w.createdBy === me);
    sendPage(req, res, own.map(webhookView), max);
  });

  router.post('/webhooks', (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (!checkCommonFields(body, res)) return;
    const resource = body.resource as string;
    const event = body.event as string;
    if (!(WEBHOOK_RESOURCES as readonly string[]).includes(resource)) {
      sendWebexError(res, 400, `resource must be one of: ${WEBHOOK_RESOURCES.join(', ')}.`);
      return;
    }
    if (!(WEBHOOK_EVENTS as readonly string[]).includes(event)) {
      sendWebexError(res, 400, `event must be one of: ${WEBHOOK_EVENTS.join(', ')}.`);
      return;
    }
    if (body.filter !== undefined && typeof body.filter !== 'string') {
      sendWebexError(res, 400, 'filter must be a string.');
      return;
    }
    const webhook: SandboxWebhook = {
      id: webexId('WEBHOOK'),
      name: body.name as string,
      targetUrl: body.targetUrl as string,
      resource,
      event,
      filter: (body.filter as string | undefined) || undefined,
      secret: (body.secret as string | undefined) || undefined,
      status: 'active',
      created: new Date().toISOString(),
      orgId: state.orgId,
      createdBy: callerOf(res).person.id,
      appId: state.appId,
      ownedBy: body.ownedBy === 'org' ? 'org' : 'creator',
    };
    state.webhooks.set(webhook.id, webhook);
    res.json(webhookView(webhook));
  });

  router.get('/webhooks/:webhookId', (req, res) => {
    const webhook = ownWebhook(req.params.webhookId, res);
    if (webhook) res.json(webhookView(webhook));
  });

  router.put('/webhooks/:webhookId', (req, res) => {
    const webhook = ownWebhook(req.params.webhookId, res);
    if (!webhook) return;
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (!checkCommonFields(body, res)) return;
    if (body.status !== undefined && body.status !== 'active' && body.status !== 'inactive') {
      sendWebexError(res, 400, 'status must be active or inactive.');
      return;
    }
    webhook.name = body.name as string;
    webhook.targetUrl = body.targetUrl as string;
    if (body.secret !== undefined) webhook.secret = (body.secret as string) || undefined;
    if (body.status !== undefined) webhook.status = body.status as 'active' | 'inactive';
    if (body.ownedBy !== undefined) webhook.ownedBy = body.ownedBy as 'org' | 'creator';
    res.json(webhookView(webhook));
  });

  router.delete('/webhooks/:webhookId', (req, res) => {
    const webhook = ownWebhook(req.params.webhookId, res);
    if (!webhook) return;
    state.webhooks.delete(webhook.id);
    res.status(204).end();
  });

  return router;
}
