/**
 * How a person's reports are written: the time zone and locale in effect, and where each
 * comes from. The one place that resolves them; every command and card button asks here.
 */
import type { PersonTokens } from '../auth/person-tokens';
import type { Config } from '../config';
import { NotConnectedError } from '../errors';
import type { Logger } from '../log';
import { resolveZone, safeLocale, type ResolvedZone } from '../report/time';
import type { PersonSettings, Store } from '../store/store';
import type { WebexHttp } from '../webex/client';
import { getMe } from '../webex/people';

export interface Preferences {
  zone: ResolvedZone;
  locale: string;
  /** True when the locale is the person's own setting, false for the bot's default. */
  localeFromSettings: boolean;
  settings: PersonSettings;
}

export interface PreferenceSources {
  config: Pick<Config, 'defaultTimezone' | 'defaultLocale'>;
  store: Store;
  tokens: PersonTokens;
  http: WebexHttp;
  logger: Logger;
}

/**
 * The locale alone (the person's setting, then DEFAULT_LOCALE), for answers that show no
 * times: one store read, never a call to Webex.
 * @example const { locale } = await resolveLocale(sources, personId); // "de-DE"
 */
export async function resolveLocale(
  sources: Pick<PreferenceSources, 'config' | 'store'>,
  personId: string,
): Promise<{ locale: string; fromSettings: boolean }> {
  const settings = await sources.store.getSettings(personId);
  return {
    locale: safeLocale(settings.locale ?? sources.config.defaultLocale),
    fromSettings: settings.locale !== undefined,
  };
}

/** How long a profile's time zone is trusted before `GET /people/me` is asked again. */
const PROFILE_TTL_MS = 24 * 60 * 60_000;

/**
 * The zone is `tz` on the command, the person's setting, their Webex profile (cached), then
 * DEFAULT_TIMEZONE; the locale is the person's setting, then DEFAULT_LOCALE.
 * @example const { zone, locale } = await resolvePreferences(sources, personId, 'Asia/Tokyo');
 */
export async function resolvePreferences(
  sources: PreferenceSources,
  personId: string,
  commandZone?: string,
): Promise<Preferences> {
  const settings = await sources.store.getSettings(personId);
  const needsProfile = !commandZone && !settings.timezone;
  const profile = needsProfile ? await profileTimezone(sources, personId) : undefined;
  const zone = resolveZone({
    command: commandZone,
    setting: settings.timezone,
    profile,
    defaultZone: sources.config.defaultTimezone,
  });
  return {
    zone,
    locale: safeLocale(settings.locale ?? sources.config.defaultLocale),
    localeFromSettings: settings.locale !== undefined,
    settings,
  };
}

async function profileTimezone(
  sources: PreferenceSources,
  personId: string,
): Promise<string | undefined> {
  const { store, tokens, http, logger } = sources;
  const cached = await store.getProfileTimezone(personId);
  if (cached && Date.now() - cached.fetchedAt < PROFILE_TTL_MS) return cached.timezone ?? undefined;
  try {
    const me = await tokens.withToken(personId, (token) => getMe(http, token));
    await store.saveProfileTimezone(personId, me.timezone ?? null, Date.now());
    return me.timezone;
  } catch (err) {
    // The profile only refines the zone; without it the default stands in.
    if (err instanceof NotConnectedError) return undefined;
    logger.warn({ err }, 'could not read the profile time zone');
    return cached?.timezone ?? undefined;
  }
}
