// The framework ships no types: these cover only what this project uses.
declare module 'webex-node-bot-framework' {
  import { EventEmitter } from 'node:events';

  export interface FrameworkOptions {
    token: string;
    webhookUrl?: string;
    webhookSecret?: string;
    removeWebhooksOnStart?: boolean;
    maxStartupSpaces?: number;
    messageFormat?: 'text' | 'markdown' | 'html';
    restrictedToEmailDomains?: string;
  }

  export interface WebexPerson {
    id: string;
    emails: string[];
    displayName: string;
    type?: string;
    timezone?: string;
  }

  export interface WebexMessage {
    id: string;
    roomId: string;
    roomType: 'direct' | 'group';
    parentId?: string;
    text?: string;
    markdown?: string;
    html?: string;
    personId: string;
    personEmail: string;
    mentionedPeople?: string[];
    created: string;
  }

  export interface WebexAttachmentAction {
    id: string;
    type: string;
    messageId: string;
    inputs: Record<string, unknown>;
    personId: string;
    roomId: string;
    created: string;
  }

  export interface WebexWebhook {
    id: string;
    name: string;
    resource: string;
    event: string;
    targetUrl: string;
  }

  /** What the framework asks `webex.webhooks.create` for. */
  export interface WebexWebhookRequest {
    name: string;
    targetUrl: string;
    resource: string;
    event: string;
    secret?: string;
  }

  export interface Trigger {
    type: 'message' | 'attachmentAction';
    id: string;
    text?: string;
    message?: WebexMessage;
    attachmentAction?: WebexAttachmentAction;
    person: WebexPerson;
    personId: string;
  }

  export interface Bot {
    id: string;
    room: { id: string; title: string; type: 'direct' | 'group' };
    isDirect: boolean;
    isGroup: boolean;
    person: WebexPerson;
  }

  export interface WebexRoom {
    id: string;
    title: string;
    type: 'direct' | 'group';
    isLocked?: boolean;
    teamId?: string;
  }

  export interface WebexMembership {
    id: string;
    roomId: string;
    personId: string;
    personEmail: string;
    roomType?: 'direct' | 'group';
    isModerator?: boolean;
    /** When the person was added (again: Webex keeps the id, person and room, across re-adds). */
    created?: string;
  }

  /** What the SDK's list calls resolve to (its `Page`): the framework reads these fields. */
  export interface SdkPage<T> {
    items: T[];
    length: number;
    hasNext(): boolean;
    next(): Promise<SdkPage<T>>;
  }

  /** An SDK plugin's event emitter (ampersand-events): what websocket mode listens on. */
  export interface SdkEmitter {
    on(event: string, listener: (...args: never[]) => void): void;
    off(event?: string, listener?: (...args: never[]) => void): void;
    /** Drops the handlers this plugin registered on `other` with listenTo. */
    stopListening(other?: object): void;
  }

  /** The device registration (WDM) of websocket mode. */
  export interface SdkDevice {
    url?: string;
    webSocketUrl?: string;
    registered: boolean;
    refreshTimer?: NodeJS.Timeout;
    register(): Promise<unknown>;
    refresh(): Promise<unknown>;
    unregister(): Promise<unknown>;
  }

  /** The Mercury socket of websocket mode. */
  export interface SdkMercury extends SdkEmitter {
    connected: boolean;
    connecting: boolean;
    connect(webSocketUrl?: string): Promise<void>;
    disconnect(): Promise<void>;
    /** Called by its close handler, unawaited: its rejection would go unhandled. */
    _reconnect(webSocketUrl?: string): Promise<void>;
  }

  /** The slice of the `webex` SDK instance we touch. */
  export interface WebexSdk {
    people: { get(person: string | { id: string }): Promise<WebexPerson> };
    messages: { get(message: string | { id: string }): Promise<WebexMessage> };
    attachmentActions: {
      get(action: string | { id: string }): Promise<WebexAttachmentAction>;
    };
    rooms: { get(room: string | { id: string }): Promise<WebexRoom> };
    memberships: {
      get(membership: string | { id: string }): Promise<WebexMembership>;
      list(options: Record<string, string | number | undefined>): Promise<SdkPage<WebexMembership>>;
    };
    webhooks: {
      list(): Promise<{ items: WebexWebhook[] }>;
      remove(webhook: WebexWebhook | string): Promise<unknown>;
      create(webhook: WebexWebhookRequest): Promise<WebexWebhook>;
    };
    /** Its request interceptors announce every HTTP call as `request:start`. */
    on(event: 'request:start', listener: (options: unknown) => void): void;
    /** Merges into the SDK's configuration; plugins read theirs when they next use it. */
    setConfig(config: Record<string, unknown>): void;
    internal: {
      device: SdkDevice;
      mercury: SdkMercury;
      services: {
        waitForService(query: { name: string; timeout?: number }): Promise<string>;
        getClusterId(url: string): string;
      };
    };
  }

  export default class Framework extends EventEmitter {
    constructor(options: FrameworkOptions);
    active: boolean;
    initialized: boolean;
    email: string;
    person: WebexPerson;
    webex: WebexSdk & {
      messages: SdkEmitter;
      memberships: SdkEmitter;
      attachmentActions: SdkEmitter;
      rooms: SdkEmitter;
    };
    /** `{}` until created, `false` if creating it failed. */
    webhook: WebexWebhook | Record<string, never> | false;
    cardsWebhook: WebexWebhook | Record<string, never>;
    /** Bot objects of the spaces it has set up. */
    bots: Bot[];
    start(): Promise<boolean>;
    stop(): Promise<boolean>;
    /** Sets up a space (its bot object) on first contact; true when it added one. */
    spawn(membership: WebexMembership, actorId?: string): Promise<boolean>;
    findBotObjectInRoom(roomId: string): Bot | undefined;
  }
}

declare module 'webex-node-bot-framework/lib/process-event' {
  import type Framework from 'webex-node-bot-framework';
  export default function processEvent(framework: Framework, body: unknown): Promise<unknown>;
}
