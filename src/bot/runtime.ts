/**
 * The bot runtime: starts the framework against Webex (or the sandbox), takes verified
 * webhook envelopes from the receiver, and turns the framework's events into plain
 * {@link IncomingMessage} / {@link IncomingCardAction} objects for the command layer.
 */
import type { Logger } from '../log';
import type { WebhookEnvelope } from './envelope';
import type { WebexHttp } from '../webex/client';
import {
  EventReadError,
  FrameworkAdapter,
  type AdapterTransport,
  type BotIdentity,
  type FrameworkMembership,
  type FrameworkCardAction,
  type FrameworkMessage,
} from './framework';
import { stripMention } from './mention';
import type { Metrics } from '../metrics';
import { WebhookReconciler } from './webhooks';
import { isPostRetryable, ReplyNotPostedError, tallyReplies } from './reply-tally';

export type { BotIdentity };

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

/** Someone added the bot to a group space (a new membership of the bot there). */
export interface BotAddedToSpace {
  kind: 'botAdded';
  room: Room;
  /** The bot's membership (Webex reuses it when the bot is added back after a removal). */
  membershipId: string;
  /** When the bot was added: tells an add-back from the first add. */
  addedAt?: string;
  /** Who added it, when Webex says. */
  addedBy?: string;
}

export interface BotRuntimeOptions {
  apiUrl: string;
  botToken: string;
  /** Webhooks at `<PUBLIC_URL>/webhooks/webex`, or the bot's own websocket. */
  transport: AdapterTransport;
  http: WebexHttp;
  /**
   * For the framework's reads of each event (message, sender, card click, space). They may
   * give up sooner than other calls: the inbox tries the whole event again later.
   */
  eventReadsHttp?: WebexHttp;
  logger: Logger;
  onMessage: (message: IncomingMessage) => Promise<void>;
  onCardAction: (action: IncomingCardAction) => Promise<void>;
  /** The bot was added to a group space (never a 1:1: there the person's message is answered). */
  onBotAdded?: (added: BotAddedToSpace) => Promise<void>;
  metrics?: Pick<Metrics, 'webhookReconciles'>;
}

/** Resources whose events are someone asking the bot something. */
const REQUESTS = new Set(['messages', 'attachmentActions']);

/**
 * The bot's own membership created in a group space: its welcome is owed, so a failed read of
 * it is worth another attempt, as for a request. An envelope that does not say the room type
 * counts too (a retry of a 1:1 membership costs one read; a lost welcome is not seen again).
 */
function addsBotToGroup(envelope: WebhookEnvelope, botId: string): boolean {
  return (
    envelope.resource === 'memberships' &&
    envelope.event === 'created' &&
    envelope.data.personId === botId &&
    envelope.data.roomType !== 'direct'
  );
}

export class BotRuntime {
  private constructor(
    private readonly options: BotRuntimeOptions,
    private readonly adapter: FrameworkAdapter,
    /**
     * Keeps this deployment's webhooks; run by the scheduler's reconcile job (webhook-upkeep.ts).
     * Undefined in websocket mode, which needs none.
     */
    readonly webhooks: WebhookReconciler | undefined,
  ) {}

  get identity(): BotIdentity {
    return this.adapter.identity;
  }

  /**
   * Starts the framework in webhook mode (it creates no webhooks: the scheduler's reconcile
   * job does, on {@link webhooks}) or websocket mode (resolves once the socket is up).
   * @example const runtime = await BotRuntime.start({ apiUrl, botToken, ... });
   */
  static async start(options: BotRuntimeOptions): Promise<BotRuntime> {
    // Events reach the framework only through handle(), which needs the runtime first.
    let runtime: BotRuntime | undefined;
    const adapter = await FrameworkAdapter.start({
      apiUrl: options.apiUrl,
      botToken: options.botToken,
      transport: options.transport,
      http: options.eventReadsHttp ?? options.http,
      logger: options.logger,
      onMessage: (event) => runtime?.onFrameworkMessage(event),
      onCardAction: (event) => runtime?.onFrameworkCardAction(event),
      onMembershipCreated: (event) => runtime?.onFrameworkMembership(event),
    });
    const { transport } = options;
    const reconciler =
      transport.kind === 'webhook'
        ? new WebhookReconciler({
            http: options.http,
            botToken: options.botToken,
            name: adapter.webhookName,
            targetUrl: transport.webhookUrl,
            secret: transport.webhookSecret,
            logger: options.logger,
            metrics: options.metrics,
          })
        : undefined;
    runtime = new BotRuntime(options, adapter, reconciler);
    return runtime;
  }

