/**
 * Watches (`watch <recording> …`): each is a row in the store and a scheduler job
 * (`watch.poll`, key `watch:<id>`) that reads the recording's accessDetail with the watcher's
 * own token every WATCH_INTERVAL_SECONDS (jittered), compares it with the accesses the watch
 * has seen, and tells the watcher, privately and in their language and zone, about each new
 * one that matches. Only the watcher ever hears about a watch.
 *
 * Exactly once, or as close as a crash allows. The scheduler's lease gives a watch one poller
 * at a time. A poll claims its new accesses in the store (one transaction that inserts their
 * keys, so of two pollers each key goes to one) with the alert marked pending, posts the
 * alert, then marks it sent. A run that fails after claiming (Webex refused the post, the
 * store hiccupped) hands what it has not sent back at once, and a poller that died leaves it
 * pending until ALERT_CLAIM_MS has passed: either way a later poll sends it. So no alert is
 * lost; one can repeat only when a poller dies (or the store fails) between a post and marking
 * it sent. Marking first and posting after would lose that alert instead; for an audit tool a
 * repeated alert is the lesser harm (the inbox makes the same choice for replies).
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { PersonTokens } from '../auth/person-tokens';
import type { Config } from '../config';
import { NotConnectedError } from '../errors';
import { translatorFor } from '../locales';
import type { Logger } from '../log';
import { escapeMarkdown } from '../report/escape';
import { externalTest } from '../report/organisation';
import { formatAccessTime } from '../report/time';
import type { AccessRecord } from '../report/types';
import {
  buildWatchAlertCardData,
  buildWatchSummaryCardData,
  keyAccesses,
  matchesWatch,
  planWatchAlerts,
  recordingLabel,
  watchCardMarkdown,
  type WatchCardData,
  type WatchFilter,
  type WatchMessageContext,
} from '../report/watch';
import { renderCard } from '../cards';
import type { Clock } from '../scheduler/clock';
import { nextIntervalRun, type Recurrence } from '../scheduler/plan';
import type { JobContext, JobResult, Scheduler } from '../scheduler/scheduler';
import type { Store, StoredWatch, WatchPauseReason } from '../store/store';
import type { WebexHttp } from '../webex/client';
import { WebexApiError, WebexRateLimitedError } from '../webex/errors';
import { fetchAccessDetail } from '../webex/recordings';
import { noticeReply } from './commands/notice';
import { resolvePreferences, type PreferenceSources } from './preferences';
import type { Messenger, Reply } from './replies';

export const WATCH_POLL_KIND = 'watch.poll';
/** Watches one person may have at once: each polls Webex with their token. */
export const MAX_WATCHES_PER_PERSON = 25;
/** How long a claimed alert stays pending before another poll sends it (longer than a run). */
export const ALERT_CLAIM_MS = 10 * 60_000;
const DAY_MS = 24 * 60 * 60_000;

const pollPayload = z.object({ watchId: z.string().min(1).max(100) });
type PollPayload = z.infer<typeof pollPayload>;

/**
 * The scheduler job of a watch.
 * @example watchJobKey('w123') // "watch:w123"
 */
export function watchJobKey(watchId: string): string {
  return `watch:${watchId}`;
}

/**
 * A watch's ID: one per person, recording and host, so watching again renews the same watch.
 * @example watchIdOf('person', 'recording') // "w…" (23 characters)
 */
export function watchIdOf(personId: string, recordingId: string, hostEmail?: string): string {
  const digest = createHash('sha256')
    .update([personId, recordingId, (hostEmail ?? '').toLowerCase()].join('\n'))
    .digest('base64url');
  return `w${digest.slice(0, 22)}`;
}

export interface WatchRequest {
  recordingId: string;
  hostEmail?: string;
  filter: WatchFilter;
  days: number;
}

export type WatchStart =
  { kind: 'started'; watch: StoredWatch; renewed: boolean } | { kind: 'too-many'; limit: number };

