/**
 * The framework creates its two webhooks without awaiting them and only logs a failure.
 * This makes sure both exist (creating what is missing, with retries) and answers readiness.
 */
import { bearer, type WebexHttp } from '../webex/client';
import type { Logger } from '../log';

export interface WebhookSpec {
  resource: string;
  event: string;
}

/** messages (and the rest) through the firehose, card clicks through their own webhook. */
export const REQUIRED_WEBHOOKS: WebhookSpec[] = [
  { resource: 'all', event: 'all' },
  { resource: 'attachmentActions', event: 'created' },
];

interface ListedWebhook {
  id: string;
  name: string;
  resource: string;
  event: string;
  targetUrl: string;
  status?: string;
}

export interface WebhookSupervisorOptions {
  http: WebexHttp;
  botToken: string;
  name: string;
  targetUrl: string;
  secret: string;
  logger: Logger;
  /** How long a successful check is trusted by readiness probes. */
  cacheMs?: number;
}

export class WebhookSupervisor {
  private lastOkAt = 0;

  constructor(private readonly options: WebhookSupervisorOptions) {}

  /** Lists the bot's webhooks and creates the missing ones. Returns them by resource. */
  async ensure(): Promise<Map<string, ListedWebhook>> {
    const { http, botToken, name, targetUrl, secret } = this.options;
    const existing = await this.list();
    const found = new Map<string, ListedWebhook>();
    for (const spec of REQUIRED_WEBHOOKS) {
      let hook = existing.find(
        (h) =>
          h.name === name &&
          h.targetUrl === targetUrl &&
          h.resource === spec.resource &&
          h.event === spec.event,
      );
      if (!hook) {
        this.options.logger.warn({ resource: spec.resource }, 'webhook missing, creating it');
        const created = await http.post<ListedWebhook>(
          '/webhooks',
          { name, targetUrl, secret, ...spec },
          { headers: bearer(botToken) },
        );
        hook = created.data;
      }
      found.set(spec.resource, hook);
    }
    this.lastOkAt = Date.now();
    return found;
  }

  /** Keeps trying {@link ensure} with backoff until it succeeds or `signal` aborts. */
  async ensureWithRetry(signal: AbortSignal): Promise<Map<string, ListedWebhook> | undefined> {
    let delayMs = 1_000;
    while (!signal.aborted) {
      try {
        return await this.ensure();
      } catch (err) {
        this.options.logger.error({ err, retryInMs: delayMs }, 'could not set up webhooks');
        await new Promise((resolve) => setTimeout(resolve, delayMs));
        delayMs = Math.min(delayMs * 2, 60_000);
      }
    }
    return undefined;
  }

  /** True when both webhooks were seen active recently (checked again when stale). */
  async ready(): Promise<boolean> {
    if (Date.now() - this.lastOkAt < (this.options.cacheMs ?? 30_000)) return true;
    const hooks = await this.list();
    const ok = REQUIRED_WEBHOOKS.every((spec) =>
      hooks.some(
        (h) =>
          h.name === this.options.name &&
          h.targetUrl === this.options.targetUrl &&
          h.resource === spec.resource &&
          h.event === spec.event &&
          (h.status ?? 'active') === 'active',
      ),
    );
    if (ok) this.lastOkAt = Date.now();
    return ok;
  }

  private async list(): Promise<ListedWebhook[]> {
    const response = await this.options.http.get<{ items: ListedWebhook[] }>('/webhooks', {
      params: { max: 100 },
      headers: bearer(this.options.botToken),
    });
    return response.data.items;
  }
}
