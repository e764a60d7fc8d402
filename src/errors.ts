/**
 * The bot's own coded errors; {@link explainError}, the one place that turns any failure into
 * the sentence a person reads; and {@link isExpectedFailure} / {@link logFailure}, the one rule
 * for how loudly a failure is logged. Nothing here ever includes a token.
 */
import {
  OAuthGrantError,
  WebexApiError,
  WebexError,
  WebexNetworkError,
  WebexRateLimitedError,
  WebexTimeoutError,
} from './webex/errors';
import { english } from './locales';
import { escapeEmail, escapeMarkdown } from './report/escape';
import type { MessageParams, Translator } from './report/i18n';

/** The person has no linked account (or it was revoked): they must run `connect`. */
export class NotConnectedError extends Error {
  readonly code = 'not_connected';
  constructor(readonly reason: 'never' | 'expired' = 'never') {
    super(reason === 'never' ? 'account not linked' : 'account link expired');
    this.name = 'NotConnectedError';
  }
}

/** What an admin scope was needed for: it picks the sentence the person reads. */
export type AdminNeed = 'host' | 'usage' | 'digestAll';

const MISSING_SCOPE_KEYS: Record<AdminNeed, string> = {
  host: 'error.missingScope',
  usage: 'error.missingScopeUsage',
  digestAll: 'error.missingScopeDigestAll',
};

/** The person asked for something their linked account's scopes do not allow. */
export class MissingScopeError extends Error {
  readonly code = 'missing_scope';
  constructor(
    readonly scope: string,
    /** Another host's recordings (the default), the usage log, or a digest of every host. */
    readonly need: AdminNeed = 'host',
  ) {
    super(`missing scope ${scope}`);
    this.name = 'MissingScopeError';
  }
}

/** A sentence for the person, and the Webex trackingId to quote when there is one. */
export interface Explanation {
  title: string;
  text: string;
  trackingId?: string;
  /** What the answer is about (command, recording), so parallel requests can be told apart. */
  about?: Array<{ title: string; value: string }>;
}

export interface ExplainContext {
  recordingId?: string;
  /** The recording's topic when it is known (shown instead of the ID). */
  topic?: string;
  hostEmail?: string;
  /** The command that failed, e.g. `audit`. */
  command?: string;
}

/**
 * What to tell a person about `err`, in their language (English by default).
 * @example explainError(new WebexApiError('Not found', { status: 404, trackingId: 'T1' }), { recordingId: 'abc' })
 */
export function explainError(
  err: unknown,
  context: ExplainContext = {},
  messages: Translator = english(),
): Explanation {
  const { t } = messages;
  // The text is markdown: anything that came from a person or from Webex is escaped.
  const id = context.recordingId ? escapeMarkdown(context.recordingId) : undefined;
  const host = context.hostEmail ? escapeEmail(context.hostEmail) : undefined;
  const about = aboutFacts(context, messages);
  const say = (key: string, params?: MessageParams, trackingId?: string): Explanation => ({
    title: t(`${key}.title`),
    text: t(`${key}.text`, params),
    ...(trackingId !== undefined ? { trackingId } : {}),
    ...(about.length > 0 ? { about } : {}),
  });
  if (err instanceof NotConnectedError) {
    return say(err.reason === 'expired' ? 'error.linkExpired' : 'error.notConnected');
  }
  if (err instanceof MissingScopeError) return say(MISSING_SCOPE_KEYS[err.need]);
  if (err instanceof OAuthGrantError) return say('error.grantRefused');
  if (err instanceof WebexRateLimitedError) {
    return say('error.rateLimited', {}, err.trackingId);
  }
  if (err instanceof WebexApiError) {
    switch (err.status) {
      case 400:
        return say(
          context.hostEmail ? 'error.badRequestWithHost' : 'error.badRequest',
          { message: escapeMarkdown(err.message, { maxLength: 300 }) },
          err.trackingId,
        );
      case 401:
        return say('error.unauthorized', {}, err.trackingId);
      case 403:
        if (host) return say('error.forbiddenHost', { host }, err.trackingId);
        return id
          ? say('error.forbidden', { id }, err.trackingId)
          : say('error.forbiddenNoId', {}, err.trackingId);
      case 404:
        return id
          ? say('error.notFound', { id }, err.trackingId)
          : say('error.notFoundNoId', {}, err.trackingId);
      default:
        return say(
          'error.webexStatus',
          { status: err.status === undefined ? t('error.unknownStatus') : String(err.status) },
          err.trackingId,
        );
    }
  }
  if (err instanceof WebexTimeoutError || err instanceof WebexNetworkError) {
    return say('error.unreachable', {}, err.trackingId);
  }
  if (err instanceof WebexError) return say('error.webex', {}, err.trackingId);
  return say('error.internal');
}

/**
 * Plain text (the card escapes facts): the command, then the recording's topic or ID.
 * @example aboutFacts({ command: 'audit', recordingId: 'abc' }, english()) // [{ title: 'Command', value: 'audit' }, …]
 */
export function aboutFacts(context: ExplainContext, { t }: Translator) {
  const facts: Array<{ title: string; value: string }> = [];
  if (context.command) facts.push({ title: t('error.about.command'), value: context.command });
  const recording = context.topic?.trim() || context.recordingId;
  if (recording) facts.push({ title: t('error.about.recording'), value: recording });
  return facts;
}

/** Webex answers about the request itself (bad ID, not allowed, not found), not faults. */
const EXPECTED_WEBEX_STATUSES = new Set([400, 401, 403, 404]);

/**
 * Whether `err` is an answer the person gets about their own request (not linked, missing
 * scope, link revoked, Webex 400/401/403/404) rather than a fault someone should look at
 * (a bug, Webex or the store down, a timeout, rate limits we could not wait out).
 *
 * @example isExpectedFailure(new WebexApiError('Not found', { status: 404 })) // true
 * @example isExpectedFailure(new TypeError('x is undefined')) // false
 */
export function isExpectedFailure(err: unknown): boolean {
  if (err instanceof NotConnectedError || err instanceof MissingScopeError) return true;
  if (err instanceof OAuthGrantError) return true;
  return err instanceof WebexApiError && EXPECTED_WEBEX_STATUSES.has(err.status ?? 0);
}

/** The part of a pino logger {@link logFailure} needs. */
export interface FailureLogger {
  info(obj: Record<string, unknown>, msg: string): void;
  error(obj: Record<string, unknown>, msg: string): void;
}

/**
 * Logs a failed command or request: an expected failure at info, as one short line without a
 * stack (its code, message, status and trackingId); anything else at error, with the stack.
 *
 * @example
 * catch (err) { logFailure(logger, err, 'audit failed', { recordingId }); }
 */
export function logFailure(
  logger: FailureLogger,
  err: unknown,
  msg: string,
  fields: Record<string, unknown> = {},
): void {
  if (!isExpectedFailure(err)) {
    logger.error({ ...fields, err }, msg);
    return;
  }
  logger.info({ ...fields, failure: failureSummary(err) }, msg);
}

/**
 * What is safe and useful to log of a failure in one short line: its code, message, status
 * and trackingId, without the stack (for failures that need no one's attention).
 * @example logger.warn({ failure: failureSummary(err) }, 'old card not deleted');
 */
export function failureSummary(err: unknown): {
  code?: string;
  message: string;
  status?: number;
  trackingId?: string;
} {
  if (!(err instanceof Error)) return { message: String(err) };
  const e = err as Error & { code?: string; status?: number; trackingId?: string };
  return { code: e.code, message: e.message, status: e.status, trackingId: e.trackingId };
}
