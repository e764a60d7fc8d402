/**
 * The weekly digest: who asked for it (the store's digest subscriptions), when it runs (one
 * scheduler job per person, `digest:<personId>`, Monday 09:00 in their zone: see
 * digest-plan.ts), and the run itself: accessSummary over the week with the person's own
 * token, accessDetail for the recordings with downloads (a bounded number of calls) to find
 * the external ones, and a private card in the person's language. A quiet week sends nothing
 * unless the person asked for `always`.
 */
import { z } from 'zod';
import { hasAdminScopes } from '../auth/access-rules';
import type { PersonTokens } from '../auth/person-tokens';
import { renderCard } from '../cards';
import type { Config } from '../config';
import { NotConnectedError } from '../errors';
import { translatorFor } from '../locales';
import type { Logger } from '../log';
import {
  buildDigestCardData,
  buildDigestMarkdown,
  externalDownloadsIn,
  isQuietWeek,
  type ExternalDownload,
} from '../report/digest';
import { isExternal } from '../report/organisation';
import type { AccessRecord } from '../report/types';
import type { Clock } from '../scheduler/clock';
import type { JobContext, JobResult, Scheduler } from '../scheduler/scheduler';
import type { DigestSubscription, Store } from '../store/store';
import type { WebexHttp } from '../webex/client';
import {
  fetchAccessSummary,
  iterateAccessDetail,
  type AccessDetailQuery,
} from '../webex/recordings';
import { noticeReply } from './commands/notice';
import { digestRecurrence, nextDigestTime, planDigestRun, type DigestWeek } from './digest-plan';
import { loadManifest } from './manifest';
import { resolvePreferences } from './preferences';
import type { Messenger, Reply } from './replies';

export const DIGEST_JOB_KIND = 'digest.weekly';
/** Recordings with downloads whose access details one digest reads, busiest first. */
export const DIGEST_MAX_DETAIL_RECORDINGS = 10;
/** Pages of 100 access records read per recording. */
export const DIGEST_MAX_DETAIL_PAGES = 10;
const PAGE_SIZE = 100;

/** The job's key for a person: one digest job each. */
export function digestJobKey(personId: string): string {
  return `digest:${personId}`;
}

const payloadSchema = z.object({ personId: z.string().min(1), zone: z.string().min(1) });
type DigestPayload = z.infer<typeof payloadSchema>;

export interface DigestDeps {
  config: Pick<Config, 'orgEmailDomains' | 'defaultTimezone' | 'defaultLocale'>;
  store: Store;
  scheduler: Scheduler;
  tokens: PersonTokens;
  http: WebexHttp;
  messenger: Messenger;
  logger: Logger;
  clock: Clock;
}

/** One person's digest, as a command sees it. */
export interface PersonDigest {
  /** The subscription, the zone it runs in and its next run; null when there is none. */
  get(): Promise<{ subscription: DigestSubscription; zone?: string; nextRunAt?: number } | null>;
  /** Subscribes, or changes how; returns when the first digest comes. */
  subscribe(options: { always: boolean; allHosts: boolean }, zone: string): Promise<number>;
  /** Ends it; false when there was none. */
  cancel(): Promise<boolean>;
  /** The person's zone changed: the next digest comes at Monday 09:00 there. */
  follow(zone: string): Promise<void>;
}

export class Digests {
  constructor(private readonly deps: DigestDeps) {}

  /** Runs the digest jobs on this replica; call before the scheduler starts. */
  register(): void {
    this.deps.scheduler.register(DIGEST_JOB_KIND, (job) => this.run(job), {
      payload: payloadSchema,
    });
  }

  forPerson(personId: string): PersonDigest {
    const { store, scheduler, clock } = this.deps;
    const key = digestJobKey(personId);
    return {
      get: async () => {
        const subscription = await store.getDigest(personId);
        if (!subscription) return null;
        const job = await store.getJob(key);
        const payload = job ? payloadSchema.safeParse(safeJson(job.payload)) : undefined;
        return {
          subscription,
          ...(payload?.success ? { zone: payload.data.zone } : {}),
          ...(job ? { nextRunAt: job.nextRunAt } : {}),
        };
      },
      subscribe: async (options, zone) => {
        await store.saveDigest({ personId, ...options, createdAt: clock.now() });
        return this.plan(personId, zone);
      },
      cancel: async () => {
        const [deleted, cancelled] = [
          await store.deleteDigest(personId),
          await scheduler.cancel(key),
        ];
        return deleted || cancelled;
      },
      follow: async (zone) => {
        if (await store.getDigest(personId)) await this.plan(personId, zone);
      },
    };
  }

