/**
 * Hosting `webex-node-bot-framework`: loading it against the right Webex, feeding it events
 * we have verified, and working around what it does not do for itself (see DESIGN.md).
 */
import type Framework from 'webex-node-bot-framework';
import type { WebexPerson } from 'webex-node-bot-framework';

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
  // The SDK logs at trace level under NODE_ENV=test and chats at info otherwise.
  process.env.WEBEX_LOG_LEVEL ??= 'error';
  /* eslint-disable @typescript-eslint/no-require-imports -- the load must follow the env change above */
  const FrameworkCtor = require('webex-node-bot-framework') as FrameworkClass;
  // Its processing step, without its webhook handler (which acks before checking signatures).
  const processEvent = require('webex-node-bot-framework/lib/process-event') as ProcessEvent;
  /* eslint-enable @typescript-eslint/no-require-imports */
  return { Framework: FrameworkCtor, processEvent };
}

/** The name the framework gives its webhooks: base64 of "<host of webhookUrl> <bot email>". */
export function frameworkWebhookName(webhookUrl: string, botEmail: string): string {
  return Buffer.from(`${new URL(webhookUrl).host} ${botEmail}`).toString('base64');
}

/**
 * Replaces the SDK's batched people lookup, which delays every event by `batcherWait`
 * (100 ms) and can wedge a person for good after one failed lookup.
 */
export function replacePeopleLookup(
  framework: Framework,
  getPerson: (personId: string) => Promise<WebexPerson>,
): void {
  const sdkGet = framework.webex.people.get.bind(framework.webex.people);
  framework.webex.people.get = (person) => {
    const id = typeof person === 'string' ? person : person.id;
    return id === 'me' ? sdkGet(person) : getPerson(id);
  };
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
