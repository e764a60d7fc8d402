/**
 * Where an answer goes. Public answers (help) go where the person asked. Anything with report
 * data or a personal link goes to the person alone when they asked in a group space, and the
 * space gets only a short threaded note.
 */
import type { GroupReply } from '../config';
import type { WebexHttp } from '../webex/client';
import {
  deleteMessage,
  editMessage,
  sendFile,
  sendMessage,
  type NewMessage,
  type SentMessage,
} from '../webex/messages';
import type { Person, Room } from './runtime';

/** What the bot says: a markdown text and, optionally, one Adaptive Card. */
export interface Reply {
  markdown: string;
  card?: object;
}

export interface FileReply {
  markdown: string;
  filename: string;
  contentType: string;
  data: Buffer;
}

/** Sends as the bot; one instance for the whole process. */
export class Messenger {
  constructor(
    private readonly http: WebexHttp,
    private readonly botToken: string,
  ) {}

  send(target: Omit<NewMessage, 'markdown' | 'attachments'>, reply: Reply): Promise<SentMessage> {
    const message = {
      ...target,
      markdown: reply.markdown,
      attachments: reply.card
        ? [{ contentType: 'application/vnd.microsoft.card.adaptive' as const, content: reply.card }]
        : undefined,
    } as NewMessage;
    return sendMessage(this.http, this.botToken, message);
  }

  sendFile(toPersonId: string, file: FileReply): Promise<SentMessage> {
    return sendFile(this.http, this.botToken, { toPersonId, ...file });
  }

  /**
   * Replaces the text of a message the bot sent without a card or file (Webex allows 10 edits).
   * @example await messenger.edit(sent, 'Read 1,200 so far');
   */
  edit(message: { id: string; roomId: string }, markdown: string): Promise<SentMessage> {
    return editMessage(this.http, this.botToken, message.id, { roomId: message.roomId, markdown });
  }

  /**
   * Deletes a message the bot sent.
   * @example await messenger.remove(sent.id);
   */
  remove(messageId: string): Promise<void> {
    return deleteMessage(this.http, this.botToken, messageId);
  }
}

/** Where a conversation takes place: who asked, in which space, in reply to what. */
export interface ConversationPlace {
  person: Person;
  room: Room;
  /** The message to thread notes under in a group space, if any. */
  threadId?: string;
}

/** Answers one person in one conversation, following the privacy rules above. */
export class Conversation {
  constructor(
    private readonly messenger: Messenger,
    readonly place: ConversationPlace,
    private readonly groupReply: GroupReply,
  ) {}

  get isGroup(): boolean {
    return this.place.room.type === 'group';
  }

  /** In the space the person used (threaded in a group space). */
  say(reply: Reply): Promise<SentMessage> {
    return this.messenger.send(
      { roomId: this.place.room.id, parentId: this.isGroup ? this.place.threadId : undefined },
      reply,
    );
  }

  /**
   * Only to the person. From a group space a `note` (without private content) is threaded
   * under their message so they know where to look.
   */
  async sayPrivately(reply: Reply, note?: string): Promise<SentMessage> {
    if (!this.isGroup) return this.say(reply);
    const sent = await this.messenger.send({ toPersonId: this.place.person.id }, reply);
    if (note) await this.say({ markdown: note });
    return sent;
  }

  /** Whether a report goes to the person alone (GROUP_REPLY=dm in a group space). */
  get reportsPrivately(): boolean {
    return this.isGroup && this.groupReply !== 'room';
  }

  /**
   * Where a report will go (see {@link report}), without the note: for a message that stands
   * in for the report until it is ready, such as progress on a long audit.
   */
  sayWhereReportGoes(reply: Reply): Promise<SentMessage> {
    return this.reportsPrivately
      ? this.messenger.send({ toPersonId: this.place.person.id }, reply)
      : this.say(reply);
  }

  /** Replaces the text of a message sent in this conversation (no card, no file). */
  edit(message: { id: string; roomId: string }, markdown: string): Promise<SentMessage> {
    return this.messenger.edit(message, markdown);
  }

  /** Deletes a message sent in this conversation. */
  remove(messageId: string): Promise<void> {
    return this.messenger.remove(messageId);
  }

  /** A report: privately or in the space, as GROUP_REPLY says. */
  report(reply: Reply, note: string): Promise<SentMessage> {
    return this.reportsPrivately ? this.sayPrivately(reply, note) : this.say(reply);
  }

  sendFilePrivately(file: FileReply): Promise<SentMessage> {
    return this.messenger.sendFile(this.place.person.id, file);
  }
}
