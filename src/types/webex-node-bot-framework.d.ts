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
  }

  /** What the SDK's list calls resolve to (its `Page`): the framework reads these fields. */
  export interface SdkPage<T> {
    items: T[];
    length: number;
    hasNext(): boolean;
    next(): Promise<SdkPage<T>>;
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
  }

  export default class Framework extends EventEmitter {
    constructor(options: FrameworkOptions);
    active: boolean;
    initialized: boolean;
    email: string;
    person: WebexPerson;
    webex: WebexSdk;
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
