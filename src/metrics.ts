/**
 * Prometheus metrics: what an operator needs to see that the bot is healthy and used.
 * One registry per app, so tests and several apps in one process do not share counters.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface Metrics {
  registry: Registry;
  /** Webhook deliveries by outcome: accepted, refused (bad signature), invalid (not an envelope). */
  webhooks: Counter<'outcome'>;
  /** Commands and card buttons handled, by name and outcome (ok, error). */
  commands: Counter<'command' | 'outcome'>;
  /** Time from a command to its answer being sent. */
  commandSeconds: Histogram<'command'>;
  /**
   * Webhook reconciliation, per webhook and run: ok (already right), created, updated (name,
   * target, secret or status fixed), removed (a duplicate of ours), failed (a run that failed).
   */
  webhookReconciles: Counter<'outcome'>;
  /** 1 while this replica holds the webhook lease (and reconciles), else 0. */
  webhookLeader: Gauge;
}

/**
 * @example const metrics = createMetrics(); metrics.webhooks.inc({ outcome: 'accepted' });
 */
export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    webhooks: new Counter({
      name: 'audit_bot_webhooks_total',
      help: 'Webhook deliveries received, by outcome',
      labelNames: ['outcome'],
      registers: [registry],
    }),
    commands: new Counter({
      name: 'audit_bot_commands_total',
      help: 'Commands and card actions handled, by command and outcome',
      labelNames: ['command', 'outcome'],
      registers: [registry],
    }),
    commandSeconds: new Histogram({
      name: 'audit_bot_command_seconds',
      help: 'Time to answer a command or card action',
      labelNames: ['command'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers: [registry],
    }),
    webhookReconciles: new Counter({
      name: 'audit_bot_webhook_reconciles_total',
      help: 'Webhook reconciliation by outcome (ok, created, updated, removed, failed)',
      labelNames: ['outcome'],
      registers: [registry],
    }),
    webhookLeader: new Gauge({
      name: 'audit_bot_webhook_leader',
      help: '1 while this replica leads webhook reconciliation, else 0',
      registers: [registry],
    }),
  };
}
