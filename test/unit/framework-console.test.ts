import { FRAMEWORK_CHATTER, withFrameworkChatter } from '../../src/bot/framework/console';

describe('withFrameworkChatter', () => {
  const realLog = console.log;
  let printed: unknown[][];
  beforeEach(() => {
    printed = [];
    console.log = (...args: unknown[]) => void printed.push(args);
  });
  afterEach(() => {
    console.log = realLog;
  });

  it("sends the framework's start and stop lines to the logger, and prints the rest as before", async () => {
    const logged: string[] = [];
    const result = await withFrameworkChatter(
      (line) => logged.push(line),
      async () => {
        await Promise.resolve();
        for (const line of FRAMEWORK_CHATTER) console.log(line);
        console.log('something else', 42);
        console.log('Listening for webex teams events... and more');
        return 'started';
      },
    );
    expect(result).toBe('started');
    expect(logged).toEqual([
      'Listening for webex teams events...',
      'Stopped listening for webex teams events...',
    ]);
    expect(printed).toEqual([
      ['something else', 42],
      ['Listening for webex teams events... and more'],
    ]);
  });

  it('prints everything again once the work is done, also when it failed', async () => {
    const logged: string[] = [];
    await expect(
      withFrameworkChatter(
        (line) => logged.push(line),
        () => Promise.reject(new Error('start failed')),
      ),
    ).rejects.toThrow('start failed');
    console.log('Listening for webex teams events...');
    expect(logged).toEqual([]);
    expect(printed).toEqual([['Listening for webex teams events...']]);
  });
});
