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
import { escapeEmail, escapeMarkdown } from './report/escape';

/** The person has no linked account (or it was revoked): they must run `connect`. */
export class NotConnectedError extends Error {
  readonly code = 'not_connected';
  constructor(readonly reason: 'never' | 'expired' = 'never') {
    super(reason === 'never' ? 'account not linked' : 'account link expired');
    this.name = 'NotConnectedError';
  }
}

/** The person asked for something their linked account's scopes do not allow. */
export class MissingScopeError extends Error {
  readonly code = 'missing_scope';
  constructor(readonly scope: string) {
    super(`missing scope ${scope}`);
    this.name = 'MissingScopeError';
  }
}

/** A sentence for the person, and the Webex trackingId to quote when there is one. */
export interface Explanation {
  title: string;
  text: string;
  trackingId?: string;
}

export interface ExplainContext {
  recordingId?: string;
  hostEmail?: string;
}

/**
 * What to tell a person about `err`.
 * @example explainError(new WebexApiError('Not found', { status: 404, trackingId: 'T1' }), { recordingId: 'abc' })
 */
export function explainError(err: unknown, context: ExplainContext = {}): Explanation {
  // The text is markdown: anything that came from a person or from Webex is escaped.
  const recording = context.recordingId
    ? `recording ${escapeMarkdown(context.recordingId)}`
    : 'that recording';
  const host = context.hostEmail ? escapeEmail(context.hostEmail) : undefined;
  if (err instanceof NotConnectedError) {
    return err.reason === 'expired'
      ? {
          title: 'Please connect again',
          text: 'Your Webex account link has expired or was revoked. Type **connect** to link it again.',
        }
      : {
          title: 'Connect your Webex account first',
          text: 'I read recording reports with your own Webex account. Type **connect** to link it.',
        };
  }
  if (err instanceof MissingScopeError) {
    return {
      title: 'Admin access needed',
      text: "Auditing another host's recording needs the admin scope. If you are a Webex admin of the site, type **connect admin** and approve the admin permission; then try again.",
    };
  }
  if (err instanceof OAuthGrantError) {
    return {
      title: 'Please connect again',
      text: 'Webex no longer accepts your account link. Type **connect** to link it again.',
    };
  }
  if (err instanceof WebexRateLimitedError) {
    return {
      title: 'Webex is busy',
      text: 'Webex kept asking me to slow down, for longer than I can wait. Please try again in a few minutes.',
      trackingId: err.trackingId,
    };
  }
  if (err instanceof WebexApiError) {
    switch (err.status) {
      case 400:
        return {
          title: 'Webex did not accept the request',
          text: `Webex says: ${escapeMarkdown(err.message, { maxLength: 300 })}. Check the recording ID or link${context.hostEmail ? ' and the host email' : ''}.`,
          trackingId: err.trackingId,
        };
      case 401:
        return {
          title: 'Please connect again',
          text: 'Webex did not accept your account link. Type **connect** to link it again.',
          trackingId: err.trackingId,
        };
      case 403:
        return {
          title: 'Not allowed',
          text: host
            ? `Webex does not let your account read the recordings of ${host}. You need to be an admin of their site, connected with **connect admin**.`
            : `Webex does not let your account read the report of ${recording}. You can audit recordings you host or that are shared with you; admins can add **host** and the host's email.`,
          trackingId: err.trackingId,
        };
      case 404:
        return {
          title: 'Recording not found',
          text: `Webex has no ${context.recordingId ? recording : 'such recording'} that your account can see. Check the ID or link; if someone else hosted it, an admin can add **host** and the host's email.`,
          trackingId: err.trackingId,
        };
      default:
        return {
          title: 'Webex had a problem',
          text: `Webex answered with an error (${err.status ?? 'unknown status'}). Please try again later.`,
          trackingId: err.trackingId,
        };
    }
  }
  if (err instanceof WebexTimeoutError || err instanceof WebexNetworkError) {
    return {
      title: 'Webex did not answer',
      text: 'I could not reach Webex in time. Please try again in a moment.',
      trackingId: err.trackingId,
    };
  }
  if (err instanceof WebexError) {
    return {
      title: 'Webex had a problem',
      text: 'Something went wrong talking to Webex. Please try again later.',
      trackingId: err.trackingId,
    };
  }
  return {
    title: 'Something went wrong',
    text: "Something went wrong on my side. Please try again; if it keeps happening, tell the bot's administrator.",
  };
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
  const e = err as Error & { code?: string; status?: number; trackingId?: string };
  logger.info(
    {
      ...fields,
      failure: { code: e.code, message: e.message, status: e.status, trackingId: e.trackingId },
    },
    msg,
  );
}
