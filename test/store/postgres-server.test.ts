/**
 * Which PostgreSQL the tests use, and that the embedded one is a real server that goes away
 * (process and data) when stopped.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { Client } from 'pg';
import { canConnect, choosePostgres, type ChooseDeps, type TestPostgres } from './postgres-server';

// Port 1 is privileged and unused here: nothing answers.
const NOTHING_THERE = 'postgres://postgres@127.0.0.1:1/test';
const EMBEDDED: TestPostgres = {
  url: 'postgres://postgres@127.0.0.1:9/test',
  source: 'embedded',
  stop: async () => undefined,
};

function deps(over: Partial<ChooseDeps> = {}): ChooseDeps & { probed: string[] } {
  const probed: string[] = [];
  return {
    probed,
    probe: async (url) => {
      probed.push(url);
      return canConnect(url);
    },
    startEmbedded: async () => EMBEDDED,
    ...over,
  };
}

describe('choosePostgres', () => {
  it('uses TEST_POSTGRES_URL as given, without probing or starting anything', async () => {
    const d = deps();
    const chosen = await choosePostgres({ TEST_POSTGRES_URL: NOTHING_THERE }, d);
    expect(chosen).toMatchObject({ url: NOTHING_THERE, source: 'env' });
    expect(d.probed).toEqual([]);
  });

  it('uses the server at the probe URL when it answers', async () => {
    // The server this run uses (found or started by global-setup.ts) answers.
    const running = process.env.TEST_POSTGRES_URL ?? '';
    const d = deps({ startEmbedded: () => Promise.reject(new Error('must not start')) });
    const chosen = await choosePostgres({ TEST_POSTGRES_PROBE_URL: running }, d);
    expect(chosen).toMatchObject({ url: running, source: 'probe' });
    expect(d.probed).toEqual([running]);
  });

  it('probes 127.0.0.1:5432 by default', async () => {
    const probed: string[] = [];
    await choosePostgres({}, deps({ probe: async (url) => (probed.push(url), 'refused') }));
    expect(probed).toEqual(['postgres://postgres@127.0.0.1:5432/test']);
  });

  it('starts an embedded server when nothing answers, and says why', async () => {
    const chosen = await choosePostgres({ TEST_POSTGRES_PROBE_URL: NOTHING_THERE }, deps());
    expect(chosen).toMatchObject({ url: EMBEDDED.url, source: 'embedded' });
    expect(chosen.unusable).toEqual({
      url: NOTHING_THERE,
      reason: expect.stringContaining('ECONNREFUSED'),
    });
  });
});

describe('startEmbeddedPostgres', () => {
  it('runs a real server that stores rows; stop() ends its process and deletes its data', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(__dirname, 'embedded-postgres-child.ts')],
      { cwd: path.resolve(__dirname, '..', '..'), stdio: 'pipe' },
    );
    const exited = new Promise((resolve) => child.once('exit', resolve));
    try {
      await useAndStop(child, exited);
    } finally {
      // SIGTERM lets embedded-postgres's exit hook stop the server too.
      if (child.exitCode === null) child.kill('SIGTERM');
    }
  });
});

/** Writes and reads rows on the child's server, stops it, and checks that nothing is left. */
async function useAndStop(child: ChildProcessWithoutNullStreams, exited: Promise<unknown>) {
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const first = await lines.next();
  if (first.done) throw new Error(`the embedded server did not start: ${stderr}`);
  const { url } = JSON.parse(String(first.value)) as { url: string };

  const client = new Client({ connectionString: url });
  await client.connect();
  await client.query('CREATE TABLE seen (n int)');
  await client.query('INSERT INTO seen VALUES (1), (2), (3)');
  const count = await client.query<{ n: string }>('SELECT count(*) AS n FROM seen');
  const dataDir = (
    await client.query<{ d: string }>("SELECT current_setting('data_directory') AS d")
  ).rows[0].d;
  await client.end();
  expect(count.rows[0].n).toBe('3');
  const postmasterPid = Number(
    readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0],
  );
  expect(postmasterPid).toBeGreaterThan(0);

  child.stdin.end('stop\n');
  expect((await lines.next()).value).toBe('stopped');
  await exited;

  expect(() => process.kill(postmasterPid, 0)).toThrow(expect.objectContaining({ code: 'ESRCH' }));
  expect(existsSync(dataDir)).toBe(false);
  expect(await canConnect(url)).toContain('ECONNREFUSED');
}
