/**
 * Each person's own Webex access token: decrypted on use, refreshed shortly before it
 * expires or after a 401, with at most one refresh in flight per person.
 */
import { NotConnectedError } from '../errors';
import type { StoredAccount, Store } from '../store/store';
import type { WebexHttp } from '../webex/client';
import { OAuthGrantError, WebexUnauthorizedError } from '../webex/errors';
import { refreshAccessToken } from '../webex/oauth';
import { decryptToken, encryptToken, TokenDecryptError } from './token-crypto';

export interface PersonTokensOptions {
  http: WebexHttp;
  store: Store;
  key: Buffer;
  clientId: string;
  clientSecret: string;
  /** Refresh when the token expires sooner than this. */
  refreshMarginMs?: number;
  now?: () => number;
}

export interface PersonToken {
  token: string;
  scopes: string[];
}

const FIVE_MINUTES = 5 * 60_000;

export class PersonTokens {
  private readonly refreshing = new Map<string, Promise<PersonToken>>();
  private readonly now: () => number;

  constructor(private readonly options: PersonTokensOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Scopes of the linked account, or undefined when the person is not linked. */
  async scopes(personId: string): Promise<string[] | undefined> {
    return (await this.options.store.getAccount(personId))?.scopes;
  }

  /**
   * A usable token for `personId`; throws {@link NotConnectedError} when there is none.
   * @example const { token } = await tokens.get(personId);
   */
  async get(personId: string): Promise<PersonToken> {
    const account = await this.options.store.getAccount(personId);
    if (!account) throw new NotConnectedError('never');
    const margin = this.options.refreshMarginMs ?? FIVE_MINUTES;
    if (account.accessExpiresAt - margin > this.now()) {
      return { token: await this.decrypt(account, 'access'), scopes: account.scopes };
    }
    return this.refresh(account);
  }

  /**
   * Runs `call` with the person's token; after a 401 it refreshes once and tries again.
   * @example const records = await tokens.withToken(personId, (token) => fetchAccessDetail(http, { token, recordingId }));
   */
  async withToken<T>(personId: string, call: (token: string) => Promise<T>): Promise<T> {
    const first = await this.get(personId);
    try {
      return await call(first.token);
    } catch (err) {
      if (!(err instanceof WebexUnauthorizedError)) throw err;
      const account = await this.options.store.getAccount(personId);
      if (!account) throw new NotConnectedError('expired');
      const renewed = await this.refresh(account);
      return call(renewed.token);
    }
  }

  /** Forgets everything stored for the person (the `disconnect` command). */
  async disconnect(personId: string): Promise<void> {
    await this.options.store.forgetPerson(personId);
  }

  private refresh(account: StoredAccount): Promise<PersonToken> {
    const inFlight = this.refreshing.get(account.personId);
    if (inFlight) return inFlight;
    const refresh = this.doRefresh(account).finally(() => this.refreshing.delete(account.personId));
    this.refreshing.set(account.personId, refresh);
    return refresh;
  }

  private async doRefresh(account: StoredAccount): Promise<PersonToken> {
    const { http, store, key, clientId, clientSecret } = this.options;
    if (account.refreshExpiresAt <= this.now()) {
      await store.deleteAccountIfUnchanged(account.personId, account.updatedAt);
      throw new NotConnectedError('expired');
    }
    const refreshToken = await this.decrypt(account, 'refresh');
    try {
      const tokens = await refreshAccessToken(http, { clientId, clientSecret, refreshToken });
      // Only if nobody disconnected or linked again meanwhile.
      const saved = await store.replaceAccountIfUnchanged(
        {
          ...account,
          accessTokenEnc: encryptToken(tokens.accessToken, key),
          refreshTokenEnc: encryptToken(tokens.refreshToken, key),
          accessExpiresAt: tokens.accessExpiresAt.getTime(),
          refreshExpiresAt: tokens.refreshExpiresAt.getTime(),
          scopes: tokens.scopes ?? account.scopes,
          updatedAt: Math.max(this.now(), account.updatedAt + 1),
        },
        account.updatedAt,
      );
      if (!saved) return this.current(account.personId);
      return { token: tokens.accessToken, scopes: tokens.scopes ?? account.scopes };
    } catch (err) {
      if (err instanceof OAuthGrantError) {
        await store.deleteAccountIfUnchanged(account.personId, account.updatedAt);
        throw new NotConnectedError('expired');
      }
      throw err;
    }
  }

  /** The account as it is now, after it changed under a refresh: gone means disconnected. */
  private async current(personId: string): Promise<PersonToken> {
    const account = await this.options.store.getAccount(personId);
    if (!account) throw new NotConnectedError('expired');
    return { token: await this.decrypt(account, 'access'), scopes: account.scopes };
  }

  /**
   * A stored token that no longer decrypts (the key changed, the row is damaged) is useless:
   * forget it and ask the person to connect again rather than failing every time.
   */
  private async decrypt(account: StoredAccount, which: 'access' | 'refresh'): Promise<string> {
    try {
      return decryptToken(
        which === 'access' ? account.accessTokenEnc : account.refreshTokenEnc,
        this.options.key,
      );
    } catch (err) {
      if (!(err instanceof TokenDecryptError)) throw err;
      await this.options.store.deleteAccountIfUnchanged(account.personId, account.updatedAt);
      throw new NotConnectedError('expired');
    }
  }
}
