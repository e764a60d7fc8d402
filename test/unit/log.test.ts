import { Writable } from 'node:stream';
import { MissingScopeError, NotConnectedError, logFailure } from '../../src/errors';
import { createLogger, logFormatFor } from '../../src/log';
import {
  OAuthGrantError,
  WebexApiError,
  WebexRateLimitedError,
  WebexTimeoutError,
  WebexUnauthorizedError,
} from '../../src/webex/errors';

function capture(): { lines: string[]; stream: Writable } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { lines, stream };
}

describe('logger', () => {
  it('never writes tokens, secrets or what HTTP clients attach to errors', () => {
    const { lines, stream } = capture();
    const log = createLogger('info', stream);
    const httpError = Object.assign(new Error('Request failed with status code 401'), {
      code: 'ERR_BAD_REQUEST',
      config: { headers: { Authorization: 'Bearer SECRET-TOKEN-1' }, data: 'client_secret=S2' },
      request: { _header: 'Authorization: Bearer SECRET-TOKEN-1' },
      response: { config: { headers: { Authorization: 'Bearer SECRET-TOKEN-1' } } },
    });
    log.error({ err: httpError, token: 'SECRET-TOKEN-3', refreshToken: 'SECRET-4' }, 'failed');
    log.info({ headers: { authorization: 'Bearer SECRET-TOKEN-5' } }, 'request');
    const output = lines.join('');
    expect(output).toContain('Request failed with status code 401');
    expect(output).toContain('ERR_BAD_REQUEST');
    expect(output).not.toMatch(/SECRET/);
  });
});

describe('log format', () => {
  it.each([
    [{ stdoutIsTerminal: true, mode: 'webex' }, 'pretty'],
    [{ stdoutIsTerminal: false, mode: 'sandbox' }, 'pretty'],
    [{ stdoutIsTerminal: false, mode: 'webex' }, 'json'],
  ])('%p → %s', (where, format) => {
    expect(logFormatFor(where)).toBe(format);
  });

  it('pretty lines are for people: level, message and fields as text, secrets still redacted', () => {
    const { lines, stream } = capture();
    const log = createLogger('info', stream, 'pretty');
    log.info({ roomId: 'R1', token: 'SECRET-TOKEN-1' }, 'audit requested');
    log.error({ err: new Error('store down') }, 'command failed');
    const output = lines.join('');
    expect(output).toMatch(/INFO.*audit requested/);
    expect(output).toContain('roomId: "R1"');
    expect(output).toMatch(/ERROR.*command failed/);
    expect(output).toContain('store down');
    expect(output).not.toMatch(/^\{"level"/m);
    expect(output).not.toMatch(/SECRET/);
  });

  it('json stays one object per line', () => {
    const { lines, stream } = capture();
    createLogger('info', stream).info({ roomId: 'R1' }, 'audit requested');
    expect(JSON.parse(lines.join(''))).toMatchObject({ level: 30, msg: 'audit requested' });
  });
});

describe('logFailure', () => {
  function logged(err: unknown): Record<string, unknown> {
    const { lines, stream } = capture();
    logFailure(createLogger('info', stream), err, 'command failed', { recordingId: 'rec1' });
    expect(lines).toHaveLength(1);
    return JSON.parse(lines[0] ?? '') as Record<string, unknown>;
  }

  it.each([
    [
      'Webex 404',
      new WebexApiError('Webex GET /x failed with 404', { status: 404, trackingId: 'T1' }),
    ],
    ['Webex 403', new WebexApiError('Webex GET /x failed with 403', { status: 403 })],
    ['Webex 400 (bad input)', new WebexApiError('Webex GET /x failed with 400', { status: 400 })],
    [
      'a revoked token',
      new WebexUnauthorizedError('Webex GET /x failed with 401', { status: 401 }),
    ],
    ['a missing scope', new MissingScopeError('meeting:admin_recordings_read')],
    ['no linked account', new NotConnectedError('never')],
    ['a refused refresh', new OAuthGrantError('invalid_grant', {})],
  ])('%s is logged at info, without a stack', (_name, err) => {
    const line = logged(err);
    expect(line.level).toBe(30);
    expect(line).toMatchObject({ recordingId: 'rec1', failure: { message: err.message } });
    expect(JSON.stringify(line)).not.toContain('    at ');
    expect(line.err).toBeUndefined();
  });

  it('keeps the status and trackingId of an expected Webex failure', () => {
    const line = logged(new WebexApiError('Not found', { status: 404, trackingId: 'T1' }));
    expect(line.failure).toMatchObject({ code: 'webex_api_error', status: 404, trackingId: 'T1' });
  });

  it.each([
    ['a bug', new TypeError("Cannot read properties of undefined (reading 'id')")],
    ['Webex 500', new WebexApiError('Webex GET /x failed with 500', { status: 500 })],
    ['Webex 429 beyond our wait', new WebexRateLimitedError('slow down', { status: 429 })],
    ['a timeout', new WebexTimeoutError('Webex GET /x timed out', {})],
    ['the store down', new Error('SQLITE_CANTOPEN: unable to open database file')],
  ])('%s is logged at error, with the stack', (_name, err) => {
    const line = logged(err);
    expect(line.level).toBe(50);
    expect(line.err).toMatchObject({ message: err.message });
    expect((line.err as { stack?: string }).stack).toContain('    at ');
  });
});
