/**
 * Typed configuration, read once from the environment. Every problem is reported with the
 * variable's name and how to fix it; secret values are never echoed back.
 */
import dotenv from 'dotenv';
import { IANAZone } from 'luxon';
import { z } from 'zod';

export type Mode = 'sandbox' | 'webex';
export type GroupReply = 'dm' | 'room';
/** How Webex sends events: to a webhook at PUBLIC_URL, or over the bot's own websocket. */
export type EventTransport = 'webhook' | 'websocket';

export interface Config {
  mode: Mode;
  /** Absent in sandbox mode until the sandbox has started and issued the bot a token. */
  botToken?: string;
  apiUrl: string;
  publicUrl?: string;
  port: number;
  host: string;
  webhookSecret?: string;
  clientId?: string;
  clientSecret?: string;
  /** base64 of 32 bytes; sandbox mode makes and keeps its own under data/. */
  tokenEncryptionKey?: string;
  databaseUrl: string;
  defaultTimezone: string;
  defaultLocale: string;
  groupReply: GroupReply;
  allowedEmailDomains: string[];
  logLevel: string;
  /** How long SIGTERM waits for in-flight work before handing it to another replica. */
  shutdownGraceSeconds: number;
  /** How often the webhooks are reconciled (a scheduled job, one replica at a time). */
  webhookReconcileSeconds: number;
  /** ORG_EMAIL_DOMAINS, lowercased; empty: the requester's own domain is the organisation. */
  orgEmailDomains: string[];
  /** How many days the usage log keeps an entry. */
  usageRetentionDays: number;
  /** How often each watch polls its recording's access report. */
  watchIntervalSeconds: number;
  eventTransport: EventTransport;
  /**
   * The name of this replica's Webex device registration in websocket mode: on start the
   * bot replaces its own earlier registration by this name, and no other.
   */
  deviceName?: string;
}

export const DEFAULT_API_URL = 'https://webexapis.com/v1';
/** Inside Kubernetes' default terminationGracePeriodSeconds (30), with room to hand work over. */
export const DEFAULT_SHUTDOWN_GRACE_SECONDS = 25;
export const DEFAULT_USAGE_RETENTION_DAYS = 90;