  /**
   * Hands a verified envelope to the framework and resolves once its handler has finished.
   * Rejects with a `retryable` error when trying again later may help: the event could not
   * be read ({@link EventReadError}), or nothing could be posted ({@link ReplyNotPostedError}).
   * Events about spaces and memberships never reject for a failed read (nobody waits on
   * them), except the bot's own membership of a group space, which owes a welcome.
   * @example await runtime.handle(envelope);
   */
  async handle(envelope: WebhookEnvelope): Promise<void> {
    if (envelope.actorId === this.identity.id && envelope.resource === 'messages') return;
    try {
      await this.adapter.handle(envelope);
    } catch (err) {
      if (!(err instanceof EventReadError) || REQUESTS.has(envelope.resource)) throw err;
      if (addsBotToGroup(envelope, this.identity.id)) throw err;
      this.options.logger.warn({ err, resource: envelope.resource }, 'event not read; skipped');
    }
  }

  /**
   * Whether events can reach this replica: in webhook mode, both webhooks exist and are
   * active (whichever replica keeps them); in websocket mode, its socket is connected.
   */
  eventsReady(): Promise<boolean> {
    if (this.webhooks) return this.webhooks.ready();
    return Promise.resolve(this.adapter.socketConnected === true);
  }

  /** Stops taking events (closing the socket, in websocket mode); the webhooks stay. */
  async stop(): Promise<void> {
    await this.adapter.stop();
  }

  private onFrameworkMessage({
    message,
    sender,
    roomType,
  }: FrameworkMessage): Promise<void> | undefined {
    // The bot's own messages are cut in handle() (by actorId) and by the ignoreOwnMessages step.
    const room: Room = { id: message.roomId, type: roomType };
    // Webex only notifies a bot of group messages that mention it; do not rely on that alone.
    if (room.type === 'group' && !message.mentionedPeople?.includes(this.identity.id)) return;
    const incoming: IncomingMessage = {
      kind: 'message',
      person: personOf(sender),
      room,
      messageId: message.id,
      threadId: message.parentId ?? message.id,
      text: stripMention(message, this.identity),
    };
    return this.run(() => this.options.onMessage(incoming));
  }

  private onFrameworkCardAction({ action, sender, roomType }: FrameworkCardAction): Promise<void> {
    const incoming: IncomingCardAction = {
      kind: 'cardAction',
      person: personOf(sender),
      room: { id: action.roomId, type: roomType },
      actionId: action.id,
      messageId: action.messageId,
      inputs: action.inputs ?? {},
    };
    return this.run(() => this.options.onCardAction(incoming));
  }

  private onFrameworkMembership({
    membership,
    addedBy,
  }: FrameworkMembership): Promise<void> | undefined {
    const onBotAdded = this.options.onBotAdded;
    if (!onBotAdded || membership.personId !== this.identity.id) return;
    // A 1:1 space is made by a person writing to the bot: their message gets the answer.
    if (membership.roomType !== 'group') return;
    // The bot never speaks to itself (it adds itself nowhere today; if it did, no welcome).
    if (addedBy === this.identity.id) return;
    const added: BotAddedToSpace = {
      kind: 'botAdded',
      room: { id: membership.roomId, type: 'group' },
      membershipId: membership.id,
      ...(membership.created ? { addedAt: membership.created } : {}),
      ...(addedBy ? { addedBy } : {}),
    };
    return this.run(() => onBotAdded(added));
  }

  /**
   * Runs a handler, counting what it posted: when nothing reached the person because Webex
   * did not take a post, the event is worth another attempt (no reply can repeat), also when
   * the handler passed that failure on (the welcome has no error reply to fall back on).
   */
  private async run(task: () => Promise<void>): Promise<void> {
    let failed: { err: unknown } | undefined;
    const { tally } = await tallyReplies(() =>
      task().catch((err: unknown) => void (failed = { err })),
    );
    if (tally.posted === 0 && tally.failure !== undefined && isPostRetryable(tally.failure)) {
      throw new ReplyNotPostedError(tally.failure);
    }
    if (failed) throw failed.err;
  }
}

function personOf(sender: { id: string; emails: string[]; displayName: string }): Person {
  return {
    id: sender.id,
    email: sender.emails[0] ?? '',
    displayName: sender.displayName,
  };
}
