import {
  listenFailure,
  startFailureReport,
  StartupError,
  storeFailure,
} from '../../src/startup-errors';

const failure = (code: string, message = code) => Object.assign(new Error(message), { code });

describe('listenFailure', () => {
  it('says what to do about a port in use or a privileged port', () => {
    const inUse = listenFailure(failure('EADDRINUSE'), '0.0.0.0', 3000);
    expect(inUse).toBeInstanceOf(StartupError);
    expect((inUse as Error).message).toBe(
      'The bot cannot listen on port 3000 on 0.0.0.0: another program (perhaps an earlier run of the bot) uses it. Stop that program, or set PORT to a free port (EADDRINUSE)',
    );
    expect((listenFailure(failure('EACCES'), '0.0.0.0', 80) as Error).message).toMatch(
      /port 80 .*Set PORT to 1024 or above/,
    );
  });

  it('leaves errors it cannot explain alone', () => {
    const odd = new Error('something else');
    expect(listenFailure(odd, '127.0.0.1', 3000)).toBe(odd);
  });
});

describe('storeFailure', () => {
  it('names the PostgreSQL server without the user or password', () => {
    const refused = new AggregateError([failure('ECONNREFUSED')], 'connect failed');
    const explained = storeFailure(refused, 'postgres://bot:s3cret@db.internal:6543/audit');
    expect((explained as Error).message).toBe(
      'The PostgreSQL server at db.internal:6543 cannot be reached: start it, or fix the host and port in DATABASE_URL (ECONNREFUSED)',
    );
    const login = storeFailure(failure('28P01'), 'postgres://bot:s3cret@db/audit') as Error;
    expect(login.message).toMatch(/db:5432 refused the login/);
    expect(login.message).not.toContain('s3cret');
    const noDatabase = storeFailure(failure('3D000'), 'postgresql://db/audit') as Error;
    expect(noDatabase.message).toMatch(
      /has no database "audit": create it \(e\.g\. createdb audit\)/,
    );
  });

  it('says the SQLite file needs a writable directory', () => {
    const explained = storeFailure(failure('ENOTDIR'), 'sqlite:data/file/x.db') as Error;
    expect(explained).toBeInstanceOf(StartupError);
    expect(explained.message).toMatch(/^The SQLite database data\/file\/x\.db cannot be created/);
    const cantOpen = storeFailure(failure('SQLITE_CANTOPEN'), 'sqlite:///abs/x.db') as Error;
    expect(cantOpen.message).toMatch(
      /\/abs\/x\.db cannot be created or opened \(SQLITE_CANTOPEN\)/,
    );
  });

  it('leaves errors it cannot explain alone (a failed migration is a bug)', () => {
    const bug = failure('SQLITE_ERROR', 'no such column: x');
    expect(storeFailure(bug, 'sqlite:data/x.db')).toBe(bug);
    expect(storeFailure(failure('42P01'), 'postgres://db/audit')).toBeInstanceOf(Error);
    expect(storeFailure(failure('42P01'), 'postgres://db/audit')).not.toBeInstanceOf(StartupError);
  });
});

describe('startFailureReport', () => {
  it('gives an operator one line and status 2 for what they can fix', () => {
    const report = startFailureReport(new StartupError('Set PORT to a free port'));
    expect(report).toEqual({ status: 2, text: 'The bot could not start: Set PORT to a free port' });
  });

  it('prints where a bug happened, with status 1', () => {
    const bug = new TypeError("Cannot read properties of undefined (reading 'id')");
    const report = startFailureReport(bug);
    expect(report.status).toBe(1);
    expect(report.text).toMatch(/because of a bug/);
    expect(report.text).toContain("TypeError: Cannot read properties of undefined (reading 'id')");
    // The stack's frames, down to this test file.
    expect(report.text).toMatch(/\n\s+at .*startup-errors\.test\.ts/);
  });

  it('prints a thrown non-error as it is', () => {
    expect(startFailureReport('boom')).toEqual({
      status: 1,
      text: 'The bot could not start, because of a bug (please report it with this output): boom',
    });
  });
});
