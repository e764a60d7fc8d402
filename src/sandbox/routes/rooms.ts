/** `/rooms`: the caller's rooms only (Webex hides the others), and group-room creation. */
import { Router } from 'express';
import { callerOf, parseMax, requireAuth, sendPage, sendWebexError } from '../http';
import { roomView } from '../present';
import type { SandboxRoom } from '../state';
import { queryString, type RouteContext } from './context';

const SORTERS: Record<string, (a: SandboxRoom, b: SandboxRoom) => number> = {
  id: (a, b) => a.id.localeCompare(b.id),
  lastactivity: (a, b) => b.lastActivity.localeCompare(a.lastActivity),
  created: (a, b) => b.created.localeCompare(a.created),
};

/**
 * @example app.use('/v1', roomsRouter({ state, world }))
 */
export function roomsRouter({ state, world }: RouteContext): Router {
  const router = Router();
  router.use('/rooms', requireAuth(state));

  router.get('/rooms', (req, res) => {
    const max = parseMax(req, res, 100, 1000);
    if (max === undefined) return;
    const type = queryString(req.query.type);
    if (type !== undefined && type !== 'direct' && type !== 'group') {
      sendWebexError(res, 400, 'type must be direct or group.');
      return;
    }
    const sortBy = queryString(req.query.sortBy);
    if (sortBy !== undefined && !(sortBy in SORTERS)) {
      sendWebexError(res, 400, 'sortBy must be id, lastactivity or created.');
      return;
    }
    const me = callerOf(res).person.id;
    const rooms = world
      .membershipsOfPerson(me)
      .map((m) => state.rooms.get(m.roomId))
      .filter((room): room is SandboxRoom => room !== undefined)
      .filter((room) => type === undefined || room.type === type)
      .sort(SORTERS[sortBy ?? 'lastactivity']);
    sendPage(req, res, rooms.map(roomView), max);
  });

  router.get('/rooms/:roomId', (req, res) => {
    const room = world.roomFor(req.params.roomId, callerOf(res).person.id);
    if (!room) {
      sendWebexError(res, 404, 'The requested resource could not be found.');
      return;
    }
    res.json(roomView(room));
  });

  router.post('/rooms', (req, res) => {
    const title: unknown = req.body?.title;
    if (typeof title !== 'string' || title.trim() === '') {
      sendWebexError(res, 400, 'title is required.');
      return;
    }
    const room = world.createRoom(title, 'group', callerOf(res).person);
    res.json(roomView(room));
  });

  return router;
}
