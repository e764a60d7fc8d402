/**
 * The bot's built-in steps, each doing one thing. They are put in order in one place:
 * {@link CommandDispatcher} in ../dispatcher.ts.
 */
import { randomUUID } from 'node:crypto';
import { hasAdminScopes, isAllowedEmail } from '../../auth/access-rules';
import type { PersonTokens } from '../../auth/person-tokens';
import {
  MissingScopeError,
  NotConnectedError,
  logFailure,
  type ExplainContext,
} from '../../errors';
import { english } from '../../locales';
import type { Logger } from '../../log';
import type { Translator } from '../../report/i18n';
import type { Metrics } from '../../metrics';
import type { Clock } from '../../scheduler/clock';
import type { Store } from '../../store/store';
import {
  WebexApiError,
  WebexNetworkError,
  WebexRateLimitedError,
  WebexTimeoutError,
} from '../../webex/errors';
import { errorReply, noticeReply } from '../commands/notice';
import { loadManifest } from '../manifest';
import type { Messenger } from '../replies';
import { step, type Step } from './compose';
import type { BotContext } from './context';

/** Webex may echo the bot's own messages; they are never commands. */
export function ignoreOwnMessages(selfId: () => string | undefined): Step<BotContext> {
  return step('ignoreOwnMessages', async (ctx, next) => {
    if (ctx.event.kind === 'message' && ctx.person.id === selfId()) return;
    await next();
  });
}

/**
 * Anything a later step did not answer (the store or Webex down, a bug) still gets the
 * person a private answer rather than silence.
 * @example await answerUnexpected({ messenger, logger }, personId, () => work());
 */
export async function answerUnexpected(
  deps: { messenger: Messenger; logger: Logger },
  personId: string,
  work: () => Promise<void>,
  options: {
    /** The person's language; English when it cannot be read (the store may be what failed). */
    messages?: () => Promise<Translator>;
    /** What was being done, read when it failed (routing fills it in as it goes). */
    explain?: () => ExplainContext;
  } = {},
): Promise<void> {
  try {
    await work();
  } catch (err) {
    logFailure(deps.logger, err, 'command failed');
    const translator = options.messages
      ? await options.messages().catch(() => english())
      : english();
    await deps.messenger
      .send({ toPersonId: personId }, errorReply(err, options.explain?.() ?? {}, translator))
      .catch((sendErr: unknown) =>
        deps.logger.error({ err: sendErr }, 'could not tell the person it failed'),
      );
  }
}

export function errorBoundary(deps: { messenger: Messenger; logger: Logger }): Step<BotContext> {
  return step('errorBoundary', (ctx, next) =>
    answerUnexpected(deps, ctx.person.id, next, {
      messages: ctx.messages,
      explain: () => explainContext(ctx),
    }),
  );
}

/**
 * ALLOWED_EMAIL_DOMAINS. A typed command is told why; a card click is dropped without a
 * word, because a forged submission needs no card of ours.
 */
export function allowedDomains(domains: readonly string[], logger: Logger): Step<BotContext> {
  return step('allowedDomains', async (ctx, next) => {
    if (isAllowedEmail(ctx.person.email, domains)) return next();
    if (ctx.event.kind === 'cardAction') {
      logger.info({ messageId: ctx.event.messageId }, 'card click from another domain ignored');
      return;
    }
    const messages = await ctx.messages();
    await ctx.conversation.say(
      noticeReply(
        {
          title: messages.t('notAllowed.title'),
          text: messages.t('notAllowed.text'),
        },
        messages,
      ),
    );
  });
}

/** Counts and times what runs; expected failures are answered inside, so a throw is a bug. */
export function measured(metrics: Metrics): Step<BotContext> {
  return step('measured', async (ctx, next) => {
    const label = routeOf(ctx).label;
    const stop = metrics.commandSeconds.startTimer({ command: label });
    try {
      await next();
      metrics.commands.inc({ command: label, outcome: 'ok' });
    } catch (err) {
      metrics.commands.inc({ command: label, outcome: 'error' });
      throw err;
    } finally {
      stop();
    }
  });
}

/**
 * A missing account link starts linking (and runs the typed command once linked). Other
 * failures of commands that read Webex are explained privately.
 */
