/**
 * The storage interface. One implementation (`SqlStore`) runs on two drivers: SQLite
 * (embedded default) and PostgreSQL (for several replicas). The store only ever sees encrypted
 * token blobs (`…Enc` fields, made by src/auth/token-crypto.ts), never plaintext tokens.
 */

/**
 * A person's linked Webex account (their own OAuth tokens, encrypted).
 * All times in this module are epoch milliseconds (`Date.now()` style).
 */
export interface StoredAccount {
  personId: string;
  email: string;
  accessTokenEnc: string;
  refreshTokenEnc: string;
  accessExpiresAt: number;
  refreshExpiresAt: number;
  scopes: string[];
  updatedAt: number;
}

/** A refresh lease asked for by {@link Store.claimAccountRefresh}. */
export interface RefreshClaim {
  personId: string;
  /** The version of the account the caller read (its `updatedAt`). */
  expectedUpdatedAt: number;
  /** Random, unique to this attempt. */
  claimId: string;
  now: number;
  /** When the claim lapses if its holder never finishes (it crashed). */
  until: number;
}

/** A pending OAuth authorization, keyed by the random `state` sent to Webex. */
export interface OAuthState {
  state: string;
  personId: string;
  /** PKCE verifier; short-lived, deleted when the state is taken or purged. */
  codeVerifier: string;
  scopes: string[];
  /** Where to say "linked" afterwards. */
  redirectRoomId?: string;
  /** JSON of the request to run once linked (opaque to the store). */
  pendingRequest?: string;
  expiresAt: number;
}

/** What a person chose with `timezone …` etc. Absent fields mean "not set". */
export interface PersonSettings {
  timezone?: string;
  locale?: string;
}

/** A settings change: a string sets the field, `null` clears it, absent leaves it. */
export interface SettingsPatch {
  timezone?: string | null;
  locale?: string | null;
}

/** Cached `timezone` from GET /people/me; `timezone: null` caches "the person has none". */
export interface CachedProfileTimezone {
  timezone: string | null;
  fetchedAt: number;
}

/** One event in the inbox is named by its resource and its `data.id` (not the envelope's id). */
export interface InboxKey {
  resource: string;
  eventId: string;
}

/** A verified webhook event, kept until it has been processed. */
export interface NewInboxEvent extends InboxKey {
  /** The envelope as JSON (opaque to the store). */
  payload: string;
  receivedAt: number;
}

/** A lease asked for by {@link Store.claimInboxEvents}. */
export interface InboxClaim {
  /** The replica asking (unique per process). */
  owner: string;
  now: number;
  /** When the lease lapses if the owner never finishes (it crashed). */
  until: number;
  limit: number;
}

/** An event this replica now holds a lease on. */
export interface ClaimedInboxEvent extends InboxKey {
  payload: string;
  /** Attempts so far, this one included. */
  attempts: number;
  receivedAt: number;
  /** The replica whose lease had lapsed, when this claim took the event over. */
  takenOverFrom?: string;
}

/** What is waiting: events not yet done, and when the oldest of them arrived. */
export interface InboxDepth {
  pending: number;
  claimed: number;
  oldestReceivedAt?: number;
}

export type InboxOutcome =
  | { status: 'done'; now: number }
  | { status: 'failed'; now: number; error: string }
  | { status: 'retry'; nextAttemptAt: number; error: string };

/**
 * A job of the durable scheduler (src/scheduler/): one row per key, run by one replica at a
 * time under a lease. Payload and recurrence are JSON the store does not read.
 */
export interface ScheduledJobDefinition {
  /** Unique: saving a job under a key that exists replaces its definition. */
  key: string;
  /** Which handler runs it. */
  kind: string;
  payload: string;
  /** How it repeats; absent for a job that runs once and is then deleted. */
  recurrence?: string;
  nextRunAt: number;
}

export interface ScheduledJob extends ScheduledJobDefinition {
  /** Runs begun since the last success (a claim counts one; a success resets it to 0). */
  attempts: number;
  lastError?: string;
  leaseHolder?: string;
  leaseUntil?: number;
}

/** A lease asked for by {@link Store.claimDueJob}. */
export interface JobClaim {
  holder: string;
  now: number;
  /** When the lease lapses if its holder never finishes (it crashed). */
  until: number;
  /** Only jobs of these kinds (the ones the caller has handlers for). */
  kinds: readonly string[];
}

/** How a run ended: a success sets the next run or deletes the job; a failure retries it. */
export type JobOutcome =
  | { status: 'reschedule'; nextRunAt: number }
  | { status: 'retry'; nextRunAt: number; error: string }
  | { status: 'delete' };

/** Where a request was made: the person's 1:1 space with the bot, or a group space. */
export type UsagePlace = 'direct' | 'group';

/**
 * One request in the bot's own usage log: who asked for what, where, when, and how it ended.
 * Never a report's contents.
 */
