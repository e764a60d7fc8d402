/**
 * Websocket mode around the framework's own (webex-node-bot-framework without `webhookUrl`:
 * the SDK registers a device and listens on its Mercury socket). What this adds:
 * - the device is registered under this replica's name, replacing only its own earlier
 *   registration by that name, and expires if the process dies (ephemeral, 30 min);
 * - events go to the inbox as envelopes (the framework processes them when the inbox hands
 *   them over, as webhooks), not straight to the framework;
 * - when the SDK gives up reconnecting (after a few tries at the same URL, or on a close it
 *   treats as final), the registration is refreshed or replaced, for a fresh socket URL, and
 *   the socket connects again, with backoff;
 * - `connected` for /readyz, and a stop that closes the socket and deletes the registration.
 */
import type { SdkEmitter, WebexSdk } from 'webex-node-bot-framework';
import type { WebhookEnvelope } from '../envelope';
import type { WebexHttp } from '../../webex/client';
import { removeOwnDevices } from './devices';
import { sdkPluginPath } from './load';
import {
  messageEnvelope,
  socketEnvelope,
  SOCKET_EVENTS,
  type ConversationActivity,
  type HydraIds,
  type SdkSocketEvent,
} from './socket-events';
import { recoveryDelayMs, recoveryStep, SOCKET_BACKOFF, type SocketBackoff } from './socket-plan';

export interface SocketTransportOptions {
  http: WebexHttp;
  botToken: string;
  /** This replica's registration name (devices.ts, deviceNameFor). */
  deviceName: string;
  /** Takes an event into the inbox; never rejects (it logs what it could not store). */
  onEvent: (envelope: WebhookEnvelope) => void;
  logger: {
    info(obj: Record<string, unknown>, msg: string): void;
    warn(obj: Record<string, unknown>, msg: string): void;
  };
  /** Tries at the same socket URL the SDK makes before this transport takes over. Default 3. */
  sdkRetries?: number;
  backoff?: SocketBackoff;
  random?: () => number;
  /** Told each time the socket comes up or goes down. */
  onConnectionChange?: (connected: boolean) => void;
}

interface SdkCommon {
  buildHydraMessageId(uuid: string, cluster: string): string;
  buildHydraPersonId(uuid: string, cluster: string): string;
  buildHydraRoomId(uuid: string, cluster: string): string;
  getHydraClusterString(sdk: WebexSdk, url: string): string;
  getHydraRoomType(tags: string[]): 'direct' | 'group';
}

/** How long a socket close may take before the transport goes on without it. */
const SOCKET_CLOSE_WAIT_MS = 3_000;

type SocketPlugins = Record<'messages' | 'memberships' | 'attachmentActions' | 'rooms', SdkEmitter>;

export class SocketTransport {
  private stopped = false;
  private recovering: NodeJS.Timeout | undefined;
  private attempts = 0;
  private wasConnected = false;

  private constructor(
    private readonly sdk: WebexSdk,
    private readonly options: SocketTransportOptions,
  ) {}

  /**
   * Sets the SDK up for this transport. Call right after `framework.start()` was called (it
   * makes the SDK instance synchronously) and before it is awaited (it registers the device).
   * @example const starting = framework.start(); const socket = SocketTransport.prepare(framework.webex, options);
   */
  static prepare(sdk: WebexSdk, options: SocketTransportOptions): SocketTransport {
    const transport = new SocketTransport(sdk, options);
    sdk.setConfig({
      device: { ephemeral: true, body: { name: options.deviceName } },
      mercury: { maxRetries: options.sdkRetries ?? 3 },
    });
    const { device, mercury } = sdk.internal;
    const register = device.register.bind(device);
    device.register = async () => {
      await transport.removeOwnEarlierDevices();
      return register();
    };
    // Its close handler calls this unawaited: a final failure would go unhandled.
    const reconnect = mercury._reconnect.bind(mercury);
    mercury._reconnect = (url) =>
      reconnect(url).catch((err: unknown) => transport.sdkGaveUp('reconnect failed', err));
    mercury.on('online', () => transport.connectionChanged(true));
    mercury.on('offline', () => transport.connectionChanged(false));
    for (const final of ['offline.permanent', 'offline.replaced']) {
      mercury.on(final, () => transport.sdkGaveUp(final));
    }
    return transport;
  }

  /** True while the socket is connected and authorised. */
  get connected(): boolean {
    return !this.stopped && this.sdk.internal.mercury.connected;
  }

