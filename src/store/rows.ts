/** Row ↔ object mapping shared by the adapters (columns are snake_case, times epoch ms). */
import {
  splitScopes,
  type DigestSubscription,
  type ScheduledJob,
  type StoredWatch,
  type StoredAccount,
  type OAuthState,
  type PersonSettings,
  type SettingsPatch,
  type UsageEntry,
} from './store';

export type Row = Record<string, unknown>;

/** Epoch ms from a BIGINT column: pg returns it as a string, SQLite as a number. */
export function msOf(v: unknown): number {
  return Number(v);
}

export function accountFromRow(r: Row): StoredAccount {
  return {
    personId: String(r.person_id),
    email: String(r.email),
    accessTokenEnc: String(r.access_token_enc),
    refreshTokenEnc: String(r.refresh_token_enc),
    accessExpiresAt: msOf(r.access_expires_at),
    refreshExpiresAt: msOf(r.refresh_expires_at),
    scopes: splitScopes(String(r.scopes)),
    updatedAt: msOf(r.updated_at),
  };
}

export function oauthStateFromRow(r: Row): OAuthState {
  const s: OAuthState = {
    state: String(r.state),
    personId: String(r.person_id),
    codeVerifier: String(r.code_verifier),
    scopes: splitScopes(String(r.scopes)),
    expiresAt: msOf(r.expires_at),
  };
  if (typeof r.redirect_room_id === 'string') s.redirectRoomId = r.redirect_room_id;
  if (typeof r.pending_request === 'string') s.pendingRequest = r.pending_request;
  return s;
}

/** Row → settings, leaving unset fields out. */
export function settingsOf(row: Row | undefined): PersonSettings {
  const s: PersonSettings = {};
  if (typeof row?.timezone === 'string') s.timezone = row.timezone;
  if (typeof row?.locale === 'string') s.locale = row.locale;
  return s;
}

export function applyPatch(current: PersonSettings, patch: SettingsPatch): PersonSettings {
  const next: PersonSettings = { ...current };
  for (const field of ['timezone', 'locale'] as const) {
    const v = patch[field];
    if (v === null) delete next[field];
    else if (v !== undefined) next[field] = v;
  }
  return next;
}

export function jobFromRow(r: Row): ScheduledJob {
  const job: ScheduledJob = {
    key: String(r.job_key),
    kind: String(r.kind),
    payload: String(r.payload),
    nextRunAt: msOf(r.next_run_at),
    attempts: Number(r.attempts),
  };
  if (typeof r.recurrence === 'string') job.recurrence = r.recurrence;
  if (typeof r.last_error === 'string') job.lastError = r.last_error;
  if (typeof r.lease_holder === 'string') job.leaseHolder = r.lease_holder;
  if (r.lease_until !== null && r.lease_until !== undefined) job.leaseUntil = msOf(r.lease_until);
  return job;
}

export function usageFromRow(r: Row): UsageEntry {
  const entry: UsageEntry = {
    id: String(r.id),
    at: msOf(r.at),
    personId: String(r.person_id),
    personEmail: String(r.person_email),
    command: String(r.command),
    place: r.place === 'group' ? 'group' : 'direct',
    roomId: String(r.room_id),
    outcome: String(r.outcome),
  };
  if (typeof r.recording_id === 'string') entry.recordingId = r.recording_id;
  if (typeof r.host_email === 'string') entry.hostEmail = r.host_email;
  return entry;
}

export function digestFromRow(r: Row): DigestSubscription {
  return {
    personId: String(r.person_id),
    always: Number(r.always_send) === 1,
    allHosts: Number(r.all_hosts) === 1,
    createdAt: msOf(r.created_at),
  };
}

export function watchFromRow(r: Row): StoredWatch {
  const watch: StoredWatch = {
    id: String(r.id),
    personId: String(r.person_id),
    recordingId: String(r.recording_id),
    filter: r.filter === 'downloads' || r.filter === 'external' ? r.filter : 'all',
    expiresAt: msOf(r.expires_at),
    createdAt: msOf(r.created_at),
  };
  if (typeof r.host_email === 'string') watch.hostEmail = r.host_email;
  if (typeof r.topic === 'string') watch.topic = r.topic;
  if (r.paused_reason === 'not-connected' || r.paused_reason === 'no-access') {
    watch.pausedReason = r.paused_reason;
  }
  return watch;
}
