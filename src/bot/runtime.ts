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
  type BotIdentity,
  type FrameworkCardAction,
  type FrameworkMessage,
} from './framework';
import { stripMention } from './mention';
import type { Metrics } from '../metrics';
import type { Store } from '../store/store';
import { WebhookKeeper } from './webhook-keeper';
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

export interface BotRuntimeOptions {
  apiUrl: string;
  botToken: string;
  /** `<PUBLIC_URL>/webhooks/webex` */
  webhookUrl: string;
  webhookSecret: string;
  http: WebexHttp;
  /**
   * For the framework's reads of each event (message, sender, card click, space). They may
   * give up sooner than other calls: the inbox tries the whole event again later.
   */
  eventReadsHttp?: WebexHttp;
  logger: Logger;
  onMessage: (message: IncomingMessage) => Promise<void>;
  onCardAction: (action: IncomingCardAction) => Promise<void>;
  /** Holds the lease that picks the one replica reconciling the webhooks. */
  leases: Pick<Store, 'claimLeadership' | 'releaseLeadership'>;
  /** How often the leading replica reconciles the webhooks (WEBHOOK_RECONCILE_SECONDS). */
  webhookReconcileMs: number;
  metrics?: Pick<Metrics, 'webhookReconciles' | 'webhookLeader'>;
}

/** Resources whose events are someone asking the bot something. */
const REQUESTS = new Set(['messages', 'attachmentActions']);

export class BotRuntime {
  private constructor(
    private readonly options: BotRuntimeOptions,
    private readonly adapter: FrameworkAdapter,
    private readonly reconciler: WebhookReconciler,
    private readonly keeper: WebhookKeeper,
  ) {}

  get identity(): BotIdentity {
    return this.adapter.identity;
  }

  /**
   * Starts the framework in webhook mode; if this replica wins the webhook lease, its first
   * reconcile is done when this resolves (a failed one is retried in the background).
   * @example const runtime = await BotRuntime.start({ apiUrl, botToken, ... });
   */
  static async start(options: BotRuntimeOptions): Promise<BotRuntime> {
    // Events reach the framework only through handle(), which needs the runtime first.
    let runtime: BotRuntime | undefined;
    const adapter = await FrameworkAdapter.start({
      apiUrl: options.apiUrl,
      botToken: options.botToken,
      webhookUrl: options.webhookUrl,
      webhookSecret: options.webhookSecret,
      http: options.eventReadsHttp ?? options.http,
      logger: options.logger,
      onMessage: (event) => runtime?.onFrameworkMessage(event),
      onCardAction: (event) => runtime?.onFrameworkCardAction(event),
    });
    const reconciler = new WebhookReconciler({
      http: options.http,
      botToken: options.botToken,
      name: adapter.webhookName,
      targetUrl: options.webhookUrl,
      secret: options.webhookSecret,
      logger: options.logger,
      metrics: options.metrics,
    });
    const keeper = new WebhookKeeper({
      reconciler,
      store: options.leases,
      intervalMs: options.webhookReconcileMs,
      logger: options.logger,
      metrics: options.metrics,
    });
    runtime = new BotRuntime(options, adapter, reconciler, keeper);
    await keeper.start();
    return runtime;
  }

  /**
   * Hands a verified envelope to the framework and resolves once its handler has finished.
   * Rejects with a `retryable` error when trying again later may help: the event could not
   * be read ({@link EventReadError}), or nothing could be posted ({@link ReplyNotPostedError}).
   * Events about spaces and memberships never reject for a failed read: nobody waits on them.
   * @example await runtime.handle(envelope);
   */
  async handle(envelope: WebhookEnvelope): Promise<void> {
    if (envelope.actorId === this.identity.id && envelope.resource === 'messages') return;
    try {
      await this.adapter.handle(envelope);
    } catch (err) {
      if (!(err instanceof EventReadError) || REQUESTS.has(envelope.resource)) throw err;
      this.options.logger.warn({ err, resource: envelope.resource }, 'event not read; skipped');
    }
  }

  /** True when both webhooks exist and are active (whichever replica keeps them). */
  webhooksReady(): Promise<boolean> {
    return this.reconciler.ready();
  }

  /** True while this replica leads webhook reconciliation. */
  get leadsWebhooks(): boolean {
    return this.keeper.isLeader;
  }

  /** Stops taking events and gives up the webhook lease; the webhooks stay. */
  async stop(): Promise<void> {
    await this.keeper.stop();
    await this.adapter.stop();
  }

  private onFrameworkMessage({
    message,
    sender,
    roomType,
  }: FrameworkMessage): Promise<void> | undefined {
    if (message.personId === this.identity.id) return;
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

  /**
   * Runs a handler, counting what it posted: when nothing reached the person because Webex
   * did not take a post, the event is worth another attempt (no reply can repeat).
   */
  private async run(task: () => Promise<void>): Promise<void> {
    const { tally } = await tallyReplies(task);
    if (tally.posted === 0 && tally.failure !== undefined && isPostRetryable(tally.failure)) {
      throw new ReplyNotPostedError(tally.failure);
    }
  }
}

function personOf(sender: { id: string; emails: string[]; displayName: string }): Person {
  return {
    id: sender.id,
    email: sender.emails[0] ?? '',
    displayName: sender.displayName,
  };
}