  /**
   * Takes the framework's events over: they go to `onEvent` instead of straight to its
   * processing step. Call once `framework.start()` has resolved (it listens by then).
   * @example await starting; socket.divertEvents(framework.webex, () => framework.person.id);
   */
  divertEvents(plugins: SocketPlugins, botId: () => string): void {
    const received = () => new Date().toISOString();
    // Off with every handler it gave the framework (processing at once, not via the inbox).
    for (const emitter of Object.values(plugins)) emitter.off();
    for (const [plugin, events] of Object.entries(SOCKET_EVENTS)) {
      const emitter = plugins[plugin as keyof typeof SOCKET_EVENTS];
      for (const event of events) {
        emitter.on(event, (sdkEvent: SdkSocketEvent) => {
          if (!this.stopped) this.options.onEvent(socketEnvelope(sdkEvent, received()));
        });
      }
    }
    // Its messages plugin reads each message before it emits the event: on every replica, and
    // a failed read loses the event. The envelope is made from the activity instead.
    const { mercury } = this.sdk.internal;
    plugins.messages.stopListening(mercury);
    const ids = this.hydraIds();
    mercury.on(
      'event:conversation.activity',
      (message: { data?: { activity?: ConversationActivity } }) => {
        const activity = message.data?.activity;
        if (this.stopped || !activity) return;
        const envelope = messageEnvelope(activity, ids, received());
        // The bot's own posts are never a request; not storing them saves a row each.
        if (envelope && envelope.actorId !== botId()) this.options.onEvent(envelope);
      },
    );
  }

  /**
   * Closes the socket (no reconnect follows) and deletes this replica's registration.
   * @example await socket.stop();
   */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    clearTimeout(this.recovering);
    const { device } = this.sdk.internal;
    await this.closeSocket().catch((err: unknown) => this.warn(err, 'socket close failed'));
    // Else its refresh timer would register a new device later, in a process still winding down.
    clearTimeout(device.refreshTimer);
    await device.unregister().catch((err: unknown) => this.warn(err, 'device delete failed'));
  }

  /**
   * Closes the socket if one is open or opening. The SDK's `disconnect()` waits for an
   * 'offline' that never comes when its last attempt was refused (that socket never opened),
   * so it is only asked while there is something to close, and not waited on for long.
   */
  private async closeSocket(): Promise<void> {
    const { mercury } = this.sdk.internal;
    if (!mercury.connected && !mercury.connecting) return;
    let timer: NodeJS.Timeout | undefined;
    const givenUp = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, SOCKET_CLOSE_WAIT_MS);
      timer.unref();
    });
    await Promise.race([mercury.disconnect(), givenUp]).finally(() => clearTimeout(timer));
  }

  private async removeOwnEarlierDevices(): Promise<void> {
    const wdmUrl = await this.sdk.internal.services.waitForService({ name: 'wdm' });
    const removed = await removeOwnDevices({
      http: this.options.http,
      botToken: this.options.botToken,
      wdmUrl,
      name: this.options.deviceName,
    });
    if (removed > 0) {
      this.options.logger.info(
        { removed, device: this.options.deviceName },
        'replaced earlier device registrations of this replica',
      );
    }
  }

  private connectionChanged(connected: boolean): void {
    if (connected) this.attempts = 0;
    if (connected === this.wasConnected) return;
    this.wasConnected = connected;
    if (!this.stopped) this.options.logger.info({ connected }, 'websocket connection changed');
    this.options.onConnectionChange?.(connected);
  }

  /** The SDK will not reconnect by itself: recover after a backoff. */
  private sdkGaveUp(reason: string, err?: unknown): void {
    if (this.stopped || this.recovering) return;
    this.attempts += 1;
    const delay = recoveryDelayMs(
      this.attempts,
      this.options.backoff ?? SOCKET_BACKOFF,
      this.options.random ?? Math.random,
    );
    this.options.logger.warn(
      { reason, err, attempt: this.attempts, retryInMs: delay },
      'websocket lost; reconnecting',
    );
    this.recovering = setTimeout(() => void this.recover(), delay);
    this.recovering.unref();
  }

  private async recover(): Promise<void> {
    const { mercury, device } = this.sdk.internal;
    try {
      if (this.stopped) return;
      // Ends the SDK's own retries at the old URL, if any are still going.
      await this.closeSocket();
      if (recoveryStep(this.attempts) === 'refresh') {
        await device.refresh();
      } else {
        await device.unregister().catch(() => undefined);
        await device.register();
      }
      if (this.stopped) return;
      // With no URL it connects to the device's current (fresh) one.
      await mercury.connect();
      this.recovering = undefined;
    } catch (err) {
      this.recovering = undefined;
      this.sdkGaveUp('recovery failed', err);
    }
  }

  private hydraIds(): HydraIds {
    /* eslint-disable-next-line @typescript-eslint/no-require-imports -- the SDK's own copy, as its plugins use it */
    const common = require(sdkPluginPath('@webex/common')) as SdkCommon;
    return {
      clusterOf: (url) => common.getHydraClusterString(this.sdk, url),
      messageId: common.buildHydraMessageId,
      personId: common.buildHydraPersonId,
      roomId: common.buildHydraRoomId,
      roomType: common.getHydraRoomType,
    };
  }

  private warn(err: unknown, msg: string): void {
    this.options.logger.warn({ err }, msg);
  }
}
