/**
 * What a person sees, whichever transport brings the bot its events: help, an audit with
 * account linking, a card click and a group-space mention. Each transport's test file runs
 * these against its own stack (one SDK per process, so one transport per file).
 */
import { SEED_RECORDING_IDS } from '../../../src/sandbox/seed-recordings';
import { cardOf, cardText } from '../../helpers/card-text';
import { connectUrlOf, consent } from '../../helpers/consent';
import { quiet } from '../../helpers/quiet';
import { pressAndWaitForReplacement, reportCards } from '../../helpers/report-cards';
import { until } from '../../helpers/until';
import type { SandboxMessage, TestStack } from '../../helpers/stack';

/** Defines the scenarios; `stack()` is the running stack of the file's transport. */
export function transportScenarios(stack: () => TestStack): void {
  it('answers help in the 1:1 space', async () => {
    const host = stack().user('host@example.com');
    const sent = await host.dmBot('help');
    const [reply] = await host.waitForBot(sent.roomId, { after: sent.id, timeoutMs: 10_000 });
    expect(cardText(cardOf(reply))).toContain('audit');
  });

  it('links the account on an audit and then answers it with the report card', async () => {
    const host = stack().user('host@example.com');
    const sent = await host.dmBot(`audit ${SEED_RECORDING_IDS.example}`);
    const [connect] = await host.waitForBot(sent.roomId, { after: sent.id, timeoutMs: 15_000 });
    expect((await consent(connectUrlOf(cardOf(connect)), host.id)).status).toBe(200);
    let card: SandboxMessage | undefined;
    await until('the report card', async () => {
      card = (await reportCards(host, sent.roomId)).at(-1);
      return card !== undefined;
    });
    const text = cardText(cardOf(card!));
    expect(text).toContain('People: 3');
    expect(text).toContain('Example Topic');
  });

  it('answers a click on the report card with the filtered card', async () => {
    const host = stack().user('host@example.com');
    const sent = await host.dmBot(`audit ${SEED_RECORDING_IDS.example}`);
    const card = await host.waitForBotCard(sent.roomId, { after: sent.id });
    const filtered = await pressAndWaitForReplacement(host, sent.roomId, card, 'Refresh', {
      filterChoice: 'downloaded',
    });
    expect(cardText(cardOf(filtered))).toContain('Filter: 2 people who downloaded it');
  });

  it('answers a mention in a group space, in the thread', async () => {
    const host = stack().user('host@example.com');
    const asked = await host.sayInRoom(stack().groupRoomId(), 'help');
    const [reply] = await host.waitForBot(asked.roomId, { after: asked.id, timeoutMs: 10_000 });
    expect(reply.parentId).toBe(asked.id);
  });

  it('welcomes a group space once per add, also when added back after a removal', async () => {
    const { running, file } = stack();
    const host = stack().user('host@example.com');
    const room = (await host.api.post<{ id: string }>('/rooms', { title: 'Added back' })).data;
    const botPosts = async () =>
      (await host.messages(room.id)).filter((m) => m.personId === file.bot.id);
    const addBot = async () =>
      (
        await host.api.post<{ id: string }>('/memberships', {
          roomId: room.id,
          personId: file.bot.id,
        })
      ).data.id;
    const nothingMore = () => quiet(running.sandbox, () => running.store.inboxDepth());

    const first = await addBot();
    await until('the welcome', async () => (await botPosts()).length === 1);
    expect((await host.api.delete(`/memberships/${first}`)).status).toBe(204);
    // Webex reuses the id (person and room): only the event's time tells the add-back apart.
    expect(await addBot()).toBe(first);
    await until('the second welcome', async () => (await botPosts()).length === 2);
    await nothingMore();
    expect(await botPosts()).toHaveLength(2);
  });
}
