/** The transport scenarios with webhooks (EVENT_TRANSPORT=webhook, the default). */
import { startStack, type TestStack } from '../../helpers/stack';
import { transportScenarios } from './scenarios';

let stack: TestStack;
beforeAll(async () => {
  stack = await startStack({ EVENT_TRANSPORT: 'webhook' });
});
afterAll(async () => {
  await stack?.close();
});

transportScenarios(() => stack);

it('keeps its two webhooks and reports them ready', async () => {
  const ready = await fetch(`${stack.running.file.botUrl}/readyz`);
  expect(ready.status).toBe(200);
  expect(((await ready.json()) as { checks: Record<string, boolean> }).checks.webhooks).toBe(true);
});
