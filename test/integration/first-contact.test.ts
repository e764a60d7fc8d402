/**
 * People who have never talked to the bot, all writing at once: Webex sends the new space's
 * rooms, memberships and messages events together, and the framework sets the space up while
 * the message waits. Every first message gets its answer, also when Webex is slow or failing
 * on those set-up reads; and an audit makes no SDK people lookups.
 */
import { SEED_RECORDING_IDS } from '../../src/sandbox/seed-recordings';
import { cardOf, cardText } from '../helpers/card-text';
import { connectUrlOf, consent } from '../helpers/consent';
import { addNewcomer } from '../helpers/newcomer';
import { SandboxUser, startStack, type TestStack } from '../helpers/stack';

let stack: TestStack;

beforeAll(async () => {
  stack = await startStack();
});

afterAll(async () => {
  await stack?.close();
});

/** A person new to the bot: no direct space with it yet. */
function newcomer(): SandboxUser {
  const person = addNewcomer(stack.running.sandbox.state);
  return new SandboxUser(stack, person.email, person.token, person.id);
}

/** Five newcomers send `help` at the same moment; returns how many got the help card. */
async function fiveFirstMessages(): Promise<number> {
  const people = Array.from({ length: 5 }, () => newcomer());
  const sent = await Promise.all(people.map((person) => person.dmBot('help')));
  expect(new Set(sent.map((m) => m.roomId)).size).toBe(5);
  const answers = await Promise.all(
    sent.map((message, i) =>
      people[i]
        .waitForBot(message.roomId, { after: message.id, timeoutMs: 10_000 })
        .then(([reply]) => cardText(cardOf(reply)).includes('audit'))
        .catch(() => false),
    ),
  );
  return answers.filter(Boolean).length;
}

describe('first messages in new spaces', () => {
  afterEach(() => stack.running.sandbox.faults.clear());

  it('answers all 5 sent at once', async () => {
    expect(await fiveFirstMessages()).toBe(5);
  });

  it('answers all 5 when listing memberships is slow', async () => {
    stack.running.sandbox.faults.set({ route: 'GET /v1/memberships', latencyMs: 400 });
    expect(await fiveFirstMessages()).toBe(5);
  });

  it('answers all 5 when the set-up reads fail once each (our client retries them)', async () => {
    const faults = stack.running.sandbox.faults;
    faults.set([
      { route: 'GET /v1/rooms/:id', failNext: 5, failNextStatus: 503 },
      { route: 'GET /v1/memberships', failNext: 5, failNextStatus: 503 },
    ]);
    expect(await fiveFirstMessages()).toBe(5);
    expect(faults.counts().faulted).toBe(10);
  });
});

describe('an audit', () => {
  it('looks people up through our client only: no SDK batch GET /people', async () => {
    const host = stack.user('host@example.com');
    const faults = stack.running.sandbox.faults;
    const sent = await host.dmBot(`audit ${SEED_RECORDING_IDS.example}`);
    const [connect] = await host.waitForBot(sent.roomId, { after: sent.id, timeoutMs: 15_000 });
    expect((await consent(connectUrlOf(cardOf(connect)), host.id)).status).toBe(200);
    await host.waitForBot(sent.roomId, { after: connect.id, count: 2, timeoutMs: 15_000 });

    faults.resetCounts();
    const again = await host.dmBot(`audit ${SEED_RECORDING_IDS.example}`);
    const [report] = await host.waitForBot(again.roomId, { after: again.id, timeoutMs: 15_000 });
    expect(cardText(cardOf(report))).toContain('People: 3');
    const byRoute = faults.counts().byRoute;
    expect(byRoute['GET /v1/people']).toBeUndefined();
    expect(byRoute['GET /v1/messages/:id']).toBe(1);
  });
});
