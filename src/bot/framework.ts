/**
 * Hosting `webex-node-bot-framework`: loading it against the right Webex, feeding it events
 * we have verified, and working around what it does not do for itself (see DESIGN.md).
 */
import Module from 'node:module';
import path from 'node:path';
import type Framework from 'webex-node-bot-framework';
import type { WebexAttachmentAction, WebexMessage, WebexPerson } from 'webex-node-bot-framework';

type FrameworkClass = typeof Framework;
type ProcessEvent = (framework: Framework, body: unknown) => Promise<unknown>;

/**
 * Loads the framework pointed at `apiUrl`. The SDK reads `HYDRA_SERVICE_URL` once, when it is
 * first loaded, so the variable must be set before the first `require`.
 */
export function loadFramework(apiUrl: string): {
  Framework: FrameworkClass;
  processEvent: ProcessEvent;
} {
  process.env.HYDRA_SERVICE_URL = apiUrl;
  skipUnusedSdkPlugins();
  // The SDK logs at trace level under NODE_ENV=test and chats at info otherwise.
  process.env.WEBEX_LOG_LEVEL ??= 'error';
  /* eslint-disable @typescript-eslint/no-require-imports -- the load must follow the env change above */
  const FrameworkCtor = require('webex-node-bot-framework') as FrameworkClass;
  // Its processing step, without its webhook handler (which acks before checking signatures).
  const processEvent = require('webex-node-bot-framework/lib/process-event') as ProcessEvent;
  /* eslint-enable @typescript-eslint/no-require-imports */
  return { Framework: FrameworkCtor, processEvent };
}

/**
 * SDK plugins a bot in webhook mode never uses. `webex` loads every plugin it ships; the
 * meetings plugin (the WebRTC meetings stack) alone takes ~0.5 s and ~20 MB at start-up.
 */
const UNUSED_SDK_PLUGINS = ['@webex/plugin-meetings'];

/** Puts an empty module in the require cache for each unused plugin, before `webex` loads. */
function skipUnusedSdkPlugins(): void {
  const webexDir = path.dirname(
    require.resolve('webex/package.json', {
      paths: [path.dirname(require.resolve('webex-node-bot-framework/package.json'))],
    }),
  );
  for (const name of UNUSED_SDK_PLUGINS) {
    const file = require.resolve(name, { paths: [webexDir] });
    if (require.cache[file]) continue;
    const stub = new Module(file);
    stub.filename = file;
    stub.loaded = true;
    require.cache[file] = stub;
  }
}

/** The name the framework gives its webhooks: base64 of "<host of webhookUrl> <bot email>". */
export function frameworkWebhookName(webhookUrl: string, botEmail: string): string {
  return Buffer.from(`${new URL(webhookUrl).host} ${botEmail}`).toString('base64');
}

/** The reads the framework makes for every event, done by our own client instead. */
export interface EventReads {
  getPerson(personId: string): Promise<WebexPerson>;
  getMessage(messageId: string): Promise<WebexMessage>;
  getAttachmentAction(actionId: string): Promise<WebexAttachmentAction>;
}

/**
 * Routes the framework's per-event reads through our client. The SDK's batched people lookup
 * delays every event by `batcherWait` (100 ms) and can wedge a person after one failure, and
 * none of its reads retry a 429: a failed read would drop the event without a word.
 */
export function replaceEventReads(framework: Framework, reads: EventReads): void {
  const { people, messages, attachmentActions } = framework.webex;
  const sdkGetPerson = people.get.bind(people);
  people.get = (person) => {
    const id = typeof person === 'string' ? person : person.id;
    return id === 'me' ? sdkGetPerson(person) : reads.getPerson(id);
  };
  messages.get = (message) => reads.getMessage(typeof message === 'string' ? message : message.id);
  attachmentActions.get = (action) =>
    reads.getAttachmentAction(typeof action === 'string' ? action : action.id);
}

/** Waits until the framework's own (unawaited) webhook creation has finished or failed. */
export async function frameworkWebhooksSettled(
  framework: Framework,
  timeoutMs = 15_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    // Both start as `{}`; an id means created, `false` means creation failed.
    if (framework.webhook === false) return;
    if (framework.webhook?.id && framework.cardsWebhook?.id) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
