/**
 * Turns what people send into commands and runs them. Each command is a small module in
 * commands/ and each rule a small step in middleware/; this is the one place that puts the
 * steps in order and says which input goes where.
 */
import type { LinkedAccount } from '../auth/linking';
import { aboutFacts, type ExplainContext } from '../errors';
import {
  parseCardAction,
  type CardAction,
  type ReportAction,
  type WatchAction,
} from '../report/card-actions';
import { escapeEmail, escapeMarkdown } from '../report/escape';
import { AUDIT_FAILURE_NOTE, runAudit, runReportAction } from './commands/audit';
import { runConnect } from './commands/connect';
import { DIGEST_FAILURE_NOTE, runDigest } from './commands/digest';
import { runDisconnect } from './commands/disconnect';
import { helpReply } from './commands/help';
import { noticeReply } from './commands/notice';
import { notUnderstoodReply } from './commands/short-answers';
import { runWelcome } from './commands/welcome';
import {
  auditFromFields,
  parseCommand,
  watchFromFields,
  type ParsedCommand,
} from './commands/parse';
import { RECORDINGS_FAILURE_NOTE, runRecordings } from './commands/recordings';
import { runLocale, runSettings } from './commands/settings';
import { runTimezone } from './commands/timezone';
import { USAGE_FAILURE_NOTE, runUsage } from './commands/usage';
import { runUnwatch, runWatch, runWatches, WATCH_FAILURE_NOTE } from './commands/watch';
import { compose, step, type Step } from './middleware/compose';
import {
  createContext,
  type BotContext,
  type CommandContext,
  type Route,
  type UsageSubject,
} from './middleware/context';
import {
  adminScope,
  allowedDomains,
  answerFailures,
  answerUnexpected,
  errorBoundary,
  ignoreOwnMessages,
  measured,
  recordUsage,
  requireAccount,
  runCommand,
} from './middleware/steps';
import { translatorFor } from '../locales';
import { resolveLocale } from './preferences';
import { Conversation, type ConversationPlace } from './replies';
import type { BotAddedToSpace, IncomingCardAction, IncomingMessage } from './runtime';
import type { BotServices } from './services';

export interface DispatcherOptions {
  /** The bot's own person ID, once known; its own messages are never commands. */
  selfId?: () => string | undefined;
}

export class CommandDispatcher {
  private readonly messages: (ctx: BotContext) => Promise<void>;
  private readonly cardActions: (ctx: BotContext) => Promise<void>;

  constructor(
    private readonly services: BotServices,
    options: DispatcherOptions = {},
  ) {
    const { config, logger, metrics, tokens, store, clock } = services;
    const before: Step<BotContext>[] = [
      ignoreOwnMessages(options.selfId ?? (() => undefined)),
      errorBoundary(services),
      allowedDomains(config.allowedEmailDomains, logger),
    ];
    const toCommand: Step<BotContext>[] = [
      measured(metrics),
      answerFailures(logger),
      recordUsage({ store, logger, clock }),
      requireAccount(tokens),
      adminScope(),
      runCommand(),
    ];
    this.messages = compose([...before, routeText(), ...toCommand]);
    this.cardActions = compose([...before, routeCardAction(services), ...toCommand]);
  }

  async onMessage(message: IncomingMessage): Promise<void> {
    const place = {
      person: message.person,
      room: message.room,
      threadId: message.threadId || undefined,
    };
    await this.messages(createContext(this.services, message, this.conversation(place)));
  }

  /** A card button: only the person the card was made for may use it. */
  async onCardAction(click: IncomingCardAction): Promise<void> {
    const place = { person: click.person, room: click.room };
    await this.cardActions(createContext(this.services, click, this.conversation(place)));
  }

  /** Added to a group space: the welcome, once per membership of the bot. */
  async onBotAdded(added: BotAddedToSpace): Promise<void> {
    await runWelcome(this.services, added);
  }

