/**
 * The sandbox's Mercury: the websocket a registered device's `webSocketUrl` names, speaking
 * what @webex/internal-plugin-mercury expects (see frames.ts), and the sink that turns sandbox
 * events into conversation activities for every connected device whose owner may hear of them
 * (the same rule as webhooks: webhook-rules.ts `personHears`).
 *
 * Closing codes, as the SDK reads them (socket-base.js `open`, mercury.js `_onclose`):
 * - 4401 a bad token (the client refreshes its token and retries), 4403 someone else's
 *   device (it gives up), 4404 a stale or deleted registration (before the socket is up it
 *   retries the same URL and emits `connection_failed`; on a live socket it stops);
 * - 4000 "replaced" when the device connects again (the old socket stops for good);
 * - a drop closes with 1001 by default (or `terminate`, 1006): the client reconnects at once.
 * Events while a device has no live socket are lost, as on Webex (counted as `missed`).
 */
import type { IncomingMessage, Server } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { EventSink, SandboxEvent } from '../events';
import type { SandboxState } from '../state';
import { personHears } from '../webhook-rules';
import { socketKeyOf } from './devices';
import {
  activityFor,
  activityFrame,
  activityVerb,
  bufferStateFrame,
  parseClientMessage,
  pongFrame,
  type ActivitySources,
  type FrameStamp,
  type MercuryFrame,
} from './frames';

export interface SocketStats {
  /** Websocket upgrades accepted (refused ones too: they are closed with a code). */
  opened: number;
  /** Sockets that sent a good `authorization`. */
  authorized: number;
  /** Sockets closed for a bad token, someone else's device or a stale URL. */
  refused: number;
  /** Activity frames sent. */
  delivered: number;
  /** Activity frames the client acknowledged. */
  acked: number;
  /** Activities a registered device would have had while it had no live socket (lost). */
  missed: number;
  /** Live sockets closed by the control API or because their device was deleted. */
  dropped: number;
  /** Pings answered. */
  pongs: number;
}

export interface SocketView {
  deviceId: string;
  personEmail: string;
  authorized: boolean;
  openedAt: string;
  /** Activity frames sent but not acknowledged yet. */
  unacked: number;
}

/** Which live sockets a control call means: all, a person's, or one device's. */
export interface SocketSelector {
  personId?: string;
  deviceId?: string;
}

export interface DropOptions {
  /** A close code the client sees (default 1001, "going away"). */
  code?: number;
  reason?: string;
  /** Cut the connection without a closing handshake: the client sees 1006. */
  terminate?: boolean;
}

interface LiveSocket {
  ws: WebSocket;
  deviceId: string;
  personId?: string;
  baseUrl: string;
  openedAt: string;
  authorized: boolean;
  /** Closed by the sandbox, waiting for the closing handshake: no longer delivered to. */
  closing: boolean;
  nextSequence: number;
  unacked: Set<string>;
}

export type SocketLogger = (message: string) => void;

export class MercuryHub implements EventSink {
  readonly stats: SocketStats = {
    opened: 0,
    authorized: 0,
    refused: 0,
    delivered: 0,
    acked: 0,
    missed: 0,
    dropped: 0,
    pongs: 0,
  };
  private readonly sockets = new Set<LiveSocket>();
  private readonly server = new WebSocketServer({ noServer: true });
  private waiters: Array<() => void> = [];

  constructor(
    private readonly state: SandboxState,
    private readonly log: SocketLogger = () => undefined,
  ) {}

