/**
 * Keeps this deployment's two webhooks as they must be: creates what is missing, fixes name,
 * target, secret and status (reactivating ones Webex disabled), and removes duplicates of its
 * own. It never deletes on start or stop, and never touches another app's webhooks. The rules
 * are in ./webhook-plan (pure); this applies them over HTTP and answers readiness.
 */
import { bearer, type WebexHttp } from '../webex/client';
import { iterateItems } from '../webex/paging';
import type { Logger } from '../log';
import type { Metrics } from '../metrics';
import {
  planWebhooks,
  webhooksHealthy,
  type DesiredWebhooks,
  type ListedWebhook,
  type WebhookAction,
  type WebhookPlan,
} from './webhook-plan';

export {
  REQUIRED_WEBHOOKS,
  type ListedWebhook,
  type WebhookSpec,
  type WebhookVerdict,
} from './webhook-plan';

/** Outcomes counted by `audit_bot_webhook_reconciles_total`. */
export type ReconcileOutcome = 'ok' | 'created' | 'updated' | 'removed' | 'failed';

export interface WebhookReconcilerOptions extends DesiredWebhooks {
  http: WebexHttp;
  botToken: string;
  logger?: Pick<Logger, 'info' | 'warn' | 'error'>;
  metrics?: Pick<Metrics, 'webhookReconciles'>;
  /** How long a healthy listing is trusted by readiness probes. */
  cacheMs?: number;
}

/** What one reconcile did, per webhook. */
export interface ReconcileResult {
  created: number;
  updated: number;
  removed: number;
}

export class WebhookReconciler {
  private lastHealthyAt = 0;

  constructor(private readonly options: WebhookReconcilerOptions) {}

  private get desired(): DesiredWebhooks {
    const { name, targetUrl, secret } = this.options;
    return { name, targetUrl, secret };
  }

  /** The bot's webhooks, all pages. */
  async list(signal?: AbortSignal): Promise<ListedWebhook[]> {
    const all: ListedWebhook[] = [];
    const pages = iterateItems(this.options.http, {
      token: this.options.botToken,
      path: '/webhooks',
      params: { max: 100 },
      signal,
    });
    for await (const items of pages) all.push(...(items as ListedWebhook[]));
    return all;
  }

  /** The listing compared with the desired state, without changing anything. */
  async plan(signal?: AbortSignal): Promise<WebhookPlan> {
    return planWebhooks(this.desired, await this.list(signal));
  }

  /**
   * Lists, plans and applies. Counts each webhook's outcome; a failure counts `failed` and
   * rejects (the next run starts over from a fresh listing). `signal` ends it early, retries
   * included (used when the bot stops).
   * @example const { created } = await reconciler.reconcile(controller.signal);
   */
  async reconcile(signal?: AbortSignal): Promise<ReconcileResult> {
    const count = (outcome: ReconcileOutcome, n = 1) =>
      n > 0 && this.options.metrics?.webhookReconciles.inc({ outcome }, n);
    try {
      const plan = await this.plan(signal);
      const result: ReconcileResult = { created: 0, updated: 0, removed: 0 };
      for (const action of plan.actions) {
        await this.apply(action, signal);
        if (action.kind === 'create') result.created++;
        else if (action.kind === 'update') result.updated++;
        else result.removed++;
      }
      count('created', result.created);
      count('updated', result.updated);
      count('removed', result.removed);
      count('ok', plan.verdicts.filter((v) => v.role === 'own' && v.fixes.length === 0).length);
      if (plan.missing.length === 0 && result.removed === 0) this.lastHealthyAt = Date.now();
      else this.lastHealthyAt = 0;
      return result;
    } catch (err) {
      count('failed');
      throw err;
    }
  }

  /**
   * Deletes this deployment's own webhooks (and their duplicates), nothing else. Only for the
   * operator command: the bot itself never deletes on start or stop.
   * @example const removed = await reconciler.removeOwn(); // 2
   */
  async removeOwn(): Promise<ListedWebhook[]> {
    const plan = await this.plan();
    const own = plan.verdicts.filter((v) => v.role !== 'other').map((v) => v.hook);
    for (const hook of own) await this.delete(hook);
    this.lastHealthyAt = 0;
    return own;
  }

  /** True when both webhooks exist and are active (checked again when the last look is stale). */
  async ready(): Promise<boolean> {
    if (Date.now() - this.lastHealthyAt < (this.options.cacheMs ?? 30_000)) return true;
    const healthy = webhooksHealthy(this.desired, await this.list());
    if (healthy) this.lastHealthyAt = Date.now();
    return healthy;
  }

  private async apply(action: WebhookAction, signal?: AbortSignal): Promise<void> {
    const { http, botToken, logger } = this.options;
    const headers = bearer(botToken);
    if (action.kind === 'create') {
      logger?.warn({ ...action.spec }, 'webhook missing, creating it');
      const { name, targetUrl, secret } = this.desired;
      await http.post(
        '/webhooks',
        { name, targetUrl, secret, ...action.spec },
        { headers, signal },
      );
    } else if (action.kind === 'update') {
      // Field names only: the secret's value is never logged.
      logger?.warn({ resource: action.hook.resource, fixes: action.fixes }, 'fixing webhook');
      await http.put(`/webhooks/${encodeURIComponent(action.hook.id)}`, action.body, {
        headers,
        signal,
      });
    } else {
      logger?.warn({ resource: action.hook.resource }, 'removing a duplicate of our webhook');
      await this.delete(action.hook, signal);
    }
  }

  private async delete(hook: ListedWebhook, signal?: AbortSignal): Promise<void> {
    await this.options.http
      .delete(`/webhooks/${encodeURIComponent(hook.id)}`, {
        headers: bearer(this.options.botToken),
        signal,
      })
      .catch((err: unknown) => {
        // Already gone (another replica or the operator removed it): that is the goal.
        if ((err as { status?: number }).status === 404) return;
        throw err;
      });
  }
}
