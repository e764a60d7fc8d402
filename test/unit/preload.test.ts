import { preloadInBackground } from '../../src/app';

describe('preloadInBackground', () => {
  it('logs a broken template at error instead of throwing from the event loop', async () => {
    const logged: Array<{ obj: Record<string, unknown>; msg: string }> = [];
    const uncaught: unknown[] = [];
    const onUncaught = (err: unknown) => uncaught.push(err);
    process.on('uncaughtException', onUncaught);
    try {
      await preloadInBackground(
        () => {
          throw new SyntaxError('cards/audit-result.json: Unexpected token');
        },
        { error: (obj: Record<string, unknown>, msg: string) => void logged.push({ obj, msg }) },
      );
    } finally {
      process.off('uncaughtException', onUncaught);
    }
    expect(uncaught).toEqual([]);
    expect(logged).toHaveLength(1);
    expect(logged[0]?.msg).toBe('card templates could not be preloaded');
    expect((logged[0]?.obj.err as Error).message).toMatch(/audit-result\.json/);
  });
});
