/**
 * Waiting for "nothing more is coming" without a sleep: no webhook delivery in flight and no
 * socket event unacknowledged, and nothing pending or being worked on in the bot's inbox (a
 * retry waiting for its turn counts).
 */
import type { Sandbox } from '../../src/sandbox/server';
import type { InboxDepth } from '../../src/store/store';
import { until } from './until';

/**
 * @example await quiet(sandbox, () => store.inboxDepth());
 */
export async function quiet(
  sandbox: Pick<Sandbox, 'webhooks' | 'sockets'>,
  inboxDepth: () => Promise<Pick<InboxDepth, 'pending' | 'claimed'>>,
  timeoutMs = 60_000,
): Promise<void> {
  await deliveriesIdle(sandbox);
  await until(
    'the inbox to be empty',
    async () => {
      const depth = await inboxDepth();
      return depth.pending === 0 && depth.claimed === 0;
    },
    timeoutMs,
    50,
  );
  // What the bot posted meanwhile was delivered to it too (its own messages, ignored).
  await deliveriesIdle(sandbox);
}

/**
 * Resolves once no event is on its way to the bot: every webhook delivery answered and every
 * socket frame acknowledged (or its socket closed). The SDK acknowledges a frame when it
 * arrives, before the bot has stored the event.
 */
export async function deliveriesIdle(
  sandbox: Pick<Sandbox, 'webhooks' | 'sockets'>,
): Promise<void> {
  await sandbox.webhooks.idle();
  await sandbox.sockets.idle();
}
