/**
 * The framework baseline: the smallest bot one writes with webex-node-bot-framework, used the
 * way its README shows (its own webhook handler on an Express route, `framework.hears` and
 * `bot.say`), answering every message with a fixed text. Run as its own process by the
 * benchmark, against the sandbox; configured by BASELINE_* variables.
 * GET /ready answers 200 once the framework has started and both its webhooks exist.
 */
import express from 'express';

interface BaselineBot {
  say(format: 'markdown', text: string): Promise<unknown>;
}

/** The slice of the framework this bot uses (the package ships no types). */
interface BaselineFramework {
  start(): Promise<unknown>;
  hears(phrase: RegExp, action: (bot: BaselineBot) => void): string;
  webhook?: { id?: string } | false;
  cardsWebhook?: { id?: string };
}

type FrameworkCtor = new (options: Record<string, unknown>) => BaselineFramework;
type WebhookHandler = (framework: BaselineFramework) => express.RequestHandler;

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
}

async function main(): Promise<void> {
  const port = Number(env('BASELINE_PORT'));
  // The SDK reads its API URL once, when first loaded.
  process.env.HYDRA_SERVICE_URL = env('BASELINE_API_URL');
  process.env.WEBEX_LOG_LEVEL ??= 'error';
  /* eslint-disable @typescript-eslint/no-require-imports -- the load must follow the env change above */
  const Framework = require('webex-node-bot-framework') as FrameworkCtor;
  const webhook = require('webex-node-bot-framework/webhook') as WebhookHandler;
  /* eslint-enable @typescript-eslint/no-require-imports */

  const framework = new Framework({
    token: env('BASELINE_TOKEN'),
    webhookUrl: `http://127.0.0.1:${port}/`,
    webhookSecret: env('BASELINE_SECRET'),
  });
  framework.hears(/.*/s, (bot) => {
    void bot.say('markdown', 'Hello from the baseline bot.');
  });

  const app = express();
  app.use(express.json());
  app.post('/', webhook(framework));
  app.get('/ready', (_req, res) => {
    const ready = Boolean(framework.webhook && framework.webhook.id && framework.cardsWebhook?.id);
    res.status(ready ? 200 : 503).end();
  });
  await new Promise<void>((resolve) => app.listen(port, '127.0.0.1', () => resolve()));
  await framework.start();
}

// Its logger is console.log: keep the benchmark's output readable.
if (!process.env.BASELINE_VERBOSE) console.log = () => undefined;
main().catch((err: unknown) => {
  process.stderr.write(`baseline bot failed: ${String(err)}\n`);
  process.exit(1);
});
process.on('SIGTERM', () => process.exit(0));
