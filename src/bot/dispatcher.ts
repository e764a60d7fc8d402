/**
 * Turns what people send into commands and runs them. Each command is a small module in
 * commands/; this is the one place that says which input goes where.
 */
import type { LinkedAccount } from '../auth/linking';
import { logFailure } from '../errors';
import { escapeEmail, escapeMarkdown } from '../report/escape';
import { parseCardAction } from '../report/card-actions';
import { runAudit, runReportAction } from './commands/audit';
import { runConnect } from './commands/connect';
import { runDisconnect } from './commands/disconnect';
import { helpReply } from './commands/help';
import { errorReply, noticeReply } from './commands/notice';
import { parseCommand, type ParsedCommand } from './commands/parse';
import { runRecordings } from './commands/recordings';
import { runLocale, runSettings } from './commands/settings';
import { runTimezone } from './commands/timezone';
import { Conversation, type ConversationPlace } from './replies';
import type { IncomingCardAction, IncomingMessage } from './runtime';
import type { BotServices } from './services';

export class CommandDispatcher {
  constructor(private readonly services: BotServices) {}

  async onMessage(message: IncomingMessage): Promise<void> {
    const place = { person: message.person, room: message.room, threadId: message.threadId };
    await this.answeringFailures(message.person.id, () => this.run(place, message.text));
  }

  /** A card button: only the person the card was made for may use it. */
  async onCardAction(click: IncomingCardAction): Promise<void> {
    await this.answeringFailures(click.person.id, () => this.runCardAction(click));
  }

  /** After linking: say so privately, then run what the person was waiting for. */
  async onLinked(account: LinkedAccount): Promise<void> {
    await this.answeringFailures(account.personId, () => this.resume(account));
  }

  private async runCardAction(click: IncomingCardAction): Promise<void> {
    // A forged submission needs no card of ours, so the organisation check comes first.
    if (!this.isAllowed(click.person.email)) return;
    const action = parseCardAction(click.inputs);
    if (!action) {
      this.services.logger.warn({ messageId: click.messageId }, 'unknown card action ignored');
      return;
    }
    if (action.requesterId !== click.person.id) {
      await this.services.messenger.send(
        { toPersonId: click.person.id },
        noticeReply({
          title: 'That card is not yours',
          text: 'Its buttons only work for the person who asked for it. Type **audit** and a recording ID or link to get your own report.',
        }),
      );
      return;
    }
    const conversation = new Conversation(
      this.services.messenger,
      { person: click.person, room: click.room },
      this.services.config.groupReply,
    );
    if (action.action === 'recordings.audit') {
      // The choice is "<id>" or "<id> <host email>": run it as the command it stands for,
      // so it is validated like typed input.
      const [recordingId, hostEmail] = (action.recordingChoice ?? '').split(' ');
      const text = `audit ${recordingId}${hostEmail ? ` host ${hostEmail}` : ''}`;
      return this.route(conversation, parseCommand(text), text);
    }
    return this.measured(action.action, () => runReportAction(this.services, conversation, action));
  }

  /**
   * Commands answer their own expected failures; anything else (the store or Webex down)
   * still gets the person a private answer rather than silence.
   */
  private async answeringFailures(personId: string, work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (err) {
      logFailure(this.services.logger, err, 'command failed');
      await this.services.messenger
        .send({ toPersonId: personId }, errorReply(err))
        .catch((sendErr: unknown) =>
          this.services.logger.error({ err: sendErr }, 'could not tell the person it failed'),
        );
    }
  }

  /** Counts and times a command; handlers answer their own errors, so a throw is a bug. */
  private async measured(command: string, run: () => Promise<void>): Promise<void> {
    const { metrics } = this.services;
    const stop = metrics.commandSeconds.startTimer({ command });
    try {
      await run();
      metrics.commands.inc({ command, outcome: 'ok' });
    } catch (err) {
      metrics.commands.inc({ command, outcome: 'error' });
      throw err;
    } finally {
      stop();
    }
  }

  private async resume(account: LinkedAccount): Promise<void> {
    const person = { id: account.personId, email: account.email, displayName: account.displayName };
    await this.services.messenger.send(
      { toPersonId: account.personId },
      noticeReply({
        title: 'Connected',
        text: `Your Webex account ${escapeEmail(account.email)} is linked${account.admin ? ', with admin access' : ''}.${
          account.pending
            ? ' Running your request now…'
            : ' Type **audit** and a recording ID or link.'
        }`,
      }),
    );
    if (account.pending) {
      const { roomId, roomType, threadId, text } = account.pending;
      await this.run({ person, room: { id: roomId, type: roomType }, threadId }, text);
    }
  }

  private async run(place: ConversationPlace, text: string): Promise<void> {
    const conversation = new Conversation(
      this.services.messenger,
      place,
      this.services.config.groupReply,
    );
    if (!this.isAllowed(place.person.email)) {
      await conversation.say(
        noticeReply({
          title: 'Not available for your organisation',
          text: 'This bot only serves people from the organisations it was set up for. Ask your Webex admin if you need it.',
        }),
      );
      return;
    }
    await this.route(conversation, parseCommand(text), text);
  }

  private async route(conversation: Conversation, command: ParsedCommand, text: string) {
    if (command.kind === 'error') {
      await conversation.say(
        noticeReply({
          title: `Let's fix that ${command.command} command`,
          text: escapeMarkdown(command.error.message),
        }),
      );
      return;
    }
    if (command.kind === 'unknown') {
      await conversation.say(helpReply(text));
      return;
    }
    const handler = COMMAND_HANDLERS[command.kind] as CommandHandler<typeof command>;
    await this.measured(command.kind, () => handler(this.services, conversation, command, text));
  }

  private isAllowed(email: string): boolean {
    const allowed = this.services.config.allowedEmailDomains;
    if (allowed.length === 0) return true;
    const domain = email.split('@').pop()?.toLowerCase() ?? '';
    return allowed.includes(domain);
  }
}

type Command = Exclude<ParsedCommand, { kind: 'error' | 'unknown' }>;
type CommandHandler<C> = (
  services: BotServices,
  conversation: Conversation,
  command: C,
  text: string,
) => Promise<void>;

/**
 * One handler per command; manifest.json must list exactly these (a test checks it), so the
 * help card and the README describe every command the bot has and nothing more.
 */
export const COMMAND_HANDLERS: {
  [K in Command['kind']]: CommandHandler<Extract<Command, { kind: K }>>;
} = {
  audit: (services, conversation, command, text) => runAudit(services, conversation, command, text),
  recordings: (services, conversation, command, text) =>
    runRecordings(services, conversation, command, text),
  connect: (services, conversation, command) => runConnect(services, conversation, command.admin),
  disconnect: (services, conversation) => runDisconnect(services, conversation),
  timezone: (services, conversation, command) => runTimezone(services, conversation, command),
  locale: (services, conversation, command) => runLocale(services, conversation, command),
  settings: (services, conversation) => runSettings(services, conversation),
  help: async (_services, conversation) => void (await conversation.say(helpReply())),
};
