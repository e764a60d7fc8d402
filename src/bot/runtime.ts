/**
 * The bot runtime: starts the framework against Webex (or the sandbox), takes verified
 * webhook envelopes from the receiver, and turns the framework's events into plain
 * {@link IncomingMessage} / {@link IncomingCardAction} objects for the command layer.
 */
import type Framework from 'webex-node-bot-framework';
import type {
  Bot,
  Trigger,
  WebexAttachmentAction,
  WebexMessage,
  WebexPerson,
} from 'webex-node-bot-framework';
import { LRUCache } from 'lru-cache';
import type { InFlight } from '../in-flight';
import type { Logger } from '../log';
import { eventKey, type WebhookEnvelope } from './envelope';
import { bearer, type WebexHttp } from '../webex/client';
import {
  frameworkWebhookName,
  frameworkWebhooksSettled,
  loadFramework,
  replaceEventReads,
} from './framework';
import { stripMention } from './mention';
import { WebhookSupervisor } from './webhooks';

export interface Person {
  id: string;
  email: string;
  displayName: string;
}

export interface Room {
  id: string;
  type: 'direct' | 'group';
}

export interface IncomingMessage {
  kind: 'message';
  person: Person;
  room: Room;
  messageId: string;
  /** The thread to answer in: the message's own thread, or the message itself. */
  threadId: string;
  /** The message text with the bot's mention removed and white space folded. */
  text: string;
}

export interface IncomingCardAction {
  kind: 'cardAction';
  person: Person;
  room: Room;
  actionId: string;
  /** The message that carried the card. */
  messageId: string;
  inputs: Record<string, unknown>;
}

export interface BotIdentity {
  id: string;
  email: string;
  displayName: string;
}

export interface BotRuntimeOptions {
  apiUrl: string;
  botToken: string;
  /** `<PUBLIC_URL>/webhooks/webex` */
  webhookUrl: string;
  webhookSecret: string;
  http: WebexHttp;
  logger: Logger;
  /** True the first time a key is seen; Webex may deliver an event more than once. */
  markEventSeen: (key: string) => Promise<boolean>;
  onMessage: (message: IncomingMessage) => Promise<void>;
  onCardAction: (action: IncomingCardAction) => Promise<void>;
  /** Handlers run detached from the framework; this lets a stop wait for them. */
  inFlight: InFlight;
}

export class BotRuntime {
  private readonly supervisorAbort = new AbortController();
  private readonly people: LRUCache<string, WebexPerson>;

  private constructor(
    private readonly options: BotRuntimeOptions,
    private readonly framework: Framework,
    private readonly processEvent: (framework: Framework, body: unknown) => Promise<unknown>,
    private readonly supervisor: WebhookSupervisor,
    readonly identity: BotIdentity,
  ) {
    this.people = new LRUCache({ max: 5_000, ttl: 10 * 60_000 });
  }

  /**
   * Starts the framework in webhook mode and makes sure its webhooks exist.
   * @example const runtime = await BotRuntime.start({ apiUrl, botToken, ... });
   */
  static async start(options: BotRuntimeOptions): Promise<BotRuntime> {
    const { Framework: FrameworkCtor, processEvent } = loadFramework(options.apiUrl);
    const framework = new FrameworkCtor({
      token: options.botToken,
      webhookUrl: options.webhookUrl,
      webhookSecret: options.webhookSecret,
      // Only touch webhooks this deployment created, never another app's.
      removeWebhooksOnStart: false,
      // Spaces are discovered when they first speak, so start-up does not list memberships.
      maxStartupSpaces: 0,
      messageFormat: 'markdown',
    });
    await framework.start();
    const identity: BotIdentity = {
      id: framework.person.id,
      email: framework.email,
      displayName: framework.person.displayName,
    };
    const supervisor = new WebhookSupervisor({
      http: options.http,
      botToken: options.botToken,
      name: frameworkWebhookName(options.webhookUrl, identity.email),
      targetUrl: options.webhookUrl,
      secret: options.webhookSecret,
      logger: options.logger,
    });
    const runtime = new BotRuntime(options, framework, processEvent, supervisor, identity);
    replaceEventReads(framework, {
      getPerson: (id) => runtime.lookupPerson(id),
      getMessage: (id) => runtime.read<WebexMessage>(`/messages/${encodeURIComponent(id)}`),
      getAttachmentAction: (id) =>
        runtime.read<WebexAttachmentAction>(`/attachment/actions/${encodeURIComponent(id)}`),
    });
    framework.on('message', (bot: Bot, trigger: Trigger) =>
      runtime.onFrameworkMessage(bot, trigger),
    );
    framework.on('attachmentAction', (bot: Bot, trigger: Trigger) =>
      runtime.onFrameworkCardAction(bot, trigger),
    );
    // It emits 'message' only for text that is not blank; a blank one still gets the help.
    framework.on('messageCreated', (message: WebexMessage) => runtime.onBlankMessage(message));
    await frameworkWebhooksSettled(framework);
    const hooks = await supervisor.ensureWithRetry(runtime.supervisorAbort.signal);
    // Its event filter compares envelope names with the webhook it believes it created.
    if (hooks && !framework.webhook) {
      framework.webhook = hooks.get('all') as Framework['webhook'];
      framework.cardsWebhook = hooks.get('attachmentActions') as Framework['cardsWebhook'];
    }
    return runtime;
  }