  /** (Re)plans the person's job for the next Monday 09:00 in `zone`. */
  private async plan(personId: string, zone: string): Promise<number> {
    const firstRunAt = nextDigestTime(this.deps.clock.now(), zone);
    await this.deps.scheduler.schedule<DigestPayload>({
      key: digestJobKey(personId),
      kind: DIGEST_JOB_KIND,
      payload: { personId, zone },
      recurrence: digestRecurrence(zone),
      firstRunAt,
    });
    return firstRunAt;
  }

  private async run(job: JobContext<DigestPayload>): Promise<JobResult> {
    const { personId } = job.payload;
    const subscription = await this.deps.store.getDigest(personId);
    if (!subscription) return { done: true };
    const { zone, locale } = await resolvePreferences(this.deps, personId);
    const plan = planDigestRun(job.dueAt, job.now(), zone.zone);
    if (zone.zone !== job.payload.zone) {
      // Their zone changed without `timezone` (their Webex profile): follow it from now on.
      await this.deps.scheduler.schedule<DigestPayload>({
        key: job.key,
        kind: DIGEST_JOB_KIND,
        payload: { personId, zone: zone.zone },
        recurrence: digestRecurrence(zone.zone),
        firstRunAt: plan.send ? plan.nextRunAt : plan.runAt,
      });
    }
    if (!plan.send) return { runAt: plan.runAt };
    let reply: Reply | null;
    try {
      reply = await this.compose(subscription, zone.zone, locale, plan.week, job.signal);
    } catch (err) {
      if (!(err instanceof NotConnectedError)) throw err;
      // A revoked link: say so (every week until they reconnect or turn the digest off).
      const messages = translatorFor(locale);
      const { t } = messages;
      reply = noticeReply(
        { title: t('digest.notConnected.title'), text: t('digest.notConnected.text') },
        messages,
      );
    }
    if (reply) await this.deps.messenger.send({ toPersonId: personId }, reply);
    else this.deps.logger.info({ personId }, 'quiet week: no digest sent');
    return { runAt: plan.nextRunAt };
  }

  /** The digest card for `week`, or null for a quiet week the person gets nothing for. */
  private async compose(
    subscription: DigestSubscription,
    zone: string,
    locale: string,
    week: DigestWeek,
    signal: AbortSignal,
  ): Promise<Reply | null> {
    const { store, tokens, http, config } = this.deps;
    const { personId } = subscription;
    const account = await store.getAccount(personId);
    if (!account) throw new NotConnectedError('never');
    const admin = hasAdminScopes(account.scopes, loadManifest().scopes.admin);
    const allHosts = subscription.allHosts && admin;
    const summaries = await tokens.withToken(personId, (token) =>
      fetchAccessSummary(http, {
        token,
        from: new Date(week.from),
        to: new Date(week.to),
        hostEmail: allHosts ? 'all' : undefined,
        timezone: zone,
        max: PAGE_SIZE,
        signal,
      }),
    );
    if (isQuietWeek(summaries) && !subscription.always) return null;

    const withDownloads = summaries
      .filter((s) => s.downloadCount > 0)
      .sort((a, b) => b.downloadCount - a.downloadCount);
    const checked = withDownloads.slice(0, DIGEST_MAX_DETAIL_RECORDINGS);
    const outside = (email: string) => isExternal(email, config.orgEmailDomains, account.email);
    const external: ExternalDownload[] = [];
    let partlyChecked = 0;
    for (const summary of checked) {
      const { records, complete } = await tokens.withToken(personId, (token) =>
        readAccessDetail(http, {
          token,
          recordingId: summary.recordingId,
          hostEmail: allHosts ? summary.hostEmail : undefined,
          timezone: zone,
          signal,
        }),
      );
      if (!complete) partlyChecked++;
      external.push(...externalDownloadsIn(records, week, outside));
    }

    const messages = translatorFor(locale);
    const data = buildDigestCardData({
      week,
      zone,
      locale,
      messages,
      requesterId: personId,
      requesterEmail: account.email,
      summaries,
      external,
      allHosts,
      uncheckedRecordings: withDownloads.length - checked.length,
      partlyChecked,
      adminLost: subscription.allHosts && !admin,
    });
    return { markdown: buildDigestMarkdown(data), card: renderCard('digest', data) };
  }
}

/**
 * A recording's access records, at most {@link DIGEST_MAX_DETAIL_PAGES} pages. `complete` is
 * false when the last page read was full, so more may have followed.
 */
async function readAccessDetail(
  http: WebexHttp,
  query: AccessDetailQuery,
): Promise<{ records: AccessRecord[]; complete: boolean }> {
  const records: AccessRecord[] = [];
  let pages = 0;
  for await (const page of iterateAccessDetail(http, { ...query, max: PAGE_SIZE })) {
    records.push(...page);
    if (++pages >= DIGEST_MAX_DETAIL_PAGES) return { records, complete: page.length < PAGE_SIZE };
  }
  return { records, complete: true };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