  /** After linking: say so privately, then run what the person was waiting for. */
  async onLinked(account: LinkedAccount): Promise<void> {
    const person = { id: account.personId, email: account.email, displayName: account.displayName };
    const messages = () =>
      resolveLocale(this.services, account.personId).then(({ locale }) => translatorFor(locale));
    let said = false;
    await answerUnexpected(
      this.services,
      account.personId,
      async () => {
        const translator = await messages();
        const { t } = translator;
        const linked = t(account.admin ? 'linked.textAdmin' : 'linked.text', {
          email: escapeEmail(account.email),
        });
        const then = t(account.pending ? 'linked.running' : 'linked.next');
        await this.services.messenger.send(
          { toPersonId: account.personId },
          noticeReply({ title: t('linked.title'), text: `${linked} ${then}` }, translator),
        );
        said = true;
      },
      { messages },
    );
    if (!said || !account.pending) return;
    const { roomId, roomType, threadId, text } = account.pending;
    await this.onMessage({
      kind: 'message',
      person,
      room: { id: roomId, type: roomType },
      messageId: threadId ?? '',
      threadId: threadId ?? '',
      text,
    });
  }

  private conversation(place: ConversationPlace): Conversation {
    return new Conversation(this.services.messenger, place, this.services.config.groupReply);
  }
}

/**
 * Typed text: parse it; mistakes and unknown input are answered here, unknown input with one
 * short line (the closest command, if any) and a Help button.
 */
function routeText(): Step<BotContext> {
  return step('routeText', async (ctx, next) => {
    if (ctx.event.kind !== 'message') throw new Error('routeText needs a message');
    const text = ctx.event.text;
    const command = parseCommand(text);
    if (command.kind === 'error') return sayParseError(ctx, command);
    if (command.kind === 'unknown') {
      // Help, once pressed, answers in the same thread as this short answer.
      const threadId = ctx.conversation.isGroup ? ctx.place.threadId : undefined;
      await ctx.conversation.say(notUnderstoodReply(command.text, await ctx.messages(), threadId));
      return;
    }
    ctx.route = commandRoute(command, text);
    await next();
  });
}

/**
 * A card click, routed as the action it is. Its inputs are checked like typed input: a
 * crafted submission gets no further than a typed one would.
 */
function routeCardAction(services: BotServices): Step<BotContext> {
  return step('routeCardAction', async (ctx, next) => {
    if (ctx.event.kind !== 'cardAction') throw new Error('routeCardAction needs a card click');
    const action = parseCardAction(ctx.event.inputs);
    if (!action) {
      services.logger.warn({ messageId: ctx.event.messageId }, 'unknown card action ignored');
      return;
    }
    // Help is for anyone who presses it, as typing `help` is.
    if (action.action === 'help.show') {
      ctx.route = helpButtonRoute(services, action.threadId ?? ctx.event.messageId);
      return next();
    }
    if (action.requesterId !== ctx.person.id) {
      const messages = await ctx.messages();
      // Only what the click itself carried: nothing of the requester's report.
      const about = aboutFacts(
        'recordingId' in action
          ? { command: 'audit', recordingId: action.recordingId }
          : { command: 'recordings' },
        messages,
      );
      await services.messenger.send(
        { toPersonId: ctx.person.id },
        noticeReply(
          { title: messages.t('notYours.title'), text: messages.t('notYours.text'), about },
          messages,
        ),
      );
      return;
    }
    const route = actionRoute(action, ctx.event.messageId);
    if (route.kind === 'error') return sayParseError(ctx, route);
    ctx.route = route.route;
    await next();
  });
}

/**
 * The Help button: the full help card where it was pressed; in a group space in the thread
 * of the message that carried it (a welcome is a thread's root; a short answer says its own).
 */
function helpButtonRoute(services: BotServices, threadId: string): Route {
  return {
    command: 'help',
    label: 'help.show',
    run: async (ctx) => {
      const parentId = ctx.conversation.isGroup ? threadId : undefined;
      await services.messenger.send(
        { roomId: ctx.place.room.id, parentId },
        helpReply(await ctx.messages()),
      );
    },
  };
}

