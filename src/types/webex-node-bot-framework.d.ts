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

  /** The slice of the `webex` SDK instance we touch. */
  export interface WebexSdk {
    people: { get(person: string | { id: string }): Promise<WebexPerson> };
    messages: { get(message: string | { id: string }): Promise<WebexMessage> };
    attachmentActions: {
      get(action: string | { id: string }): Promise<WebexAttachmentAction>;
    };
  }

  export default class Framework extends EventEmitter {
    constructor(options: FrameworkOptions);
    active: boolean;
    initialized: boolean;
    email: string;
    person: WebexPerson;
    webex: WebexSdk;
    webhook: WebexWebhook | false | undefined;
    cardsWebhook: WebexWebhook | undefined;
    start(): Promise<boolean>;
    stop(): Promise<boolean>;
  }
}

declare module 'webex-node-bot-framework/lib/process-event' {
  import type Framework from 'webex-node-bot-framework';
  export default function processEvent(framework: Framework, body: unknown): Promise<unknown>;
}
