/**
 * The sandbox chat page: a browser client for the sandbox's users, served from the sandbox's
 * own origin so it can read `/_sandbox/facts` and call `/v1` without CORS. Its assets are
 * bundled by `npm run build` (scripts/build-chat.mjs) into `dist/chat/`; nothing is fetched
 * from anywhere else at run time.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import express, { Router } from 'express';

/** Where `npm run build` puts the page: `dist/chat` at the repository root. */
export const CHAT_ASSETS_DIR = path.resolve(__dirname, '../../../dist/chat');

/** The files the page cannot work without. */
const REQUIRED_ASSETS = ['index.html', 'app.js', 'app.css'];

const NOT_BUILT =
  'The sandbox chat page has not been built. Run `npm run build` (or `npm start`, which ' +
  'builds first) and reload this page.\n';

/**
 * Serves the chat page at `/` and its assets at `/chat/…`; says how to build them when missing.
 * @example app.use('/', chatRouter()); // then open http://127.0.0.1:PORT/
 */
export function chatRouter(assetsDir: string = CHAT_ASSETS_DIR): Router {
  const router = Router();
  const built = () => REQUIRED_ASSETS.every((file) => existsSync(path.join(assetsDir, file)));

  router.get('/', (_req, res) => {
    if (!built()) {
      res.status(503).type('text/plain').send(NOT_BUILT);
      return;
    }
    res.sendFile(path.join(assetsDir, 'index.html'), {
      headers: { 'Cache-Control': 'no-store' },
    });
  });

  // Browsers ask for it on every page; the page has none, and that is not an unhandled API call.
  router.get('/favicon.ico', (_req, res) => {
    res.status(204).end();
  });

  // Built assets change with every build; no-cache keeps a reload from showing stale code.
  router.use(
    '/chat',
    express.static(assetsDir, { index: false, cacheControl: false }),
    (_req, res) => {
      res
        .status(built() ? 404 : 503)
        .type('text/plain')
        .send(built() ? 'Not found.\n' : NOT_BUILT);
    },
  );

  return router;
}