function actionRoute(
  action: Exclude<CardAction, { action: 'help.show' }>,
  clickedMessageId: string,
): { kind: 'route'; route: Route } | Extract<ParsedCommand, { kind: 'error' }> {
  if (action.action === 'watch.audit' || action.action === 'watch.start') {
    return watchButtonRoute(action);
  }
  if (action.action === 'recordings.audit') return auditPick(action.recordingChoice);
  if (action.action === 'digest.audit') {
    // A button names its recording; with many recordings the card's picker chose one.
    return action.recordingId
      ? auditPick(action.recordingId, action.hostEmail)
      : auditPick(action.recordingChoice);
  }
  const checked = auditFromFields({
    recording: action.recordingId,
    hostEmail: action.hostEmail,
    zone: action.tz,
  });
  if (checked.kind === 'error') return checked;
  if (checked.kind !== 'audit') throw new Error('auditFromFields gave no audit');
  const view: ReportAction = {
    ...action,
    recordingId: checked.recordingId,
    ...(checked.zone !== undefined ? { tz: checked.zone } : {}),
  };
  return {
    kind: 'route',
    route: {
      command: 'audit',
      label: action.action,
      host: view.hostEmail,
      failure: {
        noteKey: AUDIT_FAILURE_NOTE,
        explain: { recordingId: view.recordingId, hostEmail: view.hostEmail },
      },
      usage: reportActionUsage(view),
      run: (ctx) => runReportAction(ctx, view, clickedMessageId),
    },
  };
}

/**
 * Which report buttons the usage log counts as a request: Export CSV (`export`) and Refresh
 * (reads the report from Webex again: an `audit`). Another page or filter shows the report
 * already asked for, so it is not a new request.
 */
function reportActionUsage(view: ReportAction): UsageSubject | undefined {
  const command =
    view.action === 'audit.export' ? 'export' : view.action === 'audit.refresh' ? 'audit' : null;
  if (!command) return undefined;
  return { command, recordingId: view.recordingId, hostEmail: view.hostEmail };
}

/**
 * An Audit button's request: a recording ID, or a picker's value, "<id>" or "<id> <host email>"
 * (admins' lists of other hosts).
 */
function auditPick(
  recording: string | undefined,
  hostEmail?: string,
): { kind: 'route'; route: Route } | Extract<ParsedCommand, { kind: 'error' }> {
  const [id, host, ...rest] = (recording ?? '').split(' ');
  const command =
    rest.length > 0
      ? auditFromFields({ recording })
      : auditFromFields({ recording: id, hostEmail: hostEmail ?? (host || undefined) });
  if (command.kind === 'error') return command;
  if (command.kind !== 'audit') throw new Error('auditFromFields gave no audit');
  const pendingText = `audit ${command.recordingId}${command.hostEmail ? ` host ${command.hostEmail}` : ''}`;
  return { kind: 'route', route: commandRoute(command, pendingText) };
}

/** A watch alert's Audit button, or a report card's Watch button: the command they stand for. */
function watchButtonRoute(
  action: WatchAction,
): { kind: 'route'; route: Route } | Extract<ParsedCommand, { kind: 'error' }> {
  const fields = { recording: action.recordingId, hostEmail: action.hostEmail };
  const command =
    action.action === 'watch.audit' ? auditFromFields(fields) : watchFromFields(fields);
  if (command.kind === 'error') return command;
  if (command.kind !== 'audit' && command.kind !== 'watch') {
    throw new Error('a watch button gave another command');
  }
  const host = command.hostEmail ? ` host ${command.hostEmail}` : '';
  return {
    kind: 'route',
    route: commandRoute(command, `${command.kind} ${command.recordingId}${host}`),
  };
}

