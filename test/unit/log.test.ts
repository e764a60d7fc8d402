import { Writable } from 'node:stream';
import { createLogger } from '../../src/log';

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
