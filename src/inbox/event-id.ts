/**
 * What makes two deliveries one event, for the inbox's de-duplication. Pure.
 *
 * Webex sends an event again unchanged, so its data's id tells redeliveries apart from new
 * events, except where Webex reuses ids: a membership's id is its person and room, so the
 * bot's removal from a space, and its being added back, carry the id of the first add. For
 * memberships the event and the data's `created` (when it happened, on the socket; when the
 * membership was made, in webhooks) count too.
 */
import type { WebhookEnvelope } from '../bot/envelope';

/**
 * @example inboxEventId({ resource: 'messages', event: 'created', data: { id: 'M1' }, … }) // 'M1'
 * @example inboxEventId({ resource: 'memberships', event: 'deleted', data: { id: 'B:R', created: 'T' }, … }) // 'deleted:B:R@T'
 */
export function inboxEventId(
  envelope: Pick<WebhookEnvelope, 'resource' | 'event' | 'data'>,
): string {
  const { resource, event, data } = envelope;
  if (resource === 'memberships') {
    const created = typeof data.created === 'string' ? data.created : '';
    return `${event}:${data.id}@${created}`;
  }
  // A message's or card click's id is new each time; other events of it (deleted) are not.
  return event === 'created' ? data.id : `${event}:${data.id}`;
}
