/**
 * Which webhooks hear of which events: Webex's visibility rules as pure functions, so they
 * can be tested without servers.
 */
import type { SandboxEvent } from './events';
import type { SandboxPerson, SandboxWebhook } from './state';

/** Resources and events `POST /webhooks` accepts (from webex-messaging.json). */
export const WEBHOOK_RESOURCES = [
  'all',
  'attachmentActions',
  'dataSources',
  'memberships',
  'messages',
  'rooms',
  'meetings',
  'recordings',
  'convergedRecordings',
  'meetingParticipants',
  'meetingTranscripts',
  'telephony_calls',
  'telephony_conference',
  'telephony_mwi',
  'uc_counters',
  'serviceApp',
  'adminBatchJobs',
] as const;

export const WEBHOOK_EVENTS = [
  'all',
  'created',
  'updated',
  'deleted',
  'started',
  'ended',
  'joined',
  'left',
  'migrated',
  'authorized',
  'deauthorized',
  'statusChanged',
] as const;

/**
 * Parses a webhook filter such as `roomId=abc&mentionedPeople=me` into pairs.
 * @example parseFilter('roomId=abc') // [['roomId', 'abc']]
 */
export function parseFilter(filter: string | undefined): Array<[string, string]> {
  if (!filter) return [];
  return filter
    .split('&')
    .filter((part) => part.includes('='))
    .map((part) => {
      const at = part.indexOf('=');
      return [decodeURIComponent(part.slice(0, at)), decodeURIComponent(part.slice(at + 1))];
    });
}

function filterMatches(
  filter: string | undefined,
  event: SandboxEvent,
  owner: SandboxPerson,
): boolean {
  return parseFilter(filter).every(([key, value]) => {
    switch (key) {
      case 'roomId':
        return event.roomId === value;
      case 'roomType':
        return event.roomType === value;
      case 'mentionedPeople': {
        const wanted = value === 'me' ? owner.id : value;
        return (event.mentionedPeople ?? []).includes(wanted);
      }
      case 'hasFiles':
        return Boolean(event.data.files) === (value === 'true');
      default: {
        const actual = event.data[key];
        return actual === undefined || String(actual) === value;
      }
    }
  });
}

/**
 * Whether `person` may hear of `event` at all, whatever the transport (webhook or websocket):
 * - `attachmentActions` only for cards they posted;
 * - only while in the room (a removed member hears of their own removal);
 * - a bot hears of group-room messages only when they mention it.
 * @example personHears(bot, messageCreatedEvent) // true in a direct room
 */
export function personHears(person: SandboxPerson, event: SandboxEvent): boolean {
  if (event.resource === 'attachmentActions' && event.messageAuthorId !== person.id) return false;
  if (!event.audience.includes(person.id)) return false;
  return !(
    person.type === 'bot' &&
    event.resource === 'messages' &&
    event.roomType === 'group' &&
    !(event.mentionedPeople ?? []).includes(person.id)
  );
}

/**
 * Whether `webhook` (owned by `owner`) is notified of `event`: the owner hears of it
 * ({@link personHears}), resource and event match (or are `all`; `attachmentActions` only
 * reach webhooks for that resource) and so does the filter.
 * @example webhookHears(hook, bot, messageCreatedEvent) // true in a direct room
 */
export function webhookHears(
  webhook: SandboxWebhook,
  owner: SandboxPerson,
  event: SandboxEvent,
): boolean {
  if (webhook.status !== 'active') return false;
  if (event.resource === 'attachmentActions') {
    if (webhook.resource !== 'attachmentActions') return false;
  } else if (webhook.resource !== 'all' && webhook.resource !== event.resource) {
    return false;
  }
  if (webhook.event !== 'all' && webhook.event !== event.event) return false;
  if (!personHears(owner, event)) return false;
  return filterMatches(webhook.filter, event, owner);
}
