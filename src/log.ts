/**
 * The one logger. Redaction is configured here, once, so no call site has to remember that
 * tokens, secrets and authorization headers must never reach a log line.
 */
import pino, { type Logger } from 'pino';

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

/**
 * Creates the application logger.
 * @example const log = createLogger('info'); log.info({ roomId }, 'audit requested');
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { app: 'recording-audit-bot' },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      serializers: { err: serializeError },
    },
    destination,
  );
}
