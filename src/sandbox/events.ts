/**
 * The events the sandbox raises when objects change, before they are turned into webhook
 * deliveries. Kept separate so the routes only say what happened, not who hears about it.
 */

export type EventResource = 'messages' | 'memberships' | 'rooms' | 'attachmentActions';
export type EventKind = 'created' | 'updated' | 'deleted';

export interface SandboxEvent {
  resource: EventResource;
  event: EventKind;
  /** The person whose request caused the event. */
  actorId: string;
  roomId: string;
  roomType: 'direct' | 'group';
  /** The webhook envelope's `data`, as Webex sends it for this resource. */
  data: Record<string, unknown>;
  /** People who may hear of it: the room's members at the time (incl. a removed member). */
  audience: string[];
  /** For messages: who is mentioned (the group-room bot rule needs it). */
  mentionedPeople?: string[];
  /** For attachmentActions: who wrote the card's message (only their webhooks hear of it). */
  messageAuthorId?: string;
}

/** Where routes publish events; the webhook dispatcher is the real one. */
export interface EventSink {
  publish(event: SandboxEvent): void;
}

/**
 * One sink that publishes to each of `sinks` in turn (webhooks and websockets hear the same
 * events).
 * @example new SandboxWorld(state, allSinks(webhooks, sockets))
 */
export function allSinks(...sinks: EventSink[]): EventSink {
  return { publish: (event) => sinks.forEach((sink) => sink.publish(event)) };
}
