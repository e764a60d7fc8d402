/**
 * `/memberships`: list (the caller's own, or a room's; `max` up to 1000 with `Link` paging, as
 * the framework pages through them at start), get, add and remove.
 */
import { Router } from 'express';
import { callerOf, parseMax, requireAuth, sendPage, sendWebexError } from '../http';
import { membershipIdParts } from '../mercury/ids';
import { membershipView } from '../present';
import type { SandboxPerson } from '../state';
import { queryString, type RouteContext } from './context';

const NOT_FOUND = 'The requested resource could not be found.';

/**
 * @example app.use('/v1', membershipsRouter({ state, world }))
 */
export function membershipsRouter({ state, world }: RouteContext): Router {
  const router = Router();
  router.use('/memberships', requireAuth(state));
  // Also by Webex's own ID form (person:room), which the SDK builds from websocket activities.
  const findMembership = (id: string) => {
    const parts = membershipIdParts(id);
    return state.memberships.get(id) ?? (parts && world.membership(parts.roomId, parts.personId));
  };

  router.get('/memberships', (req, res) => {
    const max = parseMax(req, res, 100, 1000);
    if (max === undefined) return;
    const me = callerOf(res).person;
    const roomId = queryString(req.query.roomId);
    const personId = queryString(req.query.personId);
    const personEmail = queryString(req.query.personEmail)?.toLowerCase();
    if ((personId || personEmail) && !roomId) {
      sendWebexError(res, 400, 'roomId is required when filtering by personId or personEmail.');
      return;
    }
    let memberships = roomId ? world.membershipsOfRoom(roomId) : world.membershipsOfPerson(me.id);
    if (roomId && !world.isMember(roomId, me.id)) {
      sendWebexError(res, 404, NOT_FOUND);
      return;
    }
    if (personId) memberships = memberships.filter((m) => m.personId === personId);
    if (personEmail) {
      memberships = memberships.filter((m) => m.personEmail.toLowerCase() === personEmail);
    }
    sendPage(req, res, memberships.map(membershipView), max);
  });

  router.get('/memberships/:membershipId', (req, res) => {
    const membership = findMembership(req.params.membershipId);
    if (!membership || !world.isMember(membership.roomId, callerOf(res).person.id)) {
      sendWebexError(res, 404, NOT_FOUND);
      return;
    }
    res.json(membershipView(membership));
  });

  router.post('/memberships', (req, res) => {
    const me = callerOf(res).person;
    const body = (req.body ?? {}) as Record<string, unknown>;
    const room = typeof body.roomId === 'string' ? world.roomFor(body.roomId, me.id) : undefined;
    if (!room) {
      sendWebexError(
        res,
        typeof body.roomId === 'string' ? 404 : 400,
        'A valid roomId is required.',
      );
      return;
    }
    if (room.type === 'direct') {
      sendWebexError(res, 403, 'Members cannot be added to a direct room.');
      return;
    }
    let person: SandboxPerson | undefined;
    if (typeof body.personId === 'string') person = state.people.get(body.personId);
    else if (typeof body.personEmail === 'string') person = state.personByEmail(body.personEmail);
    else {
      sendWebexError(res, 400, 'personId or personEmail is required.');
      return;
    }
    if (!person) {
      sendWebexError(res, 404, 'Person not found.');
      return;
    }
    if (world.isMember(room.id, person.id)) {
      sendWebexError(res, 409, 'The person is already a member of this room.');
      return;
    }
    const membership = world.addMember(room, person, {
      isModerator: body.isModerator === true,
      actorId: me.id,
    });
    res.json(membershipView(membership));
  });

  router.delete('/memberships/:membershipId', (req, res) => {
    const me = callerOf(res).person;
    const membership = findMembership(req.params.membershipId);
    if (!membership || !world.isMember(membership.roomId, me.id)) {
      sendWebexError(res, 404, NOT_FOUND);
      return;
    }
    if (membership.roomType === 'direct') {
      sendWebexError(res, 403, 'Members cannot leave a direct room.');
      return;
    }
    world.removeMembership(membership, me.id);
    res.status(204).end();
  });

  return router;
}
