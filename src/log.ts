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
 * Creates the application logger.
 * @example const log = createLogger('info'); log.info({ roomId }, 'audit requested');
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { app: 'recording-audit-bot' },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    },
    destination,
  );
}