/** One line per problem, ready to print. */
export class ConfigError extends Error {
  readonly code = 'config_invalid';
  constructor(readonly problems: string[]) {
    super(`Configuration is not valid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const PORTAL = 'https://developer.webex.com/my-apps';

/**
 * Fills in process.env from `.env` in the current directory, if there is one; the bot and
 * `npm run webhooks` both read their settings this way. Variables set in the real environment
 * win over the file (dotenv does not override). A `.env` that exists but cannot be read is a
 * {@link ConfigError}: the operator meant it to count.
 * @example loadDotenvFile(); const config = loadConfig(process.env);
 */
export function loadDotenvFile(): void {
  const { error } = dotenv.config({ quiet: true });
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (error && code !== 'ENOENT') {
    throw new ConfigError([`.env could not be read (${code ?? error.message}): fix or remove it`]);
  }
}

/** How to fix each variable when it is missing in Webex mode. */
const HOW_TO_FIX: Record<string, string> = {
  PUBLIC_URL:
    'set it to the https:// base URL where Webex can reach this server (webhooks go to <PUBLIC_URL>/webhooks/webex)',
  PUBLIC_URL_WEBSOCKET:
    "set it to the https:// base URL where people's browsers reach this server for sign-in (<PUBLIC_URL>/oauth/callback); with EVENT_TRANSPORT=websocket an intranet address is enough",
  WEBEX_WEBHOOK_SECRET:
    'set it to a long random string, e.g. the output of `openssl rand -hex 32`; Webex signs every webhook with it',
  WEBEX_CLIENT_ID: `copy the Client ID of your Webex Integration from ${PORTAL} (create an Integration if you have none)`,
  WEBEX_CLIENT_SECRET: `copy the Client Secret of your Webex Integration from ${PORTAL}; it is shown once, regenerate it there if lost`,
  TOKEN_ENCRYPTION_KEY:
    'set it to 32 random bytes in base64, e.g. the output of `openssl rand -base64 32`; keep it: stored tokens cannot be read without it',
};

const SHUTDOWN_GRACE_FIX = `must be a whole number of seconds, 0 or more, e.g. ${DEFAULT_SHUTDOWN_GRACE_SECONDS} (the default); keep it below the platform's stop timeout (Kubernetes' terminationGracePeriodSeconds, Compose's stop_grace_period)`;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const blankToUndefined = (value: unknown) =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;
const optionalString = z.preprocess(blankToUndefined, z.string().trim().optional());

const envSchema = z.object({
  WEBEX_BOT_TOKEN: optionalString,
  WEBEX_API_URL: z.preprocess(
    blankToUndefined,
    z
      .url({
        protocol: /^https?$/,
        error: 'must be an http(s) URL such as https://webexapis.com/v1',
      })
      .default(DEFAULT_API_URL),
  ),
  PUBLIC_URL: z.preprocess(
    blankToUndefined,
    z
      .url({
        protocol: /^https?$/,
        error: 'must be an http(s) URL such as https://audit-bot.example.com',
      })
      .optional(),
  ),
  PORT: z.preprocess(
    blankToUndefined,
    z.coerce
      .number({ error: 'must be a port number between 0 and 65535, e.g. 3000' })
      .int({ error: 'must be a whole port number, e.g. 3000' })
      .min(0, { error: 'must be a port number between 0 and 65535, e.g. 3000' })
      .max(65535, { error: 'must be a port number between 0 and 65535, e.g. 3000' })
      .optional(),
  ),
  HOST: optionalString,
  WEBEX_WEBHOOK_SECRET: z.preprocess(
    blankToUndefined,
    z
      .string()
      .min(16, {
        error:
          'is too short to protect the webhooks: use at least 16 characters, e.g. `openssl rand -hex 32`',
      })
      .optional(),
  ),
  WEBEX_CLIENT_ID: optionalString,
  WEBEX_CLIENT_SECRET: optionalString,
  TOKEN_ENCRYPTION_KEY: z.preprocess(
    blankToUndefined,
    z
      .string()
      .refine((value) => /^[A-Za-z0-9+/]{43}=$/.test(value), {
        error:
          'must be 32 bytes in base64 (44 characters); make one with `openssl rand -base64 32`',
      })
      .optional(),
  ),
  DATABASE_URL: z.preprocess(
    blankToUndefined,
    z
      .string()
      .regex(/^(sqlite:.+|postgres(ql)?:\/\/.+)$/, {
        error: 'must be sqlite:<path> (e.g. sqlite:data/audit-bot.db) or postgres://user@host/db',
      })
      .default('sqlite:data/audit-bot.db'),
  ),
  DEFAULT_TIMEZONE: z.preprocess(
    blankToUndefined,
    z
      .string()
      .refine((zone) => IANAZone.isValidZone(zone), {
        error: 'must be an IANA time zone such as Europe/Berlin or America/New_York',
      })
      .default('UTC'),
  ),
  DEFAULT_LOCALE: z.preprocess(
    blankToUndefined,
    z
      .string()
      .refine(isSupportedLocale, { error: 'must be a BCP 47 locale tag such as en-US or de-DE' })
      .default('en-US'),
  ),
  GROUP_REPLY: z.preprocess(
    (v) => (typeof v === 'string' ? blankToUndefined(v.toLowerCase()) : v),
    z
      .enum(['dm', 'room'], {
        error: 'must be "dm" (reports go privately to the requester) or "room" (in the space)',
      })
      .default('dm'),
  ),
  ALLOWED_EMAIL_DOMAINS: z.preprocess(blankToUndefined, z.string().default('')),
  LOG_LEVEL: z.preprocess(
    (v) => (typeof v === 'string' ? blankToUndefined(v.toLowerCase()) : v),
    z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }).default('info'),
  ),
  SHUTDOWN_GRACE_SECONDS: z.preprocess(
    blankToUndefined,
    z.coerce
      .number({ error: SHUTDOWN_GRACE_FIX })
      .int({ error: SHUTDOWN_GRACE_FIX })
      .min(0, { error: SHUTDOWN_GRACE_FIX })
      .default(DEFAULT_SHUTDOWN_GRACE_SECONDS),
  ),
  WEBHOOK_RECONCILE_SECONDS: z.preprocess(
    blankToUndefined,
    z.coerce
      .number({ error: 'must be a number of seconds, e.g. 60' })
      .min(1, { error: 'must be at least 1 second, e.g. 60' })
      .max(3600, { error: 'must be at most 3600 seconds (an hour), e.g. 60' })
      .default(60),
  ),
  // Issue 12: the organisation test (src/report/organisation.ts), the usage log, watches.
  ORG_EMAIL_DOMAINS: z.preprocess(blankToUndefined, z.string().default('')),
  USAGE_RETENTION_DAYS: z.preprocess(
    blankToUndefined,
    z.coerce
      .number({ error: 'must be a whole number of days, e.g. 90' })
      .int({ error: 'must be a whole number of days, e.g. 90' })
      .min(1, { error: 'must be at least 1 day, e.g. 90' })
      .max(3650, { error: 'must be at most 3650 days (ten years), e.g. 90' })
      .default(DEFAULT_USAGE_RETENTION_DAYS),
  ),
  WATCH_INTERVAL_SECONDS: z.preprocess(
    blankToUndefined,
    z.coerce
      .number({ error: 'must be a whole number of seconds, e.g. 900 (15 minutes)' })
      .int({ error: 'must be a whole number of seconds, e.g. 900 (15 minutes)' })
      .min(5, { error: 'must be at least 5 seconds, e.g. 900 (15 minutes)' })
      .max(86_400, { error: 'must be at most 86400 seconds (a day), e.g. 900' })
      .default(900),
  ),
  // Issue 13: events over the Webex websocket instead of webhooks.
  EVENT_TRANSPORT: z.preprocess(
    (v) => (typeof v === 'string' ? blankToUndefined(v.toLowerCase()) : v),
    z
      .enum(['webhook', 'websocket'], {
        error:
          'must be "webhook" (Webex posts events to PUBLIC_URL) or "websocket" (the bot connects out to Webex; no inbound URL needed)',
      })
      .default('webhook'),
  ),
  WEBEX_DEVICE_NAME: z.preprocess(
    blankToUndefined,
    z
      .string()
      .trim()
      .max(64, { error: 'must be at most 64 characters, e.g. audit-bot-prod-1' })
      .regex(/^[\w.:@-]+$/, {
        error: 'may hold letters, digits and . _ : @ - only, e.g. audit-bot-prod-1',
      })
      .optional(),
  ),
});

/**
 * Every environment variable the bot reads. `.env.example`, the README's table and the
 * deployment files are checked against it (test/deploy/manifests.test.ts).
 * @example CONFIG_VARIABLES.includes('PORT'); // true
 */
export const CONFIG_VARIABLES = Object.keys(
  envSchema.shape,
) as readonly (keyof typeof envSchema.shape)[];

/**
 * Set together with WEBEX_BOT_TOKEN, by transport; Webex mode refuses to start without each.
 * Websocket mode needs no webhook secret: nothing comes in but people's sign-ins.
 */
export const WEBEX_MODE_REQUIRED: Record<EventTransport, readonly string[]> = {
  webhook: [
    'PUBLIC_URL',
    'WEBEX_WEBHOOK_SECRET',
    'WEBEX_CLIENT_ID',
    'WEBEX_CLIENT_SECRET',
    'TOKEN_ENCRYPTION_KEY',
  ],
  websocket: ['PUBLIC_URL', 'WEBEX_CLIENT_ID', 'WEBEX_CLIENT_SECRET', 'TOKEN_ENCRYPTION_KEY'],
};

/** What Webex mode needs beyond valid values: everything set, and a public https URL. */
function webexModeProblems(env: NodeJS.ProcessEnv): string[] {
  const value = (name: string) => env[name]?.trim() || undefined;
  if (!value('WEBEX_BOT_TOKEN')) return [];
  const transport: EventTransport =
    value('EVENT_TRANSPORT')?.toLowerCase() === 'websocket' ? 'websocket' : 'webhook';
  const fixFor = (name: string) =>
    HOW_TO_FIX[name === 'PUBLIC_URL' && transport === 'websocket' ? 'PUBLIC_URL_WEBSOCKET' : name];
  const problems = WEBEX_MODE_REQUIRED[transport]
    .filter((name) => !value(name))
    .map(
      (name) =>
        `${name} is required with WEBEX_BOT_TOKEN and EVENT_TRANSPORT=${transport}: ${fixFor(name)}`,
    );
  const publicUrl = value('PUBLIC_URL');
  // Other schemes are already refused by the schema.
  if (publicUrl?.startsWith('http:') && URL.canParse(publicUrl) && !isLoopback(publicUrl)) {
    problems.push(
      'PUBLIC_URL must be https:// so webhooks and sign-ins are encrypted (plain http only works for 127.0.0.1 and localhost)',
    );
  }
  return problems;
}

function isLoopback(url: string): boolean {
  return ['127.0.0.1', 'localhost', '[::1]'].includes(new URL(url).hostname);
}

function isSupportedLocale(tag: string): boolean {
  try {
    return Intl.DateTimeFormat.supportedLocalesOf([tag]).length > 0;
  } catch {
    return false;
  }
}

/**
 * Reads the configuration from `env`. Throws a {@link ConfigError} listing every problem.
 * @example const config = loadConfig(process.env);
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  // zod issues never include the input value, so secrets are not echoed.
  const problems = parsed.success
    ? []
    : parsed.error.issues.map((issue) => `${String(issue.path[0])} ${issue.message}`);
  problems.push(...webexModeProblems(env));
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
  const vars = parsed.data;
  const mode: Mode = vars.WEBEX_BOT_TOKEN ? 'webex' : 'sandbox';

  return {
    mode,
    botToken: vars.WEBEX_BOT_TOKEN,
    apiUrl: vars.WEBEX_API_URL.replace(/\/+$/, ''),
    publicUrl: vars.PUBLIC_URL?.replace(/\/+$/, ''),
    port: vars.PORT ?? 3000,
    host: vars.HOST ?? (mode === 'sandbox' ? '127.0.0.1' : '0.0.0.0'),
    webhookSecret: vars.WEBEX_WEBHOOK_SECRET,
    clientId: vars.WEBEX_CLIENT_ID,
    clientSecret: vars.WEBEX_CLIENT_SECRET,
    tokenEncryptionKey: vars.TOKEN_ENCRYPTION_KEY,
    databaseUrl: vars.DATABASE_URL,
    defaultTimezone: vars.DEFAULT_TIMEZONE,
    defaultLocale: vars.DEFAULT_LOCALE,
    groupReply: vars.GROUP_REPLY,
    allowedEmailDomains: domainList(vars.ALLOWED_EMAIL_DOMAINS),
    logLevel: vars.LOG_LEVEL,
    shutdownGraceSeconds: vars.SHUTDOWN_GRACE_SECONDS,
    webhookReconcileSeconds: vars.WEBHOOK_RECONCILE_SECONDS,
    orgEmailDomains: domainList(vars.ORG_EMAIL_DOMAINS),
    usageRetentionDays: vars.USAGE_RETENTION_DAYS,
    watchIntervalSeconds: vars.WATCH_INTERVAL_SECONDS,
    eventTransport: vars.EVENT_TRANSPORT,
    deviceName: vars.WEBEX_DEVICE_NAME,
  };
}

/** A comma list of email domains, lowercased, without blanks or a leading `@`. */
function domainList(text: string): string[] {
  return text
    .split(',')
    .map((d) => d.trim().toLowerCase().replace(/^@+/, ''))
    .filter(Boolean);
}
