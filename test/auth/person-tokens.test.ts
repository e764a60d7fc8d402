import { NotConnectedError } from '../../src/errors';
import { PersonTokens } from '../../src/auth/person-tokens';
import { decryptToken, encryptToken } from '../../src/auth/token-crypto';
import { SqliteStore } from '../../src/store';
import type { StoredAccount, Store } from '../../src/store/store';
import { WebexUnauthorizedError } from '../../src/webex/errors';
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

  it('says "never" for someone who never linked', async () => {
    await expect(tokens.get('nobody')).rejects.toEqual(new NotConnectedError('never'));
  });
});
