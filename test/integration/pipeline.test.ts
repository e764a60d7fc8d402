/**
 * What people see from the command pipeline's rules: `recordings all`, a crafted card click
 * checked like typed input, the account link's real state in `settings`, and the OAuth
 * callback's answers to links that are incomplete, made up or used twice.
 */
import { SEED_RECORDING_IDS } from '../../src/sandbox/seed-recordings';
import { cardOf, cardText } from '../helpers/card-text';
import { connectUrlOf, consent } from '../helpers/consent';
import {
  startStack,
  type SandboxMessage,
  type SandboxUser,
  type TestStack,
} from '../helpers/stack';

let stack: TestStack;

beforeAll(async () => {
  stack = await startStack();
});

afterAll(async () => {
  await stack?.close();
});

async function ask(user: SandboxUser, text: string, count = 1): Promise<SandboxMessage[]> {
  const sent = await user.dmBot(text);
  return user.waitForBot(sent.roomId, { after: sent.id, count, timeoutMs: 15_000 });
}

/** Links `user` (with admin scopes if asked) and waits for the bot's confirmation. */
async function link(user: SandboxUser, admin = false): Promise<void> {
  const [card] = await ask(user, admin ? 'connect admin' : 'connect');
  const result = await consent(connectUrlOf(cardOf(card)), user.id);
  expect(result.html).toContain('Connected');
  await user.waitForBot(card.roomId, { after: card.id, timeoutMs: 15_000 });
}

/** Presses a crafted button on `message` and returns the bot's next message in the room. */
async function craftedClick(
  user: SandboxUser,
  message: SandboxMessage,
  inputs: Record<string, unknown>,
): Promise<SandboxMessage> {
  const response = await user.api.post('/attachment/actions', {
    type: 'submit',
    messageId: message.id,
    inputs,
  });
  expect(response.status).toBeLessThan(300);
  const [reply] = await user.waitForBot(message.roomId, { after: message.id, timeoutMs: 15_000 });
  return reply;
}

describe('recordings all', () => {
  it('lists every host’s recordings for an admin', async () => {
    const admin = stack.user('admin@example.com');
    await link(admin, true);
    const [list] = await ask(admin, 'recordings all');
    const text = cardText(cardOf(list));
    expect(text).toContain('All recordings');
    expect(text).toContain('Weekly sync');
    expect(text).toContain('host@example.com');
    expect(text).toContain('Shared design review');
  });

  it('tells someone without admin access that it needs the admin scope', async () => {
    const host = stack.user('host@example.com');
    await link(host);
    const [reply] = await ask(host, 'recordings all');
    expect(cardText(cardOf(reply))).toMatch(/admin scope/);
    expect(cardText(cardOf(reply))).toContain('connect admin');
  });
});

describe('crafted card clicks', () => {
  it('refuses a report button whose recording ID is not one', async () => {
    const host = stack.user('host@example.com');
    const [help] = await ask(host, 'help');
    const reply = await craftedClick(host, help, {
      action: 'audit.page',
      recordingId: '../../people/me',
      requesterId: host.id,
      page: 1,
    });
    const text = cardText(cardOf(reply));
    expect(text).toContain("Let's fix that audit command");
    expect(text).toContain('does not look like a recording ID');
  });

  it('refuses a report button with a host that is not an email address', async () => {
    const host = stack.user('host@example.com');
    const [help] = await ask(host, 'help');
    const reply = await craftedClick(host, help, {
      action: 'audit.refresh',
      recordingId: SEED_RECORDING_IDS.example,
      hostEmail: 'all',
      requesterId: host.id,
    });
    expect(cardText(cardOf(reply))).toContain('is not an email address');
  });

  it('refuses a picker choice that is not a recording and host', async () => {
    const host = stack.user('host@example.com');
    const [help] = await ask(host, 'help');
    const reply = await craftedClick(host, help, {
      action: 'recordings.audit',
      requesterId: host.id,
      recordingChoice: `${SEED_RECORDING_IDS.example} host other.host@example.com`,
    });
    expect(cardText(cardOf(reply))).toContain("Let's fix that audit command");
    expect(cardText(cardOf(reply))).not.toContain('Joe Doe');
  });

  it('runs a valid picker choice as the audit it stands for', async () => {
    const host = stack.user('host@example.com');
    const [help] = await ask(host, 'help');
    const reply = await craftedClick(host, help, {
      action: 'recordings.audit',
      requesterId: host.id,
      recordingChoice: SEED_RECORDING_IDS.example,
    });
    expect(cardText(cardOf(reply))).toContain('Joe Doe');
  });
});

describe('settings shows whether the account link still works', () => {
  it('says "linked" while it works', async () => {
    const colleague = stack.user('colleague@example.com');
    await link(colleague);
    const [reply] = await ask(colleague, 'settings');
    expect(cardText(cardOf(reply))).toContain('Webex account: linked.');
  });

  it('says "needs reconnecting" when the stored token cannot be decrypted', async () => {
    const colleague = stack.user('colleague@example.com');
    const account = await stack.running.store.getAccount(colleague.id);
    expect(account).not.toBeNull();
    await stack.running.store.saveAccount({
      ...account!,
      accessTokenEnc: 'v1.damaged.token.blob',
      refreshTokenEnc: 'v1.damaged.token.blob',
    });
    const [reply] = await ask(colleague, 'settings');
    expect(cardText(cardOf(reply))).toContain('Webex account: needs reconnecting');
    expect(cardText(cardOf(reply))).toContain('connect');
  });

  it('says "needs reconnecting" when Webex revoked the tokens (refresh: invalid_grant)', async () => {
    const other = stack.user('other.host@example.com');
    await link(other);
    const state = stack.running.sandbox.state;
    for (const [token, entry] of state.tokens) {
      if (entry.kind === 'oauth' && entry.personId === other.id) state.tokens.delete(token);
    }
    for (const [token, entry] of state.refreshTokens) {
      if (entry.personId === other.id) state.refreshTokens.delete(token);
    }
    const [reply] = await ask(other, 'settings');
    expect(cardText(cardOf(reply))).toContain('Webex account: needs reconnecting');
  });
});

describe('OAuth callback', () => {
  const callback = (query: string) => fetch(`${stack.file.botUrl}/oauth/callback${query}`);

  it('says a link without a state is incomplete', async () => {
    const response = await callback('?code=abc');
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain('This link is incomplete');
    expect(html).not.toContain('already been used');
  });

  it('says a made-up state is not a link it knows', async () => {
    const response = await callback('?code=abc&state=made-up-state');
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain('This link is not one I know');
    expect(html).not.toContain('already been used');
  });
});