export function answerFailures(logger: Logger): Step<BotContext> {
  return step('answerFailures', async (ctx, next) => {
    const route = routeOf(ctx);
    try {
      await next();
    } catch (err) {
      if (err instanceof NotConnectedError) {
        const { room, threadId } = ctx.place;
        await ctx.connect({
          admin: route.host !== undefined,
          pending: route.pendingText
            ? { text: route.pendingText, roomId: room.id, roomType: room.type, threadId }
            : undefined,
        });
        return;
      }
      if (!route.failure) throw err;
      logFailure(logger, err, 'command failed for the person', { command: route.label });
      const messages = await ctx.messages();
      await ctx.conversation.sayPrivately(
        errorReply(err, explainContext(ctx), messages),
        messages.t(route.failure.noteKey),
      );
    }
  });
}

/**
 * Writes a request to the usage log once it has run, with how it ended: `ok`, or the code of
 * what it threw (or answered in place, see `handledFailure`). Only routes with `usage` count
 * (see the dispatcher). Inside answerFailures, so it sees the failures that step answers. A
 * log that cannot be written is logged; the answer stands.
 */
export function recordUsage(deps: {
  store: Pick<Store, 'addUsage'>;
  logger: Logger;
  clock: Clock;
}): Step<BotContext> {
  return step('recordUsage', async (ctx, next) => {
    const subject = routeOf(ctx).usage;
    if (!subject) return next();
    // When it was asked, not when it ended.
    const at = deps.clock.now();
    let failure: unknown = undefined;
    try {
      await next();
    } catch (err) {
      failure = err;
      throw err;
    } finally {
      const ended = failure ?? ctx.handledFailure;
      await deps.store
        .addUsage({
          id: randomUUID(),
          at,
          personId: ctx.person.id,
          personEmail: ctx.person.email,
          command: subject.command,
          ...(subject.recordingId !== undefined ? { recordingId: subject.recordingId } : {}),
          ...(subject.hostEmail !== undefined ? { hostEmail: subject.hostEmail } : {}),
          place: ctx.place.room.type === 'group' ? 'group' : 'direct',
          roomId: ctx.place.room.id,
          outcome: ended === undefined ? 'ok' : usageOutcome(ended),
        })
        .catch((err: unknown) =>
          deps.logger.error({ err, command: subject.command }, 'could not write the usage log'),
        );
    }
  });
}

/**
 * A short, stable code for how a request failed, for the usage log (never a message text).
 * @example usageOutcome(new WebexApiError('Not found', { status: 404 })) // 'webex_404'
 */
export function usageOutcome(err: unknown): string {
  if (err instanceof NotConnectedError || err instanceof MissingScopeError) return err.code;
  if (err instanceof WebexRateLimitedError) return 'rate_limited';
  if (err instanceof WebexApiError) return `webex_${err.status ?? 'error'}`;
  if (err instanceof WebexTimeoutError || err instanceof WebexNetworkError) {
    return 'webex_unreachable';
  }
  return 'error';
}

/** Reads the person's account once; commands marked `needsAccount` in manifest.json need one. */
export function requireAccount(tokens: PersonTokens): Step<BotContext> {
  const needsAccount = new Set(
    loadManifest()
      .commands.filter((c) => c.needsAccount)
      .map((c) => c.name),
  );
  const adminScopes = loadManifest().scopes.admin;
  return step('requireAccount', async (ctx, next) => {
    const scopes = await tokens.scopes(ctx.person.id);
    if (scopes) ctx.account = { scopes, admin: hasAdminScopes(scopes, adminScopes) };
    if (!scopes && needsAccount.has(routeOf(ctx).command)) throw new NotConnectedError('never');
    await next();
  });
}

/** Reading another host's recordings needs the admin scopes. */
export function adminScope(): Step<BotContext> {
  const [adminScopeName] = loadManifest().scopes.admin;
  return step('adminScope', async (ctx, next) => {
    if (routeOf(ctx).host !== undefined && !ctx.account?.admin) {
      throw new MissingScopeError(adminScopeName);
    }
    await next();
  });
}

/** The end of the pipeline. */
export function runCommand(): Step<BotContext> {
  return step('runCommand', (ctx) => routeOf(ctx).run(ctx));
}

/**
 * What a failure reply says it is about: the command and, when there is one, the recording
 * (by its topic once the command has learnt it).
 */
function explainContext(ctx: BotContext): ExplainContext {
  if (!ctx.route) return {};
  return { ...ctx.route.failure?.explain, ...ctx.about, command: ctx.route.command };
}

function routeOf(ctx: BotContext) {
  if (!ctx.route) throw new Error('no route: a routing step must come first');
  return ctx.route;
}