export interface UsageEntry {
  /** Unique, made by the caller (a random UUID). */
  id: string;
  at: number;
  personId: string;
  personEmail: string;
  /** `audit`, `export`, `watch`, `unwatch`, `digest`, `usage`, … */
  command: string;
  recordingId?: string;
  /** The `hostEmail` the request read as (an admin's `host …` or `all`). */
  hostEmail?: string;
  place: UsagePlace;
  roomId: string;
  /** `ok`, or what stopped it (e.g. `not_connected`, `webex_404`). */
  outcome: string;
}

/** Someone who asked for the weekly digest (`digest weekly [all] [always]`). */
export interface DigestSubscription {
  personId: string;
  /** Sent even in a week with no views or downloads. */
  always: boolean;
  /** An admin's digest of every host on their sites (`hostEmail=all`). */
  allHosts: boolean;
  createdAt: number;
}

/** The bot's welcome, posted in a space for one add of the bot there. */
export interface Welcome {
  roomId: string;
  /** The bot's membership and, when Webex says, when it was made (`<id>@<created>`). */
  membershipId: string;
  welcomedAt: number;
}

/** Why a watch is not polling: the account link broke, or Webex no longer lets it read. */
export type WatchPauseReason = 'not-connected' | 'no-access';

/**
 * A person's watch of one recording (`watch <recording> …`): polled by a scheduler job, its
 * alerts go to that person alone.
 */
export interface StoredWatch {
  /** Derived from person, recording and host, so watching again is the same row. */
  id: string;
  personId: string;
  recordingId: string;
  /** An admin's `host <email>`. */
  hostEmail?: string;
  filter: 'all' | 'downloads' | 'external';
  topic?: string;
  expiresAt: number;
  createdAt: number;
  pausedReason?: WatchPauseReason;
}

/** New accesses asked for by {@link Store.claimWatchAccesses}. */
export interface WatchAccessClaim {
  watchId: string;
  /** The keys of every access the poll found. */
  keys: readonly string[];
  now: number;
  /** When a claim lapses if its alert was never marked sent (the poller crashed). */
  until: number;
}

export interface Store {
  /** Inserts or replaces the person's account. */
  saveAccount(account: StoredAccount): Promise<void>;
  getAccount(personId: string): Promise<StoredAccount | null>;
  deleteAccount(personId: string): Promise<void>;
  /**
   * Replaces the account only while it is still the version saved at `expectedUpdatedAt`,
   * so a slow token refresh cannot revive a disconnected account or overwrite a newer link.
   * False when the account changed or is gone.
   */
  replaceAccountIfUnchanged(account: StoredAccount, expectedUpdatedAt: number): Promise<boolean>;
  /** Deletes the account only while it is still the version saved at `expectedUpdatedAt`. */
  deleteAccountIfUnchanged(personId: string, expectedUpdatedAt: number): Promise<boolean>;
  /**
   * Claims the right to refresh the account's token until `claim.until`, in one conditional
   * update: of several callers (or replicas) at once, one wins. True only while the account is
   * still the version saved at `expectedUpdatedAt` and no other claim is unexpired at
   * `claim.now`. Saving or replacing the account clears the claim.
   */
  claimAccountRefresh(claim: RefreshClaim): Promise<boolean>;
  /** Drops the claim if it is still `claimId`'s (a refresh that failed), so nobody waits for it. */
  releaseAccountRefresh(personId: string, claimId: string): Promise<void>;

  saveOAuthState(state: OAuthState): Promise<void>;
  /**
   * Atomically returns the state and marks it used at `now` (single use; its verifier and
   * pending request are dropped). Null when unknown or already used: {@link isOAuthStateUsed}
   * tells which, on any replica. An expired state is still returned: check `expiresAt`.
   */
  takeOAuthState(state: string, now: number): Promise<OAuthState | null>;
  /** True when the state was issued and has been taken (until it is purged). */
  isOAuthStateUsed(state: string): Promise<boolean>;
  /**
   * Deletes states that expired unused before `now`, and used ones a day after their use (so
   * "already used" is told that long); returns how many.
   */
  purgeExpiredOAuthStates(now: number): Promise<number>;

  /** The person's settings; `{}` when none. */
  getSettings(personId: string): Promise<PersonSettings>;
  saveSettings(personId: string, patch: SettingsPatch): Promise<PersonSettings>;

  getProfileTimezone(personId: string): Promise<CachedProfileTimezone | null>;
  saveProfileTimezone(personId: string, timezone: string | null, fetchedAt: number): Promise<void>;

  /**
   * Stores a verified event as pending, due now. False when it is already there (a
   * redelivery of the same resource and `data.id`): the existing row is left as it is.
   */
  addInboxEvent(event: NewInboxEvent): Promise<boolean>;
  /**
   * Leases up to `limit` events to `owner` until `until`, oldest first, in one conditional
   * update: pending events that are due, and claimed events whose lease lapsed before `now`.
   * Of several replicas asking at once, each event goes to one.
   */
  claimInboxEvents(claim: InboxClaim): Promise<ClaimedInboxEvent[]>;
  /** Extends every lease `owner` still holds to `until`; returns how many. */
  renewInboxLeases(owner: string, until: number): Promise<number>;
  /**
   * Ends `owner`'s lease: done, failed for good, or pending again from `nextAttemptAt`.
   * False when the lease is no longer `owner`'s (it lapsed and another replica took over).
   */
  settleInboxEvent(key: InboxKey, owner: string, outcome: InboxOutcome): Promise<boolean>;
  /** Makes every event `owner` holds pending and due at `now` (a stop hands them over). */
  releaseInboxEvents(owner: string, now: number): Promise<number>;
  /** Deletes done and failed events finished before `before`; returns how many. */
  pruneInboxEvents(before: number): Promise<number>;
  inboxDepth(): Promise<InboxDepth>;

