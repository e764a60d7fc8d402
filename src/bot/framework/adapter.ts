/**
 * The one place that hosts `webex-node-bot-framework`: it loads it, starts it in webhook or
 * websocket mode, routes its SDK reads through our client, hands it verified envelopes and
 * turns its events into plain Webex objects. Nothing outside this folder touches the
 * framework or the SDK.
 */
import type Framework from 'webex-node-bot-framework';
import type {
  Bot,
  Trigger,
  WebexAttachmentAction,
  WebexMembership,
  WebexMessage,
  WebexPerson,
  WebexWebhook,
} from 'webex-node-bot-framework';
import type { WebhookEnvelope } from '../envelope';
import type { WebexHttp } from '../../webex/client';
import { loadFramework, type ProcessEvent } from './load';
import { botReads, replaceSdkReads, watchSdkRequests, type SdkReads } from './sdk-reads';
import { SOCKET_EVENT_NAME } from './socket-events';
import { withFrameworkChatter } from './console';
import { SocketTransport, type SocketTransportOptions } from './socket-transport';
import { joinConcurrentSpawns } from './spawn';
import { frameworkWebhookName } from './webhook-name';

export type { WebexAttachmentAction, WebexMembership, WebexMessage, WebexPerson, WebexWebhook };

export interface BotIdentity {
  id: string;
  email: string;
  displayName: string;
}

/** A message the framework accepted, with its sender. */
export interface FrameworkMessage {
  message: WebexMessage;
  sender: WebexPerson;
  roomType: 'direct' | 'group';
}

/** A card click the framework accepted, with the person who clicked. */
export interface FrameworkCardAction {
  action: WebexAttachmentAction;
  sender: WebexPerson;
  roomType: 'direct' | 'group';
}

/** A membership the framework read for a `memberships:created` event, and who made it. */
export interface FrameworkMembership {
  membership: WebexMembership;
  /** The event's actor: who added the member. */
  addedBy?: string;
}

/** How events reach the framework: webhooks, or the bot's own websocket. */
export type AdapterTransport =
  | {
      kind: 'webhook';
      /** `<PUBLIC_URL>/webhooks/webex` */
      webhookUrl: string;
      webhookSecret: string;
    }
  | ({
      kind: 'websocket';
      /** The service catalog the SDK starts from; absent: Webex's own. */
      u2cUrl?: string;
      /** How long start() waits for the socket before it gives up. Default 60 s. */
      startTimeoutMs?: number;
    } & Pick<SocketTransportOptions, 'deviceName' | 'onEvent' | 'onConnectionChange'>);

export interface FrameworkAdapterOptions {
  apiUrl: string;
  botToken: string;
  transport: AdapterTransport;
  /** Our retrying client: the framework's per-event and per-space reads go through it. */
  http: WebexHttp;
  /** Handlers may return their work: {@link FrameworkAdapter.handle} waits for it. */
  onMessage: (event: FrameworkMessage) => Promise<void> | void;
  onCardAction: (event: FrameworkCardAction) => Promise<void> | void;
  /** Every membership created in a space the bot is in (the bot's own included). */
  onMembershipCreated?: (event: FrameworkMembership) => Promise<void> | void;
  logger?: {
    info(obj: Record<string, unknown>, msg: string): void;
    warn(obj: Record<string, unknown>, msg: string): void;
  };
  /** How long {@link FrameworkAdapter.start} waits for the framework to take its webhooks. */
  webhookWaitMs?: number;
}

/**
 * The framework read what an event is about (the message, card click, sender or space) and
 * failed, so it dropped the event without a word. Worth another attempt later.
 */
export class EventReadError extends Error {
  readonly code = 'event_read_failed';
  /** The inbox tries the event again later. */
  readonly retryable = true;
  constructor(resource: string, cause: unknown) {
    super(`could not read the ${resource} event from Webex`, { cause });
    this.name = 'EventReadError';
  }
}

/** An event being handled: the reads that failed for it, and the handler work it started. */
interface EventScope {
  envelope: WebhookEnvelope;
  readFailure?: unknown;
  work: Promise<void>[];
}

export class FrameworkAdapter {
  /** HTTP calls the SDK made itself after start (first few): each bypassed our client. */
  readonly unroutedSdkCalls: string[] = [];