/** One person's watches, as their commands see them (never another's). */
export interface PersonWatches {
  /**
   * Starts a watch, or renews one of the same recording (new filter and end). `records` are
   * the accesses the person can read now: a new watch counts them as seen (no alerts for the
   * past); a renewed one keeps what it saw and reports what came since.
   */
  start(request: WatchRequest, records: readonly AccessRecord[]): Promise<WatchStart>;
  list(): Promise<StoredWatch[]>;
  /** Stops the person's watches of a recording (any host); returns those stopped. */
  stop(recordingId: string): Promise<StoredWatch[]>;
  stopAll(): Promise<StoredWatch[]>;
}

export interface WatchesOptions {
  store: Store;
  scheduler: Pick<Scheduler, 'register' | 'schedule' | 'cancel'>;
  tokens: PersonTokens;
  /**
   * For accessDetail polls. It should not wait out a 429 itself (`maxRetryAfterMs: 0`): the
   * job comes back at Retry-After instead of holding its lease.
   */
  pollHttp: WebexHttp;
  messenger: Messenger;
  /** The person's zone and locale (as every command resolves them). */
  preferences: PreferenceSources;
  config: Pick<Config, 'orgEmailDomains' | 'watchIntervalSeconds'>;
  logger: Logger;
  clock: Clock;
  /** For the poll jitter; default Math.random. */
  random?: () => number;
}

export class Watches {
  constructor(private readonly options: WatchesOptions) {}

  /** Registers the poll job; call before the scheduler starts. */
  register(): void {
    this.options.scheduler.register<PollPayload>(WATCH_POLL_KIND, (job) => this.poll(job), {
      payload: pollPayload,
    });
  }

  forPerson(personId: string): PersonWatches {
    return {
      start: (request, records) => this.start(personId, request, records),
      list: () => this.options.store.listWatches(personId),
      stop: async (recordingId) => {
        const watches = await this.options.store.listWatches(personId);
        return this.stopEach(watches.filter((w) => w.recordingId === recordingId));
      },
      stopAll: async () => this.stopEach(await this.options.store.listWatches(personId)),
    };
  }

  /** Every poll repeats at the interval, moved by up to a tenth of it either way. */
  private get recurrence(): Extract<Recurrence, { every: 'interval' }> {
    const intervalMs = this.options.config.watchIntervalSeconds * 1000;
    return { every: 'interval', intervalMs, jitterMs: Math.floor(intervalMs / 10) };
  }

  private async start(
    personId: string,
    request: WatchRequest,
    records: readonly AccessRecord[],
  ): Promise<WatchStart> {
    const { store, scheduler, clock } = this.options;
    const now = clock.now();
    const id = watchIdOf(personId, request.recordingId, request.hostEmail);
    const existing = await store.getWatch(id);
    if (!existing) {
      const count = (await store.listWatches(personId)).length;
      if (count >= MAX_WATCHES_PER_PERSON)
        return { kind: 'too-many', limit: MAX_WATCHES_PER_PERSON };
    }
    const topic = records.find((r) => r.topic.trim())?.topic.trim();
    const watch: StoredWatch = {
      id,
      personId,
      recordingId: request.recordingId,
      ...(request.hostEmail ? { hostEmail: request.hostEmail } : {}),
      filter: request.filter,
      ...(topic ? { topic } : existing?.topic ? { topic: existing.topic } : {}),
      expiresAt: now + request.days * DAY_MS,
      createdAt: existing?.createdAt ?? now,
    };
    await store.saveWatch(watch, existing ? [] : keyAccesses(records).map((a) => a.key));
    const recurrence = this.recurrence;
    await scheduler.schedule({
      key: watchJobKey(id),
      kind: WATCH_POLL_KIND,
      payload: { watchId: id } satisfies PollPayload,
      recurrence,
      firstRunAt: Math.min(
        nextIntervalRun(now, recurrence, this.options.random ?? Math.random),
        watch.expiresAt,
      ),
    });
    return { kind: 'started', watch, renewed: existing !== null };
  }

  /** Deletes each watch first (a poll running now then finds nothing to claim), then its job. */
  private async stopEach(watches: StoredWatch[]): Promise<StoredWatch[]> {
    for (const watch of watches) {
      await this.options.store.deleteWatch(watch.id);
      await this.options.scheduler.cancel(watchJobKey(watch.id));
    }
    return watches;
  }

