/**
 * Fault injection and call counting for the sandbox's API (`/v1/...`).
 *
 * Control API (plain HTTP on the sandbox's own port, outside `/v1`, no auth: loopback only):
 *   GET    /_sandbox/facts          the seeded bot, users (with tokens), rooms and recordings
 *   GET    /_sandbox/faults         the fault rules in force
 *   PUT    /_sandbox/faults         replace them: {"seed":1,"rules":[FaultRule, …]} (or one rule)
 *   DELETE /_sandbox/faults         no faults
 *   GET    /_sandbox/calls          {total, faulted, byRoute, byToken, byPerson, webhookDeliveries}
 *   DELETE /_sandbox/calls          reset the counters
 *   POST   /_sandbox/tokens/expire  {"token":"…"}: that access token expires now (refresh tests)
 *   POST   /_sandbox/tokens/revoke  {"email":"…"}: every integration token of that person (access
 *                                   and refresh) stops working, as after revoking the grant
 *   GET    /_sandbox/unhandled      requests no sandbox route handled (unsupported SDK calls)
 *   POST   /_sandbox/recordings/:id/access  [{"email","name","action":"view"|"download",
 *                                   "accessTime"?}, …] (or {"records":[…]}): new accesses,
 *                                   in accessDetail and accessSummary's counts at once
 *   GET    /_sandbox/delivery       webhook delivery settings: {"copies":1,"fanOut":[]}
 *   PUT    /_sandbox/delivery       {"copies":2} sends every delivery twice at once;
 *                                   {"fanOut":["http://127.0.0.1:A","http://127.0.0.1:B"]}
 *                                   sends each to both origins (the webhook's path kept)
 *   DELETE /_sandbox/delivery       back to one delivery to the targetUrl
 *   GET    /_sandbox/devices        WDM device registrations (every person's), each with its
 *                                   webSocketUrl and whether its socket is connected
 *   POST   /_sandbox/devices/stale  {"token"|"email"|"deviceId"?}: those devices get a new
 *                                   webSocketUrl; connecting to the old one is refused (4404)
 *   GET    /_sandbox/sockets        live Mercury sockets and counters {opened, authorized,
 *                                   refused, delivered, acked, missed, dropped, pongs}
 *   POST   /_sandbox/sockets/drop   {"token"|"email"|"deviceId"?, "code"?, "reason"?,
 *                                   "terminate"?}: closes those live sockets (default 1001;
 *                                   terminate: no handshake, 1006); the SDK reconnects
 *
 * A FaultRule names a `route`: `*` (every API call), `GET /v1/messages` (one method and path),
 * or a path alone (any method). Paths match exactly or as a prefix at a `/` boundary, and a
 * `:name` segment matches any one segment: `GET /v1/recordingReport` covers
 * `/v1/recordingReport/accessDetail`. Effects: `latencyMs`; `failNext` (the next N matching
 * calls fail with `failNextStatus`, default 429); `rate429` and `rate5xx` (shares 0..1 drawn
 * from a PRNG seeded by `seed`, so a run is reproducible), `retryAfterSeconds` (default 1) and
 * `status5xx` (default 503).
 *
 * Example: curl -X PUT localhost:PORT/_sandbox/faults -H 'content-type: application/json' \
 *   -d '{"seed":7,"rules":[{"route":"GET /v1/recordingReport/accessDetail","rate429":0.3}]}'
 */
import type { Request, RequestHandler } from 'express';
import { z } from 'zod';
import { sendWebexError } from './http';
import { mulberry32, type Prng } from './prng';
import type { SandboxState } from './state';

export const faultRuleSchema = z.object({
  route: z.string().min(1),
  latencyMs: z.number().int().min(0).max(120_000).optional(),
  rate429: z.number().min(0).max(1).optional(),
  retryAfterSeconds: z.number().int().min(0).optional(),
  rate5xx: z.number().min(0).max(1).optional(),
  status5xx: z.number().int().min(500).max(599).optional(),
  failNext: z.number().int().min(0).optional(),
  failNextStatus: z.number().int().min(400).max(599).optional(),
});

export type FaultRule = z.infer<typeof faultRuleSchema>;

export const faultConfigSchema = z.object({
  seed: z.number().int().optional(),
  rules: z.array(faultRuleSchema),
});

export interface CallCounts {
  total: number;
  /** Calls answered by an injected fault (they are in `total` too). */
  faulted: number;
  /** Keyed `METHOD /v1/path`, with ID-like segments replaced by `:id`. */
  byRoute: Record<string, number>;
  /** Keyed by bearer token (`none` without one). */
  byToken: Record<string, number>;
  /** Keyed by the token owner's email (`unknown` for missing or unknown tokens). */
  byPerson: Record<string, number>;
}

/** What a request ends up with under the current rules. */
export interface FaultDecision {
  latencyMs: number;
  status?: number;
  retryAfterSeconds?: number;
}

interface ParsedRoute {
  method?: string;
  segments?: string[];
}

function parseRoute(route: string): ParsedRoute {
  const trimmed = route.trim();
  if (trimmed === '*') return {};
  const space = trimmed.indexOf(' ');
  const method = space > 0 ? trimmed.slice(0, space).toUpperCase() : undefined;
  const path = (space > 0 ? trimmed.slice(space + 1) : trimmed).trim().replace(/\/\*?$/, '');
  return {
    method: method === '*' ? undefined : method,
    segments: path === '*' ? undefined : path.split('/').filter(Boolean),
  };
}

/**
 * Whether a rule's route covers a request.
 * @example routeMatches('GET /v1/recordingReport', 'GET', '/v1/recordingReport/accessDetail') // true
 */