  /** Serves Mercury upgrades on `server`; any other upgrade is answered 404. */
  attach(server: Server): void {
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      const key = socketKeyOf(new URL(req.url ?? '/', 'http://sandbox').pathname);
      if (key === undefined) {
        socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      const baseUrl = `http://${req.headers.host ?? 'localhost'}`;
      this.server.handleUpgrade(req, socket, head, (ws) => this.accept(ws, key, baseUrl));
    });
  }

  publish(event: SandboxEvent): void {
    if (activityVerb(event) === undefined) return;
    for (const device of this.state.devices.values()) {
      const owner = this.state.people.get(device.personId);
      if (!owner || !personHears(owner, event)) continue;
      const live = this.liveSocketOf(device.id);
      const activity = live && activityFor(event, this.sources(live.baseUrl));
      if (!live || !activity) {
        this.stats.missed++;
        continue;
      }
      const frame = activityFrame(activity, this.stamp(live));
      live.unacked.add(frame.id);
      this.stats.delivered++;
      this.send(live, frame);
    }
  }

  /** The sockets open now (a closing one until its closing handshake is done). */
  list(): SocketView[] {
    return [...this.sockets].map((live) => ({
      deviceId: live.deviceId,
      personEmail: (live.personId && this.state.people.get(live.personId)?.emails[0]) || '',
      authorized: live.authorized,
      openedAt: live.openedAt,
      unacked: live.unacked.size,
    }));
  }

  /** Whether the device has an authorised socket now. */
  isConnected(deviceId: string): boolean {
    return this.liveSocketOf(deviceId) !== undefined;
  }

  /**
   * Closes the server side of the selected live sockets; resolves with how many.
   * @example hub.drop({ personId: bot.id }) // the bot's SDK reconnects by itself
   */
  drop(selector: SocketSelector = {}, options: DropOptions = {}): number {
    let dropped = 0;
    for (const live of this.sockets) {
      if (live.closing) continue;
      if (selector.deviceId && live.deviceId !== selector.deviceId) continue;
      if (selector.personId && live.personId !== selector.personId) continue;
      this.closeSocket(live, options);
      dropped++;
    }
    return dropped;
  }

  /** Resolves once every activity frame sent so far was acknowledged or its socket closed. */
  async idle(): Promise<void> {
    while ([...this.sockets].some((live) => live.unacked.size > 0)) {
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  /** Cuts every socket and stops serving upgrades (the sandbox is closing). */
  async close(): Promise<void> {
    for (const live of this.sockets) live.ws.terminate();
    this.sockets.clear();
    this.wake();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private closeSocket(live: LiveSocket, options: DropOptions): void {
    this.stats.dropped++;
    if (options.terminate) live.ws.terminate();
    else this.shut(live, options.code ?? 1001, options.reason ?? 'Going away');
  }

  /** Starts the closing handshake; the socket is forgotten on its `close`. */
  private shut(live: LiveSocket, code: number, reason: string): void {
    live.closing = true;
    live.ws.close(code, reason);
  }

  private accept(ws: WebSocket, key: string, baseUrl: string): void {
    this.stats.opened++;
    ws.on('error', (error) => this.log(`mercury socket error: ${error.message}`));
    const device = [...this.state.devices.values()].find((d) => d.socketKey === key);
    if (!device) {
      this.stats.refused++;
      ws.close(4404, 'Registration not found');
      return;
    }
    const live: LiveSocket = {
      ws,
      deviceId: device.id,
      baseUrl,
      openedAt: new Date().toISOString(),
      authorized: false,
      closing: false,
      nextSequence: 1,
      unacked: new Set(),
    };
    this.sockets.add(live);
    ws.on('close', () => this.forget(live));
    ws.on('message', (raw: Buffer) => this.receive(live, raw.toString('utf8')));
  }

  private receive(live: LiveSocket, raw: string): void {
    const message = parseClientMessage(raw);
    if (message?.type === 'authorization') this.authorize(live, message.token);
    else if (message?.type === 'ping') {
      this.stats.pongs++;
      this.send(live, pongFrame(message.id, live.nextSequence++));
    } else if (message?.type === 'ack' && live.unacked.delete(message.messageId)) {
      this.stats.acked++;
      this.wake();
    }
  }

  private authorize(live: LiveSocket, token: string): void {
    if (live.authorized) return;
    const person = this.state.personByToken(token);
    const device = this.state.devices.get(live.deviceId);
    if (!person || !device) {
      this.refuse(live, person ? 4404 : 4401, person ? 'Registration not found' : 'Unauthorized');
      return;
    }
    if (device.personId !== person.id) {
      this.refuse(live, 4403, 'Forbidden');
      return;
    }
    for (const other of this.sockets) {
      if (other !== live && other.deviceId === live.deviceId && !other.closing) {
        this.shut(other, 4000, 'replaced');
      }
    }
    live.personId = person.id;
    live.authorized = true;
    this.stats.authorized++;
    this.send(live, bufferStateFrame(this.stamp(live)));
  }

  private refuse(live: LiveSocket, code: number, reason: string): void {
    this.stats.refused++;
    this.shut(live, code, reason);
  }

  private forget(live: LiveSocket): void {
    if (this.sockets.delete(live)) this.wake();
  }

  private wake(): void {
    for (const resolve of this.waiters.splice(0)) resolve();
  }

  private liveSocketOf(deviceId: string): LiveSocket | undefined {
    return [...this.sockets].find(
      (live) => live.deviceId === deviceId && live.authorized && !live.closing,
    );
  }

  private stamp(live: LiveSocket): FrameStamp {
    return { id: randomUUID(), sequenceNumber: live.nextSequence++, timestamp: Date.now() };
  }

  private send(live: LiveSocket, frame: MercuryFrame): void {
    live.ws.send(JSON.stringify(frame), (error) => {
      if (error) this.log(`mercury send to device ${live.deviceId} failed: ${error.message}`);
    });
  }

  private sources(baseUrl: string): ActivitySources {
    const { state } = this;
    return {
      person: (id) => state.people.get(id),
      room: (id) => state.rooms.get(id),
      message: (id) => state.messages.find((m) => m.id === id),
      baseUrl,
      newId: () => randomUUID(),
    };
  }
}
