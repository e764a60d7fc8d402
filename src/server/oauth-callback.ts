/**
 * `GET /oauth/callback`: where Webex sends the browser back after the consent page. It only
 * translates between HTTP and the linker; what happens after linking is the bot's business.
 */
import express, { type Router } from 'express';
import { AccountLinker, LinkError, type LinkFailure, type LinkedAccount } from '../auth/linking';
import type { Logger } from '../log';

export const OAUTH_CALLBACK_PATH = '/oauth/callback';

export interface OAuthCallbackOptions {
  linker: AccountLinker;
  /** Runs after the page is sent: tell the person in Webex, run what they were waiting for. */
  onLinked: (account: LinkedAccount) => Promise<void>;
  logger: Logger;
  botName: string;
}

const FAILURES: Record<LinkFailure, { title: string; text: string }> = {
  not_allowed: {
    title: 'Not available for your organisation',
    text: 'This bot only serves people from the organisations it was set up for, so nothing was saved. Ask your Webex admin if you need it.',
  },
  missing_state: {
    title: 'This link is incomplete',
    text: "It does not carry the code of a connect link, so nothing was saved. Open the link from the bot's Connect card, or type connect to the bot in Webex to get a new one.",
  },
  unknown_state: {
    title: 'This link is not one I know',
    text: 'It does not come from a connect link of this bot, or it is too old, so nothing was saved. Type connect to the bot in Webex to get a new one.',
  },
  used_state: {
    title: 'This link has already been used',
    text: 'Each connect link works once. Type connect to the bot in Webex to get a new one.',
  },
  expired_state: {
    title: 'This link has expired',
    text: 'Connect links are valid for 10 minutes. Type connect to the bot in Webex to get a new one.',
  },
  wrong_person: {
    title: 'This link was made for someone else',
    text: 'You signed in as a different Webex user than the one who asked to connect. Nothing was saved. Type connect to the bot yourself to link your own account.',
  },
  denied: {
    title: 'Not connected',
    text: 'Access was not granted, so nothing was saved. Type connect to the bot in Webex to try again.',
  },
  exchange_failed: {
    title: 'Webex did not accept this sign-in',
    text: 'The sign-in code was already used or has expired. Type connect to the bot in Webex to try again.',
  },
};

/**
 * The callback router.
 * @example app.use(oauthCallback({ linker, onLinked, logger, botName: 'Recording Audit' }));
 */
export function oauthCallback(options: OAuthCallbackOptions): Router {
  const router = express.Router();
  router.get(OAUTH_CALLBACK_PATH, async (req, res) => {
    const param = (name: string) =>
      typeof req.query[name] === 'string' ? (req.query[name] as string) : undefined;
    res.set('Cache-Control', 'no-store').set('Referrer-Policy', 'no-referrer');
    try {
      const account = await options.linker.complete({
        code: param('code'),
        state: param('state'),
        error: param('error'),
      });
      res
        .status(200)
        .type('html')
        .send(page(options.botName, 'Connected', `You can close this page and go back to Webex.`));
      options
        .onLinked(account)
        .catch((err: unknown) => options.logger.error({ err }, 'follow-up after linking failed'));
    } catch (err) {
      if (err instanceof LinkError) {
        options.logger.warn({ kind: err.kind }, 'account linking refused');
        const failure = FAILURES[err.kind];
        res
          .status(400)
          .type('html')
          .send(page(options.botName, failure.title, failure.text));
        return;
      }
      options.logger.error({ err }, 'account linking failed');
      res
        .status(502)
        .type('html')
        .send(
          page(
            options.botName,
            'Webex could not be reached',
            'Nothing was saved. Please type connect to the bot in Webex and try again in a moment.',
          ),
        );
    }
  });
  return router;
}

function page(botName: string, title: string, text: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · ${escapeHtml(botName)}</title>
<style>body{font-family:system-ui,sans-serif;background:#f5f5f6;color:#1a1a1a;display:flex;justify-content:center;padding:4rem 1rem}
main{background:#fff;border-radius:12px;box-shadow:0 2px 8px rgba(0,0,0,.08);padding:2rem 2.5rem;max-width:32rem}
h1{font-size:1.4rem;margin:0 0 .75rem}p{line-height:1.5;margin:0}small{color:#666;display:block;margin-top:1.5rem}</style>
</head><body><main><h1>${escapeHtml(title)}</h1><p>${escapeHtml(text)}</p><small>${escapeHtml(botName)}</small></main></body></html>`;
}

function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );
}
