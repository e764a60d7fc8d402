/**
 * The durable inbox: every verified webhook event is stored before Webex gets its 200, and
 * processed from here, never from the HTTP request. A replica claims events with a lease
 * (one conditional update, so one replica gets each event), extends the lease while it works,
 * and marks the event done when its handler has finished (the reply is posted). Events whose
 * lease lapsed (the replica crashed or was killed) are taken over by whichever replica looks
 * next; a stopping replica hands its unfinished events back at once.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { WebhookEnvelope } from '../bot/envelope';
import type { Logger } from '../log';
import type { Metrics } from '../metrics';
import type { ClaimedInboxEvent, InboxOutcome, Store } from '../store/store';
import { afterFailure, DEFAULT_INBOX_POLICY, describeFailure, type InboxPolicy } from './policy';
import { inboxEventId } from './event-id';

type InboxStore = Pick<
  Store,
  | 'addInboxEvent'
  | 'claimInboxEvents'
  | 'renewInboxLeases'
  | 'settleInboxEvent'
  | 'releaseInboxEvents'
  | 'pruneInboxEvents'
>;

export interface InboxOptions {
  store: InboxStore;
  /** Unique to this process: leases are held in its name. */
  replicaId: string;
  logger: Logger;
  metrics?: Metrics;
  policy?: Partial<InboxPolicy>;
  now?: () => number;
}

export interface InboxWorker {
  /** Processes one event; resolves when it is done (its reply posted). */
  process: (envelope: WebhookEnvelope) => Promise<void>;
  /** Called once an event is given up, to tell the person; its failure is only logged. */
  onGaveUp: (envelope: WebhookEnvelope, err: unknown) => Promise<void>;
}

export class Inbox {
  private readonly policy: InboxPolicy;
  private readonly now: () => number;
  private worker?: InboxWorker;
  private claiming = false;
  private pumping = false;
  private pumpAgain = false;
  private readonly running = new Map<string, Promise<void>>();
  private timers: NodeJS.Timeout[] = [];
  private renewTimer?: NodeJS.Timeout;

  constructor(private readonly options: InboxOptions) {
    this.policy = { ...DEFAULT_INBOX_POLICY, ...options.policy };
    this.now = options.now ?? Date.now;
  }

  get replicaId(): string {
    return this.options.replicaId;
  }

  /** Events this replica is working on now. */
  get size(): number {
    return this.running.size;
  }

  /**
   * Stores a verified event (a redelivery is the same row, stored once). Resolves once it is
   * stored, so the receiver may answer 200; rejects when the store does not take it.
   * @example await inbox.accept(envelope); res.status(200);
   */
  async accept(envelope: WebhookEnvelope): Promise<void> {
    const added = await this.options.store.addInboxEvent({
      resource: envelope.resource,
      eventId: inboxEventId(envelope),
      payload: JSON.stringify(envelope),
      receivedAt: this.now(),
    });
    if (!added) {
      this.options.logger.debug({ resource: envelope.resource }, 'redelivered event ignored');
      return;
    }
    this.wake();
  }

  /**
   * Starts claiming and processing: at once (events stored while the bot started, and any a
   * crashed replica left), whenever an event is accepted, and every `pollEveryMs`.
   * @example inbox.start({ process: (e) => runtime.handle(e), onGaveUp: tellPerson });
   */
  start(worker: InboxWorker): void {
    if (this.worker) throw new Error('The inbox is already started.');
    this.worker = worker;
    this.claiming = true;
    const every = (ms: number, task: () => Promise<unknown>) => {
      const timer = setInterval(() => void task(), ms);
      timer.unref();
      return timer;
    };
    this.timers.push(every(this.policy.pollEveryMs, () => this.pump()));
    this.timers.push(every(this.policy.pruneEveryMs, () => this.prune()));
    // Kept through a stop's grace period: the events still running keep their leases.
    this.renewTimer = every(this.policy.renewEveryMs, () => this.renewLeases());
    void this.prune();
    this.wake();
  }

  /**
   * Stops claiming, gives the events being processed up to `graceMs` to finish, then hands
   * the unfinished ones back (pending, due now) so another replica, or the next start, takes
   * them over without waiting for their leases. Resolves with how many were handed back.
   * @example const handedBack = await inbox.stop(25_000);
   */
  async stop(graceMs: number): Promise<number> {
    this.claiming = false;
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
    const deadline = this.now() + graceMs;
    while (this.running.size > 0 && this.now() < deadline) {
      await Promise.race([
        Promise.allSettled([...this.running.values()]),
        sleep(Math.max(0, deadline - this.now())),
      ]);
    }
    clearInterval(this.renewTimer);
    if (this.running.size === 0) return 0;
    const handedBack = await this.options.store.releaseInboxEvents(this.replicaId, this.now());
    this.options.logger.warn(
      { handedBack, graceMs },
      'stopping with events unfinished; handed back to be taken over',
    );
    return handedBack;
  }

