/**
 * One replica at a time keeps the webhooks: the holder of the `webhooks` lease in the store
 * (a row, so it works the same on SQLite and PostgreSQL) reconciles on start and then every
 * interval. Every replica tries to take or renew the lease three times per interval; a lease
 * lasts one interval, so a killed leader is replaced within about 1⅓ intervals, and a stopped
 * one (which gives the lease up) within a third of one.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Logger } from '../log';
import type { Metrics } from '../metrics';
import type { Store } from '../store/store';
import type { WebhookReconciler } from './webhooks';

/** The lease's name in the store. */
export const WEBHOOK_LEASE = 'webhooks';

export interface WebhookKeeperOptions {
  /** Must end soon after its signal aborts. */
  reconciler: Pick<WebhookReconciler, 'reconcile'>;
  store: Pick<Store, 'claimLeadership' | 'releaseLeadership'>;
  /** How often the leader reconciles; also how long its lease lasts. */
  intervalMs: number;
  logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  metrics?: Pick<Metrics, 'webhookLeader'>;
  /** Unique to this process run; defaults to host, pid and a random suffix. */
  holder?: string;
  now?: () => number;
}

export class WebhookKeeper {
  readonly holder: string;
  private leading = false;
  /** When this replica's lease lapses unless renewed. */
  private leaseUntil = 0;
  private lastReconcileAt = 0;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();
  private stopped = false;
  /** Aborted by stop(): a reconcile in progress (retries included) ends at once. */
  private readonly stopping = new AbortController();

  constructor(private readonly options: WebhookKeeperOptions) {
    this.holder =
      options.holder ?? `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  }

  /** True while this replica holds the lease. */
  get isLeader(): boolean {
    return this.leading && this.now() < this.leaseUntil;
  }

  /**
   * Tries for the lease once (reconciling if it wins), then keeps trying in the background.
   * @example await keeper.start(); // the leader's first reconcile is done when this resolves
   */
  async start(): Promise<void> {
    await this.tick();
    this.schedule();
  }

  /**
   * Stops trying and gives the lease up, so another replica takes over without waiting for it
   * to lapse. A reconcile in progress is aborted rather than waited for: its calls may retry
   * for up to a minute, longer than the shutdown grace. The webhooks stay.
   * @example await keeper.stop();
   */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.stopping.abort();
    await this.running;
    if (this.leading) {
      await this.options.store
        .releaseLeadership(WEBHOOK_LEASE, this.holder)
        .catch((err: unknown) => this.options.logger.warn({ err }, 'could not release the lease'));
    }
    this.setLeading(false);
  }

  /** One round: take or renew the lease, and reconcile when leading and due. */
  tick(): Promise<void> {
    this.running = this.running.then(() => this.round());
    return this.running;
  }

  private get heartbeatMs(): number {
    return Math.max(100, Math.floor(this.options.intervalMs / 3));
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      void this.tick().finally(() => this.schedule());
    }, this.heartbeatMs);
    this.timer.unref();
  }

  private async round(): Promise<void> {
    if (this.stopped) return;
    const now = this.now();
    const until = now + this.options.intervalMs;
    const wasLeading = this.isLeader;
    try {
      const won = await this.options.store.claimLeadership({
        name: WEBHOOK_LEASE,
        holder: this.holder,
        now,
        until,
      });
      if (won) this.leaseUntil = until;
      this.setLeading(won);
    } catch (err) {
      // The store is unreachable: keep leading only until the lease this replica holds lapses.
      this.options.logger.warn({ err }, 'could not renew the webhook lease');
      this.setLeading(this.isLeader);
    }
    if (!this.isLeader) return;
    if (!wasLeading) this.options.logger.info({ holder: this.holder }, 'leading webhook upkeep');
    if (wasLeading && now - this.lastReconcileAt < this.options.intervalMs) return;
    this.lastReconcileAt = now;
    try {
      const result = await this.options.reconciler.reconcile(this.stopping.signal);
      if (result.created + result.updated + result.removed > 0) {
        this.options.logger.info({ ...result }, 'webhooks reconciled');
      }
    } catch (err) {
      if (this.stopped) return;
      // Tried again at the next heartbeat rather than a whole interval later.
      this.lastReconcileAt = 0;
      this.options.logger.error({ err }, 'could not reconcile the webhooks');
    }
  }

  private setLeading(leading: boolean): void {
    this.leading = leading;
    this.options.metrics?.webhookLeader.set(leading ? 1 : 0);
  }
}