  private constructor(
    private readonly scopes: Set<EventScope>,
    private readonly framework: Framework,
    private readonly processEvent: ProcessEvent,
    readonly identity: BotIdentity,
    /**
     * The name the framework holds its events to (its webhooks' name, or the socket's); it
     * drops events whose `name` differs.
     */
    readonly webhookName: string,
    /** Where the framework's own console lines go. */
    private readonly chatter: (line: string) => void,
    /** Websocket mode's socket; undefined in webhook mode. */
    private readonly socket?: SocketTransport,
  ) {}

  /** Websocket mode: true while the socket is connected. Webhook mode: undefined. */
  get socketConnected(): boolean | undefined {
    return this.socket?.connected;
  }

  /**
   * Starts the framework in webhook mode without letting it touch Webex's webhooks: its own
   * start deletes every webhook with its name and creates two new ones (cutting off a
   * replica that is running, and racing another that starts), so its webhook calls are
   * answered here instead. The webhooks themselves are kept by the WebhookReconciler.
   * @example const adapter = await FrameworkAdapter.start({ apiUrl, botToken, webhookUrl, ... });
   */
  static async start(options: FrameworkAdapterOptions): Promise<FrameworkAdapter> {
    const { transport } = options;
    const { Framework: FrameworkCtor, processEvent } = loadFramework(
      options.apiUrl,
      transport.kind === 'websocket' && transport.u2cUrl ? { u2cUrl: transport.u2cUrl } : {},
    );
    const framework = new FrameworkCtor({
      token: options.botToken,
      // Without a webhook URL it listens on the websocket. Never removeDeviceRegistrationsOnStart:
      // it deletes every device of the bot, and a framework bug turns it on when set at all.
      ...(transport.kind === 'webhook'
        ? { webhookUrl: transport.webhookUrl, webhookSecret: transport.webhookSecret }
        : {}),
      // Only ever webhooks with its own name (and those are answered by keepWebhooksAway).
      removeWebhooksOnStart: false,
      // Spaces are discovered when they first speak, so start-up does not list memberships.
      maxStartupSpaces: 0,
      messageFormat: 'markdown',
    });
    joinConcurrentSpawns(framework, options.logger);
    const chatter = frameworkChatterTo(options.logger ?? quietLogger);
    // start() makes its SDK instance synchronously, before its first await.
    const starting = withFrameworkChatter(chatter, () => framework.start());
    keepWebhooksAway(framework);
    const sdk = framework.webex;
    const socket =
      transport.kind === 'websocket'
        ? SocketTransport.prepare(sdk, {
            http: options.http,
            botToken: options.botToken,
            deviceName: transport.deviceName,
            onEvent: transport.onEvent,
            onConnectionChange: transport.onConnectionChange,
            logger: options.logger ?? quietLogger,
          })
        : undefined;
    if (socket && transport.kind === 'websocket') {
      await startWithin(starting, transport.startTimeoutMs ?? 60_000, async () => {
        await socket.stop();
        await withFrameworkChatter(chatter, () => framework.stop()).catch(() => undefined);
      });
      const { messages, memberships, attachmentActions, rooms } = framework.webex;
      socket.divertEvents(
        { messages, memberships, attachmentActions, rooms },
        () => framework.person.id,
      );
    } else {
      await starting;
    }
    const scopes = new Set<EventScope>();
    const reads = noteReadFailures(botReads(options.http, options.botToken), scopes);
    replaceSdkReads(framework.webex, reads);
    // The framework emits synchronously and ignores what listeners return: the work each
    // handler starts is kept on its event's scope (found by the event's data.id).
    const scopeOf = (eventId: string) => [...scopes].find((s) => s.envelope.data.id === eventId);
    const keep = (eventId: string, work: Promise<void> | void) => {
      if (!work) return;
      const scope = scopeOf(eventId);
      if (scope) scope.work.push(work);
      else work.catch((err: unknown) => options.logger?.warn({ err }, 'event handler failed'));
    };
    framework.on('message', (bot: Bot, trigger: Trigger) => {
      if (!trigger.message) return;
      const message = trigger.message;
      keep(
        message.id,
        options.onMessage({
          message,
          sender: trigger.person,
          roomType: message.roomType ?? bot.room.type,
        }),
      );
    });
    // It emits 'message' only for text that is not blank; a blank one still deserves an answer.
    framework.on('messageCreated', (message: WebexMessage) => {
      if (!isBlankText(message)) return;
      keep(
        message.id,
        reads
          .getPerson(message.personId)
          .then((sender) =>
            options.onMessage({ message, sender, roomType: message.roomType ?? 'direct' }),
          ),
      );
    });
    // Not its 'spawn' event (which carries `addedBy`): that fires only when the membership is
    // what sets the space up, so not when a message set it up first, not for a retry of the
    // event (the space is set up by the first attempt), and not for a set-up that joined
    // another (spawn.ts). 'membershipCreated' comes for every delivery it reads.
    framework.on('membershipCreated', (membership: WebexMembership) => {
      const handler = options.onMembershipCreated;
      if (!handler) return;
      const addedBy = scopeOf(membership.id)?.envelope.actorId;
      keep(membership.id, handler({ membership, ...(addedBy ? { addedBy } : {}) }));
    });
    framework.on('attachmentAction', (bot: Bot, trigger: Trigger) => {
      if (!trigger.attachmentAction) return;
      const action = trigger.attachmentAction;
      keep(
        action.id,
        options.onCardAction({ action, sender: trigger.person, roomType: bot.room.type }),
      );
    });
    const identity: BotIdentity = {
      id: framework.person.id,
      email: framework.email,
      displayName: framework.person.displayName,
    };
    const adapter = new FrameworkAdapter(
      scopes,
      framework,
      processEvent,
      identity,
      transport.kind === 'webhook'
        ? frameworkWebhookName(transport.webhookUrl, identity.email)
        : SOCKET_EVENT_NAME,
      chatter,
      socket,
    );
    if (transport.kind === 'webhook') {
      await adapter.webhookNameSettled(options.webhookWaitMs ?? 15_000);
    } else if (adapter.heldWebhookName !== SOCKET_EVENT_NAME) {
      await socket?.stop();
      throw new Error(
        `webex-node-bot-framework named its socket events "${adapter.heldWebhookName}", expected "${SOCKET_EVENT_NAME}": its websocket mode changed`,
      );
    }
    // From here on (its set-up is done) every read of an event should be ours; the socket's
    // own upkeep (device refresh, catalog) is the SDK's.
    watchSdkRequests(framework.webex, (call) => {
      if (socket && !call.includes('hydra')) return;
      if (adapter.unroutedSdkCalls.length < 20) adapter.unroutedSdkCalls.push(call);
      options.logger?.warn({ call }, 'the framework made a Webex call that bypasses our client');
    });
    return adapter;
  }

