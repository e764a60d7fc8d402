/**
 * What a command sees: the person, the place, their preferences and the few services it
 * uses, bound to that person. Never the whole {@link BotServices} bag.
 */
import type { PendingRequest } from '../../auth/linking';
import { NotConnectedError } from '../../errors';
import type { ExplainContext } from '../../errors';
import type { Logger } from '../../log';
import type { SettingsPatch } from '../../store/store';
import type { WebexHttp } from '../../webex/client';
import { getMe } from '../../webex/people';
import { askToConnect } from '../commands/connect';
import type { PersonDigest } from '../digest';
import type { UsageLog } from '../usage-log';
import { translatorFor } from '../../locales';
import type { Translator } from '../../report/i18n';
import { resolveLocale, resolvePreferences, type Preferences } from '../preferences';
import type { PersonRecordsCache } from '../records-cache';
import type { Conversation, ConversationPlace } from '../replies';
import type { IncomingCardAction, IncomingMessage, Person } from '../runtime';
import type { BotServices } from '../services';
import type { PersonWatches } from '../watches';

/** The linked account as the pipeline found it. */
export interface AccountAccess {
  scopes: string[];
  /** Granted every admin scope of the manifest. */
  admin: boolean;
}

/** Whether the stored link still works when asked of Webex. */
export type AccountStatus =
  | { state: 'not-linked' }
  | { state: 'linked'; admin: boolean }
  | { state: 'needs-reconnecting' }
  /** Linked, but Webex could not be asked just now. */
  | { state: 'unchecked'; admin: boolean };

export interface CommandContext {
  person: Person;
  place: ConversationPlace;
  conversation: Conversation;
  /** Set when the person has linked an account (read once per event). */
  account?: AccountAccess;
  /** Zone and locale in effect; `commandZone` is a `tz` given on the command. */
  preferences(commandZone?: string): Promise<Preferences>;
  /** The fixed words of replies in the person's language (their locale; read once per event). */
  messages(): Promise<Translator>;
  /** Calls Webex with this person's own token (refreshed once after a 401). */
  asPerson<T>(call: (http: WebexHttp, token: string) => Promise<T>): Promise<T>;
  /** Sends the connect card privately. */
  connect(options: {
    admin: boolean;
    pending?: PendingRequest;
    alreadyConnected?: boolean;
  }): Promise<void>;
  saveSettings(patch: SettingsPatch): Promise<void>;
  /** Asks Webex whether the stored link still works. */
  checkAccount(): Promise<AccountStatus>;
  /**
   * Deletes everything stored for the person (tokens, settings, cached reports, digest,
   * watches). Their usage log entries stay: they are the organisation's record.
   */
  forget(): Promise<void>;
  /** The person's weekly digest. */
  digest: PersonDigest;
  /** The organisation's usage log (`usage` lets only admins read it). */
  usageLog: UsageLog;
  /**
   * A failure the command answered itself instead of throwing (a long audit's progress message
   * became the answer): the usage log records it as the outcome.
   */
  handledFailure?: unknown;
  /** Reports recently fetched for this person (never another's). */
  recordsCache: PersonRecordsCache;
  /**
   * What a failure reply says this is about, as the command learns it (the recording's topic
   * once known); added to the route's own (see steps.ts explainContext).
   */
  about: ExplainContext;
  /** This person's watches (never another's). */
  watches: PersonWatches;
  /** ORG_EMAIL_DOMAINS (empty: the person's own email domain is the organisation). */
  orgEmailDomains: readonly string[];
  logger: Logger;
}

/** What a routed event is about to run: filled in by the routing steps. */
export interface Route {
  /** The manifest command it belongs to (decides whether an account is needed). */
  command: string;
  /** The metric label: the command, or the card action. */
  label: string;
  /** The host whose data is read for someone else; needs the admin scopes. */
  host?: string;
  /** Typed text to run again once the person has linked their account. */
  pendingText?: string;
  /** Expected failures are answered privately, with this note (a message key) in a group space. */
  failure?: { noteKey: string; explain: ExplainContext };
  /** Set for requests the usage log records (see the recordUsage step). */
  usage?: UsageSubject;
  run(ctx: CommandContext): Promise<void>;
}

/** What the usage log says a request was about (never what it answered). */
export interface UsageSubject {
  /** `audit`, `export`, `watch`, `unwatch`, `digest`, `usage`. */
  command: string;
  recordingId?: string;
  hostEmail?: string;
}

/** The pipeline's context for one event. Steps fill in `route` and `account`. */
export interface BotContext extends CommandContext {
  event: IncomingMessage | IncomingCardAction;
  route?: Route;
}

/**
 * The context for `event`, bound to its person.
 * @example const ctx = createContext(services, event, conversation);
 */
export function createContext(
  services: BotServices,
  event: IncomingMessage | IncomingCardAction,
  conversation: Conversation,
): BotContext {
  const { tokens, http, store, linker, recordsCache, logger, digests, usageLog } = services;
  const digest = digests.forPerson(event.person.id);
  const watches = services.watches.forPerson(event.person.id);
  const personId = event.person.id;
  let messages: Promise<Translator> | undefined;
  const ctx: BotContext = {
    event,
    person: event.person,
    place: conversation.place,
    conversation,
    preferences: (commandZone) => resolvePreferences(services, personId, commandZone),
    messages: () =>
      (messages ??= resolveLocale(services, personId).then(({ locale }) => translatorFor(locale))),
    asPerson: (call) => tokens.withToken(personId, (token) => call(http, token)),
    connect: async (options) =>
      askToConnect(linker, conversation, { ...options, messages: await ctx.messages() }),
    saveSettings: async (patch) => void (await store.saveSettings(personId, patch)),
    checkAccount: async () => {
      const account = ctx.account;
      if (!account) return { state: 'not-linked' };
      try {
        await tokens.withToken(personId, (token) => getMe(http, token));
        return { state: 'linked', admin: account.admin };
      } catch (err) {
        // Undecryptable, refused on refresh (invalid_grant) or revoked: it no longer works.
        if (err instanceof NotConnectedError) return { state: 'needs-reconnecting' };
        logger.warn({ err }, 'could not check the account link');
        return { state: 'unchecked', admin: account.admin };
      }
    },
    forget: async () => {
      await digest.cancel();
      // Watches with their jobs; forgetPerson alone would leave the jobs to end by themselves.
      await watches.stopAll();
      await tokens.disconnect(personId);
      recordsCache.forget(personId);
    },
    digest,
    usageLog,
    recordsCache: recordsCache.forPerson(personId),
    about: {},
    watches,
    orgEmailDomains: services.config.orgEmailDomains,
    logger,
  };
  return ctx;
}
