/**
 * "This link was already used" must hold on every replica and after a restart: two
 * AccountLinkers (two replicas) on one store file, then a third on the reopened store.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AccountLinker, LinkError, type LinkFailure } from '../../src/auth/linking';
import { openStore, type Store } from '../../src/store';
import { createWebexHttp } from '../../src/webex/client';

const dir = mkdtempSync(path.join(tmpdir(), 'audit-linking-'));
const databaseUrl = `sqlite:${path.join(dir, 'bot.db')}`;
const stores: Store[] = [];

afterAll(async () => {
  await Promise.all(stores.map((s) => s.close()));
  rmSync(dir, { recursive: true, force: true });
});

async function replica(): Promise<{ linker: AccountLinker; store: Store }> {
  const store = await openStore(databaseUrl);
  stores.push(store);
  const linker = new AccountLinker({
    client: {
      clientId: 'client',
      clientSecret: 'client-secret',
      redirectUri: 'https://bot.example.com/oauth/callback',
      authorizeUrl: 'https://webex.example.com/v1/authorize',
    },
    // Never reached: every callback here is refused before a code is exchanged.
    http: createWebexHttp({ baseUrl: 'http://127.0.0.1:9/v1' }),
    store,
    key: randomBytes(32),
    scopes: { user: ['spark:people_read'], admin: [] },
  });
  return { linker, store };
}

async function failure(linker: AccountLinker, state: string): Promise<LinkFailure> {
  const err: unknown = await linker.complete({ state, error: 'access_denied' }).catch((e) => e);
  if (!(err instanceof LinkError)) throw new Error(`expected a LinkError, got ${String(err)}`);
  return err.kind;
}

it('tells "already used" on another replica and after a restart, "unknown" for a made-up state', async () => {
  const a = await replica();
  const b = await replica();
  const url = new URL(await a.linker.start({ personId: 'person-1', admin: false }));
  const state = url.searchParams.get('state') ?? '';

  // The person declines on replica A: the state is used up.
  expect(await failure(a.linker, state)).toBe('denied');
  // Their second click lands on replica B.
  expect(await failure(b.linker, state)).toBe('used_state');
  expect(await failure(b.linker, 'made-up-state')).toBe('unknown_state');

  // A restart: a new process on the same database still knows.
  await Promise.all([a.store.close(), b.store.close()]);
  stores.length = 0;
  const c = await replica();
  expect(await failure(c.linker, state)).toBe('used_state');
});