  /** One run of a watch's job. */
  private async poll(job: JobContext<PollPayload>): Promise<JobResult> {
    const { store, logger } = this.options;
    const watch = await store.getWatch(job.payload.watchId);
    // Stopped, or its person disconnected: the job has nothing left to do.
    if (!watch) return { done: true };
    const now = job.now();
    if (watch.expiresAt <= now) {
      // A last look, so accesses since the previous poll are not lost (a paused watch has
      // nothing to look with); the end comes either way.
      if (!watch.pausedReason) {
        await this.check(watch, now, job.signal, { last: true }).catch((err: unknown) =>
          logger.warn({ err, watchId: watch.id }, 'the last check of an ending watch failed'),
        );
      }
      await this.end(watch);
      return { done: true };
    }
    const backOff = await this.check(watch, now, job.signal);
    if (backOff) return backOff;
    // The interval as configured now (a changed WATCH_INTERVAL_SECONDS applies at once), and
    // never past the end, so the end is told on time.
    const next = nextIntervalRun(now, this.recurrence, this.options.random ?? Math.random);
    return { runAt: Math.min(next, watch.expiresAt) };
  }

  /**
   * Reads the report as the watcher and alerts about what is new. A 429 answers when to come
   * back; a link that no longer works, or a report Webex no longer lets them read, pauses the
   * watch (told once) until a poll works again; a watch's last look only gives up.
   */
  private async check(
    watch: StoredWatch,
    now: number,
    signal: AbortSignal,
    options: { last?: boolean } = {},
  ): Promise<{ runAt: number } | undefined> {
    const { tokens, pollHttp, store } = this.options;
    let records: AccessRecord[];
    try {
      records = await tokens.withToken(watch.personId, (token) =>
        fetchAccessDetail(pollHttp, {
          token,
          recordingId: watch.recordingId,
          hostEmail: watch.hostEmail,
          // Keys compare instants, but UTC keeps the stored times the same for every poll.
          timezone: 'UTC',
          signal,
        }),
      );
    } catch (err) {
      if (err instanceof WebexRateLimitedError && err.retryAfter !== undefined) {
        return { runAt: now + Math.max(1, err.retryAfter) * 1000 };
      }
      const reason = pauseReasonOf(err);
      if (!reason) throw err;
      if (!options.last) await this.pause(watch, reason);
      return undefined;
    }
    if (watch.pausedReason) await store.resumeWatch(watch.id);
    await this.alert(watch, records, now);
    return undefined;
  }

  private async alert(watch: StoredWatch, records: AccessRecord[], now: number): Promise<void> {
    const { store, config, logger } = this.options;
    const keyed = keyAccesses(records);
    const claimed = await store.claimWatchAccesses({
      watchId: watch.id,
      keys: keyed.map((a) => a.key),
      now,
      until: now + ALERT_CLAIM_MS,
    });
    if (claimed.length === 0) return;
    // Claimed and not yet sent: whatever fails from here hands these back to the next poll.
    const unsent = new Set(claimed);
    try {
      const fresh = keyed.filter((a) => unsent.has(a.key));
      const email = (await store.getAccount(watch.personId))?.email ?? '';
      const external = externalTest(config.orgEmailDomains, email);
      const matching = fresh.filter((a) => matchesWatch(a.record, watch.filter, external));
      const matched = new Set(matching.map((a) => a.key));
      // Not for this watch's filter, or pending from an earlier run and gone from the report.
      await this.settle(
        watch,
        unsent,
        claimed.filter((key) => !matched.has(key)),
      );
      const plan = planWatchAlerts(matching);
      if (plan.kind === 'none') return;
      const topic = watch.topic ?? records.find((r) => r.topic.trim())?.topic.trim();
      const ctx = await this.messageContext({ ...watch, ...(topic ? { topic } : {}) }, external);
      if (plan.kind === 'summary') {
        await this.post(watch, buildWatchSummaryCardData(plan.accesses, ctx));
        await this.settle(
          watch,
          unsent,
          plan.accesses.map((a) => a.key),
        );
        return;
      }
      for (const access of plan.accesses) {
        await this.post(watch, buildWatchAlertCardData(access, ctx));
        await this.settle(watch, unsent, [access.key]);
      }
    } catch (err) {
      await store.releaseWatchAccesses(watch.id, [...unsent]).catch((releaseErr: unknown) =>
        // Then they lapse after ALERT_CLAIM_MS and a later poll sends them.
        logger.warn({ err: releaseErr, watchId: watch.id }, 'could not hand alerts back'),
      );
      throw err;
    }
  }

