/**
 * The webhooks are kept by one recurring job on the durable scheduler: whichever replica
 * claims it reconciles, so across replicas there is one reconcile per interval, and a replica
 * that crashes mid-run loses its claim when the job's lease lapses. Every replica asks for a
 * reconcile at once when it starts (a deploy may have changed PUBLIC_URL or the secret).
 */
import type { Logger } from '../log';
import type { Scheduler } from '../scheduler/scheduler';
import type { WebhookReconciler } from './webhooks';

/** The job's key and kind in `scheduled_jobs`. */
export const WEBHOOK_RECONCILE_JOB = 'webhooks.reconcile';

export interface WebhookUpkeepOptions {
  scheduler: Pick<Scheduler, 'register' | 'schedule'>;
  /** Must end soon after its signal aborts: the scheduler aborts it on shutdown. */
  reconciler: Pick<WebhookReconciler, 'reconcile'>;
  /** WEBHOOK_RECONCILE_SECONDS, in ms. */
  intervalMs: number;
  logger: Pick<Logger, 'info'>;
}

/**
 * Registers the reconcile job and asks for a run now; call before the scheduler starts.
 * A failed run is retried by the scheduler with backoff (never later than one interval).
 * @example await keepWebhooks({ scheduler, reconciler, intervalMs: 60_000, logger });
 */
export async function keepWebhooks(options: WebhookUpkeepOptions): Promise<void> {
  const { scheduler, reconciler, logger } = options;
  scheduler.register(WEBHOOK_RECONCILE_JOB, async ({ signal }) => {
    const result = await reconciler.reconcile(signal);
    if (result.created + result.updated + result.removed > 0) {
      logger.info({ ...result }, 'webhooks reconciled');
    }
  });
  await scheduler.schedule({
    key: WEBHOOK_RECONCILE_JOB,
    kind: WEBHOOK_RECONCILE_JOB,
    payload: {},
    recurrence: { every: 'interval', intervalMs: options.intervalMs },
  });
}