  /** Claims more once something changed (an event arrived, one finished). */
  private wake(): void {
    if (this.claiming) void this.pump();
  }

  private async pump(): Promise<void> {
    if (this.pumping) {
      this.pumpAgain = true;
      return;
    }
    this.pumping = true;
    try {
      do {
        this.pumpAgain = false;
        while (this.claiming && this.running.size < this.policy.maxConcurrent) {
          const now = this.now();
          const batch = await this.options.store.claimInboxEvents({
            owner: this.replicaId,
            now,
            until: now + this.policy.leaseMs,
            limit: this.policy.maxConcurrent - this.running.size,
          });
          if (batch.length === 0) break;
          for (const event of batch) this.run(event);
        }
      } while (this.pumpAgain && this.claiming);
    } catch (err) {
      this.options.logger.error({ err }, 'inbox: could not claim events');
    } finally {
      this.pumping = false;
    }
  }

  private run(event: ClaimedInboxEvent): void {
    const key = `${event.resource}:${event.eventId}`;
    const task = this.process(event).finally(() => {
      this.running.delete(key);
      this.wake();
    });
    this.running.set(key, task);
  }

  private async process(event: ClaimedInboxEvent): Promise<void> {
    const { logger, metrics } = this.options;
    const worker = this.worker;
    if (!worker) return;
    if (event.takenOverFrom) {
      metrics?.inboxRecovered.inc();
      logger.warn(
        { resource: event.resource, from: event.takenOverFrom, attempts: event.attempts },
        'inbox: took over an event whose lease had lapsed',
      );
    }
    let envelope: WebhookEnvelope;
    try {
      envelope = JSON.parse(event.payload) as WebhookEnvelope;
    } catch (err) {
      logger.error({ err, resource: event.resource }, 'inbox: stored event is not JSON');
      await this.settle(event, { status: 'failed', now: this.now(), error: 'not JSON' });
      return;
    }
    let outcome: InboxOutcome;
    try {
      await worker.process(envelope);
      outcome = { status: 'done', now: this.now() };
    } catch (err) {
      outcome = await this.afterFailure(event, envelope, err, worker);
    }
    await this.settle(event, outcome);
  }

  private async afterFailure(
    event: ClaimedInboxEvent,
    envelope: WebhookEnvelope,
    err: unknown,
    worker: InboxWorker,
  ): Promise<InboxOutcome> {
    const { logger, metrics } = this.options;
    const now = this.now();
    const error = describeFailure(err);
    const next = afterFailure({ ...event, now, error: err }, this.policy);
    const context = { err, resource: event.resource, attempts: event.attempts };
    if (next.kind === 'retry') {
      metrics?.inboxRetries.inc({ resource: event.resource });
      logger.warn({ ...context, retryInMs: next.at - now }, 'inbox: event failed; will retry');
      return { status: 'retry', nextAttemptAt: next.at, error };
    }
    metrics?.inboxFailed.inc({ resource: event.resource });
    logger.error({ ...context, why: next.why }, 'inbox: event failed for good; telling the person');
    await worker
      .onGaveUp(envelope, err)
      .catch((tellErr: unknown) =>
        logger.error({ err: tellErr }, 'inbox: could not tell the person their request failed'),
      );
    return { status: 'failed', now: this.now(), error };
  }

  /** Records the outcome; a store failure is retried briefly, then the lease lapses. */
  private async settle(event: ClaimedInboxEvent, outcome: InboxOutcome): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        const mine = await this.options.store.settleInboxEvent(event, this.replicaId, outcome);
        if (!mine) {
          this.options.logger.warn(
            { resource: event.resource },
            'inbox: lease lost before the event was settled (another replica took it over)',
          );
        }
        return;
      } catch (err) {
        if (attempt >= 3) {
          this.options.logger.error(
            { err, resource: event.resource },
            'inbox: could not record the outcome; the event will be taken over when its lease lapses',
          );
          return;
        }
        await sleep(200 * attempt);
      }
    }
  }

  private async renewLeases(): Promise<void> {
    if (this.running.size === 0) return;
    try {
      await this.options.store.renewInboxLeases(this.replicaId, this.now() + this.policy.leaseMs);
    } catch (err) {
      this.options.logger.error({ err }, 'inbox: could not renew leases');
    }
  }

  private async prune(): Promise<void> {
    try {
      await this.options.store.pruneInboxEvents(this.now() - this.policy.keepFinishedMs);
    } catch (err) {
      this.options.logger.warn({ err }, 'inbox: could not prune finished events');
    }
  }
}
