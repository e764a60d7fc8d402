/** `/contents/{id}`: downloads a file posted in a message, for members of its room only. */
import { Router } from 'express';
import { callerOf, requireAuth, sendWebexError } from '../http';
import type { RouteContext } from './context';

/** `attachment; filename="…"` with an RFC 5987 fallback for non-ASCII names. */
export function contentDisposition(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}

/**
 * @example app.use('/v1', contentsRouter({ state, world }))
 */
export function contentsRouter({ state, world }: RouteContext): Router {
  const router = Router();
  router.use('/contents', requireAuth(state));

  router.get('/contents/:contentId', (req, res) => {
    const me = callerOf(res).person;
    const file = state.files.get(req.params.contentId);
    const suffix = `/contents/${req.params.contentId}`;
    const message = state.messages.find((m) => m.files?.some((url) => url.endsWith(suffix)));
    if (!file || !message || !world.isMember(message.roomId, me.id)) {
      sendWebexError(res, 404, 'The requested resource could not be found.');
      return;
    }
    res
      .status(200)
      .set({
        'Content-Type': file.contentType,
        'Content-Disposition': contentDisposition(file.filename),
        'Content-Length': String(file.data.length),
      })
      .end(file.data);
  });

  return router;
}
