/**
 * Each person's own Webex access token: decrypted on use, refreshed shortly before it
 * expires or after a 401, with at most one refresh in flight per person, across replicas too:
 * a refresh first claims a short lease on the account row (one conditional update, so one
 * replica wins); the others wait for the token it stores, or take over if its lease lapses.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { NotConnectedError } from '../errors';
import type { StoredAccount, Store } from '../store/store';
import type { WebexHttp } from '../webex/client';
import { OAuthGrantError, WebexTimeoutError, WebexUnauthorizedError } from '../webex/errors';
import { refreshAccessToken, type OAuthTokens } from '../webex/oauth';
import { decryptToken, encryptToken, TokenDecryptError } from './token-crypto';

export interface PersonTokensOptions {
  http: WebexHttp;
  store: Store;
  key: Buffer;
  clientId: string;
  clientSecret: string;
  /** Refresh when the token expires sooner than this. */
  refreshMarginMs?: number;
  /**
   * How long a refresh claim keeps other replicas from refreshing the same person; if its
   * holder dies, the others wait this long before one takes over. Default 30 s (one request's
   * timeout).
   */
  refreshLeaseMs?: number;
  /** How long to wait for another replica's refresh before giving up. Default lease + 5 s. */
  refreshWaitMs?: number;
  /** Epoch ms; also stamps refresh leases, so replicas' clocks must roughly agree. */
  now?: () => number;
}

export interface PersonToken {
  token: string;
  scopes: string[];
}

const FIVE_MINUTES = 5 * 60_000;
const DEFAULT_LEASE_MS = 30_000;

/**
 * Pause before the `attempt`-th look at a refresh another replica holds: 25 ms, doubling,
 * at most 250 ms (a refresh usually takes well under a second).
 * @example refreshPollDelayMs(0) // 25
 */
export function refreshPollDelayMs(attempt: number): number {
  return Math.min(25 * 2 ** attempt, 250);
}

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
    if (account.accessExpiresAt - margin > this.now()) return this.tokenOf(account);
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
      // Another replica may have refreshed already: try its token before refreshing again.
      const stored = await this.tokenOf(account);
      if (stored.token !== first.token) return call(stored.token);
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

  /** Refreshes under a claim on the account, or waits for the replica that holds one. */
  private async doRefresh(account: StoredAccount): Promise<PersonToken> {
    const { store } = this.options;
    if (account.refreshExpiresAt <= this.now()) {
      await store.deleteAccountIfUnchanged(account.personId, account.updatedAt);
      throw new NotConnectedError('expired');
    }
    const leaseMs = this.options.refreshLeaseMs ?? DEFAULT_LEASE_MS;
    const waitUntil = performance.now() + (this.options.refreshWaitMs ?? leaseMs + 5_000);
    const claimId = randomUUID();
    for (let attempt = 0; ; attempt++) {
      const now = this.now();
      const claim = { claimId, now, until: now + leaseMs };
      const { personId, updatedAt: expectedUpdatedAt } = account;
      if (await store.claimAccountRefresh({ personId, expectedUpdatedAt, ...claim })) {
        return this.refreshClaimed(account, claimId);
      }
      const latest = await store.getAccount(account.personId);
      if (!latest) throw new NotConnectedError('expired');
      if (latest.updatedAt !== account.updatedAt) return this.tokenOf(latest);
      if (performance.now() >= waitUntil) {
        throw new WebexTimeoutError('another replica is still refreshing this token');
      }
      await sleep(refreshPollDelayMs(attempt));
    }
  }

  private async refreshClaimed(account: StoredAccount, claimId: string): Promise<PersonToken> {
    const { http, store, key, clientId, clientSecret } = this.options;
    const refreshToken = await this.decrypt(account, 'refresh');
    let tokens: OAuthTokens;
    try {
      tokens = await refreshAccessToken(http, { clientId, clientSecret, refreshToken });
    } catch (err) {
      if (err instanceof OAuthGrantError) {
        if (await store.deleteAccountIfUnchanged(account.personId, account.updatedAt)) {
          throw new NotConnectedError('expired');
        }
        // Refused because someone stored a newer token meanwhile (a lapsed lease): use it.
        return this.current(account.personId);
      }
      await store.releaseAccountRefresh(account.personId, claimId).catch(() => undefined);
      throw err;
    }
    // Only if nobody disconnected or linked again meanwhile; storing ends the claim.
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
  }

  /** The account as it is now, after it changed under a refresh: gone means disconnected. */
  private async current(personId: string): Promise<PersonToken> {
    const account = await this.options.store.getAccount(personId);
    if (!account) throw new NotConnectedError('expired');
    return this.tokenOf(account);
  }

  private async tokenOf(account: StoredAccount): Promise<PersonToken> {
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
