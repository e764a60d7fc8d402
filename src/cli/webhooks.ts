/**
 * The operator's view of this deployment's webhooks: `npm run webhooks -- status|sync|remove`.
 * It reads the bot's own settings (WEBEX_BOT_TOKEN, PUBLIC_URL, WEBEX_WEBHOOK_SECRET,
 * WEBEX_API_URL) and applies the same rules as the running bot's reconciler.
 *
 * Exit status: 0 done (status: everything as desired), 1 status found something to fix or a
 * Webex call failed, 2 usage or configuration problem.
 */
import { ConfigError, DEFAULT_API_URL, loadConfig, loadDotenvFile } from '../config';
import { frameworkWebhookName } from '../bot/framework/webhook-name';
import { WebhookReconciler, type WebhookVerdict } from '../bot/webhooks';
import type { WebhookPlan } from '../bot/webhook-plan';
import { WEBHOOK_PATH } from '../server/express-receiver';
import { bearer, createWebexHttp } from '../webex/client';
import { WebexError, WebexUnauthorizedError } from '../webex/errors';

const USAGE = `usage: npm run webhooks -- <command>
  status          show this deployment's webhooks, whether each is as it should be, and the bot's others
  sync            create, fix, reactivate and de-duplicate them (what the running bot does every minute)
  remove --yes    delete this deployment's webhooks (a running bot recreates them: stop it first)`;

/** The settings the command needs; the rest of the bot's configuration is not required. */
const NEEDED = ['WEBEX_BOT_TOKEN', 'WEBEX_API_URL', 'PUBLIC_URL', 'WEBEX_WEBHOOK_SECRET'];

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
}

interface Settings {
  botToken: string;
  apiUrl: string;
  webhookUrl: string;
  secret: string;
}

/** The needed settings, or the lines saying what to fix. */
export function readSettings(env: NodeJS.ProcessEnv): Settings | string[] {
  const value = (name: string) => env[name]?.trim() || undefined;
  if (!value('WEBEX_BOT_TOKEN')) {
    return [
      'WEBEX_BOT_TOKEN is not set, so this is sandbox mode: `npm start` makes the sandbox its own webhooks, and they go with it.',
      'To manage a deployment on Webex, run this with the bot\u2019s settings: WEBEX_BOT_TOKEN, PUBLIC_URL and WEBEX_WEBHOOK_SECRET (and WEBEX_API_URL if not https://webexapis.com/v1).',
    ];
  }
  let problems: string[] = [];
  try {
    loadConfig(env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    problems = err.problems.filter((p) => NEEDED.some((name) => p.startsWith(`${name} `)));
  }
  if (problems.length > 0)
    return ['Configuration is not valid:', ...problems.map((p) => `  - ${p}`)];
  const publicUrl = (value('PUBLIC_URL') ?? '').replace(/\/+$/, '');
  return {
    botToken: value('WEBEX_BOT_TOKEN') ?? '',
    apiUrl: (value('WEBEX_API_URL') ?? DEFAULT_API_URL).replace(/\/+$/, ''),
    webhookUrl: `${publicUrl}${WEBHOOK_PATH}`,
    secret: value('WEBEX_WEBHOOK_SECRET') ?? '',
  };
}

/**
 * Runs one command; resolves with the exit status.
 * @example process.exitCode = await runWebhooksCli(['status'], process.env, consoleIo);
 */
export async function runWebhooksCli(
  args: string[],
  env: NodeJS.ProcessEnv,
  io: CliIo,
): Promise<number> {
  const [command, ...flags] = args;
  if (!command || !['status', 'sync', 'remove'].includes(command)) {
    io.err(USAGE);
    return 2;
  }
  const settings = readSettings(env);
  if (Array.isArray(settings)) {
    settings.forEach((line) => io.err(line));
    return 2;
  }
  const http = createWebexHttp({ baseUrl: settings.apiUrl });
  try {
    const me = await http.get<{ emails: string[] }>('/people/me', {
      headers: bearer(settings.botToken),
    });
    const name = frameworkWebhookName(settings.webhookUrl, me.data.emails[0] ?? '');
    const reconciler = new WebhookReconciler({
      http,
      botToken: settings.botToken,
      name,
      targetUrl: settings.webhookUrl,
      secret: settings.secret,
    });
    io.out(`Webhooks of this deployment: target ${settings.webhookUrl}, name ${name}`);
    if (command === 'status') {
      const plan = await reconciler.plan();
      printPlan(plan, io);
      const clean = plan.actions.length === 0;
      io.out(clean ? 'All as desired.' : 'Not as desired: `npm run webhooks -- sync` fixes it.');
      return clean ? 0 : 1;
    }
    if (command === 'sync') {
      const result = await reconciler.reconcile();
      io.out(
        `Synced: ${result.created} created, ${result.updated} updated, ${result.removed} duplicates removed.`,
      );
      printPlan(await reconciler.plan(), io);
      return 0;
    }
    const own = (await reconciler.plan()).verdicts.filter((v) => v.role !== 'other');
    if (!flags.includes('--yes')) {
      printVerdicts('Would remove', own, io);
      io.err(
        'Nothing removed: add --yes to delete these (stop the bot first, or it recreates them).',
      );
      return 1;
    }
    const removed = await reconciler.removeOwn();
    io.out(`Removed ${removed.length} webhook(s); the bot's other webhooks were left alone.`);
    return 0;
  } catch (err) {
    if (err instanceof WebexUnauthorizedError) {
      io.err(
        'Webex refused WEBEX_BOT_TOKEN (401): copy the bot\u2019s access token again from https://developer.webex.com/my-apps.',
      );
      return 2;
    }
    if (err instanceof WebexError) {
      io.err(
        `Webex call failed: ${err.message}${err.trackingId ? ` (trackingId ${err.trackingId})` : ''}`,
      );
      return 1;
    }
    throw err;
  }
}

function printPlan(plan: WebhookPlan, io: CliIo): void {
  const own = plan.verdicts.filter((v) => v.role !== 'other');
  printVerdicts('This deployment', own, io);
  for (const spec of plan.missing) io.out(`  missing     ${spec.resource}/${spec.event}`);
  printVerdicts(
    'Other webhooks of this bot (never touched)',
    plan.verdicts.filter((v) => v.role === 'other'),
    io,
  );
}

function printVerdicts(title: string, verdicts: WebhookVerdict[], io: CliIo): void {
  io.out(`${title}:`);
  if (verdicts.length === 0) io.out('  (none)');
  for (const verdict of verdicts) {
    const { hook } = verdict;
    const state =
      verdict.role === 'own'
        ? verdict.fixes.length === 0
          ? 'ok'
          : `fix ${verdict.fixes.join(',')}`
        : verdict.role === 'duplicate'
          ? 'duplicate'
          : 'other';
    io.out(
      `  ${state.padEnd(11)} ${`${hook.resource}/${hook.event}`.padEnd(26)} ${(hook.status ?? 'active').padEnd(8)} ${hook.targetUrl}  name ${hook.name}  id ${hook.id}`,
    );
  }
}

if (require.main === module) {
  // The bot's own settings, from `.env` as the bot reads them (the real environment wins).
  try {
    loadDotenvFile();
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(2);
  }
  runWebhooksCli(process.argv.slice(2), process.env, {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
  }).then(
    (code) => (process.exitCode = code),
    (err: unknown) => {
      process.stderr.write(`webhooks: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
