/**
 * Where an answer goes. Public answers (help) go where the person asked. Anything with report
 * data or a personal link goes to the person alone when they asked in a group space, and the
 * space gets only a short threaded note.
 */
import type { GroupReply } from '../config';
import type { WebexHttp } from '../webex/client';
import { sendFile, sendMessage, type NewMessage, type SentMessage } from '../webex/messages';
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

  send(target: Omit<NewMessage, 'markdown' | 'attachments'>, reply: Reply): Promise<SentMessage> {
    const message = {
      ...target,
      markdown: reply.markdown,
      attachments: reply.card
        ? [{ contentType: 'application/vnd.microsoft.card.adaptive' as const, content: reply.card }]
        : undefined,
    } as NewMessage;
    return tallied(sendMessage(this.http, this.botToken, message));
  }

  sendFile(toPersonId: string, file: FileReply): Promise<SentMessage> {
    return tallied(sendFile(this.http, this.botToken, { toPersonId, ...file }));
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

  /** A report: privately or in the space, as GROUP_REPLY says. */
  report(reply: Reply, note: string): Promise<SentMessage> {
    return this.groupReply === 'room' ? this.say(reply) : this.sayPrivately(reply, note);
  }

  sendFilePrivately(file: FileReply): Promise<SentMessage> {
    return this.messenger.sendFile(this.place.person.id, file);
  }
}
