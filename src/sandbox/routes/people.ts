/**
 * `/people`: who am I, one person by ID, and lists by ID batch (the SDK's people batcher asks
 * `GET /people/?id=a,b&showAllTypes=false`), email or display-name prefix.
 */
import { Router } from 'express';
import { callerOf, parseMax, requireAuth, sendPage, sendWebexError } from '../http';
import { personView } from '../present';
import type { SandboxPerson } from '../state';
import { queryString, type RouteContext } from './context';

/** Webex accepts up to 85 IDs in one `id` list. */
const MAX_IDS = 85;

/**
 * @example app.use('/v1', peopleRouter({ state, world }))
 */
export function peopleRouter({ state }: RouteContext): Router {
  const router = Router();
  router.use('/people', requireAuth(state));

  router.get('/people/me', (_req, res) => {
    res.json(personView(callerOf(res).person));
  });

  router.get('/people/:personId', (req, res) => {
    const person = state.people.get(req.params.personId);
    if (!person) {
      sendWebexError(res, 404, 'The requested resource could not be found.');
      return;
    }
    res.json(personView(person));
  });

  router.get('/people', (req, res) => {
    const max = parseMax(req, res, 100, 1000);
    if (max === undefined) return;
    const ids = queryString(req.query.id);
    const email = queryString(req.query.email);
    const displayName = queryString(req.query.displayName);
    const everyone = [...state.people.values()];

    if (ids) {
      const wanted = ids
        .split(',')
        .map((id) => id.trim())
        .filter(Boolean);
      if (wanted.length > MAX_IDS) {
        sendWebexError(res, 400, `id accepts at most ${MAX_IDS} person IDs.`);
        return;
      }
      const found = wanted
        .map((id) => state.people.get(id))
        .filter((p): p is SandboxPerson => p !== undefined);
      const notFoundIds = wanted.filter((id) => !state.people.has(id));
      const body: Record<string, unknown> = { items: found.map(personView) };
      if (notFoundIds.length > 0) body.notFoundIds = notFoundIds;
      res.json(body);
      return;
    }
    let matches: SandboxPerson[];
    if (email) {
      const person = state.personByEmail(email);
      matches = person ? [person] : [];
    } else if (displayName) {
      const prefix = displayName.toLowerCase();
      matches = everyone.filter((p) => p.displayName.toLowerCase().startsWith(prefix));
    } else if (callerOf(res).person.admin) {
      matches = everyone;
    } else {
      sendWebexError(res, 400, 'Email, displayName, or id list should be specified.');
      return;
    }
    sendPage(req, res, matches.map(personView), max);
  });

  return router;
}
