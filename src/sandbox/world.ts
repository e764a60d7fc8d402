/**
 * The sandbox's domain operations: the changes several routes (and the seed) make, each
 * keeping state consistent and raising the event Webex would raise. Routes do the HTTP part.
 */
import type { EventKind, EventSink, SandboxEvent } from './events';
import type {
  SandboxAttachmentAction,
  SandboxMembership,
  SandboxMessage,
  SandboxPerson,
  SandboxRoom,
  SandboxState,
} from './state';
import { webexMembershipId } from './mercury/ids';
import { webexId, type WebexIdType } from './state';

/** Raises no events: used while seeding, before any webhook exists. */
export const silentSink: EventSink = { publish: () => undefined };

export interface AddMemberOptions {
  isModerator?: boolean;
  actorId?: string;
  created?: string;
}

export class SandboxWorld {
  constructor(
    readonly state: SandboxState,
    public events: EventSink = silentSink,
    /** Clock, so the seed can use fixed timestamps. */
    public now: () => string = () => new Date().toISOString(),
    /** ID maker, so the seed can make stable IDs. */
    public newId: (type: WebexIdType) => string = (type) => webexId(type),
  ) {}

  membershipsOfRoom(roomId: string): SandboxMembership[] {
    return [...this.state.memberships.values()].filter((m) => m.roomId === roomId);
  }

  membershipsOfPerson(personId: string): SandboxMembership[] {
    return [...this.state.memberships.values()].filter((m) => m.personId === personId);
  }

  membership(roomId: string, personId: string): SandboxMembership | undefined {
    return this.membershipsOfRoom(roomId).find((m) => m.personId === personId);
  }

  isMember(roomId: string, personId: string): boolean {
    return this.membership(roomId, personId) !== undefined;
  }

  /** The room, but only if `personId` is in it (Webex hides rooms you are not in). */
  roomFor(roomId: string, personId: string): SandboxRoom | undefined {
    const room = this.state.rooms.get(roomId);
    return room && this.isMember(roomId, personId) ? room : undefined;
  }

  /**
   * Creates a room with its members; the creator moderates a group room.
   * @example world.createRoom('Reviews', 'group', host, [colleague])
   */
  createRoom(
    title: string,
    type: 'direct' | 'group',
    creator: SandboxPerson,
    others: SandboxPerson[] = [],
  ): SandboxRoom {
    const created = this.now();
    const room: SandboxRoom = {
      id: this.newId('ROOM'),
      title,
      type,
      isLocked: false,
      creatorId: creator.id,
      created,
      lastActivity: created,
      ownerId: this.state.orgId,
    };
    this.state.rooms.set(room.id, room);
    const audience = [creator.id, ...others.map((p) => p.id)];
    this.emit('rooms', 'created', room, creator.id, { ...room }, { audience });
    this.addMember(room, creator, { isModerator: type === 'group', actorId: creator.id });
    for (const person of others) this.addMember(room, person, { actorId: creator.id });
    return room;
  }

  /** The direct room between two people, created (with both memberships) on first use. */
  directRoom(a: SandboxPerson, b: SandboxPerson): SandboxRoom {
    for (const m of this.membershipsOfPerson(a.id)) {
      const room = this.state.rooms.get(m.roomId);
      if (room?.type === 'direct' && this.isMember(room.id, b.id)) return room;
    }
    return this.createRoom(b.displayName, 'direct', a, [b]);
  }

  addMember(room: SandboxRoom, person: SandboxPerson, options: AddMemberOptions = {}) {
    const membership: SandboxMembership = {
      // As Webex: the person and the room, so adding someone back reuses the id.
      id: webexMembershipId(person.id, room.id),
      roomId: room.id,
      personId: person.id,
      personEmail: person.emails[0],
      personDisplayName: person.displayName,
      personOrgId: person.orgId,
      isModerator: options.isModerator ?? false,
      isMonitor: false,
      isRoomHidden: false,
      roomType: room.type,
      created: options.created ?? this.now(),
    };
    this.state.memberships.set(membership.id, membership);
    this.emit('memberships', 'created', room, options.actorId ?? person.id, { ...membership });
    return membership;
  }