export function routeMatches(route: string, method: string, path: string): boolean {
  const parsed = parseRoute(route);
  if (parsed.method && parsed.method !== method.toUpperCase()) return false;
  if (!parsed.segments) return true;
  const actual = path.split('/').filter(Boolean);
  if (actual.length < parsed.segments.length) return false;
  return parsed.segments.every((segment, i) => segment.startsWith(':') || segment === actual[i]);
}

/** Whether a path segment is an object ID (so counts group `/messages/<id>` together). */
function isIdSegment(segment: string): boolean {
  if (segment.length >= 24 && /^[A-Za-z0-9_=-]+$/.test(segment)) return true;
  return /^[0-9a-f-]{16,}$/i.test(segment);
}

/**
 * A counting key: `GET /v1/messages/:id` for `GET /v1/messages/Y2lz…`.
 * @example routeKey('GET', '/v1/people/Y2lzY29zcGFyazovL3VzL1BFT1BMRS8x') // 'GET /v1/people/:id'
 */
export function routeKey(method: string, path: string): string {
  const normalised = path
    .split('/')
    .map((segment) => (isIdSegment(segment) ? ':id' : segment))
    .join('/')
    .replace(/(.)\/$/, '$1');
  return `${method.toUpperCase()} ${normalised}`;
}

function emptyCounts(): CallCounts {
  return { total: 0, faulted: 0, byRoute: {}, byToken: {}, byPerson: {} };
}

function bump(record: Record<string, number>, key: string): void {
  record[key] = (record[key] ?? 0) + 1;
}

export class FaultInjector {
  private rules: FaultRule[] = [];
  /** `failNext` budgets left, per rule index (the rules themselves stay as configured). */
  private remaining: number[] = [];
  private seed = 1;
  private random: Prng = mulberry32(1);
  private calls = emptyCounts();
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(private readonly state: SandboxState) {}

  /**
   * Replaces the fault rules (and restarts the PRNG, so runs repeat exactly).
   * @example sandbox.faults.set({ route: 'GET /v1/recordingReport', rate429: 0.5 }, { seed: 3 })
   */
  set(rules: FaultRule | FaultRule[], options: { seed?: number } = {}): void {
    const list = Array.isArray(rules) ? rules : [rules];
    this.rules = list.map((rule) => faultRuleSchema.parse(rule));
    this.remaining = this.rules.map((rule) => rule.failNext ?? 0);
    this.seed = options.seed ?? 1;
    this.random = mulberry32(this.seed);
  }

  /** Adds one rule after the existing ones. */
  add(rule: FaultRule): void {
    const parsed = faultRuleSchema.parse(rule);
    this.rules.push(parsed);
    this.remaining.push(parsed.failNext ?? 0);
  }

  clear(): void {
    this.set([]);
  }

  /** The rules in force, with what is left of each `failNext`. */
  config(): { seed: number; rules: FaultRule[] } {
    return {
      seed: this.seed,
      rules: this.rules.map((rule, i) =>
        rule.failNext === undefined ? rule : { ...rule, failNext: this.remaining[i] },
      ),
    };
  }

  counts(): CallCounts {
    return structuredClone(this.calls);
  }

  resetCounts(): void {
    this.calls = emptyCounts();
  }

  /**
   * Decides the fate of one call: latency is the largest of the matching rules'; the first
   * matching rule that fails the call picks the status.
   */
  decide(method: string, path: string): FaultDecision {
    const decision: FaultDecision = { latencyMs: 0 };
    this.rules.forEach((rule, i) => {
      if (!routeMatches(rule.route, method, path)) return;
      decision.latencyMs = Math.max(decision.latencyMs, rule.latencyMs ?? 0);
      if (decision.status !== undefined) return;
      if (this.remaining[i] > 0) {
        this.remaining[i]--;
        decision.status = rule.failNextStatus ?? 429;
      } else if (rule.rate429 !== undefined && this.random() < rule.rate429) {
        decision.status = 429;
      } else if (rule.rate5xx !== undefined && this.random() < rule.rate5xx) {
        decision.status = rule.status5xx ?? 503;
      }
      if (decision.status === 429) decision.retryAfterSeconds = rule.retryAfterSeconds ?? 1;
    });
    return decision;
  }

  /** Counts the call, waits the injected latency, then answers with the fault or passes on. */
  middleware(): RequestHandler {
    return (req, res, next) => {
      this.count(req);
      const decision = this.decide(req.method, req.baseUrl + req.path);
      if (decision.status !== undefined) this.calls.faulted++;
      const act = () => {
        if (decision.status === undefined) {
          next();
          return;
        }
        const headers: Record<string, string> = {};
        if (decision.retryAfterSeconds !== undefined) {
          headers['Retry-After'] = String(decision.retryAfterSeconds);
        }
        const message =
          decision.status === 429
            ? 'Too many requests have been sent in a given amount of time.'
            : 'The sandbox injected a server error for this request.';
        sendWebexError(res, decision.status, message, headers);
      };
      if (decision.latencyMs <= 0) {
        act();
        return;
      }
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        act();
      }, decision.latencyMs);
      this.timers.add(timer);
    };
  }

  /** Cancels pending latency timers, so closing the sandbox leaves nothing running. */
  dispose(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private count(req: Request): void {
    const match = /^Bearer (.+)$/i.exec(req.get('authorization') ?? '');
    const token = match ? match[1].trim() : undefined;
    // Not personByToken: calls made with an expired token still count for its owner.
    const entry = token ? this.state.tokens.get(token) : undefined;
    const person = entry ? this.state.people.get(entry.personId) : undefined;
    this.calls.total++;
    bump(this.calls.byRoute, routeKey(req.method, req.baseUrl + req.path));
    bump(this.calls.byToken, token ?? 'none');
    bump(this.calls.byPerson, person?.emails[0] ?? 'unknown');
  }
}
