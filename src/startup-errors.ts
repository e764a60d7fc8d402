/**
 * Start-up failures an operator can fix (a port in use, a database that cannot be reached or
 * created), each turned into one line that says what to do. `main` prints the line and exits
 * with status 2, as for configuration errors. Anything not recognised here stays as it was:
 * it is a bug, not a setting.
 */

/** A failure at start with a one-line explanation for the operator. */
export class StartupError extends Error {
  readonly code = 'startup_failed';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StartupError';
  }
}

/**
 * Explains why listening on `host:port` failed; returns `err` unchanged when it cannot.
 * @example throw listenFailure(err, '127.0.0.1', 3000); // StartupError for EADDRINUSE
 */
export function listenFailure(err: unknown, host: string, port: number): unknown {
  const code = errorCode(err);
  const where = `port ${port} on ${host}`;
  const because = (text: string) => new StartupError(`${text} (${code})`, { cause: err });
  switch (code) {
    case 'EADDRINUSE':
      return because(
        `The bot cannot listen on ${where}: another program (perhaps an earlier run of the bot) uses it. Stop that program, or set PORT to a free port`,
      );
    case 'EACCES':
      return because(
        `The bot is not allowed to listen on ${where}: ports below 1024 need extra privileges. Set PORT to 1024 or above, e.g. 3000`,
      );
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return because(
        `The bot cannot listen on ${where}: HOST is not an address of this machine. Set HOST to one of its addresses, or to 0.0.0.0 for all of them`,
      );
    default:
      return err;
  }
}

const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ECONNRESET',
]);
/** Node's file-system errors when a directory cannot be created or a file opened. */
const UNWRITABLE = new Set(['EACCES', 'EPERM', 'EROFS', 'ENOTDIR', 'EEXIST', 'ENOENT', 'ENOSPC']);

/**
 * Explains why the store named by `databaseUrl` could not be opened; returns `err` unchanged
 * when it cannot. The explanation never repeats the URL's user or password.
 * @example throw storeFailure(err, 'postgres://bot:pw@db:5432/audit'); // "…at db:5432…"
 */
export function storeFailure(err: unknown, databaseUrl: string): unknown {
  const code = errorCode(err);
  const because = (text: string) => new StartupError(`${text} (${code})`, { cause: err });
  const postgres = postgresPlace(databaseUrl);
  if (postgres) {
    if (code && UNREACHABLE.has(code)) {
      return because(
        `The PostgreSQL server at ${postgres.server} cannot be reached: start it, or fix the host and port in DATABASE_URL`,
      );
    }
    if (code === '28P01' || code === '28000') {
      return because(
        `The PostgreSQL server at ${postgres.server} refused the login: fix the user name or password in DATABASE_URL`,
      );
    }
    if (code === '3D000') {
      return because(
        `The PostgreSQL server at ${postgres.server} has no database "${postgres.database}": create it (e.g. createdb ${postgres.database}) or fix its name in DATABASE_URL`,
      );
    }
    return err;
  }
  const file = databaseUrl.replace(/^sqlite:(\/\/)?/i, '');
  const missingDirectory = err instanceof Error && /directory does not exist/i.test(err.message);
  if (
    (code && (UNWRITABLE.has(code) || code === 'SQLITE_CANTOPEN' || code === 'SQLITE_READONLY')) ||
    missingDirectory
  ) {
    return new StartupError(
      `The SQLite database ${file} cannot be created or opened (${code ?? 'missing directory'}): set DATABASE_URL to a file in a directory the bot can write to, or fix that directory's permissions`,
      { cause: err },
    );
  }
  if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
    return because(
      `${file} is not a usable SQLite database: move it away, or set DATABASE_URL to another file`,
    );
  }
  return err;
}

/** `host:port` and database name of a PostgreSQL URL, without its user or password. */
function postgresPlace(databaseUrl: string): { server: string; database: string } | undefined {
  if (!/^postgres(ql)?:\/\//i.test(databaseUrl.trim())) return undefined;
  try {
    const url = new URL(databaseUrl.trim());
    const database = decodeURIComponent(url.pathname.replace(/^\//, '')) || 'postgres';
    return { server: `${url.hostname || 'localhost'}:${url.port || '5432'}`, database };
  } catch {
    return { server: 'the address in DATABASE_URL', database: 'named in DATABASE_URL' };
  }
}

/** `code` of an error, or of the first of an AggregateError's (Node tries IPv4 and IPv6). */
function errorCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string') return code;
  if (err instanceof AggregateError) return errorCode(err.errors[0]);
  return undefined;
}

/** What `main` prints when start fails, and the exit status. */
export interface StartFailureReport {
  status: number;
  text: string;
}

/**
 * One line for a failure the operator can fix (status 2); for anything else, a bug, the stack
 * as well (status 1), so it can be reported. Errors that reach here carry no secrets: Webex
 * failures are our own typed errors without headers, store failures name no password.
 * @example const { status, text } = startFailureReport(err); // { status: 2, text: 'The bot could not start: …' }
 */
export function startFailureReport(err: unknown): StartFailureReport {
  if (err instanceof StartupError)
    return { status: 2, text: `The bot could not start: ${err.message}` };
  const detail = err instanceof Error ? (err.stack ?? err.message) : String(err);
  return {
    status: 1,
    text: `The bot could not start, because of a bug (please report it with this output): ${detail}`,
  };
}
