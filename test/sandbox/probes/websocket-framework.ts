/**
 * webex-node-bot-framework in websocket mode (no `webhookUrl`), loaded the way the bot loads
 * it, in a plain Node process: the SDK reads U2C_SERVICE_URL when first loaded, and leaves
 * catalog timers (up to 10 s) behind after `stop()` that would keep a Jest worker alive.
 * Prints one JSON line per thing the test watches; reads commands from stdin, one a line:
 * `stop` stops the framework (which unregisters its device) and exits.
 *
 * Env: SANDBOX_API_URL, BOT_TOKEN, DEVICE_NAME, U2C_SERVICE_URL (read by the SDK itself),
 * REMOVE_DEVICES=1 for `removeDeviceRegistrationsOnStart`.
 */
import { createInterface } from 'node:readline';
import { loadFramework, sdkPluginPath } from '../../../src/bot/framework/load';

interface Trigger {
  text?: string;
  message?: { roomId: string };
  person?: { id: string };
  attachmentAction?: { inputs: Record<string, unknown>; messageId: string };
}

const say = (line: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(line)}\n`);
// The framework logs "Listening for webex teams events..." and the like.
console.log = () => undefined;

const { Framework } = loadFramework(process.env.SANDBOX_API_URL ?? '');
// The SDK registers with its config's device.body over device.defaults.body
// (internal-plugin-device/src/device.js `register`); the framework passes no device config.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the SDK's shared config, after the load
const core = require(sdkPluginPath('@webex/webex-core')) as {
  config: { device: { body?: Record<string, string> } };
};
core.config.device.body = { name: process.env.DEVICE_NAME ?? 'probe' };

/** `hears` is not in src/types: the bot does not use it. */
type HearingFramework = InstanceType<typeof Framework> & {
  hears(phrase: RegExp, action: (bot: unknown, trigger: Trigger) => void): void;
};
const framework = new Framework({
  token: process.env.BOT_TOKEN ?? '',
  maxStartupSpaces: 0,
  ...(process.env.REMOVE_DEVICES === '1' ? { removeDeviceRegistrationsOnStart: true } : {}),
}) as HearingFramework;
framework.hears(/.*/, (_bot: unknown, trigger: Trigger) =>
  say({
    event: 'heard',
    text: trigger.text,
    roomId: trigger.message?.roomId,
    personId: trigger.person?.id,
  }),
);
framework.on('attachmentAction', (_bot: unknown, trigger: Trigger) =>
  say({ event: 'click', ...trigger.attachmentAction }),
);
framework.on('spawn', (bot: { room: { id: string } }, _id: string, addedBy?: string) =>
  say({ event: 'spawn', roomId: bot.room.id, addedBy }),
);

framework
  .start()
  .then(() => say({ event: 'started', active: framework.active }))
  .catch((err: unknown) => {
    say({ event: 'failed', message: (err as Error).message });
    process.exit(1);
  });

createInterface({ input: process.stdin }).on('line', (line) => {
  if (line.trim() !== 'stop') return;
  void framework.stop().then(() => {
    say({ event: 'stopped' });
    process.exit(0);
  });
});
