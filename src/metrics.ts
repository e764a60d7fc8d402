/**
 * Prometheus metrics: what an operator needs to see that the bot is healthy and used.
 * One registry per app, so tests and several apps in one process do not share counters.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** What the inbox holds now (read from the store when metrics are scraped). */
export interface InboxDepthSource {
  (): Promise<{ pending: number; claimed: number; oldestReceivedAt?: number }>;
}

export interface Metrics {
  registry: Registry;
  /** Webhook deliveries by outcome: accepted (stored), refused (bad signature), invalid (not an envelope), unstored (503). */
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
  /** Events stored and not yet done, by status (pending, claimed). */
  inboxEvents: Gauge<'status'>;
  /** Age of the oldest event not yet done; 0 when there is none. */
  inboxOldestAgeSeconds: Gauge;
  /** Events taken over from a replica whose lease had lapsed (crash, kill, drain timeout). */
  inboxRecovered: Counter;
  /** Failed attempts that will be tried again, by resource. */
  inboxRetries: Counter<'resource'>;
  /** Events given up after their retries (the person was told where possible), by resource. */
  inboxFailed: Counter<'resource'>;
  /** Scheduled job runs by kind and outcome: ok, failed (tried again later), interrupted (a stop). */
  scheduledJobs: Counter<'kind' | 'outcome'>;
  /** Websocket mode: events that came over the socket, stored or lost (the store refused). */
  socketEvents: Counter<'outcome'>;
  /** Websocket mode: 1 while this replica's socket is connected. */
  socketConnected: Gauge;
}

/**
 * @example const metrics = createMetrics(); metrics.webhooks.inc({ outcome: 'accepted' });
 */
export function createMetrics(sources: { inboxDepth?: InboxDepthSource } = {}): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  // Read once per scrape for both inbox gauges.
  let depthRead: ReturnType<InboxDepthSource> | undefined;
  const readDepth = () => {
    if (!sources.inboxDepth) return undefined;
    depthRead ??= sources.inboxDepth().finally(() => setImmediate(() => (depthRead = undefined)));
    return depthRead.catch(() => undefined);
  };
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
    inboxEvents: new Gauge({
      name: 'audit_bot_inbox_events',
      help: 'Webhook events stored and not yet done, by status',
      labelNames: ['status'],
      registers: [registry],
      async collect() {
        const depth = await readDepth();
        if (!depth) return;
        this.set({ status: 'pending' }, depth.pending);
        this.set({ status: 'claimed' }, depth.claimed);
      },
    }),
    inboxOldestAgeSeconds: new Gauge({
      name: 'audit_bot_inbox_oldest_event_age_seconds',
      help: 'Age of the oldest webhook event not yet done (0 when none)',
      registers: [registry],
      async collect() {
        const depth = await readDepth();
        if (!depth) return;
        const oldest = depth.oldestReceivedAt;
        this.set(oldest === undefined ? 0 : Math.max(0, (Date.now() - oldest) / 1000));
      },
    }),
    inboxRecovered: new Counter({
      name: 'audit_bot_inbox_recovered_total',
      help: 'Events taken over after the lease of the replica working on them lapsed',
      registers: [registry],
    }),
    inboxRetries: new Counter({
      name: 'audit_bot_inbox_retries_total',
      help: 'Failed event attempts that will be tried again, by resource',
      labelNames: ['resource'],
      registers: [registry],
    }),
    inboxFailed: new Counter({
      name: 'audit_bot_inbox_failed_total',
      help: 'Events given up after their retries, by resource',
      labelNames: ['resource'],
      registers: [registry],
    }),
    scheduledJobs: new Counter({
      name: 'audit_bot_scheduled_jobs_total',
      help: 'Scheduled job runs on this replica, by kind and outcome (ok, failed, interrupted)',
      labelNames: ['kind', 'outcome'],
      registers: [registry],
    }),
    socketEvents: new Counter({
      name: 'audit_bot_socket_events_total',
      help: 'Websocket mode: events from the socket by outcome (accepted, unstored)',
      labelNames: ['outcome'],
      registers: [registry],
    }),
    socketConnected: new Gauge({
      name: 'audit_bot_socket_connected',
      help: 'Websocket mode: 1 while this replica is connected to the Webex websocket, else 0',
      registers: [registry],
    }),
  };
}
