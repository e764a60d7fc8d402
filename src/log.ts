/**
 * The one logger. Redaction is configured here, once, so no call site has to remember that
 * tokens, secrets and authorization headers must never reach a log line.
 */
import pino, { type Logger } from 'pino';
import type PinoPretty from 'pino-pretty';

export type { Logger };

/** Paths pino blanks out wherever they appear in a logged object. */
export const REDACTED_PATHS = [
  'token',
  'accessToken',
  'refreshToken',
  'access_token',
  'refresh_token',
  'clientSecret',
  'client_secret',
  'secret',
  'code',
  'code_verifier',
  'codeVerifier',
  'authorization',
  'headers.authorization',
  'req.headers.authorization',
  'config.headers.Authorization',
  '*.token',
  '*.accessToken',
  '*.refreshToken',
  '*.secret',
  '*.authorization',
  '*.Authorization',
];

/**
 * Errors are logged with their message, code and stack, but never with what HTTP clients
 * attach to them (request config, headers, bodies): those carry tokens and secrets.
 */
export function serializeError(err: unknown): Record<string, unknown> {
  if (!(err instanceof Error)) return { message: String(err) };
  const safe = pino.stdSerializers.err(err) as unknown as Record<string, unknown>;
  for (const field of ['config', 'request', 'response', 'headers', 'data', 'body']) {
    delete safe[field];
  }
  return safe;
}

/** `json`: one object per line, for log collectors. `pretty`: lines a person reads. */
export type LogFormat = 'json' | 'pretty';

/**
 * Pretty when a person is likely watching: stdout is a terminal, or the sandbox (`npm start`
 * without a bot token) is running. JSON otherwise, e.g. under a process manager or in a container.
 *
 * @example logFormatFor({ stdoutIsTerminal: false, mode: 'webex' }) // 'json'
 */
export function logFormatFor(where: { stdoutIsTerminal: boolean; mode: string }): LogFormat {
  return where.stdoutIsTerminal || where.mode === 'sandbox' ? 'pretty' : 'json';
}

/**
 * Creates the application logger. Redaction applies before formatting, so both formats are safe.
 * @example const log = createLogger('info'); log.info({ roomId }, 'audit requested');
 */
export function createLogger(
  level: string,
  destination?: pino.DestinationStream,
  format: LogFormat = 'json',
): Logger {
  return pino(
    {
      level,
      base: { app: 'recording-audit-bot' },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      serializers: { err: serializeError },
    },
    format === 'pretty' ? prettyStream(destination) : destination,
  );
}

/** pino-pretty is loaded only when asked for: a JSON deployment never pays for it. */
function prettyStream(destination?: pino.DestinationStream): pino.DestinationStream {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- deliberately lazy
  const pretty = require('pino-pretty') as typeof PinoPretty;
  return pretty({
    destination: destination ?? 1,
    // Synchronous, so log lines and the sandbox's own printed lines keep their order.
    sync: true,
    colorize: destination === undefined && process.stdout.isTTY === true,
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'pid,hostname,app',
  });
}
