/** The envelope Webex POSTs to a webhook's targetUrl. `id` is the webhook's id, not the event's. */
export interface WebhookEnvelope {
  id: string;
  name: string;
  resource: string;
  event: string;
  targetUrl?: string;
  filter?: string;
  orgId?: string;
  createdBy?: string;
  appId?: string;
  ownedBy?: string;
  status?: string;
  actorId?: string;
  created?: string;
  data: { id: string; roomId?: string; personId?: string; [key: string]: unknown };
}

/** Narrows parsed JSON to an envelope; anything else is not processed. */
export function isWebhookEnvelope(value: unknown): value is WebhookEnvelope {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  const data = v.data as Record<string, unknown> | undefined;
  return (
    typeof v.name === 'string' &&
    typeof v.resource === 'string' &&
    typeof v.event === 'string' &&
    typeof data === 'object' &&
    data !== null &&
    typeof data.id === 'string'
  );
}