async function sayParseError(
  ctx: BotContext,
  command: Extract<ParsedCommand, { kind: 'error' }>,
): Promise<void> {
  const messages = await ctx.messages();
  await ctx.conversation.say(
    noticeReply(
      {
        title: messages.t('parseError.title', { command: command.command }),
        // The parser's sentences are English (they quote the command syntax).
        text: escapeMarkdown(command.error.message),
      },
      messages,
    ),
  );
}

type Command = Exclude<ParsedCommand, { kind: 'error' | 'unknown' }>;

/** How one command runs; whether it needs an account is said in manifest.json. */
export interface CommandDefinition<C> {
  run(ctx: CommandContext, command: C): Promise<void>;
  /** The host whose recordings it reads for someone else (needs the admin scopes). */
  host?(command: C): string | undefined;
  /** Expected failures (Webex said no) are explained privately, with this note in a space. */
  failure?(command: C): { noteKey: string; explain: ExplainContext };
  /** What the usage log records for it; commands without it are not logged. */
  usage?(command: C): UsageSubject;
}

function commandRoute(command: Command, text: string): Route {
  const definition = COMMAND_HANDLERS[command.kind] as CommandDefinition<Command>;
  return {
    command: command.kind,
    label: command.kind,
    host: definition.host?.(command),
    pendingText: text,
    failure: definition.failure?.(command),
    usage: definition.usage?.(command),
    run: (ctx) => definition.run(ctx, command),
  };
}

/**
 * One definition per command; manifest.json must list exactly these (a test checks it), so the
 * help card and the README describe every command the bot has and nothing more.
 */
export const COMMAND_HANDLERS: {
  [K in Command['kind']]: CommandDefinition<Extract<Command, { kind: K }>>;
} = {
  audit: {
    run: runAudit,
    host: (command) => command.hostEmail,
    failure: (command) => ({
      noteKey: AUDIT_FAILURE_NOTE,
      explain: { recordingId: command.recordingId, hostEmail: command.hostEmail },
    }),
    // Typed, or an Audit button of the recordings list or the digest.
    usage: (command) => ({
      command: 'audit',
      recordingId: command.recordingId,
      hostEmail: command.hostEmail,
    }),
  },
  recordings: {
    run: runRecordings,
    host: (command) => command.host,
    failure: (command) => ({
      noteKey: RECORDINGS_FAILURE_NOTE,
      explain: { hostEmail: command.host },
    }),
  },
  connect: { run: (ctx, command) => runConnect(ctx, command.admin) },
  disconnect: { run: (ctx) => runDisconnect(ctx) },
  timezone: { run: runTimezone },
  locale: { run: runLocale },
  settings: { run: (ctx) => runSettings(ctx) },
  help: {
    run: async (ctx) => void (await ctx.conversation.say(helpReply(await ctx.messages()))),
  },
  digest: {
    run: runDigest,
    failure: () => ({ noteKey: DIGEST_FAILURE_NOTE, explain: {} }),
    usage: (command) => ({
      command: 'digest',
      ...(command.mode === 'weekly' && command.allHosts ? { hostEmail: 'all' } : {}),
    }),
  },
  usage: {
    run: runUsage,
    failure: () => ({ noteKey: USAGE_FAILURE_NOTE, explain: {} }),
    usage: () => ({ command: 'usage' }),
  },
  // Issue 12: watches (commands/watch.ts).
  watch: {
    run: runWatch,
    host: (command) => command.hostEmail,
    failure: (command) => ({
      noteKey: WATCH_FAILURE_NOTE,
      explain: { recordingId: command.recordingId, hostEmail: command.hostEmail },
    }),
    // Typed, or a report card's Watch button.
    usage: (command) => ({
      command: 'watch',
      recordingId: command.recordingId,
      hostEmail: command.hostEmail,
    }),
  },
  watches: { run: (ctx) => runWatches(ctx) },
  unwatch: {
    run: (ctx, command) =>
      runUnwatch(ctx, 'all' in command ? { all: true } : { recordingId: command.recordingId }),
    usage: (command) => ({
      command: 'unwatch',
      ...('all' in command ? {} : { recordingId: command.recordingId }),
    }),
  },
};
