/**
 * Events that come over the Webex websocket, as webhook envelopes: the inbox stores them and
 * the framework's processing step reads them exactly as it reads a webhook's body. Pure: the
 * SDK's id helpers are passed in, so this is tested without the SDK.
 */
import type { WebhookEnvelope } from '../envelope';

/**
 * The name the framework gives its events in websocket mode (websocket.js); its processing
 * step drops an event whose `name` differs.
 */
export const SOCKET_EVENT_NAME = 'webex sdk socket event';

/** What the bot stores from the socket: what its webhooks would have brought it. */
export const SOCKET_EVENTS = {
  memberships: ['created', 'deleted'],
  attachmentActions: ['created'],
} as const;

/** The `data` fields a webhook carries; everything else (a message's text) is not stored. */
const WEBHOOK_DATA_FIELDS = [
  'id',
  'roomId',
  'roomType',
  'personId',
  'personEmail',
  'personOrgId',
  'messageId',
  'parentId',
  'mentionedPeople',
  'isModerator',
  'created',
] as const;

/** An event as the SDK's memberships and attachmentActions plugins emit it. */
export interface SdkSocketEvent {
  resource: string;
  event: string;
  actorId?: string;
  orgId?: string;
  createdBy?: string;
  data: { id: string; [field: string]: unknown };
}

/**
 * The envelope for an event the SDK built (memberships, card submissions).
 * @example socketEnvelope({ resource: 'memberships', event: 'created', actorId: 'P1',
 *   data: { id: 'M1', roomId: 'R1', personId: 'BOT' } }, T)
 */
export function socketEnvelope(event: SdkSocketEvent, receivedAt: string): WebhookEnvelope {
  const data: WebhookEnvelope['data'] = { id: event.data.id };
  for (const field of WEBHOOK_DATA_FIELDS) {
    const value = event.data[field];
    if (value !== undefined && field !== 'id') Object.assign(data, { [field]: value });
  }
  return {
    id: '',
    name: SOCKET_EVENT_NAME,
    resource: event.resource,
    event: event.event,
    ...(event.actorId ? { actorId: event.actorId } : {}),
    ...(event.orgId ? { orgId: event.orgId } : {}),
    ...(event.createdBy ? { createdBy: event.createdBy } : {}),
    created: typeof event.data.created === 'string' ? event.data.created : receivedAt,
    data,
  };
}

/** The part of a Mercury `conversation.activity` a message event is made from. */
export interface ConversationActivity {
  id: string;
  verb: string;
  published?: string;
  actor?: { entryUUID?: string; emailAddress?: string };
  object?: { id?: string; [field: string]: unknown };
  target?: { id?: string; url?: string; tags?: string[] };
}

/** The SDK's own helpers (@webex/common), so ids are made exactly as its messages plugin does. */
export interface HydraIds {
  /** The cluster of a space from its conversation URL (`us` for the original one). */
  clusterOf(conversationUrl: string): string;
  messageId(uuid: string, cluster: string): string;
  personId(uuid: string, cluster: string): string;
  roomId(uuid: string, cluster: string): string;
  roomType(tags: string[]): 'direct' | 'group';
}

/**
 * The envelope of a posted (or deleted) message, made from the activity alone, as the SDK's
 * messages plugin makes its event but without reading the message first: the framework reads
 * it when the inbox hands the event over, with retries, as for a webhook. Undefined for any
 * other activity.
 * @example messageEnvelope({ id: 'a1', verb: 'post', actor: { entryUUID: 'u1' },
 *   target: { id: 'c1', url: 'https://conv/c1', tags: ['ONE_ON_ONE'] } }, ids, T)
 */
export function messageEnvelope(
  activity: ConversationActivity,
  ids: HydraIds,
  receivedAt: string,
): WebhookEnvelope | undefined {
  const event = MESSAGE_VERBS[activity.verb];
  const actor = activity.actor?.entryUUID;
  const room = activity.target;
  if (!event || !actor || !room?.id || !room.url) return undefined;
  // A deletion names the message as its object; a post is the message itself.
  const messageUuid = event === 'deleted' ? activity.object?.id : activity.id;
  if (!messageUuid) return undefined;
  const cluster = ids.clusterOf(room.url);
  const personId = ids.personId(actor, cluster);
  return {
    id: '',
    name: SOCKET_EVENT_NAME,
    resource: 'messages',
    event,
    actorId: personId,
    created: activity.published ?? receivedAt,
    data: {
      id: ids.messageId(messageUuid, cluster),
      roomId: ids.roomId(room.id, cluster),
      roomType: ids.roomType(room.tags ?? []),
      personId,
      ...(activity.actor?.emailAddress ? { personEmail: activity.actor.emailAddress } : {}),
      created: activity.published ?? receivedAt,
    },
  };
}

/** The verbs the SDK's messages plugin turns into events (messages.js, `verbToType`). */
const MESSAGE_VERBS: Record<string, 'created' | 'deleted' | undefined> = {
  post: 'created',
  share: 'created',
  delete: 'deleted',
};
