/**
 * The report cards a person sees in a space, and pressing their buttons as a Webex client
 * does, waiting for what the person would see: the new card in place of the old one.
 */
import axios from 'axios';
import { cardOf } from './card-text';
import {
  cardActions,
  clickButton,
  type SandboxMessage,
  type SandboxUser,
  type TestStack,
} from './stack';
import { until } from './until';

/** Whether a message is a report card (its buttons ask for views of a report). */
export function isReportCard(message: SandboxMessage): boolean {
  return cardActions(cardOf(message)).some((a) =>
    String(a.data?.action ?? '').startsWith('audit.'),
  );
}

/** The bot's report cards in a room, oldest first. */
export async function reportCards(user: SandboxUser, roomId: string): Promise<SandboxMessage[]> {
  const botId = user.stack.file.bot.id;
  return (await user.messages(roomId)).filter((m) => m.personId === botId && isReportCard(m));
}

/** Whether `messageId` can still be read (it has not been deleted). */
export async function messageExists(user: SandboxUser, messageId: string): Promise<boolean> {
  const response = await user.api.get(`/messages/${messageId}`);
  if (response.status !== 200 && response.status !== 404) {
    throw new Error(`GET /messages/${messageId}: ${response.status}`);
  }
  return response.status === 200;
}

/**
 * Presses `title` on the report card `card` in `roomId` (with `inputValues` as the card's
 * inputs) and waits until its replacement is there and `card` is gone; the replacement.
 */
export async function pressAndWaitForReplacement(
  user: SandboxUser,
  roomId: string,
  card: SandboxMessage,
  title: string,
  inputValues: Record<string, string> = {},
): Promise<SandboxMessage> {
  await clickButton(user, card, title, inputValues);
  let replacement: SandboxMessage | undefined;
  await until(`"${title}" to replace the card`, async () => {
    replacement = (await reportCards(user, roomId)).find(
      (m) => m.id !== card.id && m.created >= card.created,
    );
    return replacement !== undefined && !(await messageExists(user, card.id));
  });
  return replacement!;
}

/**
 * Resolves once the bot has nothing left to do: no webhook delivery in flight and no event
 * pending or being worked on in its inbox (as its `/metrics` says).
 * @example await settled(stack); expect(await reportCards(host, roomId)).toHaveLength(1);
 */
export async function settled(stack: TestStack, timeoutMs = 30_000): Promise<void> {
  const sandbox = stack.running.sandbox;
  await sandbox.webhooks.idle();
  await until(
    'the bot to finish every event',
    async () => {
      const text = await botMetrics(stack);
      return (
        /^audit_bot_inbox_events\{status="pending"\} 0$/m.test(text) &&
        /^audit_bot_inbox_events\{status="claimed"\} 0$/m.test(text)
      );
    },
    timeoutMs,
  );
  await sandbox.webhooks.idle();
}

/** The bot's Prometheus metrics as text. */
export async function botMetrics(stack: TestStack): Promise<string> {
  return (await axios.get<string>(`${stack.file.botUrl}/metrics`, { responseType: 'text' })).data;
}

/**
 * The sum of a metric's samples whose line contains `labels` (e.g. `resource="attachmentActions"`).
 * @example await metricSum(stack, 'audit_bot_inbox_retries_total') // 0
 */
export async function metricSum(stack: TestStack, name: string, labels = ''): Promise<number> {
  return (await botMetrics(stack))
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `))
    .filter((line) => line.includes(labels))
    .reduce((sum, line) => sum + Number(line.split(' ').pop()), 0);
}
