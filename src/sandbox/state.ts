/**
 * The sandbox's in-memory world: the objects a Webex org holds, shaped as the REST API
 * returns them. Routes read and change this state; nothing here does I/O.
 */
import { randomUUID } from 'node:crypto';

/** Webex IDs are base64url of `ciscospark://us/<TYPE>/<uuid>`. */
export type WebexIdType =
  | 'PEOPLE'
  | 'ROOM'
  | 'MEMBERSHIP'
  | 'MESSAGE'
  | 'WEBHOOK'
  | 'ATTACHMENT_ACTION'
  | 'ORGANIZATION'
  | 'APPLICATION'
  | 'CONTENT';

/**
 * Makes a Webex-style ID.
 * @example webexId('ROOM') // 'Y2lzY29zcGFyazovL3VzL1JPT00v...'
 */
export function webexId(type: WebexIdType, uuid: string = randomUUID()): string {
  return Buffer.from(`ciscospark://us/${type}/${uuid}`).toString('base64url');
}

export interface SandboxPerson {
  id: string;
  emails: string[];
  displayName: string;
  firstName?: string;
  lastName?: string;
  nickName?: string;
  orgId: string;
  type: 'person' | 'bot';
  created: string;
  /** IANA zone; absent when the person has not set one (as on Webex). */
  timezone?: string;
  /** Sandbox-only: may grant admin scopes and audit any host on the site. */
  admin: boolean;
}

export interface SandboxRoom {
  id: string;
  title: string;
  type: 'direct' | 'group';
  isLocked: boolean;
  creatorId: string;
  created: string;
  lastActivity: string;
  ownerId: string;
}

export interface SandboxMembership {
  id: string;
  roomId: string;
  personId: string;
  personEmail: string;
  personDisplayName: string;
  personOrgId: string;
  isModerator: boolean;
  isMonitor: boolean;
  isRoomHidden: boolean;
  roomType: 'direct' | 'group';
  created: string;
}

export interface SandboxFile {
  id: string;
  filename: string;
  contentType: string;
  data: Buffer;
}

export interface SandboxMessage {
  id: string;
  roomId: string;
  roomType: 'direct' | 'group';
  parentId?: string;
  toPersonId?: string;
  toPersonEmail?: string;
  text?: string;
  markdown?: string;
  html?: string;
  files?: string[];
  personId: string;
  personEmail: string;
  mentionedPeople?: string[];
  /** `['all']` when the message used `<@all>`. */
  mentionedGroups?: string[];
  attachments?: Array<{ contentType: string; content: unknown }>;
  created: string;
  /** Set by the first edit (`PUT /messages/{id}`), as on Webex. */
  updated?: string;
}

/** One `PUT /messages/{id}` the sandbox accepted: what the message said after it. */
export interface SandboxMessageEdit {
  at: string;
  text?: string;
  markdown?: string;
}

export interface SandboxAttachmentAction {
  id: string;
  type: 'submit';
  messageId: string;
  inputs: Record<string, unknown>;
  personId: string;
  roomId: string;
  created: string;
}

export interface SandboxWebhook {
  id: string;
  name: string;
  targetUrl: string;
  resource: string;
  event: string;
  filter?: string;
  secret?: string;
  status: 'active' | 'inactive';
  created: string;
  orgId: string;
  createdBy: string;
  appId: string;
  ownedBy: 'creator' | 'org';
}

/** One row of `GET /recordingReport/accessDetail`; `accessTime` is stored in UTC. */
export interface SandboxAccessRecord {
  name: string;
  email: string;
  accessTime: string;
  viewed: boolean;
  downloaded: boolean;
}

export interface SandboxRecording {
  id: string;
  topic: string;
  hostEmail: string;
  siteUrl: string;
  timeRecorded: string;
  /** Emails (besides the host) the recording is shared with. */
  sharedWith: string[];
  accessRecords: SandboxAccessRecord[];
}

/**
 * A device registration (WDM), as the `webex` SDK makes one to open the Mercury websocket.
 * Its socket key is the part of its webSocketUrl that names it; a new key makes the old URL
 * stale.
 */
export interface SandboxDevice {
  /** UUID; the device's URL ends with it. */
  id: string;
  personId: string;
  /** What the client registered with (`name`, `deviceType`, `model`, …), shown back as sent. */
  registration: Record<string, string>;
  socketKey: string;
  created: string;
  modified: string;
}

/** A bearer token the sandbox accepts. */
export interface SandboxToken {
  token: string;
  personId: string;
  scopes: string[];
  /** epoch ms; undefined means it never expires (the seeded personal tokens). */
  expiresAt?: number;
  /** How it was issued: seeded personal token, or by the OAuth endpoint for an integration. */
  kind: 'personal' | 'bot' | 'oauth';
  clientId?: string;
}

export interface SandboxRefreshToken {
  token: string;
  personId: string;
  scopes: string[];
  clientId: string;
  expiresAt: number;
}

export interface SandboxIntegration {
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
  scopes: string[];
}

/** Everything the sandbox holds. Routes mutate it; tests may read it directly. */
export class SandboxState {
  readonly orgId = webexId('ORGANIZATION');
  readonly appId = webexId('APPLICATION');
  people = new Map<string, SandboxPerson>();
  rooms = new Map<string, SandboxRoom>();
  memberships = new Map<string, SandboxMembership>();
  /** In creation order; list routes return newest first. */
  messages: SandboxMessage[] = [];
  /** Accepted edits per message ID, oldest first; kept after a delete (tests read them). */
  messageEdits = new Map<string, SandboxMessageEdit[]>();
  attachmentActions = new Map<string, SandboxAttachmentAction>();
  webhooks = new Map<string, SandboxWebhook>();
  files = new Map<string, SandboxFile>();
  recordings = new Map<string, SandboxRecording>();
  tokens = new Map<string, SandboxToken>();
  refreshTokens = new Map<string, SandboxRefreshToken>();
  integrations = new Map<string, SandboxIntegration>();
  /** WDM device registrations by device ID, oldest first. */
  devices = new Map<string, SandboxDevice>();

  personByToken(token: string, now = Date.now()): SandboxPerson | undefined {
    const entry = this.tokens.get(token);
    if (!entry || (entry.expiresAt !== undefined && entry.expiresAt <= now)) return undefined;
    return this.people.get(entry.personId);
  }

  personByEmail(email: string): SandboxPerson | undefined {
    const wanted = email.toLowerCase();
    for (const person of this.people.values()) {
      if (person.emails.some((e) => e.toLowerCase() === wanted)) return person;
    }
    return undefined;
  }
}