  /** Hands a verified envelope to the framework, once per event. */
  async handle(envelope: WebhookEnvelope): Promise<void> {
    if (envelope.actorId === this.identity.id && envelope.resource === 'messages') return;
    if (!(await this.options.markEventSeen(eventKey(envelope)))) {
      this.options.logger.debug({ resource: envelope.resource }, 'duplicate event ignored');
      return;
    }
    await this.processEvent(this.framework, envelope);
  }

  webhooksReady(): Promise<boolean> {
    return this.supervisor.ready();
  }

  async stop(): Promise<void> {
    this.supervisorAbort.abort();
    await this.framework.stop();
  }

  private async lookupPerson(personId: string): Promise<WebexPerson> {
    const cached = this.people.get(personId);
    if (cached) return cached;
    const person = await this.read<WebexPerson>(`/people/${encodeURIComponent(personId)}`);
    this.people.set(personId, person);
    return person;
  }

  /** A GET as the bot, through our retrying client. */
  private async read<T>(path: string): Promise<T> {
    const response = await this.options.http.get<T>(path, {
      headers: bearer(this.options.botToken),
    });
    return response.data;
  }

  private onFrameworkMessage(bot: Bot, trigger: Trigger): void {
    const message = trigger.message;
    if (!message || message.personId === this.identity.id) return;
    const room: Room = { id: message.roomId, type: message.roomType ?? bot.room.type };
    // Webex only notifies a bot of group messages that mention it; do not rely on that alone.
    if (room.type === 'group' && !message.mentionedPeople?.includes(this.identity.id)) return;
    const incoming: IncomingMessage = {
      kind: 'message',
      person: personOf(trigger),
      room,
      messageId: message.id,
      threadId: message.parentId ?? message.id,
      text: stripMention(message, this.identity),
    };
    this.run(() => this.options.onMessage(incoming));
  }

  private onBlankMessage(message: WebexMessage): void {
    const { files } = message as WebexMessage & { files?: string[] };
    if (typeof message.text !== 'string' || message.text.trim() !== '' || files?.length) return;
    if (message.personId === this.identity.id) return;
    const room: Room = { id: message.roomId, type: message.roomType ?? 'direct' };
    if (room.type === 'group' && !message.mentionedPeople?.includes(this.identity.id)) return;
    this.run(async () => {
      const person = await this.lookupPerson(message.personId);
      await this.options.onMessage({
        kind: 'message',
        person: { id: person.id, email: person.emails[0] ?? '', displayName: person.displayName },
        room,
        messageId: message.id,
        threadId: message.parentId ?? message.id,
        text: '',
      });
    });
  }

  private onFrameworkCardAction(bot: Bot, trigger: Trigger): void {
    const action = trigger.attachmentAction;
    if (!action) return;
    const incoming: IncomingCardAction = {
      kind: 'cardAction',
      person: personOf(trigger),
      room: { id: action.roomId, type: bot.room.type },
      actionId: action.id,
      messageId: action.messageId,
      inputs: action.inputs ?? {},
    };
    this.run(() => this.options.onCardAction(incoming));
  }

  /** Event handlers run detached from the framework; their failures must not escape. */
  private run(task: () => Promise<void>): void {
    this.options.inFlight
      .track(task())
      .catch((err: unknown) => this.options.logger.error({ err }, 'event handler failed'));
  }
}

function personOf(trigger: Trigger): Person {
  return {
    id: trigger.person.id,
    email: trigger.person.emails[0] ?? '',
    displayName: trigger.person.displayName,
  };
}
