/** The transport scenarios over the Webex websocket (EVENT_TRANSPORT=websocket). */
import { startStack, type TestStack } from '../../helpers/stack';
import { transportScenarios } from './scenarios';

let stack: TestStack;
beforeAll(async () => {
  stack = await startStack({ EVENT_TRANSPORT: 'websocket' });
});
afterAll(async () => {
  await stack?.close();
});

transportScenarios(() => stack);

it('registers one device under its name, needs no webhook, and reports the socket ready', async () => {
  const ready = await fetch(`${stack.running.file.botUrl}/readyz`);
  expect(ready.status).toBe(200);
  expect(((await ready.json()) as { checks: Record<string, boolean> }).checks.socket).toBe(true);
  const sandbox = stack.running.sandbox;
  const devices = [...sandbox.state.devices.values()];
  expect(devices.map((d) => d.registration.name)).toEqual([
    expect.stringMatching(/^recording-audit-bot@.+:\d+$/),
  ]);
  expect(sandbox.state.webhooks.size).toBe(0);
  // No webhook route: without a secret anyone could post events.
  const forged = await fetch(`${stack.running.file.botUrl}/webhooks/webex`, { method: 'POST' });
  expect(forged.status).toBe(404);
});