  /** Marks alerts sent (or not needed). */
  private async settle(watch: StoredWatch, unsent: Set<string>, keys: string[]): Promise<void> {
    await this.options.store.settleWatchAccesses(watch.id, keys);
    for (const key of keys) unsent.delete(key);
  }

  /** Posts one watch card to the watcher, privately. */
  private async post(watch: StoredWatch, data: WatchCardData): Promise<void> {
    const reply: Reply = {
      markdown: watchCardMarkdown(data),
      card: renderCard('watch-alert', data),
    };
    await this.options.messenger.send({ toPersonId: watch.personId }, reply);
  }

  private async messageContext(
    watch: StoredWatch,
    external: (email: string) => boolean,
  ): Promise<WatchMessageContext> {
    const { zone, locale } = await resolvePreferences(this.options.preferences, watch.personId);
    return {
      recordingId: watch.recordingId,
      ...(watch.topic ? { topic: watch.topic } : {}),
      ...(watch.hostEmail ? { hostEmail: watch.hostEmail } : {}),
      zone: zone.zone,
      locale,
      messages: translatorFor(locale),
      external,
      requesterId: watch.personId,
      expiresAt: watch.expiresAt,
    };
  }

  /** Pauses the watch and tells the person once; if telling fails, the next poll tries again. */
  private async pause(watch: StoredWatch, reason: WatchPauseReason): Promise<void> {
    const { store } = this.options;
    if (!(await store.pauseWatch(watch.id, reason))) return;
    try {
      await this.notify(watch, (t, until) => ({
        title: t('watch.paused.title', { topic: until.label }),
        text: t(
          reason === 'not-connected' ? 'watch.paused.notConnected' : 'watch.paused.noAccess',
          {
            until: until.text,
          },
        ),
      }));
    } catch (err) {
      await store.resumeWatch(watch.id);
      throw err;
    }
  }

  /** Tells the person the watch ended, then deletes it (a failed post is tried again). */
  private async end(watch: StoredWatch): Promise<void> {
    const days = Math.max(1, Math.round((watch.expiresAt - watch.createdAt) / DAY_MS));
    await this.notify(watch, (t, until) => ({
      title: t('watch.ended.title', { topic: until.label }),
      text: t('watch.ended.text', {
        days,
        until: until.text,
        id: escapeMarkdown(watch.recordingId),
      }),
    }));
    await this.options.store.deleteWatch(watch.id);
  }

  /** A short private notice about the watch, in the person's language and zone. */
  private async notify(
    watch: StoredWatch,
    write: (
      t: (key: string, params?: Record<string, string | number>) => string,
      about: { label: string; text: string },
    ) => { title: string; text: string },
  ): Promise<void> {
    const { zone, locale } = await resolvePreferences(this.options.preferences, watch.personId);
    const messages = translatorFor(locale);
    const notice = write(messages.t, {
      label: recordingLabel(watch, messages),
      text: formatAccessTime(watch.expiresAt, zone.zone, locale),
    });
    await this.options.messenger.send(
      { toPersonId: watch.personId },
      // The text is our own sentences; its one outside part, the recording ID, is escaped.
      noticeReply(notice, messages),
    );
  }
}

/** Which failures of a poll pause the watch rather than being tried again. */
function pauseReasonOf(err: unknown): WatchPauseReason | undefined {
  if (err instanceof NotConnectedError) return 'not-connected';
  if (err instanceof WebexApiError) {
    if (err.status === 401) return 'not-connected';
    if (err.status === 403 || err.status === 404) return 'no-access';
  }
  return undefined;
}
