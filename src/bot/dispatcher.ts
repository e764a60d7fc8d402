/**
 * Turns what people send into commands and runs them. Each command is a small module in
 * commands/; this is the one place that says which input goes where.
 */
import type { LinkedAccount } from '../auth/linking';
import { escapeMarkdown } from '../report/escape';
import { runAudit } from './commands/audit';
import { runConnect } from './commands/connect';
import { runDisconnect } from './commands/disconnect';
import { helpReply } from './commands/help';
import { noticeReply } from './commands/notice';
import { parseCommand, type ParsedCommand } from './commands/parse';
import { runTimezone } from './commands/timezone';
import { Conversation, type ConversationPlace } from './replies';
import type { IncomingCardAction, IncomingMessage } from './runtime';
import type { BotServices } from './services';

export class CommandDispatcher {
  constructor(private readonly services: BotServices) {}

  async onMessage(message: IncomingMessage): Promise<void> {
    const place = { person: message.person, room: message.room, threadId: message.threadId };
    await this.run(place, message.text);
  }

  async onCardAction(_action: IncomingCardAction): Promise<void> {
    // Card buttons arrive with the interactive reports.
  }

  /** After linking: say so privately, then run what the person was waiting for. */
  async onLinked(account: LinkedAccount): Promise<void> {
    const person = { id: account.personId, email: account.email, displayName: account.displayName };
    await this.services.messenger.send(
      { toPersonId: account.personId },
      noticeReply({
        title: 'Connected',
        text: `Your Webex account ${escapeMarkdown(account.email)} is linked${account.admin ? ', with admin access' : ''}.${
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
    const { services } = this;
    switch (command.kind) {
      case 'audit':
        return runAudit(services, conversation, command, text);
      case 'connect':
        return runConnect(services, conversation, command.admin);
      case 'disconnect':
        return runDisconnect(services, conversation);
      case 'timezone':
        return runTimezone(services, conversation, command);
      case 'help':
        return void (await conversation.say(helpReply()));
      case 'error':
        return void (await conversation.say(
          noticeReply({
            title: `Let's fix that ${command.command} command`,
            text: escapeMarkdown(command.error.message),
          }),
        ));
      case 'unknown':
        return void (await conversation.say(helpReply(text)));
    }
  }

  private isAllowed(email: string): boolean {
    const allowed = this.services.config.allowedEmailDomains;
    if (allowed.length === 0) return true;
    const domain = email.split('@').pop()?.toLowerCase() ?? '';
    return allowed.includes(domain);
  }
}
