/**
 * ALLOWED_EMAIL_DOMAINS keeps the bot to the organisations it was set up for, whatever the
 * way in: typed commands or crafted card submissions.
 */
import { SEED_RECORDING_IDS } from '../../src/sandbox/seed-recordings';
import { cardOf, cardText } from '../helpers/card-text';
import { startStack, type TestStack } from '../helpers/stack';

let stack: TestStack;

beforeAll(async () => {
  stack = await startStack({ ALLOWED_EMAIL_DOMAINS: 'corp.example' });
});

afterAll(async () => {
  await stack?.close();
});

it('refuses commands and crafted button presses from other domains', async () => {
  const host = stack.user('host@example.com');
  const sent = await host.dmBot(`audit ${SEED_RECORDING_IDS.example}`);
  const [refusal] = await host.waitForBot(sent.roomId, { after: sent.id });
  expect(cardText(cardOf(refusal))).toContain('Not available for your organisation');

  const forged = await host.api.post('/attachment/actions', {
    type: 'submit',
    messageId: refusal.id,
    inputs: {
      action: 'recordings.audit',
      requesterId: host.id,
      recordingChoice: SEED_RECORDING_IDS.example,
    },
  });
  expect(forged.status).toBeLessThan(300);
  await new Promise((resolve) => setTimeout(resolve, 500));
  const after = await host.messages(sent.roomId);
  expect(after.at(-1)?.id).toBe(refusal.id);
  expect(stack.running.sandbox.state.tokens.size).toBeGreaterThan(0);
  expect(await stack.running.store.getAccount(host.id)).toBeNull();
});
