/**
 * HTTP helpers shared by every sandbox route: Webex-shaped errors, bearer-token auth and
 * `Link` paging, so each route module only says what is particular to it.
 */
import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { SandboxPerson, SandboxState, SandboxToken } from './state';

/** Who is calling, set by {@link requireAuth} on `res.locals.caller`. */
export interface Caller {
  person: SandboxPerson;
  token: SandboxToken;
}

/** Every sandbox response carries a trackingId, as Webex's do. */
export function newTrackingId(): string {
  return `SANDBOX_${randomUUID()}`;
}

/**
 * Sends an error in Webex's shape: `{message, errors:[{description}], trackingId}`.
 * @example sendWebexError(res, 404, 'The requested resource could not be found.')
 */
export function sendWebexError(
  res: Response,
  status: number,
  message: string,
  headers: Record<string, string> = {},
): void {
  const trackingId = String(res.getHeader('trackingId') ?? newTrackingId());
  res
    .status(status)
    .set({ trackingId, ...headers })
    .json({ message, errors: [{ description: message }], trackingId });
}

/** Sets a fresh `trackingId` header on every response. */
export function trackingIds(): RequestHandler {
  return (_req, res, next) => {
    res.setHeader('trackingId', newTrackingId());
    next();
  };
}

/**
 * Accepts `Authorization: Bearer <token>` for a known, unexpired token; 401 otherwise.
 * Optionally requires one of `scopes` (403 otherwise).
 */
export function requireAuth(state: SandboxState, scopes: string[] = []): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const match = /^Bearer (.+)$/i.exec(req.get('authorization') ?? '');
    const token = match ? state.tokens.get(match[1].trim()) : undefined;
    const person = match ? state.personByToken(match[1].trim()) : undefined;
    if (!token || !person) {
      sendWebexError(
        res,
        401,
        'The request requires a valid access token set in the Authorization request header.',
      );
      return;
    }
    if (scopes.length > 0 && !hasAnyScope(token, scopes)) {
      sendWebexError(res, 403, 'The token does not hold the scope this request needs.');
      return;
    }
    res.locals.caller = { person, token } satisfies Caller;
    next();
  };
}

export function callerOf(res: Response): Caller {
  return res.locals.caller as Caller;
}

/** Personal and bot tokens are full-access (`spark:all`); OAuth tokens hold what was granted. */
export function hasAnyScope(token: SandboxToken, scopes: string[]): boolean {
  return token.scopes.includes('spark:all') || scopes.some((s) => token.scopes.includes(s));
}

/**
 * Parses `max` the way Webex does: a whole number in `[1, limit]`, else undefined and a 400
 * has been sent.
 */
export function parseMax(
  req: Request,
  res: Response,
  fallback: number,
  limit: number,
): number | undefined {
  const raw = req.query.max;
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (typeof raw !== 'string' || !Number.isInteger(value) || value < 1 || value > limit) {
    sendWebexError(res, 400, `max must be an integer between 1 and ${limit}.`);
    return undefined;
  }
  return value;
}

/**
 * Sends one page of `items` starting at the opaque `cursor` query parameter, with a
 * `Link: <…>; rel="next"` header when more remain. The next URL repeats the request's own
 * query with a new cursor, so clients just follow it.
 */
export function sendPage<T>(req: Request, res: Response, items: T[], max: number): void {
  const start = Math.max(0, Number(req.query.cursor ?? 0) || 0);
  const page = items.slice(start, start + max);
  if (start + max < items.length) {
    const next = new URL(`${req.protocol}://${req.get('host')}${req.originalUrl}`);
    next.searchParams.set('cursor', String(start + max));
    next.searchParams.set('max', String(max));
    res.setHeader('Link', `<${next.toString()}>; rel="next"`);
  }
  res.json({ items: page });
}
