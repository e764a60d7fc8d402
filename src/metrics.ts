/**
 * Prometheus metrics: what an operator needs to see that the bot is healthy and used.
 * One registry per app, so tests and several apps in one process do not share counters.
 */
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface Metrics {
  registry: Registry;
  /** Webhook deliveries by outcome: accepted, refused (bad signature), invalid (not an envelope). */
  webhooks: Counter<'outcome'>;
  /** Commands and card buttons handled, by name and outcome (ok, error). */
  commands: Counter<'command' | 'outcome'>;
  /** Time from a command to its answer being sent. */
  commandSeconds: Histogram<'command'>;
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
  };
}
