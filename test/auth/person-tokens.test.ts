import { NotConnectedError } from '../../src/errors';
import { PersonTokens, type PersonTokensOptions } from '../../src/auth/person-tokens';
import { decryptToken, encryptToken } from '../../src/auth/token-crypto';
import { SqliteStore } from '../../src/store';
import type { StoredAccount, Store } from '../../src/store/store';
import { WebexApiError, WebexTimeoutError, WebexUnauthorizedError } from '../../src/webex/errors';
import { startFakeWebexClient, type FakeWebex } from '../webex/fake-webex';
import type { WebexHttp } from '../../src/webex';

const key = Buffer.alloc(32, 9);
const HOUR = 60 * 60_000;
let fake: FakeWebex;
let http: WebexHttp;
let store: Store;
let tokens: PersonTokens;

function account(over: Partial<StoredAccount> = {}): StoredAccount {
  return {
    personId: 'P1',
    email: 'p1@example.com',
    accessTokenEnc: encryptToken('old-access', key),
    refreshTokenEnc: encryptToken('refresh-1', key),
    accessExpiresAt: Date.now() + 14 * 24 * HOUR,
    refreshExpiresAt: Date.now() + 90 * 24 * HOUR,
    scopes: ['meeting:recordings_read'],
    updatedAt: 1_000,
    ...over,
  };
}

/** The token endpoint hands out `new-access-<n>`, after `delayMs`. */
function scriptTokenEndpoint(delayMs = 0, error?: string): void {
  fake.script((_req, res, n) => {
    setTimeout(() => {
      if (error) res.status(400).json({ error, error_description: 'nope' });
      else
        res.json({
          access_token: `new-access-${n}`,
          expires_in: 1_209_600,
          refresh_token: 'refresh-2',
          refresh_token_expires_in: 7_776_000,
          token_type: 'Bearer',
        });
    }, delayMs);
  });
}

beforeAll(async () => {
  ({ fake, http } = await startFakeWebexClient({ retry: { baseDelayMs: 5, budgetMs: 2_000 } }));
});

beforeEach(async () => {
  store = await SqliteStore.open(':memory:');
  tokens = new PersonTokens({ http, store, key, clientId: 'c', clientSecret: 's' });
});

afterEach(async () => {
  await store.close();
});

afterAll(async () => {
  await fake.close();
});

/** Another replica: its own PersonTokens (no shared in-process single flight), same store. */
function replica(over: Partial<PersonTokensOptions> = {}): PersonTokens {
  return new PersonTokens({ http, store, key, clientId: 'c', clientSecret: 's', ...over });
}

function refreshCalls(): number {
  return fake.seen.filter((r) => r.path === '/v1/access_token').length;
}

async function storedAccessToken(): Promise<string | undefined> {
  const saved = await store.getAccount('P1');
  return saved ? decryptToken(saved.accessTokenEnc, key) : undefined;
}

describe('PersonTokens', () => {
  it('uses the stored token while it is fresh, without calling Webex', async () => {
    await store.saveAccount(account());
    scriptTokenEndpoint();
    expect(await tokens.get('P1')).toEqual({ token: 'old-access', scopes: account().scopes });
    expect(fake.seen).toHaveLength(0);
  });

  it('refreshes once for concurrent callers when the token is about to expire', async () => {
    await store.saveAccount(account({ accessExpiresAt: Date.now() + 60_000 }));
    scriptTokenEndpoint(50);
    const results = await Promise.all([tokens.get('P1'), tokens.get('P1'), tokens.get('P1')]);
    expect(results.map((r) => r.token)).toEqual(['new-access-0', 'new-access-0', 'new-access-0']);
    expect(fake.seen.filter((r) => r.path === '/v1/access_token')).toHaveLength(1);
    const saved = await store.getAccount('P1');
    expect(decryptToken(saved!.accessTokenEnc, key)).toBe('new-access-0');
  });

  it('refreshes after a 401 and tries the call once more', async () => {
    await store.saveAccount(account());
    scriptTokenEndpoint();
    const used: string[] = [];
    const result = await tokens.withToken('P1', async (token) => {
      used.push(token);
      if (token === 'old-access') throw new WebexUnauthorizedError('expired', { status: 401 });
      return 'report';
    });
    expect(result).toBe('report');
    expect(used).toEqual(['old-access', 'new-access-0']);
  });

  it('forgets the account and asks to connect again when Webex refuses the refresh', async () => {
    await store.saveAccount(account({ accessExpiresAt: Date.now() - 1 }));
    scriptTokenEndpoint(0, 'invalid_grant');
    await expect(tokens.get('P1')).rejects.toEqual(new NotConnectedError('expired'));
    expect(await store.getAccount('P1')).toBeNull();
  });

  it('does not bring back an account disconnected while its refresh was in flight', async () => {
    await store.saveAccount(account({ accessExpiresAt: Date.now() - 1 }));
    scriptTokenEndpoint(100);
    const pending = tokens.get('P1');
    await new Promise((resolve) => setTimeout(resolve, 20));
    await tokens.disconnect('P1');
    await expect(pending).rejects.toBeInstanceOf(NotConnectedError);
    expect(await store.getAccount('P1')).toBeNull();
  });

  it('keeps a newer link made while an old refresh was in flight', async () => {
    await store.saveAccount(account({ accessExpiresAt: Date.now() - 1 }));
    scriptTokenEndpoint(100);
    const pending = tokens.get('P1');
    await new Promise((resolve) => setTimeout(resolve, 20));
    await store.saveAccount(
      account({ accessTokenEnc: encryptToken('relinked-access', key), updatedAt: 5_000 }),
    );
    expect((await pending).token).toBe('relinked-access');
    const saved = await store.getAccount('P1');
    expect(decryptToken(saved!.accessTokenEnc, key)).toBe('relinked-access');
  });

  it('treats a token that no longer decrypts as a link to make again', async () => {
    await store.saveAccount(account({ accessTokenEnc: encryptToken('x', Buffer.alloc(32, 1)) }));
    await expect(tokens.get('P1')).rejects.toEqual(new NotConnectedError('expired'));
    expect(await store.getAccount('P1')).toBeNull();
  });

  it('refreshes after a 401 with the token another replica already stored, without refreshing', async () => {
    await store.saveAccount(account());
    scriptTokenEndpoint();
    const other = replica();
    const used: string[] = [];
    const result = await tokens.withToken('P1', async (token) => {
      used.push(token);
      if (token === 'old-access') {
        // Meanwhile another replica stored a new token.
        await store.saveAccount(
          account({ accessTokenEnc: encryptToken('stored-by-other', key), updatedAt: 2_000 }),
        );
        throw new WebexUnauthorizedError('expired', { status: 401 });
      }
      return 'report';
    });
    expect(result).toBe('report');
    expect(used).toEqual(['old-access', 'stored-by-other']);
    expect(refreshCalls()).toBe(0);
    expect((await other.get('P1')).token).toBe('stored-by-other');
  });

  it('says "never" for someone who never linked', async () => {
    await expect(tokens.get('nobody')).rejects.toEqual(new NotConnectedError('never'));
  });
});

