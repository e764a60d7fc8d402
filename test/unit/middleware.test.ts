/**
 * The pipeline's plumbing and its pure rules: steps run in order, each can stop the rest,
 * and the allowed-domain and admin rules say the same for every way in.
 */
import { hasAdminScopes, isAllowedEmail } from '../../src/auth/access-rules';
import { compose, step } from '../../src/bot/middleware/compose';
import type { BotContext } from '../../src/bot/middleware/context';
import { ignoreOwnMessages } from '../../src/bot/middleware/steps';

describe('compose', () => {
  it('runs steps in order, each around the rest', async () => {
    const seen: string[] = [];
    const around = (name: string) =>
      step<string[]>(name, async (ctx, next) => {
        ctx.push(`${name} in`);
        await next();
        ctx.push(`${name} out`);
      });
    await compose([around('a'), around('b')])(seen);
    expect(seen).toEqual(['a in', 'b in', 'b out', 'a out']);
  });

  it('stops where a step does not call next', async () => {
    const seen: string[] = [];
    await compose<string[]>([
      step('gate', async () => undefined),
      step('command', async (ctx) => void ctx.push('ran')),
    ])(seen);
    expect(seen).toEqual([]);
  });

  it('lets an outer step catch what an inner one throws', async () => {
    const seen: string[] = [];
    await compose<string[]>([
      step('boundary', async (ctx, next) => {
        try {
          await next();
        } catch (err) {
          ctx.push(`answered: ${(err as Error).message}`);
        }
      }),
      step('command', async () => {
        throw new Error('Webex down');
      }),
    ])(seen);
    expect(seen).toEqual(['answered: Webex down']);
  });

  it('refuses a step that calls next twice', async () => {
    const twice = step<object>('twice', async (_ctx, next) => {
      await next();
      await next();
    });
    await expect(compose([twice])({})).rejects.toThrow('step "twice" called next() twice');
  });
});

describe('ignoreOwnMessages', () => {
  // The one place past the envelope's actorId check that drops the bot's own messages.
  const run = async (kind: 'message' | 'cardAction', personId: string) => {
    const handled: string[] = [];
    const ctx = { event: { kind }, person: { id: personId } } as unknown as BotContext;
    await compose<BotContext>([
      ignoreOwnMessages(() => 'bot-id'),
      step('command', async () => void handled.push(personId)),
    ])(ctx);
    return handled;
  };

  it('drops a message the bot sent itself', async () => {
    expect(await run('message', 'bot-id')).toEqual([]);
  });
  it('passes on messages from people', async () => {
    expect(await run('message', 'person-id')).toEqual(['person-id']);
  });
});

describe('isAllowedEmail', () => {
  it('lets anyone in when no domain is configured', () => {
    expect(isAllowedEmail('a@anywhere.example', [])).toBe(true);
  });
  it('compares the domain after the last @, ignoring case', () => {
    expect(isAllowedEmail('Ann@Corp.Example', ['corp.example'])).toBe(true);
    expect(isAllowedEmail('ann@evil.example', ['corp.example'])).toBe(false);
    expect(isAllowedEmail('"x@corp.example"@evil.example', ['corp.example'])).toBe(false);
    expect(isAllowedEmail('corp.example', ['corp.example'])).toBe(false);
    expect(isAllowedEmail('ann@sub.corp.example', ['corp.example'])).toBe(false);
  });
});

describe('hasAdminScopes', () => {
  const admin = ['meeting:admin_recordings_read'];
  it('needs every admin scope', () => {
    expect(hasAdminScopes(['meeting:recordings_read', ...admin], admin)).toBe(true);
    expect(hasAdminScopes(['meeting:recordings_read'], admin)).toBe(false);
    // A scope that merely mentions "admin" is not the admin scope.
    expect(hasAdminScopes(['spark-admin:people_read'], admin)).toBe(false);
  });
});
