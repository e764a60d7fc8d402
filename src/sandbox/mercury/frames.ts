/**
 * The Mercury websocket's messages, both ways, as pure functions. Shapes are taken from the
 * SDK that reads them (all under node_modules/@webex/):
 * - internal-plugin-mercury/src/socket/socket-base.js: every frame needs a top-level `id`
 *   (the client acks it, and an id-less frame is an unhandled rejection there); the first
 *   frame after `authorization` must be `data.eventType: 'mercury.buffer_state'`, without a
 *   `type`; a ping `{id, type: 'ping'}` wants `{id, type: 'pong'}` with the same id;
 *   `sequenceNumber` must go up by one per frame, or it reports lost messages.
 * - internal-plugin-mercury/src/mercury.js `_onmessage`: `data.eventType` picks the handler
 *   (`conversation.activity` → the conversation plugin, which decrypts only activities with an
 *   `encryptionKeyUrl`: these have none, so text stays as sent) and the event name.
 * - plugin-messages `getMessageEvent`, plugin-memberships `getMembershipEvent`,
 *   plugin-attachment-actions `getattachmentActionEvent`: the activity fields each reads.
 */
import type { SandboxEvent } from '../events';
import type { SandboxMessage, SandboxPerson, SandboxRoom } from '../state';
import { serviceLinks } from './catalog';
import { uuidOf } from './ids';

/** What building an activity needs to look up, and where the client reaches the sandbox. */
export interface ActivitySources {
  person(id: string): SandboxPerson | undefined;
  room(id: string): SandboxRoom | undefined;
  message(id: string): SandboxMessage | undefined;
  /** `http://host:port` as the client reaches it: the catalog's host, so cluster lookups work. */
  baseUrl: string;
  newId(): string;
}

export type Activity = Record<string, unknown>;

/** A person as activities name them (`actor`, and the member of a membership activity). */
export interface ActivityPerson {
  objectType: 'person';
  id: string;
  entryUUID: string;
  emailAddress: string;
  entryEmail: string;
  displayName: string;
  orgId: string;
  type: 'PERSON' | 'ROBOT';
}

function activityPerson(
  personId: string,
  sources: ActivitySources,
  known: { email?: string; displayName?: string; orgId?: string } = {},
): ActivityPerson {
  const person = sources.person(personId);
  const uuid = uuidOf(personId);
  const email = person?.emails[0] ?? known.email ?? '';
  return {
    objectType: 'person',
    id: uuid,
    entryUUID: uuid,
    emailAddress: email,
    entryEmail: email,
    displayName: person?.displayName ?? known.displayName ?? email,
    orgId: uuidOf(person?.orgId ?? known.orgId ?? ''),
    type: person?.type === 'bot' ? 'ROBOT' : 'PERSON',
  };
}

/** The conversation URL of a room: the SDK turns its host into the cluster of every ID. */
export function conversationUrl(roomId: string, baseUrl: string): string {
  return `${serviceLinks(baseUrl).conversation}/conversations/${uuidOf(roomId)}`;
}

function activityTarget(event: SandboxEvent, sources: ActivitySources): Record<string, unknown> {
  const room = sources.room(event.roomId);
  const tags = [event.roomType === 'direct' ? 'ONE_ON_ONE' : undefined];
  if (room?.isLocked) tags.push('LOCKED');
  const target: Record<string, unknown> = {
    objectType: 'conversation',
    id: uuidOf(event.roomId),
    url: conversationUrl(event.roomId, sources.baseUrl),
    tags: tags.filter((tag) => tag !== undefined),
  };
  if (room && event.roomType === 'group') target.displayName = room.title;
  return target;
}

function stringField(data: Record<string, unknown>, key: string): string | undefined {
  const value = data[key];
  return typeof value === 'string' ? value : undefined;
}

/** The comment (or shared content) object of a posted message; plain text, not encrypted. */
function messageObject(message: SandboxMessage | undefined): Record<string, unknown> {
  const object: Record<string, unknown> = {
    objectType: message?.files?.length ? 'content' : 'comment',
    displayName: message?.text ?? '',
  };
  if (message?.html) object.content = message.html;
  if (message?.markdown) object.markdown = message.markdown;
  if (message?.mentionedPeople?.length) {
    object.mentions = {
      items: message.mentionedPeople.map((id) => ({ objectType: 'person', id: uuidOf(id) })),
    };
  }
  return object;
}

/**
 * The verb of the conversation activity Webex sends over Mercury for a sandbox event, or
 * undefined for events the SDK turns into nothing (message edits, rooms: a new room's members
 * come as `add`s).
 * @example activityVerb(messageCreated) // 'post'
 */
export function activityVerb(event: SandboxEvent): string | undefined {
  const kind = `${event.resource}:${event.event}`;
  if (kind === 'messages:created') return event.data.files ? 'share' : 'post';
  if (kind === 'messages:deleted') return 'delete';
  if (kind === 'memberships:created') return 'add';
  if (kind === 'memberships:deleted') return 'leave';
  if (kind === 'attachmentActions:created') return 'cardAction';
  return undefined;
}

