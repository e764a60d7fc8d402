/**
 * How sandbox objects look on the wire: the fields Webex returns, without sandbox-only ones
 * (such as a person's admin flag) and without empty optional fields.
 */
import type {
  SandboxAttachmentAction,
  SandboxMembership,
  SandboxMessage,
  SandboxPerson,
  SandboxRoom,
  SandboxWebhook,
} from './state';

/** Drops keys whose value is undefined, so JSON never carries `"timezone": null` and the like. */
export function compact<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * A person as `GET /people/{id}` returns it; `timezone` only when set.
 * @example personView(state.personByEmail('host@example.com')!)
 */
export function personView(person: SandboxPerson): Record<string, unknown> {
  const { admin: _admin, ...visible } = person;
  return compact({ ...visible, status: 'active' });
}

export function roomView(room: SandboxRoom): Record<string, unknown> {
  return compact({ ...room });
}

export function membershipView(membership: SandboxMembership): Record<string, unknown> {
  return compact({ ...membership });
}

export function messageView(message: SandboxMessage): Record<string, unknown> {
  const view: Record<string, unknown> = compact({ ...message });
  if (message.mentionedPeople?.length === 0) delete view.mentionedPeople;
  return view;
}

export function webhookView(webhook: SandboxWebhook): Record<string, unknown> {
  return compact({ ...webhook });
}

export function attachmentActionView(action: SandboxAttachmentAction): Record<string, unknown> {
  return compact({ ...action });
}
