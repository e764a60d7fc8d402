import { joinConcurrentSpawns } from '../../src/bot/framework/spawn';

/** Just what joinConcurrentSpawns uses of the framework: its spawn and its list of spaces. */
function fakeFramework(setUp: (roomId: string) => Promise<boolean>) {
  const spaces = new Set<string>();
  return {
    spaces,
    spawn: async (membership: { roomId: string }) => {
      const ok = await setUp(membership.roomId);
      if (ok) spaces.add(membership.roomId);
      return ok;
    },
    findBotObjectInRoom: (roomId: string) => (spaces.has(roomId) ? ({} as never) : undefined),
  };
}

describe('joinConcurrentSpawns', () => {
  it('tells a failed set-up at warn, with its space', async () => {
    const warnings: Array<{ obj: Record<string, unknown>; msg: string }> = [];
    const framework = fakeFramework(() => Promise.reject(new Error('rooms read failed')));
    joinConcurrentSpawns(framework as never, { warn: (obj, msg) => warnings.push({ obj, msg }) });

    const answers = await Promise.all([
      framework.spawn({ roomId: 'room-1' } as never),
      framework.spawn({ roomId: 'room-1' } as never),
    ]);

    expect(answers).toEqual([false, false]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.obj).toMatchObject({ roomId: 'room-1' });
    expect((warnings[0]?.obj.err as Error).message).toBe('rooms read failed');
  });

  it('shares one set-up between concurrent callers', async () => {
    let runs = 0;
    const framework = fakeFramework(async () => (runs++, true));
    joinConcurrentSpawns(framework as never, { warn: () => undefined });
    const answers = await Promise.all([
      framework.spawn({ roomId: 'room-2' } as never),
      framework.spawn({ roomId: 'room-2' } as never),
    ]);
    expect(answers).toEqual([true, true]);
    expect(runs).toBe(1);
  });
});