  /**
   * Creates or replaces the job under `job.key`, free to run at `job.nextRunAt` with no
   * failures counted. With `keepNextRun`, an existing job keeps its next run and its
   * failures, and only its definition changes (replicas ensuring a job at start). A lease on it
   * stays: a run in progress is not run twice.
   */
  saveJob(job: ScheduledJobDefinition, options?: { keepNextRun?: boolean }): Promise<void>;
  getJob(key: string): Promise<ScheduledJob | null>;
  /** False when there was no such job. */
  deleteJob(key: string): Promise<boolean>;
  /**
   * Leases the most overdue job of `claim.kinds` that is due at `claim.now` and not leased (or
   * whose lease lapsed), in one conditional update, counting an attempt. Of several replicas
   * asking at once, each job goes to one. Null when none is due.
   */
  claimDueJob(claim: JobClaim): Promise<ScheduledJob | null>;
  /** Extends `holder`'s lease on the job; false when it is no longer `holder`'s. */
  renewJobLease(key: string, holder: string, until: number): Promise<boolean>;
  /** Ends `holder`'s lease with the run's outcome; false when the lease is no longer its. */
  finishJob(key: string, holder: string, outcome: JobOutcome): Promise<boolean>;
  /**
   * Gives back every job `holder` leases, due as before and without counting the attempt (a
   * stop interrupted them); returns how many.
   */
  releaseJobs(holder: string): Promise<number>;
  /** True when the welcome for this membership of the bot in `roomId` has been posted. */
  wasWelcomed(roomId: string, membershipId: string): Promise<boolean>;
  /** Records a posted welcome; it replaces the space's record of an earlier membership. */
  recordWelcome(welcome: Welcome): Promise<void>;

  /** Adds one entry to the usage log. */
  addUsage(entry: UsageEntry): Promise<void>;
  /** Entries at or after `since`, oldest first, at most `limit` of them. */
  listUsage(query: { since: number; limit: number }): Promise<UsageEntry[]>;
  /** Deletes the entries older than `before`; returns how many. */
  pruneUsage(before: number): Promise<number>;

  /** Creates or replaces the person's digest subscription. */
  saveDigest(subscription: DigestSubscription): Promise<void>;
  getDigest(personId: string): Promise<DigestSubscription | null>;
  /** False when there was none. */
  deleteDigest(personId: string): Promise<boolean>;

  /**
   * Creates the watch, or changes its filter, topic and expiry when it exists (and resumes it),
   * and marks `seenKeys` seen without alerts, in one transaction.
   */
  saveWatch(watch: StoredWatch, seenKeys: readonly string[]): Promise<void>;
  getWatch(id: string): Promise<StoredWatch | null>;
  /** The person's watches, oldest first. */
  listWatches(personId: string): Promise<StoredWatch[]>;
  /** Deletes the watch and what it has seen; false when there was none. */
  deleteWatch(id: string): Promise<boolean>;
  /**
   * Of `claim.keys`, the accesses the watch has not seen, now marked seen with their alert
   * pending until `claim.until`; plus those whose pending alert lapsed (a poller crashed before
   * it marked the alert sent). Of two pollers at once, each key goes to one. Empty when the
   * watch is gone.
   */
  claimWatchAccesses(claim: WatchAccessClaim): Promise<string[]>;
  /** The alerts for these accesses were sent (or are not needed): they are done. */
  settleWatchAccesses(watchId: string, keys: readonly string[]): Promise<void>;
  /** These alerts could not be sent: the next claim takes them again. */
  releaseWatchAccesses(watchId: string, keys: readonly string[]): Promise<void>;
  /** Pauses a running watch; true only when it was running (so the person is told once). */
  pauseWatch(id: string, reason: WatchPauseReason): Promise<boolean>;
  /** Resumes a paused watch; true when it was paused. */
  resumeWatch(id: string): Promise<boolean>;

  /**
   * Deletes everything stored about the person: account, OAuth states, settings, cache, digest
   * subscription and watches (their scheduler jobs end by themselves when they find no watch).
   * Their usage log entries stay: they are the organisation's record.
   */
  forgetPerson(personId: string): Promise<void>;

  /** Throws when the database is unreachable. */
  ping(): Promise<void>;
  /** Writes `replicaId`'s heartbeat row; throws when the database does not take writes (for /readyz). */
  heartbeat(replicaId: string, now: number): Promise<void>;
  close(): Promise<void>;
}

/** Scopes are stored space-separated, as OAuth writes them. */
export function joinScopes(scopes: string[]): string {
  return scopes.join(' ');
}

export function splitScopes(text: string): string[] {
  return text.split(/\s+/).filter(Boolean);
}