  /**
   * Hands a verified envelope to the framework's processing step; resolves once the framework
   * has handled it and the handler it called (`onMessage` / `onCardAction`) has finished.
   * The framework swallows every failure: a handler's rejection is passed on, and an event it
   * dropped because a read failed rejects with {@link EventReadError}. An event it ignores
   * (the bot's own message, a deleted one, a space event) resolves.
   * @example await adapter.handle(envelope);
   */
  async handle(envelope: WebhookEnvelope): Promise<void> {
    // An edited message (ours, or a person's) is never a command; the framework skips
    // messages:updated today, and this keeps it so whatever a later version does.
    if (!handlesEvent(envelope)) return;
    const scope: EventScope = { envelope, work: [] };
    this.scopes.add(scope);
    try {
      await this.processEvent(this.framework, envelope);
    } finally {
      this.scopes.delete(scope);
    }
    const results = await Promise.allSettled(scope.work);
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
    if (scope.work.length === 0 && scope.readFailure !== undefined) {
      throw new EventReadError(envelope.resource, scope.readFailure);
    }
  }

  /** The webhook name the framework filters events by, as it holds it. */
  get heldWebhookName(): string | undefined {
    const hook = this.framework.webhook;
    return typeof hook === 'object' && typeof hook.name === 'string' ? hook.name : undefined;
  }

  /**
   * Stops the framework but leaves the webhooks in place: the framework's own `stop()` deletes
   * every webhook with its name, which would cut off another replica, or this one's successor.
   * @example await adapter.stop();
   */
  async stop(): Promise<void> {
    // Its own stop deletes the device but leaves the socket open: close it first.
    await this.socket?.stop();
    // Its clean-up lists its webhooks and removes each: it finds none, and removing is a no-op.
    keepWebhooksAway(this.framework);
    await withFrameworkChatter(this.chatter, () => this.framework.stop());
  }