describe('PersonTokens across replicas (one store)', () => {
  it('makes one refresh call when two replicas refresh at once, and both use the new token', async () => {
    await store.saveAccount(account({ accessExpiresAt: Date.now() - 1 }));
    scriptTokenEndpoint(100);
    const results = await Promise.all([replica().get('P1'), replica().get('P1')]);
    expect(results.map((r) => r.token)).toEqual(['new-access-0', 'new-access-0']);
    expect(refreshCalls()).toBe(1);
    expect(await storedAccessToken()).toBe('new-access-0');
  });

  it('takes over once the lease of a replica that died while refreshing has lapsed', async () => {
    await store.saveAccount(account({ accessExpiresAt: Date.now() - 1 }));
    const leaseEnds = Date.now() + 300;
    // A replica claimed the refresh and was killed before storing anything.
    await store.claimAccountRefresh({
      personId: 'P1',
      expectedUpdatedAt: 1_000,
      claimId: 'dead-replica',
      now: Date.now(),
      until: leaseEnds,
    });
    scriptTokenEndpoint();
    expect((await replica().get('P1')).token).toBe('new-access-0');
    expect(refreshCalls()).toBe(1);
    expect(fake.seen[0].at).toBeGreaterThanOrEqual(leaseEnds);
    expect(await storedAccessToken()).toBe('new-access-0');
  });

  it('gives up waiting for a replica that is still refreshing, and keeps the account', async () => {
    await store.saveAccount(account({ accessExpiresAt: Date.now() - 1 }));
    const now = Date.now();
    await store.claimAccountRefresh({
      personId: 'P1',
      expectedUpdatedAt: 1_000,
      claimId: 'slow-replica',
      now,
      until: now + 60_000,
    });
    scriptTokenEndpoint();
    await expect(replica({ refreshWaitMs: 200 }).get('P1')).rejects.toBeInstanceOf(
      WebexTimeoutError,
    );
    expect(refreshCalls()).toBe(0);
    expect(await storedAccessToken()).toBe('old-access');
  });

  it('frees the lease at once when a refresh fails, so the waiting replica refreshes', async () => {
    await store.saveAccount(account({ accessExpiresAt: Date.now() - 1 }));
    fake.script((_req, res, n) => {
      setTimeout(() => {
        if (n === 0) res.status(400).json({ error: 'invalid_client', error_description: 'no' });
        else
          res.json({ access_token: `new-access-${n}`, expires_in: 1_209_600, refresh_token: 'r' });
      }, 100);
    });
    // A lease far longer than the test: the second replica must not wait for it to lapse.
    const [first, second] = await Promise.allSettled([
      replica({ refreshLeaseMs: 120_000 }).get('P1'),
      new Promise((resolve) => setTimeout(resolve, 20)).then(() =>
        replica({ refreshLeaseMs: 120_000, refreshWaitMs: 5_000 }).get('P1'),
      ),
    ]);
    expect(first.status === 'rejected' && first.reason).toBeInstanceOf(WebexApiError);
    expect(second.status === 'fulfilled' && second.value.token).toBe('new-access-1');
    expect(refreshCalls()).toBe(2);
    expect(await storedAccessToken()).toBe('new-access-1');
  });

  it('keeps the token stored by a slow replica when Webex refuses a second refresh after a lapsed lease', async () => {
    await store.saveAccount(account({ accessExpiresAt: Date.now() - 1 }));
    // The first refresh outlives its 50 ms lease; the second is refused, as Webex would once a
    // rotated refresh token was spent, and answered after the first was stored.
    fake.script((_req, res, n) => {
      if (n === 0) {
        setTimeout(
          () =>
            res.json({ access_token: 'new-access-0', expires_in: 1_209_600, refresh_token: 'r' }),
          300,
        );
      } else {
        setTimeout(() => res.status(400).json({ error: 'invalid_grant' }), 400);
      }
    });
    const results = await Promise.all([
      replica({ refreshLeaseMs: 50 }).get('P1'),
      new Promise((resolve) => setTimeout(resolve, 100)).then(() => replica().get('P1')),
    ]);
    expect(results.map((r) => r.token)).toEqual(['new-access-0', 'new-access-0']);
    expect(refreshCalls()).toBe(2);
    expect(await storedAccessToken()).toBe('new-access-0');
  });
});
