/**
 * Delivers sandbox events to webhooks the way Webex does: one POST per matching webhook, with
 * the webhook's envelope and an `X-Spark-Signature` (hex HMAC-SHA1 of the exact bytes sent).
 * Deliveries are asynchronous, in order per webhook, and failures are only logged.
 */
import { createHmac } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
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
      const next = previous.then(() => this.deliver(webhook, body));
      this.queues.set(webhook.id, next);
      void next.finally(() => {
        if (this.queues.get(webhook.id) === next) this.queues.delete(webhook.id);
      });
    }
  }

  /** Resolves once every delivery queued so far has finished (for tests and shutdown). */
  async idle(): Promise<void> {
    while (this.queues.size > 0) await Promise.all([...this.queues.values()]);
  }

  /** One POST; never rejects. */
  private deliver(webhook: SandboxWebhook, body: Buffer): Promise<void> {
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
        this.log(`webhook ${webhook.name} -> ${webhook.targetUrl} failed: ${reason}`);
        resolve();
      };
      let url: URL;
      try {
        url = new URL(webhook.targetUrl);
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