  /** Its webhook set-up runs unawaited after start() resolves; it ends with both slots set. */
  private async webhookNameSettled(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.heldWebhookName && hasName(this.framework.cardsWebhook)) {
        if (this.heldWebhookName !== this.webhookName) {
          throw new Error(
            `webex-node-bot-framework named its webhooks "${this.heldWebhookName}", expected "${this.webhookName}": its name formula changed`,
          );
        }
        return;
      }
      if (this.framework.webhook === false) break;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error(
      'webex-node-bot-framework did not set up its webhooks through webex.webhooks.create: its start changed',
    );
  }
}

const quietLogger = { info: () => undefined, warn: () => undefined };

function frameworkChatterTo(
  logger: Pick<NonNullable<FrameworkAdapterOptions['logger']>, 'info'>,
): (line: string) => void {
  return (line) => logger.info({ source: 'webex-node-bot-framework' }, line);
}

/**
 * Waits for the framework's start; past `timeoutMs` (its socket never came up: the SDK retries
 * for ever) it cleans up with `abandon` and rejects.
 */
async function startWithin(
  starting: Promise<unknown>,
  timeoutMs: number,
  abandon: () => Promise<void>,
): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  const outcome = await Promise.race([starting.then(() => 'started' as const), timedOut]).finally(
    () => clearTimeout(timer),
  );
  if (outcome === 'timeout') {
    await abandon();
    throw new Error(
      `the Webex websocket did not connect within ${Math.round(timeoutMs / 1000)} s: check that this host reaches Webex over wss:// on port 443`,
    );
  }
}

/**
 * Answers the framework's webhook calls without reaching Webex: `list` finds none (so it
 * removes nothing), `remove` does nothing, and `create` hands back what it asked for (minus
 * the secret, with no id: the real webhooks are the reconciler's). The framework then holds
 * the name it filters events by, which is all it uses its webhooks for.
 */
function keepWebhooksAway(framework: Framework): void {
  const hooks = framework.webex?.webhooks;
  if (!hooks) {
    throw new Error(
      'webex-node-bot-framework had no SDK instance when expected: its start changed',
    );
  }
  hooks.list = () => Promise.resolve({ items: [] });
  hooks.remove = () => Promise.resolve(undefined);
  hooks.create = ({ name, targetUrl, resource, event }) =>
    Promise.resolve({ id: '', name, targetUrl, resource, event });
}

/**
 * Records every failed read on the scopes of the events it was for: by the event's own id
 * (message, card click, membership), its sender, or its space (the set-up of a new space).
 */
function noteReadFailures(reads: SdkReads, scopes: Set<EventScope>): SdkReads {
  const noting =
    <A extends unknown[], T>(
      read: (...args: A) => Promise<T>,
      concerns: (envelope: WebhookEnvelope, ...args: A) => boolean,
    ) =>
    async (...args: A): Promise<T> => {
      try {
        return await read(...args);
      } catch (err) {
        for (const scope of scopes) {
          if (concerns(scope.envelope, ...args)) scope.readFailure ??= err;
        }
        throw err;
      }
    };
  const byId = (e: WebhookEnvelope, id: string) => e.data.id === id;
  const byRoom = (e: WebhookEnvelope, roomId: string | undefined) => e.data.roomId === roomId;
  return {
    getPerson: noting(reads.getPerson, (e, id) => e.data.personId === id || e.actorId === id),
    getMessage: noting(reads.getMessage, byId),
    getAttachmentAction: noting(reads.getAttachmentAction, byId),
    getRoom: noting(reads.getRoom, byRoom),
    getMembership: noting(reads.getMembership, byId),
    listMemberships: noting(reads.listMemberships, (e, filter) =>
      byRoom(e, typeof filter.roomId === 'string' ? filter.roomId : undefined),
    ),
  };
}

/** Only white space, and no files: the framework drops it without a 'message' event. */
function isBlankText(message: WebexMessage & { files?: string[] }): boolean {
  return typeof message.text === 'string' && message.text.trim() === '' && !message.files?.length;
}

function hasName(hook: WebexWebhook | Record<string, never> | false): hook is WebexWebhook {
  return typeof hook === 'object' && typeof hook.name === 'string';
}

/**
 * Whether an event can mean something to the bot: everything but edits of messages.
 * @example handlesEvent({ resource: 'messages', event: 'updated', … }) // false
 */
export function handlesEvent(envelope: Pick<WebhookEnvelope, 'resource' | 'event'>): boolean {
  return !(envelope.resource === 'messages' && envelope.event === 'updated');
}