  removeMembership(membership: SandboxMembership, actorId: string): void {
    const room = this.state.rooms.get(membership.roomId);
    // The removed person hears of their own removal, so compute the audience first.
    const audience = this.membershipsOfRoom(membership.roomId).map((m) => m.personId);
    this.state.memberships.delete(membership.id);
    if (room) this.emit('memberships', 'deleted', room, actorId, { ...membership }, { audience });
  }

  /** Stores a message and raises `messages:created`. Validation is the route's job. */
  addMessage(message: SandboxMessage): void {
    this.state.messages.push(message);
    const room = this.state.rooms.get(message.roomId);
    if (!room) return;
    room.lastActivity = message.created;
    this.emit('messages', 'created', room, message.personId, messageEventData(message), {
      mentionedPeople: message.mentionedPeople,
    });
  }

  /**
   * Applies an edit (validation is the route's job): new content, `updated` set, the edit
   * recorded, and `messages:updated` raised.
   * @example world.editMessage(message, { text: 'Read 1,200 so far' })
   */
  editMessage(
    message: SandboxMessage,
    content: Pick<
      SandboxMessage,
      'text' | 'markdown' | 'html' | 'mentionedPeople' | 'mentionedGroups'
    >,
  ): void {
    Object.assign(message, {
      text: content.text,
      markdown: content.markdown,
      html: content.html,
      mentionedPeople: content.mentionedPeople,
      mentionedGroups: content.mentionedGroups,
      updated: this.now(),
    });
    const edits = this.state.messageEdits.get(message.id) ?? [];
    edits.push({ at: message.updated as string, text: message.text, markdown: message.markdown });
    this.state.messageEdits.set(message.id, edits);
    const room = this.state.rooms.get(message.roomId);
    if (!room) return;
    this.emit('messages', 'updated', room, message.personId, messageEventData(message), {
      mentionedPeople: message.mentionedPeople,
    });
  }

  deleteMessage(message: SandboxMessage, actorId: string): void {
    // In place: whoever watches the list (the bench, tests) keeps seeing new messages.
    const at = this.state.messages.findIndex((m) => m.id === message.id);
    if (at >= 0) this.state.messages.splice(at, 1);
    const room = this.state.rooms.get(message.roomId);
    if (room) {
      this.emit('messages', 'deleted', room, actorId, messageEventData(message), {
        mentionedPeople: message.mentionedPeople,
      });
    }
  }

  addAttachmentAction(action: SandboxAttachmentAction, message: SandboxMessage): void {
    this.state.attachmentActions.set(action.id, action);
    const room = this.state.rooms.get(action.roomId);
    if (room) {
      this.emit(
        'attachmentActions',
        'created',
        room,
        action.personId,
        { ...action },
        {
          messageAuthorId: message.personId,
        },
      );
    }
  }

  private emit(
    resource: SandboxEvent['resource'],
    event: EventKind,
    room: SandboxRoom,
    actorId: string,
    data: Record<string, unknown>,
    extra: Partial<SandboxEvent> = {},
  ): void {
    this.events.publish({
      resource,
      event,
      actorId,
      roomId: room.id,
      roomType: room.type,
      data,
      audience: this.membershipsOfRoom(room.id).map((m) => m.personId),
      ...extra,
    });
  }
}

/** A message webhook's `data`: Webex leaves the content out (fetch it with GET /messages/{id}). */
function messageEventData(message: SandboxMessage): Record<string, unknown> {
  const data: Record<string, unknown> = {
    id: message.id,
    roomId: message.roomId,
    roomType: message.roomType,
    personId: message.personId,
    personEmail: message.personEmail,
    created: message.created,
  };
  if (message.updated) data.updated = message.updated;
  if (message.parentId) data.parentId = message.parentId;
  if (message.mentionedPeople?.length) data.mentionedPeople = message.mentionedPeople;
  if (message.mentionedGroups?.length) data.mentionedGroups = message.mentionedGroups;
  if (message.files?.length) data.files = message.files;
  return data;
}