/**
 * The conversation activity for a sandbox event (see {@link activityVerb}).
 * @example activityFor(messageCreated, sources)?.object // { objectType: 'comment', displayName: 'help' }
 */
export function activityFor(event: SandboxEvent, sources: ActivitySources): Activity | undefined {
  const verb = activityVerb(event);
  if (verb === undefined) return undefined;
  const data = event.data;
  const dataId = stringField(data, 'id') ?? '';
  // A message's and a card action's activity has their own id: the SDK reads them back by it.
  const id =
    verb === 'post' || verb === 'share' || verb === 'cardAction' ? uuidOf(dataId) : sources.newId();
  const activity: Activity = {
    objectType: 'activity',
    id,
    url: `${serviceLinks(sources.baseUrl).conversation}/activities/${id}`,
    verb,
    published: stringField(data, 'created') ?? new Date().toISOString(),
    actor: activityPerson(event.actorId, sources),
    target: activityTarget(event, sources),
  };
  if (verb === 'post' || verb === 'share') {
    activity.object = messageObject(sources.message(dataId));
  } else if (verb === 'delete') {
    activity.object = { objectType: 'activity', id: uuidOf(dataId) };
  } else if (verb === 'add' || verb === 'leave') {
    const member = activityPerson(stringField(data, 'personId') ?? '', sources, {
      email: stringField(data, 'personEmail'),
      displayName: stringField(data, 'personDisplayName'),
      orgId: stringField(data, 'personOrgId'),
    });
    activity.object = { ...member, roomProperties: { isModerator: data.isModerator === true } };
  } else {
    activity.object = { objectType: 'submit', inputs: data.inputs ?? {} };
    activity.parent = { id: uuidOf(stringField(data, 'messageId') ?? ''), type: 'cardAction' };
  }
  return activity;
}

/** A frame the sandbox sends; `id` is what the client acknowledges. */
export interface MercuryFrame {
  id: string;
  type?: 'pong';
  data?: Record<string, unknown>;
  sequenceNumber: number;
  timestamp?: number;
  trackingId?: string;
  alertType?: string;
  headers?: Record<string, string>;
  filterMessage?: boolean;
}

export interface FrameStamp {
  id: string;
  sequenceNumber: number;
  timestamp: number;
}

function eventFrame(data: Record<string, unknown>, stamp: FrameStamp): MercuryFrame {
  return {
    id: stamp.id,
    data,
    timestamp: stamp.timestamp,
    trackingId: `SANDBOX_${stamp.id}`,
    alertType: 'full',
    headers: {},
    sequenceNumber: stamp.sequenceNumber,
    filterMessage: false,
  };
}

/** The frame carrying an activity: `event:conversation.activity` on the client. */
export function activityFrame(activity: Activity, stamp: FrameStamp): MercuryFrame {
  return eventFrame({ eventType: 'conversation.activity', activity }, stamp);
}

/** The first frame after a good `authorization`; the client's open waits for it. */
export function bufferStateFrame(stamp: FrameStamp): MercuryFrame {
  return eventFrame(
    {
      eventType: 'mercury.buffer_state',
      bufferState: { conversation: 'UNKNOWN', locus: 'UNKNOWN' },
    },
    stamp,
  );
}

/** The answer to a ping: the ping's own id, so the client's `confirmPongId` matches. */
export function pongFrame(pingId: string, sequenceNumber: number): MercuryFrame {
  return { id: pingId, type: 'pong', sequenceNumber };
}

/** What a client sends (socket-base.js `_authorize`, `_ping`, `_acknowledge`). */
export type ClientMessage =
  | { type: 'authorization'; id: string; token: string }
  | { type: 'ping'; id: string }
  | { type: 'ack'; messageId: string }
  | { type: 'other' };

/**
 * Reads a client message; the token loses its `Bearer ` (the SDK sends `token.toString()`).
 * @example parseClientMessage('{"id":"1","type":"ping"}') // { type: 'ping', id: '1' }
 */
export function parseClientMessage(raw: string): ClientMessage | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const message = parsed as { type?: unknown; id?: unknown; messageId?: unknown; data?: unknown };
  const id = typeof message.id === 'string' ? message.id : '';
  if (message.type === 'authorization') {
    const raw = (message.data as { token?: unknown } | undefined)?.token;
    const token = typeof raw === 'string' ? raw.replace(/^Bearer\s+/i, '').trim() : '';
    return { type: 'authorization', id, token };
  }
  if (message.type === 'ping') return { type: 'ping', id };
  if (message.type === 'ack' && typeof message.messageId === 'string') {
    return { type: 'ack', messageId: message.messageId };
  }
  return { type: 'other' };
}
