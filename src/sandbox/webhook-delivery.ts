/**
 * Delivers sandbox events to webhooks the way Webex does: one POST per matching webhook, with
 * the webhook's envelope and an `X-Spark-Signature` (hex HMAC-SHA1 of the exact bytes sent).
 * Deliveries are asynchronous, in order per webhook, and failures are only logged.
 *
 * For tests of several replicas, {@link DeliverySettings} make Webex's "at least once" visible:
 * each delivery can be sent several times at once, or to several origins (one per replica).
 */
import { createHmac } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { z } from 'zod';
import type { EventSink, SandboxEvent } from './events';
import type { SandboxState, SandboxWebhook } from './state';
import { webhookHears } from './webhook-rules';

export interface DeliveryStats {
  /** Deliveries started. */
  attempted: number;
  /** Answered with a 2xx. */
  delivered: number;
  /** Network errors, timeouts and non-2xx answers. */
  failed: number;
}

export type DeliveryLogger = (message: string) => void;

export const deliverySettingsSchema = z.object({
  /** Each delivery is POSTed this many times at once (Webex may deliver an event twice). */
  copies: z.number().int().min(1).max(10).default(1),
  /**
   * Base URLs (`http://host:port`): each delivery goes to every one of them, with the
   * webhook's own path and query, instead of to its targetUrl's origin. Empty: the targetUrl.
   */
  fanOut: z.array(z.url()).max(10).default([]),
});

export type DeliverySettings = z.infer<typeof deliverySettingsSchema>;

/**
 * Where one delivery goes: `copies` times to each target (the targetUrl, or each fan-out origin).
 * @example deliveryTargets('http://a/webhooks/x', { copies: 1, fanOut: ['http://b:1'] }) // ['http://b:1/webhooks/x']
 */
export function deliveryTargets(targetUrl: string, settings: DeliverySettings): string[] {
  let targets = [targetUrl];
  if (settings.fanOut.length > 0) {
    let path = '';
    try {
      const url = new URL(targetUrl);
      path = `${url.pathname}${url.search}`;
    } catch {
      // an invalid targetUrl stays as it is and fails on delivery, as without fan-out
      path = '';
    }
    targets = path ? settings.fanOut.map((base) => `${base.replace(/\/+$/, '')}${path}`) : targets;
  }
  return targets.flatMap((target) => Array.from({ length: settings.copies }, () => target));
}

const DELIVERY_TIMEOUT_MS = 10_000;

/**
 * The webhook envelope for one event.
 * @example webhookEnvelope(hook, event) // { id: hook.id, name, resource, event, data, … }
 */
export function webhookEnvelope(
  webhook: SandboxWebhook,
  event: SandboxEvent,
): Record<string, unknown> {
  const envelope: Record<string, unknown> = {
    id: webhook.id,
    name: webhook.name,
    targetUrl: webhook.targetUrl,
    resource: event.resource,
    event: event.event,
  };
  if (webhook.filter) envelope.filter = webhook.filter;
  Object.assign(envelope, {
    orgId: webhook.orgId,
    createdBy: webhook.createdBy,
    appId: webhook.appId,
    ownedBy: webhook.ownedBy,
    status: webhook.status,
    created: webhook.created,
    actorId: event.actorId,
    data: event.data,
  });
  return envelope;
}

/** Hex HMAC-SHA1 of `body` with `secret`, as in `X-Spark-Signature`. */
export function sparkSignature(secret: string, body: Buffer | string): string {
  return createHmac('sha1', secret).update(body).digest('hex');
}

export class WebhookDispatcher implements EventSink {
  readonly stats: DeliveryStats = { attempted: 0, delivered: 0, failed: 0 };
  /** The tail of each webhook's delivery chain, so deliveries stay in order per webhook. */
  private readonly queues = new Map<string, Promise<void>>();
  private settings: DeliverySettings = deliverySettingsSchema.parse({});

  constructor(
    private readonly state: SandboxState,
    private readonly log: DeliveryLogger = () => undefined,
  ) {}

  publish(event: SandboxEvent): void {
    for (const webhook of this.state.webhooks.values()) {
      const owner = this.state.people.get(webhook.createdBy);
      if (!owner || !webhookHears(webhook, owner, event)) continue;
      const body = Buffer.from(JSON.stringify(webhookEnvelope(webhook, event)));
      const previous = this.queues.get(webhook.id) ?? Promise.resolve();
      const targets = deliveryTargets(webhook.targetUrl, this.settings);
      const next = previous.then(async () => {
        await Promise.all(targets.map((target) => this.deliver(webhook, target, body)));
      });
      this.queues.set(webhook.id, next);
      void next.finally(() => {
        if (this.queues.get(webhook.id) === next) this.queues.delete(webhook.id);
      });
    }
  }

  /** The delivery settings in force. */
  deliverySettings(): DeliverySettings {
    return structuredClone(this.settings);
  }

  /**
   * Replaces the delivery settings (missing fields take their defaults) for events from now on.
   * @example dispatcher.setDeliverySettings({ copies: 2 }) // every event arrives twice
   */
  setDeliverySettings(settings: Partial<DeliverySettings>): DeliverySettings {
    this.settings = deliverySettingsSchema.parse(settings);
    return this.deliverySettings();
  }

  /** Resolves once every delivery queued so far has finished (for tests and shutdown). */
  async idle(): Promise<void> {
    while (this.queues.size > 0) await Promise.all([...this.queues.values()]);
  }

  /** One POST; never rejects. */
  private deliver(webhook: SandboxWebhook, targetUrl: string, body: Buffer): Promise<void> {
    this.stats.attempted++;
    const headers: Record<string, string | number> = {
      'Content-Type': 'application/json',
      'Content-Length': body.length,
      'User-Agent': 'Webex-Sandbox-Webhooks',
    };
    if (webhook.secret) headers['X-Spark-Signature'] = sparkSignature(webhook.secret, body);
    return new Promise<void>((resolve) => {
      let settled = false;
      const fail = (reason: string) => {
        if (settled) return;
        settled = true;
        this.stats.failed++;
        this.log(`webhook ${webhook.name} -> ${targetUrl} failed: ${reason}`);
        resolve();
      };
      let url: URL;
      try {
        url = new URL(targetUrl);
      } catch {
        fail('invalid targetUrl');
        return;
      }
      const transport = url.protocol === 'https:' ? https : http;
      // agent: false gives a fresh socket that closes after the answer: nothing keeps the
      // process (or a test run) alive after the sandbox closes.
      const request = transport.request(
        url,
        { method: 'POST', headers, agent: false, timeout: DELIVERY_TIMEOUT_MS },
        (response) => {
          response.resume();
          response.on('end', () => {
            const status = response.statusCode ?? 0;
            if (status >= 200 && status < 300) {
              if (settled) return;
              settled = true;
              this.stats.delivered++;
              resolve();
            } else {
              fail(`HTTP ${status}`);
            }
          });
          response.on('error', (error) => fail(error.message));
        },
      );
      request.on('timeout', () => request.destroy(new Error('timeout')));
      request.on('error', (error) => fail(error.message));
      request.end(body);
    });
  }
}
