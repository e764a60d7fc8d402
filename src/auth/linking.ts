/**
 * Account linking: each person grants the bot's Webex Integration access to their own
 * recording reports (OAuth code flow with PKCE). The bot never uses one person's token for
 * another.
 */
import type { Store } from '../store/store';
import type { WebexHttp } from '../webex/client';
import { exchangeCode } from '../webex/oauth';
import { getMe } from '../webex/people';
import { OAuthGrantError, WebexApiError } from '../webex/errors';
import { hasAdminScopes, isAllowedEmail } from './access-rules';
import { createPkcePair, newOAuthState } from './pkce';
import { encryptToken } from './token-crypto';

/** What the person asked for before they were linked, run again once they are. */
export interface PendingRequest {
  text: string;
  roomId: string;
  roomType: 'direct' | 'group';
  threadId?: string;
}

export interface OAuthClient {
  clientId: string;
  clientSecret: string;
  /** `<PUBLIC_URL>/oauth/callback` */
  redirectUri: string;
  /** `<WEBEX_API_URL>/authorize` */
  authorizeUrl: string;
}

export interface LinkingOptions {
  client: OAuthClient;
  http: WebexHttp;
  store: Store;
  key: Buffer;
  scopes: { user: string[]; admin: string[] };
  stateTtlMs?: number;
  /** ALLOWED_EMAIL_DOMAINS: accounts from other domains are never stored. Empty: anyone. */
  allowedEmailDomains?: string[];
  now?: () => number;
}

export type LinkFailure =
  | 'not_allowed'
  /** The callback came without a state: not from a connect link of ours. */
  | 'missing_state'
  /** A state this bot never issued (or no longer remembers). */
  | 'unknown_state'
  /** A state already taken (on any replica): the link was used. */
  | 'used_state'
  | 'expired_state'
  | 'wrong_person'
  | 'denied'
  | 'exchange_failed';

/** Why a callback was refused; `kind` picks the page the browser shows. */
export class LinkError extends Error {
  readonly code = 'link_failed';
  constructor(readonly kind: LinkFailure) {
    super(`account linking failed: ${kind}`);
    this.name = 'LinkError';
  }
}

export interface LinkedAccount {
  personId: string;
  email: string;
  displayName: string;
  admin: boolean;
  pending?: PendingRequest;
}

const TEN_MINUTES = 10 * 60_000;

export class AccountLinker {
  private readonly now: () => number;

  constructor(private readonly options: LinkingOptions) {
    this.now = options.now ?? Date.now;
  }

  /**
   * Starts linking for `personId`: stores a single-use state with a PKCE verifier and returns
   * the consent URL to open.
   * @example const url = await linker.start({ personId, admin: false, pending });
   */
  async start(request: {
    personId: string;
    admin: boolean;
    pending?: PendingRequest;
  }): Promise<string> {
    const { client, store, scopes } = this.options;
    const state = newOAuthState();
    const pkce = createPkcePair();
    const granted = request.admin ? [...scopes.user, ...scopes.admin] : scopes.user;
    await store.saveOAuthState({
      state,
      personId: request.personId,
      codeVerifier: pkce.verifier,
      scopes: granted,
      pendingRequest: request.pending ? JSON.stringify(request.pending) : undefined,
      expiresAt: this.now() + (this.options.stateTtlMs ?? TEN_MINUTES),
    });
    await store.purgeExpiredOAuthStates(this.now());
    const url = new URL(client.authorizeUrl);
    url.search = new URLSearchParams({
      client_id: client.clientId,
      response_type: 'code',
      redirect_uri: client.redirectUri,
      scope: granted.join(' '),
      state,
      code_challenge: pkce.challenge,
      code_challenge_method: 'S256',
    }).toString();
    return url.toString();
  }

  /**
   * Finishes linking from the OAuth callback. The state is consumed whatever happens.
   * Throws {@link LinkError}; nothing is stored unless the person is the one who asked.
   */
  async complete(params: {
    code?: string;
    state?: string;
    error?: string;
  }): Promise<LinkedAccount> {
    const { store, client, http, key } = this.options;
    if (!params.state) throw new LinkError('missing_state');
    const saved = await store.takeOAuthState(params.state, this.now());
    if (!saved) {
      const used = await store.isOAuthStateUsed(params.state);
      throw new LinkError(used ? 'used_state' : 'unknown_state');
    }
    if (saved.expiresAt <= this.now()) throw new LinkError('expired_state');
    if (params.error || !params.code) throw new LinkError('denied');

    let tokens;
    try {
      tokens = await exchangeCode(http, {
        clientId: client.clientId,
        clientSecret: client.clientSecret,
        code: params.code,
        redirectUri: client.redirectUri,
        codeVerifier: saved.codeVerifier,
      });
    } catch (err) {
      // A refused code (used, expired, wrong verifier) is the person's to retry, not an outage.
      const refused =
        err instanceof OAuthGrantError ||
        (err instanceof WebexApiError && err.status !== undefined && err.status < 500);
      if (refused) throw new LinkError('exchange_failed');
      throw err;
    }
    const me = await getMe(http, tokens.accessToken);
    if (me.id !== saved.personId) throw new LinkError('wrong_person');
    if (!isAllowedEmail(me.emails[0] ?? '', this.options.allowedEmailDomains ?? [])) {
      throw new LinkError('not_allowed');
    }

    const scopes = tokens.scopes ?? saved.scopes;
    await store.saveAccount({
      personId: me.id,
      email: me.emails[0] ?? '',
      accessTokenEnc: encryptToken(tokens.accessToken, key),
      refreshTokenEnc: encryptToken(tokens.refreshToken, key),
      accessExpiresAt: tokens.accessExpiresAt.getTime(),
      refreshExpiresAt: tokens.refreshExpiresAt.getTime(),
      scopes,
      updatedAt: this.now(),
    });
    await store.saveProfileTimezone(me.id, me.timezone ?? null, this.now());
    return {
      personId: me.id,
      email: me.emails[0] ?? '',
      displayName: me.displayName,
      admin: hasAdminScopes(scopes, this.options.scopes.admin),
      pending: saved.pendingRequest
        ? (JSON.parse(saved.pendingRequest) as PendingRequest)
        : undefined,
    };
  }
}
