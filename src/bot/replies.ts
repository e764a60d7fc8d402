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
  getMessage,
  sendFile,
  sendMessage,
  type NewMessage,
  type PostedMessage,
  type SentMessage,
} from '../webex/messages';
import { notePosted, notePostFailed } from './reply-tally';
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

  /**
   * Posts a reply. `interim` marks a message that only stands in until the answer (progress):
   * it does not count as the event's reply (see reply-tally.ts), so a failed answer after it
   * is still retried.
   */
  send(
    target: Omit<NewMessage, 'markdown' | 'attachments'>,
    reply: Reply,
    options: { interim?: boolean } = {},
  ): Promise<SentMessage> {
    const message = {
      ...target,
      markdown: reply.markdown,
      attachments: reply.card
        ? [{ contentType: 'application/vnd.microsoft.card.adaptive' as const, content: reply.card }]
        : undefined,
    } as NewMessage;
    const post = sendMessage(this.http, this.botToken, message);
    return options.interim ? post : tallied(post);
  }

  sendFile(toPersonId: string, file: FileReply): Promise<SentMessage> {
    return tallied(sendFile(this.http, this.botToken, { toPersonId, ...file }));
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

  /**
   * Reads a message in a space the bot is in.
   * @example const clicked = await messenger.read(click.messageId);
   */
  read(messageId: string): Promise<PostedMessage> {
    return getMessage(this.http, this.botToken, messageId);
  }
}

/** Counts the post on the current event's reply tally (see reply-tally.ts). */
function tallied(post: Promise<SentMessage>): Promise<SentMessage> {
  return post.then(
    (sent) => {
      notePosted();
      return sent;
    },
    (err: unknown) => {
      notePostFailed(err);
      throw err;
    },
  );
}

/** Answers in this thread of a group space instead of the person's (a replaced card's). */
export interface ThreadOption {
  threadId?: string;
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

  /**
   * In the space the person used (threaded in a group space: under their message, or in
   * `options.threadId`).
   */
  say(reply: Reply, options: ThreadOption = {}): Promise<SentMessage> {
    const threadId = options.threadId ?? this.place.threadId;
    return this.messenger.send(
      { roomId: this.place.room.id, parentId: this.isGroup ? threadId : undefined },
      reply,
    );
  }

  /**
   * Only to the person. From a group space a `note` (without private content) is threaded
   * under their message so they know where to look.
   */
  async sayPrivately(
    reply: Reply,
    note?: string,
    options: ThreadOption = {},
  ): Promise<SentMessage> {
    if (!this.isGroup) return this.say(reply, options);
    const sent = await this.messenger.send({ toPersonId: this.place.person.id }, reply);
    if (note) await this.say({ markdown: note }, options);
    return sent;
  }

  /** Whether a report goes to the person alone (GROUP_REPLY=dm in a group space). */
  get reportsPrivately(): boolean {
    return this.isGroup && this.groupReply !== 'room';
  }

  /**
   * Where a report will go (see {@link report}), without the note: for a message that stands
   * in for the report until it is ready, such as progress on a long audit. Not counted as
   * the event's reply.
   */
  sayWhereReportGoes(reply: Reply): Promise<SentMessage> {
    const target = this.reportsPrivately
      ? { toPersonId: this.place.person.id }
      : { roomId: this.place.room.id, parentId: this.isGroup ? this.place.threadId : undefined };
    return this.messenger.send(target, reply, { interim: true });
  }

  /** Replaces the text of a message sent in this conversation (no card, no file). */
  edit(message: { id: string; roomId: string }, markdown: string): Promise<SentMessage> {
    return this.messenger.edit(message, markdown);
  }

  /** Deletes a message sent in this conversation. */
  remove(messageId: string): Promise<void> {
    return this.messenger.remove(messageId);
  }

  /** Reads a message of this conversation (the card a button was pressed on). */
  read(messageId: string): Promise<PostedMessage> {
    return this.messenger.read(messageId);
  }

  /** A report: privately or in the space, as GROUP_REPLY says. */
  report(reply: Reply, note: string, options: ThreadOption = {}): Promise<SentMessage> {
    return this.reportsPrivately
      ? this.sayPrivately(reply, note, options)
      : this.say(reply, options);
  }

  sendFilePrivately(file: FileReply): Promise<SentMessage> {
    return this.messenger.sendFile(this.place.person.id, file);
  }
}
