/**
 * Goes through the sandbox's consent page as a browser would: open the link, pick the
 * person, press Accept (or Decline), follow the redirect back to the bot.
 */
import axios from 'axios';
import { cardOf } from './card-text';
import type { SandboxUser } from './stack';

export interface ConsentResult {
  /** The bot's callback page. */
  status: number;
  html: string;
  /** Where the consent page sent the browser. */
  callbackUrl: string;
}

function decodeHtml(value: string): string {
  return value
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** The hidden inputs and action of the consent page's form. */
export function readConsentForm(
  html: string,
  pageUrl: string,
): { action: string; fields: Record<string, string> } {
  const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
  if (!action) throw new Error(`no form on the consent page: ${html.slice(0, 300)}`);
  const fields: Record<string, string> = {};
  for (const match of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    fields[decodeHtml(match[1])] = decodeHtml(match[2]);
  }
  return { action: new URL(decodeHtml(action), pageUrl).toString(), fields };
}

/**
 * Signs in on the consent page as `personId` and returns what the bot's callback answered.
 * @example const result = await consent(url, host.id); expect(result.html).toContain('Connected');
 */
export async function consent(
  authorizeUrl: string,
  personId: string,
  decision: 'accept' | 'decline' = 'accept',
): Promise<ConsentResult> {
  const page = await axios.get<string>(authorizeUrl, {
    responseType: 'text',
    validateStatus: () => true,
  });
  if (page.status !== 200) throw new Error(`consent page answered ${page.status}: ${page.data}`);
  const form = readConsentForm(page.data, authorizeUrl);
  const answer = await axios.post(
    form.action,
    new URLSearchParams({ ...form.fields, personId, decision }).toString(),
    {
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      maxRedirects: 0,
      validateStatus: () => true,
    },
  );
  const location = answer.headers.location as string | undefined;
  if (answer.status !== 302 || !location) {
    throw new Error(
      `consent did not redirect: ${answer.status} ${String(answer.data).slice(0, 300)}`,
    );
  }
  const callback = await axios.get<string>(location, {
    responseType: 'text',
    validateStatus: () => true,
  });
  return { status: callback.status, html: callback.data, callbackUrl: location };
}

/** The Action.OpenUrl target of a connect card. */
export function connectUrlOf(card: unknown): string {
  const actions = (card as { actions?: Array<{ type: string; url?: string }> }).actions ?? [];
  const url = actions.find((a) => a.type === 'Action.OpenUrl')?.url;
  if (!url) throw new Error(`card has no Action.OpenUrl: ${JSON.stringify(card)}`);
  return url;
}

/**
 * Links `user`'s account as a person would: `connect` (or `connect admin`) to the bot, accept
 * on the consent page, and wait for the bot's confirmation. The direct space with the bot.
 * @example const directRoom = await linkAccount(stack.user('host@example.com'));
 */
export async function linkAccount(
  user: SandboxUser,
  options: { admin?: boolean } = {},
): Promise<string> {
  const sent = await user.dmBot(options.admin ? 'connect admin' : 'connect');
  const [card] = await user.waitForBot(sent.roomId, { after: sent.id, timeoutMs: 15_000 });
  const result = await consent(connectUrlOf(cardOf(card)), user.id);
  if (result.status !== 200) throw new Error(`consent failed: ${result.status}`);
  await user.waitForBot(sent.roomId, { after: card.id, timeoutMs: 15_000 });
  return sent.roomId;
}
